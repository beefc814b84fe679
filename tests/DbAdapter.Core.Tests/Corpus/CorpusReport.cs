using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Corpus;

/// <summary>
/// A comparison as comparable text: the missing and extra items ("schema.table", "schema.table.column",
/// objects as "Kind schema.table.name" or "Kind schema.name", sorted) and every difference. Two modes
/// agree on a database when their reports are equal. An object is listed by what it is, not by its
/// definition: a view whose tables are gone cannot be read by the server, so the reader can only
/// show it as written. No test framework here: the cross-check benchmark links this file too.
/// </summary>
public sealed record CorpusReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Extra, IReadOnlyList<string> Differences)
{
    public static CorpusReport Empty { get; } = new([], [], []);

    public bool IsEmpty => Missing.Count + Extra.Count + Differences.Count == 0;

    public static CorpusReport Of(SchemaComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new CorpusReport(
            comparison.MissingTables.Select(t => t.ToString()).Concat(comparison.MissingColumns.Select(c => c.ToString()))
                .Concat(comparison.MissingObjects.Select(Name)).Order(StringComparer.Ordinal).ToArray(),
            comparison.ExtraTables.Select(t => t.ToString()).Concat(comparison.ExtraColumns.Select(c => c.ToString()))
                .Concat(comparison.ExtraObjects.Select(Name)).Order(StringComparer.Ordinal).ToArray(),
            comparison.Differences.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>"ForeignKey app.entry_1.entry_1_account_fkey", "View public.v": an object by what it is.</summary>
    public static string Name(ObjectRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var label = item.Kind == ObjectKind.Enum && item.Definition.StartsWith("VALUE", StringComparison.Ordinal) ? $" {item.Definition}" : string.Empty;
        return item.Table is null ? $"{item.Kind} {item.Schema}.{item.Name}{label}" : $"{item.Kind} {item.Schema}.{item.Table}.{item.Name}";
    }

    public bool Equals(CorpusReport? other) =>
        other is not null && Missing.SequenceEqual(other.Missing) && Extra.SequenceEqual(other.Extra) && Differences.SequenceEqual(other.Differences);

    public override int GetHashCode() => HashCode.Combine(Missing.Count, Extra.Count, Differences.Count);

    public override string ToString() =>
        $"missing [{string.Join(", ", Missing)}] extra [{string.Join(", ", Extra)}] differences [{string.Join(", ", Differences)}]";
}
