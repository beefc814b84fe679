
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The result of comparing an expected schema (schema.sql) with a live database. Missing tables,
/// columns and objects (constraints, indexes, sequences, types, views, functions, triggers) make it
/// invalid; extra ones are information; differences of definition are errors only when the
/// comparison is strict.
/// </summary>
public sealed class SchemaComparison
{
    /// <summary>Creates a comparison over <paramref name="schemas"/> (the first one is the "home" schema for display).</summary>
    public SchemaComparison(IReadOnlyList<string> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        Schemas = schemas.ToArray();
    }

    /// <summary>The schemas compared, in profile order.</summary>
    public IReadOnlyList<string> Schemas { get; }

    /// <summary>Expected tables the database lacks, in schema.sql order.</summary>
    public List<TableName> MissingTables { get; } = [];

    /// <summary>Expected columns of existing tables the database lacks.</summary>
    public List<ColumnRef> MissingColumns { get; } = [];

    /// <summary>Live tables of the compared schemas that schema.sql does not declare.</summary>
    public List<TableName> ExtraTables { get; } = [];

    /// <summary>Live columns that schema.sql does not declare on a table it does declare.</summary>
    public List<ColumnRef> ExtraColumns { get; } = [];

    /// <summary>
    /// Type, nullability and default differences of columns present on both sides, and definition
    /// differences of objects present on both sides.
    /// </summary>
    public List<ColumnDifference> Differences { get; } = [];

    /// <summary>
    /// Expected objects the database lacks: of tables it has (a missing table's own objects come back
    /// with it and are not listed), and of the schemas compared. An enum's missing label is listed as
    /// its enum with the label as the definition.
    /// </summary>
    public List<ObjectRef> MissingObjects { get; } = [];

    /// <summary>Live objects schema.sql does not declare (of tables both sides have, and of the schemas compared).</summary>
    public List<ObjectRef> ExtraObjects { get; } = [];

    /// <summary>Things worth telling that are not drift (ignored tables, defaults compared as text...).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>True when <see cref="ErrorCount"/> is zero.</summary>
    public bool IsValid(bool strict) => ErrorCount(strict) == 0;

    /// <summary>Missing tables, columns and objects, plus the differences when <paramref name="strict"/>.</summary>
    public int ErrorCount(bool strict) =>
        MissingTables.Count + MissingColumns.Count + MissingObjects.Count + (strict ? Differences.Count : 0);

    /// <summary>What makes the schema invalid, as people read it: "table x is missing", "column x.y is missing".</summary>
    public IEnumerable<string> MissingItems() =>
        MissingTables.Select(t => $"table {Display(t)} is missing")
            .Concat(MissingColumns.Select(c => $"column {Display(c)} is missing"))
            .Concat(MissingObjects.Select(o => $"{ObjectText.KindWords(o.Kind)} {Display(o)} is missing ({o.Definition})"));

    /// <summary>
    /// A table as the report lists it: the bare name in the first compared schema, schema.table in any
    /// other (DESIGN section 3), so single-schema users see the names they wrote.
    /// </summary>
    public string Display(TableName table) =>
        Schemas.Count > 0 && string.Equals(table.Schema, Schemas[0], StringComparison.Ordinal)
            ? table.Name
            : $"{table.Schema}.{table.Name}";

    /// <summary>A column as the report lists it: the table as in <see cref="Display(TableName)"/>, then .column.</summary>
    public string Display(ColumnRef column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return $"{Display(new TableName(column.Schema, column.Table))}.{column.Column}";
    }

    /// <summary>
    /// An object as the report lists it: "table.name" for a table's object (the table as in
    /// <see cref="Display(TableName)"/>), the name alone in the first compared schema otherwise.
    /// </summary>
    public string Display(ObjectRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Table is { } table ? $"{Display(new TableName(item.Schema, table))}.{item.Name}" : Display(new TableName(item.Schema, item.Name));
    }
}
