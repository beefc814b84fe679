using System.Globalization;
using System.Text;
using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Repair;

/// <summary>
/// ALTER TABLE ... VALIDATE CONSTRAINT run so that a failure says which row breaks the constraint: the
/// server only says that "some row" does. The validation runs under a savepoint; when it fails, the
/// savepoint is rolled back (the constraint, added NOT VALID, is still there) and one query finds a row
/// that breaks it, by the table's primary key (or its physical position when it has none). The caller
/// then fails the fix, which rolls back everything.
/// </summary>
internal static class ConstraintValidation
{
    private const string Savepoint = "dbadapter_validate";

    private const string ConstraintSql = """
        SELECT con.contype, pg_catalog.pg_get_constraintdef(con.oid),
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
               fn.nspname, fc.relname,
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
               con.confmatchtype,
               ARRAY(SELECT a.attname::text FROM pg_catalog.pg_index i
                       CROSS JOIN LATERAL unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                      WHERE i.indrelid = con.conrelid AND i.indisprimary ORDER BY k.o)
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND con.conname = $3
        """;

    /// <summary>
    /// The table and constraint of an "ALTER TABLE t VALIDATE CONSTRAINT c" statement, or null for any
    /// other statement.
    /// </summary>
    public static (TableName Table, string Constraint)? Parse(string statement)
    {
        var tokens = SqlTokenizer.Tokenize(statement);
        var c = new TokenCursor(tokens);
        if (!c.AcceptWords("alter", "table"))
        {
            return null;
        }

        c.AcceptWords("if", "exists");
        c.AcceptWord("only");
        if (c.Peek() is not { IsName: true })
        {
            return null;
        }

        var (schema, name) = c.ReadQualifiedName(string.Empty);
        if (!c.AcceptWords("validate", "constraint") || c.Peek() is not { IsName: true })
        {
            return null;
        }

        var constraint = c.ReadName("a constraint name");
        return c.AtEnd && schema.Length > 0 ? (new TableName(schema, name), constraint) : null;
    }

    /// <summary>
    /// Runs <paramref name="statement"/> (a VALIDATE CONSTRAINT of <paramref name="target"/>) on
    /// <paramref name="connection"/> inside the fix's transaction. Returns null when every row keeps the
    /// constraint; otherwise what breaks it ("the row with id = 17"), the transaction left usable
    /// (rolled back to before the validation) for the caller to fail the fix.
    /// </summary>
    public static async Task<string?> RunAsync(NpgsqlConnection connection, string statement, (TableName Table, string Constraint) target, CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(connection, ct, $"SAVEPOINT {Savepoint}", statement, $"RELEASE SAVEPOINT {Savepoint}").ConfigureAwait(false);
            return null;
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation)
        {
            await ExecuteAsync(connection, ct, $"ROLLBACK TO SAVEPOINT {Savepoint}", $"RELEASE SAVEPOINT {Savepoint}").ConfigureAwait(false);
            return await FindRowAsync(connection, target.Table, target.Constraint, ct).ConfigureAwait(false) ?? "a row (none could be named)";
        }
    }

    /// <summary>A row of <paramref name="table"/> that breaks <paramref name="constraint"/>, named by its key, or null.</summary>
    private static async Task<string?> FindRowAsync(NpgsqlConnection connection, TableName table, string constraint, CancellationToken ct)
    {
        string? query = null;
        string[] key;
        string[] columns;
        var command = new NpgsqlCommand(ConstraintSql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table.Schema, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = table.Name, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = constraint, NpgsqlDbType = NpgsqlDbType.Text });
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                key = reader.GetFieldValue<string[]>(7);
                columns = reader.GetFieldValue<string[]>(2);
                var selected = key.Length > 0 ? key.Select(SqlIdentifier.Quote) : ["t.ctid"];
                var select = string.Join(", ", selected.Select(k => k.StartsWith("t.", StringComparison.Ordinal) ? k + "::text" : $"t.{k}::text"));
                switch (reader.GetChar(0))
                {
                    case 'c':
                        // The server's own text of its own expression, run under the path it printed it under.
                        var definition = reader.GetString(1);
                        var start = definition.IndexOf('(', StringComparison.Ordinal);
                        var end = definition.LastIndexOf(')');
                        if (start >= 0 && end > start)
                        {
                            query = $"SELECT {select} FROM {table.Quoted} AS t WHERE NOT ({definition[(start + 1)..end]}) LIMIT 1";
                        }

                        break;
                    case 'f':
                        var referenced = new TableName(reader.GetString(3), reader.GetString(4));
                        var referencedColumns = reader.GetFieldValue<string[]>(5);
                        var present = string.Join(" AND ", columns.Select(c => $"t.{SqlIdentifier.Quote(c)} IS NOT NULL"));
                        var joined = string.Join(" AND ", columns.Select((c, i) => $"r.{SqlIdentifier.Quote(referencedColumns[i])} = t.{SqlIdentifier.Quote(c)}"));
                        var values = string.Join(", ", columns.Select(c => $"t.{SqlIdentifier.Quote(c)}::text"));
                        query = $"SELECT {select}, {values} FROM {table.Quoted} AS t WHERE {present} AND NOT EXISTS (SELECT 1 FROM {referenced.Quoted} AS r WHERE {joined}) LIMIT 1";
                        columns = [.. columns, $"not in {referenced}"];
                        break;
                }
            }
        }

        if (query is null)
        {
            return null;
        }

        var find = new NpgsqlCommand(query, connection);
        await using (find.ConfigureAwait(false))
        {
            var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                var names = key.Length > 0 ? key : ["ctid"];
                var text = new StringBuilder("the row with ").Append(Pairs(names, reader, 0));
                if (reader.FieldCount > names.Length)
                {
                    // A foreign key: the values it points with, which the referenced table lacks.
                    var own = columns[..^1];
                    text.Append(CultureInfo.InvariantCulture, $" has {Pairs(own, reader, names.Length)}, {columns[^1]}");
                }

                return text.ToString();
            }
        }

        static string Pairs(string[] names, NpgsqlDataReader reader, int first) =>
            string.Join(", ", names.Select((n, i) => $"{n} = {(reader.IsDBNull(first + i) ? "NULL" : reader.GetString(first + i))}"));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, CancellationToken ct, params string[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
