namespace DbAdapter.Core.Schema;

/// <summary>
/// A column present on both sides whose type, nullability or default differs. Only counts as an
/// error in a strict comparison.
/// </summary>
/// <param name="Schema">The table's schema.</param>
/// <param name="Table">The table.</param>
/// <param name="Column">The column.</param>
/// <param name="Kind">What differs.</param>
/// <param name="Expected">The expected value (canonical when the server could canonicalise it); null for "none".</param>
/// <param name="Actual">The live value; null for "none".</param>
public sealed record ColumnDifference(string Schema, string Table, string Column, DifferenceKind Kind, string? Expected, string? Actual)
{
    /// <inheritdoc />
    public override string ToString() => $"{Schema}.{Table}.{Column} {Kind}: expected {Expected ?? "(none)"}, actual {Actual ?? "(none)"}";
}
