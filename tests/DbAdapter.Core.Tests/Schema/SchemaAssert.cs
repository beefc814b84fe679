using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Exact comparisons of what the reader produced, so a test shows the whole expected shape.</summary>
internal static class SchemaAssert
{
    public static void Tables(SchemaModel model, params string[] qualifiedNames) =>
        Assert.Equal(qualifiedNames, model.Tables.Select(t => t.ToString()));

    /// <summary>Columns as (name, type, not null, default), in order.</summary>
    public static void Columns(TableModel table, params (string Name, string Type, bool NotNull, string? Default)[] expected) =>
        Assert.Equal(expected, table.Columns.Select(c => (c.Name, c.Type, c.NotNull, c.Default)));

    public static TableModel Table(SchemaModel model, string schema, string name) =>
        model.FindTable(schema, name) ?? throw new Xunit.Sdk.XunitException(
            $"table {schema}.{name} not read; tables: {string.Join(", ", model.Tables)}; warnings: {string.Join(" | ", model.Warnings)}");

    public static void NoWarnings(SchemaModel model) => Assert.Empty(model.Warnings);
}
