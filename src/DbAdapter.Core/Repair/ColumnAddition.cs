using System.Globalization;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Repair;

/// <summary>
/// What an ADD COLUMN definition implies for a table that may already have rows: read with the
/// schema.sql reader's own column grammar, so a column-defs override is understood like schema.sql.
/// </summary>
internal sealed class ColumnAddition
{
    private ColumnAddition(string definition, ColumnModel? column, TableModel? constraints)
    {
        Definition = definition;
        Column = column;
        Constraints = constraints;
    }

    /// <summary>The definition as written (schema.sql's or the override).</summary>
    public string Definition { get; }

    /// <summary>The definition read as a column, or null when the reader could not read it.</summary>
    public ColumnModel? Column { get; }

    /// <summary>The inline constraints of the definition (REFERENCES, UNIQUE, CHECK...).</summary>
    public TableModel? Constraints { get; }

    public bool IsSerial => Column is not null && TableRecreation.IsSerial(Column.Type);

    /// <summary>Existing rows get a value of their own (serial, identity, generated).</summary>
    public bool FillsRows => Column is not null && (IsSerial || Column.Identity is not null || Column.Generated is not null);

    /// <summary>A DEFAULT other than NULL.</summary>
    public bool HasDefault => Column?.Default is { } d && d.Trim().Length > 0 && !string.Equals(d.Trim(), "null", StringComparison.OrdinalIgnoreCase);

    public bool IsPrimaryKey => Column?.IsPrimaryKey == true;

    public bool IsUnique => Column?.IsUnique == true;

    public bool HasChecks => Constraints?.Checks.Count > 0;

    public bool HasReferences => Constraints?.ForeignKeys.Count > 0;

    /// <summary>Reads <paramref name="definition"/> (everything after the column name).</summary>
    public static ColumnAddition Read(string name, string definition, string schema, string table)
    {
        try
        {
            var tokens = SqlTokenizer.Tokenize(Connections.SqlIdentifier.Quote(name) + " " + definition);
            var constraints = new TableModel { Schema = schema, Name = table };
            var column = TableElementReader.ReadColumn(new TokenCursor(tokens), constraints, schema);
            return new ColumnAddition(definition, column, constraints);
        }
        catch (Exception ex) when (ex is SqlReadException or Diagnostics.DbAdapterException)
        {
            return new ColumnAddition(definition, null, null);
        }
    }

    /// <summary>Why existing rows get rewritten, or null.</summary>
    public string? KnownRewriteReason() =>
        Column is null ? null
        : IsSerial ? $"it is {Column.Type.ToUpperInvariant()} (each existing row draws a value from a new sequence)"
        : Column.Identity is not null ? "it is an identity column (each existing row draws a value)"
        : Column.Generated is not null ? "it is a stored generated column (computed for each existing row)"
        : null;

    public static string Rows(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture);
}
