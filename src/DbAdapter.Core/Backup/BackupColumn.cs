using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Backup;

/// <summary>One column of a backed-up table: how to select it and how to write its values.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">The kind of the value, or of each element of an array.</param>
/// <param name="IsArray">True for an array column (written as a JSON array, nested per dimension).</param>
/// <param name="SelectExpression">The select-list item, with a server-side cast where needed.</param>
internal sealed record BackupColumn(string Name, BackupValueKind Kind, bool IsArray, string SelectExpression)
{
    /// <summary>How <paramref name="column"/> is read for a backup, decided by its (base) type.</summary>
    public static BackupColumn From(ColumnInfo column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var kind = KindOf(column.IsArray ? column.ElementTypeName ?? string.Empty : column.TypeName);
        var quoted = SqlIdentifier.Quote(column.Name);

        // Text and json travel as text: exact for numeric, and json arrays need no CLR mapping.
        var expression = kind is BackupValueKind.Text or BackupValueKind.Json
            ? $"{quoted}::text{(column.IsArray ? "[]" : string.Empty)} AS {quoted}"
            : quoted;
        return new BackupColumn(column.Name, kind, column.IsArray, expression);
    }

    /// <summary>The kind of a value of the (base or element) type <paramref name="typeName"/>.</summary>
    public static BackupValueKind KindOf(string typeName) => typeName switch
    {
        "int2" or "int4" or "int8" => BackupValueKind.Integer,
        "float8" => BackupValueKind.Double,
        "float4" => BackupValueKind.Single,
        "bool" => BackupValueKind.Boolean,
        "timestamptz" => BackupValueKind.TimestampTz,
        "timestamp" => BackupValueKind.Timestamp,
        "date" => BackupValueKind.Date,
        "time" => BackupValueKind.Time,
        "uuid" => BackupValueKind.Uuid,
        "json" or "jsonb" => BackupValueKind.Json,
        "bytea" => BackupValueKind.Bytes,
        _ => BackupValueKind.Text,
    };
}
