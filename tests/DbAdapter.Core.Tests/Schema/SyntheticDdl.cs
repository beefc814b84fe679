using System.Globalization;
using System.Text;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// The generated schema's shape and its DDL text, with no DbAdapter.Core type: SyntheticSchema builds
/// the expected model from the same <see cref="Tables"/>, and the cmdlet benchmark links this file
/// alone, since it must not load the core outside the module's private load context. Linked into
/// bench/ (both projects), so the scale test and the benchmarks build the same schema.
/// </summary>
internal static class SyntheticDdl
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
    /// key to the previous table, a unique and a check constraint, two secondary indexes (4 with the
    /// key's and the unique constraint's), a trigger (all calling one function) and a view each.
    /// </summary>
    public static string Generate(int tables, int columns)
    {
        var ddl = new StringBuilder();
        ddl.Append("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n");
        foreach (var table in Tables(tables, columns))
        {
            var name = table.Name;
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {name} (id SERIAL PRIMARY KEY");
            if (table.Parent is not null)
            {
                ddl.Append(CultureInfo.InvariantCulture, $", parent_id INTEGER REFERENCES {table.Parent}(id) ON DELETE CASCADE");
            }

            foreach (var column in table.Columns)
            {
                ddl.Append(CultureInfo.InvariantCulture, $", {column.Name} {column.Type}{(column.NotNull ? " NOT NULL" : string.Empty)}{(column.Default is null ? string.Empty : " DEFAULT " + column.Default)}");
            }

            ddl.Append(CultureInfo.InvariantCulture, $", UNIQUE (id, col_02), CHECK (id > 0));\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_c3 ON {name} (col_03);\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE INDEX {name}_expr ON {name} ((id % 7)) WHERE id > 100;\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TRIGGER {name}_touch BEFORE UPDATE ON {name} FOR EACH ROW EXECUTE FUNCTION touch();\n");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE VIEW {name}_recent AS SELECT id, col_02, col_03 FROM {name} WHERE id > 10;\n");
        }

        return ddl.ToString();
    }

    /// <summary>
    /// The tables in order. Each has "id SERIAL PRIMARY KEY", then, when <see cref="Table.Parent"/> is
    /// set, "parent_id INTEGER" referencing it, then <see cref="Table.Columns"/>, up to
    /// <paramref name="columns"/> columns in all.
    /// </summary>
    public static IEnumerable<Table> Tables(int tables, int columns)
    {
        for (var t = 0; t < tables; t++)
        {
            var parent = t > 0 ? TableName(t - 1) : null;
            var generated = new List<Column>();
            for (var c = parent is null ? 1 : 2; c < columns; c++)
            {
                var (type, @default, notNull) = ColumnKinds[(c + t) % ColumnKinds.Length];
                generated.Add(new Column($"col_{c:D2}", type, @default, notNull));
            }

            yield return new Table(TableName(t), parent, generated);
        }
    }

    private static string TableName(int index) => $"t{index:D4}";

    /// <summary>A generated table: its name, the table its parent_id references (none for the first), and its other columns.</summary>
    internal sealed record Table(string Name, string? Parent, IReadOnlyList<Column> Columns);

    /// <summary>A generated column, type and default as written.</summary>
    internal sealed record Column(string Name, string Type, string? Default, bool NotNull);
}
