using System.Globalization;
using System.Text;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// A generated schema of any size: the DDL to build it and the model schema.sql would give, spelled
/// as a person writes it. Shared by the scale test and the benchmark (linked into bench/).
/// </summary>
internal static class SyntheticSchema
{
    // (type as written, default as written, NOT NULL): the mix a real application schema has.
    private static readonly (string Type, string? Default, bool NotNull)[] ColumnKinds =
    [
        ("VARCHAR(50)", null, true),
        ("INTEGER", "0", false),
        ("BOOLEAN", "FALSE", false),
        ("TIMESTAMPTZ", "NOW()", true),
        ("TEXT", "'x'", false),
        ("NUMERIC(10,2)", "0", false),
        ("JSONB", "'{}'::jsonb", false),
        ("UUID", null, false),
        ("TEXT[]", null, false),
        ("BIGINT", "0", true),
        ("DATE", "CURRENT_DATE", false),
        ("VARCHAR(255)", "'new'", false),
    ];

    /// <summary>
    /// <paramref name="tables"/> tables of <paramref name="columns"/> columns: a SERIAL key, a foreign
    /// key to the previous table, a unique and a check constraint, and two secondary indexes each.
    /// </summary>
    public static (string Ddl, SchemaModel Expected) Generate(int tables, int columns)
    {
        var ddl = new StringBuilder();
        var model = new SchemaModel();
        for (var t = 0; t < tables; t++)
        {
            var name = TableName(t);
            var table = new TableModel { Schema = "public", Name = name };
            table.PrimaryKey.Add("id");
            table.Columns.Add(new ColumnModel { Name = "id", Type = "SERIAL", IsPrimaryKey = true });
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {name} (id SERIAL PRIMARY KEY");
            if (t > 0)
            {
                ddl.Append(CultureInfo.InvariantCulture, $", parent_id INTEGER REFERENCES {TableName(t - 1)}(id) ON DELETE CASCADE");
                table.Columns.Add(new ColumnModel { Name = "parent_id", Type = "INTEGER" });
            }

            for (var c = table.Columns.Count; c < columns; c++)
            {
                var (type, @default, notNull) = ColumnKinds[(c + t) % ColumnKinds.Length];
                var column = $"col_{c:D2}";
                ddl.Append(CultureInfo.InvariantCulture, $", {column} {type}{(notNull ? " NOT NULL" : string.Empty)}{(@default is null ? string.Empty : " DEFAULT " + @default)}");
                table.Columns.Add(new ColumnModel { Name = column, Type = type, NotNull = notNull, Default = @default });
            }

            ddl.Append(CultureInfo.InvariantCulture, $", UNIQUE (id, col_02), CHECK (id > 0));\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_c3 ON {name} (col_03);\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_expr ON {name} ((id % 7)) WHERE id > 100;\n");
            model.Tables.Add(table);
        }

        return (ddl.ToString(), model);
    }

    private static string TableName(int index) => $"t{index:D4}";
}
