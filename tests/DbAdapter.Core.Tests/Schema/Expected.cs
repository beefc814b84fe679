using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Builds expected models by hand, spelled as a person writes schema.sql (upper case, aliases,
/// SERIAL), standing in for the schema.sql reader in these tests.
/// </summary>
internal static class Expected
{
    public static SchemaModel Model(params TableModel[] tables)
    {
        var model = new SchemaModel();
        model.Tables.AddRange(tables);
        return model;
    }

    public static TableModel Table(string name, params ColumnModel[] columns) => Table("public", name, columns);

    public static TableModel Table(string schema, string name, params ColumnModel[] columns)
    {
        var table = new TableModel { Schema = schema, Name = name };
        table.Columns.AddRange(columns);
        table.PrimaryKey.AddRange(columns.Where(c => c.IsPrimaryKey).Select(c => c.Name));
        return table;
    }

    public static ColumnModel Col(string name, string type, bool notNull = false, string? @default = null, bool pk = false, bool unique = false) =>
        new() { Name = name, Type = type, NotNull = notNull, Default = @default, IsPrimaryKey = pk, IsUnique = unique };
}
