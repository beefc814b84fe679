using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Corpus;

/// <summary>
/// A comparison as comparable text: the missing and extra items ("schema.table", "schema.table.column",
/// sorted) and every difference. Two modes agree on a database when their reports are equal. No test
/// framework here: the cross-check benchmark links this file too.
/// </summary>
public sealed record CorpusReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Extra, IReadOnlyList<string> Differences)
{
    public static CorpusReport Empty { get; } = new([], [], []);

    public bool IsEmpty => Missing.Count + Extra.Count + Differences.Count == 0;

    public static CorpusReport Of(SchemaComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new CorpusReport(
            comparison.MissingTables.Select(t => t.ToString()).Concat(comparison.MissingColumns.Select(c => c.ToString())).Order(StringComparer.Ordinal).ToArray(),
            comparison.ExtraTables.Select(t => t.ToString()).Concat(comparison.ExtraColumns.Select(c => c.ToString())).Order(StringComparer.Ordinal).ToArray(),
            comparison.Differences.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToArray());
    }

    public bool Equals(CorpusReport? other) =>
        other is not null && Missing.SequenceEqual(other.Missing) && Extra.SequenceEqual(other.Extra) && Differences.SequenceEqual(other.Differences);

    public override int GetHashCode() => HashCode.Combine(Missing.Count, Extra.Count, Differences.Count);

    public override string ToString() =>
        $"missing [{string.Join(", ", Missing)}] extra [{string.Join(", ", Extra)}] differences [{string.Join(", ", Differences)}]";
}
