using System.Globalization;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// What an ADD COLUMN definition implies for a table that may already have rows: read with the
/// schema.sql reader's own column grammar, so a column-defs override is understood like schema.sql.
/// </summary>
internal sealed class ColumnAddition
{
    private ColumnAddition(string definition, ColumnModel column, TableModel constraints)
    {
        Definition = definition;
        Column = column;
        Constraints = constraints;
    }

    /// <summary>The definition as written (schema.sql's or the override).</summary>
    public string Definition { get; }

    /// <summary>The definition read as a column.</summary>
    public ColumnModel Column { get; }

    /// <summary>The inline constraints of the definition (REFERENCES, UNIQUE, CHECK...).</summary>
    public TableModel Constraints { get; }

    public bool IsSerial => TypeText.IsSerial(Column.Type);

    /// <summary>Existing rows get a value of their own (serial, identity, generated).</summary>
    public bool FillsRows => IsSerial || Column.Identity is not null || Column.Generated is not null;

    /// <summary>A DEFAULT other than NULL.</summary>
    public bool HasDefault => Column.Default is { } d && d.Trim().Length > 0 && !string.Equals(d.Trim(), "null", StringComparison.OrdinalIgnoreCase);

    public bool IsPrimaryKey => Column.IsPrimaryKey;

    public bool IsUnique => Column.IsUnique;

    public bool HasChecks => Constraints.Checks.Count > 0;

    public bool HasReferences => Constraints.ForeignKeys.Count > 0;

    /// <summary>Reads <paramref name="definition"/> (everything after the column name).</summary>
    /// <exception cref="Diagnostics.DbAdapterException">
    /// FixFailed (InvalidData) when the definition is not exactly one column definition: it is never
    /// added "as written", because text that is not one item could carry another action.
    /// </exception>
    public static ColumnAddition Read(string name, string definition, string schema, string table)
    {
        try
        {
            var constraints = new TableModel { Schema = schema, Name = table };
            var column = TableElementReader.ReadColumnText(name, definition, constraints, schema);
            return new ColumnAddition(definition, column, constraints);
        }
        catch (SqlReadException ex)
        {
            throw new Diagnostics.DbAdapterException(
                Diagnostics.ErrorIds.FixFailed,
                Diagnostics.DbErrorKind.InvalidData,
                $"Column {schema}.{table}.{name} cannot be added: its definition '{definition}' is not exactly one column definition ({ex.Message}). Nothing was planned.",
                $"{schema}.{table}");
        }
    }

    /// <summary>Why existing rows get rewritten, or null.</summary>
    public string? KnownRewriteReason() =>
        IsSerial ? $"it is {Column.Type.ToUpperInvariant()} (each existing row draws a value from a new sequence)"
        : Column.Identity is not null ? "it is an identity column (each existing row draws a value)"
        : Column.Generated is not null ? "it is a stored generated column (computed for each existing row)"
        : null;

    public static string Rows(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture);
}
