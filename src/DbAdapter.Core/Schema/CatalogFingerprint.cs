using System.Text;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Schema;

/// <summary>A named catalog object of a table and its definition as the server spells it.</summary>
/// <param name="Name">Column or constraint name.</param>
/// <param name="Definition">"integer NOT NULL DEFAULT 0", "PRIMARY KEY (id)"...</param>
public sealed record CatalogItem(string Name, string Definition);

/// <summary>What a plan relies on about one table: whether it exists, its columns and its constraints.</summary>
/// <param name="Table">The table.</param>
/// <param name="Exists">False for a table the plan creates.</param>
/// <param name="Columns">Its columns by name (byte order).</param>
/// <param name="Constraints">Its constraints by name (byte order).</param>
public sealed record TableFingerprint(TableName Table, bool Exists, IReadOnlyList<CatalogItem> Columns, IReadOnlyList<CatalogItem> Constraints);

/// <summary>
/// The live catalog objects a fix plan depends on: for each table it changes, whether the table exists,
/// its columns (type, NOT NULL, default, identity, generation) and its constraints, read the same way
/// when the plan is made and again inside the fix transaction before anything runs. Columns and
/// constraints are kept by name, so their order on disk or the moment they were added never matters,
/// while any change of what they are does. The SHA-256 over all of it is the fingerprint proper.
/// </summary>
public sealed class CatalogFingerprint
{
    // Three statements, one round trip, whatever the number of tables; the tables come as two text
    // arrays (schemas, names) in the plan's order, so nothing is pasted into the SQL.
    private const string TablesSql = """
        SELECT t.ord::int, c.oid IS NOT NULL
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(nsp, rel, ord)
        LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = t.nsp
        LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.rel AND c.relkind IN ('r', 'p')
        ORDER BY t.ord
        """;

    private const string ColumnsSql = """
        SELECT t.ord::int, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(nsp, rel, ord)
        JOIN pg_catalog.pg_namespace n ON n.nspname = t.nsp
        JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.rel AND c.relkind IN ('r', 'p')
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        ORDER BY t.ord, a.attname COLLATE "C"
        """;

    private const string ConstraintsSql = """
        SELECT t.ord::int, con.conname, pg_catalog.pg_get_constraintdef(con.oid)
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(nsp, rel, ord)
        JOIN pg_catalog.pg_namespace n ON n.nspname = t.nsp
        JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.rel AND c.relkind IN ('r', 'p')
        JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid
        ORDER BY t.ord, con.conname COLLATE "C"
        """;

    /// <summary>Creates a fingerprint from its tables (read live, or from a plan file).</summary>
    public CatalogFingerprint(IReadOnlyList<TableFingerprint> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Tables = tables.ToArray();
        Sha256 = ContentHash.Sha256(CanonicalText(Tables));
    }

    /// <summary>The tables, in the order they were asked for.</summary>
    public IReadOnlyList<TableFingerprint> Tables { get; }

    /// <summary>SHA-256 (lower-case hex) of everything in <see cref="Tables"/>.</summary>
    public string Sha256 { get; }

    /// <summary>The tables the fingerprint covers.</summary>
    public IReadOnlyList<TableName> TableNames => Tables.Select(t => t.Table).ToList();

    /// <summary>Reads the fingerprint of <paramref name="tables"/> on <paramref name="connection"/> (inside the caller's transaction, if any).</summary>
    public static async Task<CatalogFingerprint> ReadAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tables);
        var exists = new bool[tables.Count];
        var columns = tables.Select(_ => new List<CatalogItem>()).ToArray();
        var constraints = tables.Select(_ => new List<CatalogItem>()).ToArray();
        if (tables.Count > 0)
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var sql in new[] { TablesSql, ColumnsSql, ConstraintsSql })
                {
                    var command = new NpgsqlBatchCommand(sql);
                    command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Schema).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    batch.BatchCommands.Add(command);
                }

                var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        exists[reader.GetInt32(0) - 1] = reader.GetBoolean(1);
                    }

                    await reader.NextResultAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        columns[reader.GetInt32(0) - 1].Add(new CatalogItem(reader.GetString(1), ColumnDefinition(reader)));
                    }

                    await reader.NextResultAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        constraints[reader.GetInt32(0) - 1].Add(new CatalogItem(reader.GetString(1), reader.GetString(2)));
                    }
                }
            }
        }

        return new CatalogFingerprint(tables.Select((t, i) => new TableFingerprint(t, exists[i], columns[i], constraints[i])).ToList());
    }

    /// <summary>
    /// What differs in <paramref name="now"/> from this (earlier) fingerprint, one sentence per change
    /// ("column public.items.b was added (text)"); empty when nothing did.
    /// </summary>
    public IReadOnlyList<string> ChangesIn(CatalogFingerprint now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var changes = new List<string>();
        foreach (var before in Tables)
        {
            var after = now.Tables.FirstOrDefault(t => t.Table == before.Table);
            if (after is null || after.Exists != before.Exists)
            {
                changes.Add(before.Exists ? $"table {before.Table} was dropped" : $"table {before.Table} was created");
                continue;
            }

            Compare(changes, "column", before.Table, before.Columns, after.Columns);
            Compare(changes, "constraint", before.Table, before.Constraints, after.Constraints);
        }

        return changes;
    }

    private static void Compare(List<string> changes, string what, TableName table, IReadOnlyList<CatalogItem> before, IReadOnlyList<CatalogItem> after)
    {
        var was = before.ToDictionary(i => i.Name, i => i.Definition, StringComparer.Ordinal);
        var now = after.ToDictionary(i => i.Name, i => i.Definition, StringComparer.Ordinal);
        foreach (var (name, definition) in was)
        {
            if (!now.TryGetValue(name, out var current))
            {
                changes.Add($"{what} {name} of {table} was dropped (it was: {definition})");
            }
            else if (!string.Equals(definition, current, StringComparison.Ordinal))
            {
                changes.Add($"{what} {name} of {table} changed from '{definition}' to '{current}'");
            }
        }

        foreach (var (name, definition) in now.Where(p => !was.ContainsKey(p.Key)))
        {
            changes.Add($"{what} {name} of {table} was added ({definition})");
        }
    }

    private static string ColumnDefinition(NpgsqlDataReader reader)
    {
        var text = new StringBuilder(reader.GetString(2));
        if (reader.GetBoolean(3))
        {
            text.Append(" NOT NULL");
        }

        var expression = reader.IsDBNull(4) ? null : reader.GetString(4);
        switch (reader.GetString(6))
        {
            case "s":
                text.Append(" GENERATED ALWAYS AS (").Append(expression).Append(") STORED");
                break;
            default:
                if (expression is not null)
                {
                    text.Append(" DEFAULT ").Append(expression);
                }

                break;
        }

        text.Append(reader.GetString(5) switch
        {
            "a" => " GENERATED ALWAYS AS IDENTITY",
            "d" => " GENERATED BY DEFAULT AS IDENTITY",
            _ => string.Empty,
        });
        return text.ToString();
    }

    // One line per fact; names and definitions are JSON-escaped so no text can pass for another line.
    private static string CanonicalText(IReadOnlyList<TableFingerprint> tables)
    {
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append("table ").Append(Escape(table.Table.Schema)).Append(' ').Append(Escape(table.Table.Name)).Append(table.Exists ? " exists" : " absent").Append('\n');
            foreach (var column in table.Columns)
            {
                text.Append("column ").Append(Escape(column.Name)).Append(' ').Append(Escape(column.Definition)).Append('\n');
            }

            foreach (var constraint in table.Constraints)
            {
                text.Append("constraint ").Append(Escape(constraint.Name)).Append(' ').Append(Escape(constraint.Definition)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Escape(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
