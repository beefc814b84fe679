namespace DbAdapter.Core.Schema;

/// <summary>
/// A column (or object) present on both sides whose type, nullability, default or definition
/// differs. Only counts as an error in a strict comparison.
/// </summary>
/// <param name="Schema">The table's (or object's) schema.</param>
/// <param name="Table">The table; for an object of the schema itself (view, function, type, sequence), empty.</param>
/// <param name="Column">The column; for an object, its name.</param>
/// <param name="Kind">What differs.</param>
/// <param name="Expected">The expected value (canonical when the server could canonicalise it); null for "none".</param>
/// <param name="Actual">The live value; null for "none".</param>
public sealed record ColumnDifference(string Schema, string Table, string Column, DifferenceKind Kind, string? Expected, string? Actual)
{
    /// <summary>True for a difference of an object (constraint, index, view...) rather than of a column.</summary>
    public bool IsObject => Kind is not (DifferenceKind.Type or DifferenceKind.Nullability or DifferenceKind.Default);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Schema}.{(Table.Length == 0 ? string.Empty : Table + ".")}{Column} {Kind}: expected {Expected ?? "(none)"}, actual {Actual ?? "(none)"}";
}
