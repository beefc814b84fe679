using System.Globalization;
using System.Text;

namespace DbAdapter.Bench.PowerShell;

/// <summary>
/// The DDL of tests/DbAdapter.Core.Tests/Schema/SyntheticSchema.cs, character for character. That file
/// cannot be linked here: it also builds the expected SchemaModel, a DbAdapter.Core type, and this
/// program must not load the core outside the module's private load context. Keep the two in step;
/// the DDL doubles as schema.sql, so a drift between them shows up as an invalid report.
/// </summary>
internal static class SyntheticDdl
{
    // (type as written, default as written, NOT NULL): the same mix, in the same order, as SyntheticSchema.
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
    public static string Generate(int tables, int columns)
    {
        var ddl = new StringBuilder();
        for (var t = 0; t < tables; t++)
        {
            var name = TableName(t);
            var count = 1;
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {name} (id SERIAL PRIMARY KEY");
            if (t > 0)
            {
                ddl.Append(CultureInfo.InvariantCulture, $", parent_id INTEGER REFERENCES {TableName(t - 1)}(id) ON DELETE CASCADE");
                count++;
            }

            for (var c = count; c < columns; c++)
            {
                var (type, @default, notNull) = ColumnKinds[(c + t) % ColumnKinds.Length];
                var column = $"col_{c:D2}";
                ddl.Append(CultureInfo.InvariantCulture, $", {column} {type}{(notNull ? " NOT NULL" : string.Empty)}{(@default is null ? string.Empty : " DEFAULT " + @default)}");
            }

            ddl.Append(CultureInfo.InvariantCulture, $", UNIQUE (id, col_02), CHECK (id > 0));\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_c3 ON {name} (col_03);\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_expr ON {name} ((id % 7)) WHERE id > 100;\n");
        }

        return ddl.ToString();
    }

    private static string TableName(int index) => $"t{index:D4}";
}
