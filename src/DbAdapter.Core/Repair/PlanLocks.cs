using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Takes every table lock a plan needs at the start of its transaction, each table once, in its
/// strongest mode, in one order for everyone (schema, then name, byte order). Two fixes therefore
/// queue for their first common table and never hold one table each while waiting for the other's:
/// they cannot deadlock, and a lock that cannot be had stops the fix before any DDL ran.
/// </summary>
/// <remarks>
/// The tables come from the statements themselves, so any kind of step is covered without knowing
/// it: ALTER TABLE and DROP TABLE take ACCESS EXCLUSIVE, CREATE INDEX ... ON takes SHARE, CREATE
/// TRIGGER ... ON and a table named after REFERENCES take SHARE ROW EXCLUSIVE. Names are resolved by the server (to_regclass,
/// with the transaction's search_path, as the statements will be); tables that do not exist yet,
/// like the one a CREATE TABLE makes, need no lock.
/// </remarks>
internal static class PlanLocks
{
    private const string ResolveSql = """
        SELECT t.ord::int, n.nspname, c.relname
        FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
        JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.name)
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
        ORDER BY t.ord
        """;

    /// <summary>The table names the statements of <paramref name="plan"/> lock (as SQL text), each with the mode it needs.</summary>
    public static IReadOnlyList<(string Name, TableLockMode Mode)> Requests(FixPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var requests = new List<(string, TableLockMode)>();
        foreach (var statement in plan.Steps.SelectMany(s => s.Statements))
        {
            var tokens = SqlTokenizer.Tokenize(statement);
            var cursor = new TokenCursor(tokens);
            if (cursor.AcceptWords("alter", "table"))
            {
                cursor.AcceptWords("if", "exists");
                cursor.AcceptWord("only");
                Add(requests, cursor, TableLockMode.AccessExclusive);
            }
            else if (cursor.AcceptWords("drop", "table"))
            {
                cursor.AcceptWords("if", "exists");
                do
                {
                    Add(requests, cursor, TableLockMode.AccessExclusive);
                }
                while (cursor.AcceptSymbol(","));
            }
            else if (cursor.AcceptWord("create"))
            {
                // CREATE [UNIQUE] INDEX ... ON t locks t against writes (SHARE); CREATE [OR REPLACE]
                // [CONSTRAINT] TRIGGER ... ON t takes SHARE ROW EXCLUSIVE.
                cursor.AcceptWords("or", "replace");
                var mode = cursor.AcceptWords("unique", "index") || cursor.AcceptWord("index") ? TableLockMode.Share
                    : cursor.AcceptWord("trigger") || cursor.AcceptWords("constraint", "trigger") ? TableLockMode.ShareRowExclusive
                    : (TableLockMode?)null;
                if (mode is { } lockMode)
                {
                    while (!cursor.AtEnd && !cursor.IsWord("on"))
                    {
                        cursor.Position++;
                    }

                    if (cursor.AcceptWord("on"))
                    {
                        cursor.AcceptWord("only");
                        Add(requests, cursor, lockMode);
                    }
                }
            }

            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                if (tokens[i].IsWord("references") && tokens[i + 1].IsName)
                {
                    Add(requests, new TokenCursor(tokens) { Position = i + 1 }, TableLockMode.ShareRowExclusive);
                }
            }
        }

        return requests;
    }

    /// <summary>
    /// Locks the tables of <paramref name="plan"/> inside the client's open transaction. A lock that is
    /// not granted within the lock timeout throws <see cref="TableLockTimeoutException"/> naming it.
    /// </summary>
    /// <returns>The tables locked, in the order they were locked.</returns>
    public static Task<IReadOnlyList<(TableName Table, TableLockMode Mode)>> LockAsync(DbClient client, FixPlan plan, CancellationToken ct)
    {
        var requests = Requests(plan);
        return client.UseConnectionAsync(
            async (connection, token) =>
            {
                var locks = await ResolveAsync(connection, requests, token).ConfigureAwait(false);
                if (locks.Count == 0)
                {
                    return locks;
                }

                // One command per table (a round trip each, for the few tables of a plan): the one
                // that times out names the table another session holds.
                foreach (var (table, mode) in locks)
                {
                    var command = new NpgsqlCommand($"LOCK TABLE {table.Quoted} IN {LockConflicts.SqlName(mode)} MODE", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        try
                        {
                            await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                        }
                        catch (PostgresException ex) when (LockConflicts.IsLockTimeout(ex))
                        {
                            throw new TableLockTimeoutException(table, mode, ex);
                        }
                    }
                }

                return locks;
            },
            ct);
    }

    private static async Task<IReadOnlyList<(TableName Table, TableLockMode Mode)>> ResolveAsync(
        NpgsqlConnection connection, IReadOnlyList<(string Name, TableLockMode Mode)> requests, CancellationToken ct)
    {
        var strongest = new Dictionary<TableName, TableLockMode>();
        if (requests.Count > 0)
        {
            var command = new NpgsqlCommand(ResolveSql, connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = requests.Select(r => r.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        var table = new TableName(reader.GetString(1), reader.GetString(2));
                        var mode = requests[reader.GetInt32(0) - 1].Mode;
                        strongest[table] = strongest.TryGetValue(table, out var had) && had > mode ? had : mode;
                    }
                }
            }
        }

        return strongest
            .OrderBy(p => p.Key.Schema, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Name, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value))
            .ToList();
    }

    private static void Add(List<(string, TableLockMode)> requests, TokenCursor cursor, TableLockMode mode)
    {
        if (cursor.Peek() is not { IsName: true })
        {
            return;
        }

        var (schema, name) = cursor.ReadQualifiedName(string.Empty);
        var text = schema.Length == 0 ? SqlIdentifier.Quote(name) : $"{SqlIdentifier.Quote(schema)}.{SqlIdentifier.Quote(name)}";
        requests.Add((text, mode));
    }
}
