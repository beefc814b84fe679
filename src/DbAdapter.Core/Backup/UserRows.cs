using System.Globalization;
using System.Text;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// The one way a user's rows are read from a database, shared by Backup-Database and the source of
/// Sync-DbProfile. <see cref="OpenSnapshotAsync"/> makes the caller's transaction one REPEATABLE READ,
/// READ ONLY snapshot and binds the backup schema to its catalog; the caller chooses its tables;
/// <see cref="PrepareReadAsync"/> is the point just before those tables are read as this role: it
/// builds each table's filter and counts its rows in the same snapshot, so counts and rows agree and
/// children never point at parents that were left out. Whatever must hold before a role reads a
/// user's rows belongs there, once, for every command that reads them.
/// </summary>
internal static class UserRows
{
    /// <summary>
    /// Starts the snapshot (the first statement of the transaction after its SET LOCAL timeouts) and
    /// binds <paramref name="schema"/> to the catalog (BackupSchemaInvalid before any row is read,
    /// also for a table in a Supabase platform schema the profile does not name).
    /// </summary>
    public static async Task<BackupTableSet> OpenSnapshotAsync(NpgsqlConnection connection, BackupSchema schema, ConnectionTarget target, CancellationToken ct)
    {
        // One snapshot for the counts, the rows and the parent filters: nothing moves under the reader.
        var snapshot = new NpgsqlCommand("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", connection);
        await using (snapshot.ConfigureAwait(false))
        {
            await snapshot.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        return await BackupSchemaBinder.BindAsync(connection, schema, target, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The user's rows of each of <paramref name="tables"/> (parents first) as sources to read, each
    /// counted; a warning counts the user's rows a parent filter leaves out. First of all,
    /// RowLevelSecurityActive when policies would hide rows of them from the role (unless
    /// <paramref name="allowRowLevelSecurity"/>), before a row is read or anything written.
    /// </summary>
    public static async Task<IReadOnlyList<BackupTableSource>> PrepareReadAsync(
        NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, string userId, string database, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct)
    {
        await RowLevelSecurityGuard.CheckReadAsync(connection, tables, database, allowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
        return await CountAsync(connection, tables, tables.Select(t => Source(t, userId)).ToList(), reporter, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The user's rows of <paramref name="table"/>: by its own owner column, and, under a parent, only
    /// rows whose parent is NULL or is itself the user's (a row hanging under another user's parent
    /// could not be attached anywhere). One parameter per level: owner columns of different types each get theirs.
    /// </summary>
    private static BackupTableSource Source(BackupTable table, string userId)
    {
        var parameters = new List<object?>();
        var where = new StringBuilder();
        AppendFilter(where, parameters, table, table.Name.Quoted, userId, depth: 0);
        return new BackupTableSource(table.Key, table.Name, where.ToString(), parameters, table.Pk.Name) { Columns = table.Columns };
    }

    private static void AppendFilter(StringBuilder where, List<object?> parameters, BackupTable table, string qualifier, string userId, int depth)
    {
        parameters.Add(ParameterBinder.ForColumn(userId, table.User));
        where.Append(qualifier).Append('.').Append(SqlIdentifier.Quote(table.User.Name))
            .Append(" = $").Append(parameters.Count.ToString(CultureInfo.InvariantCulture));
        if (table.Parent is not { } parent)
        {
            return;
        }

        var field = $"{qualifier}.{SqlIdentifier.Quote(parent.Field.Name)}";
        var alias = SqlIdentifier.Quote(string.Create(CultureInfo.InvariantCulture, $"p{depth + 1}"));
        where.Append(" AND (").Append(field).Append(" IS NULL OR ").Append(field)
            .Append(" IN (SELECT ").Append(alias).Append('.').Append(SqlIdentifier.Quote(parent.Table.Pk.Name))
            .Append(" FROM ").Append(parent.Table.Name.Quoted).Append(' ').Append(alias).Append(" WHERE ");
        AppendFilter(where, parameters, parent.Table, alias, userId, depth + 1);
        where.Append("))");
    }

    /// <summary>
    /// Counts each table's rows its filter takes and, in the same scan, the user's rows it leaves out,
    /// which a warning reports so none vanish unnoticed. One round trip for all tables: a statement
    /// per table (each with its own parameters), sent as one batch.
    /// </summary>
    private static async Task<IReadOnlyList<BackupTableSource>> CountAsync(
        NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, IReadOnlyList<BackupTableSource> sources, IOperationReporter reporter, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return [];
        }

        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            for (var i = 0; i < tables.Count; i++)
            {
                // $1 is the table's own owner parameter (the filter starts with it).
                var owner = $"{tables[i].Name.Quoted}.{SqlIdentifier.Quote(tables[i].User.Name)}";
                var command = new NpgsqlBatchCommand($"SELECT count(*) FILTER (WHERE {sources[i].Where}), count(*) FROM {tables[i].Name.Quoted} WHERE {owner} = $1");
                ParameterBinder.AddPositional(command.Parameters, sources[i].Parameters);

                batch.BatchCommands.Add(command);
            }

            var counted = new List<BackupTableSource>(tables.Count);
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (var i = 0; i < tables.Count; i++)
                {
                    if (i > 0)
                    {
                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                    }

                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    var (taken, owned) = (reader.GetInt64(0), reader.GetInt64(1));
                    if (owned > taken && tables[i].Parent is { } parent)
                    {
                        reporter.Warning(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{owned - taken} row(s) of {tables[i].Key} owned by the user hang under a {parent.Table.Key} row that is not the user's (another user's, or missing): they are left out, since their parent is not taken."));
                    }

                    counted.Add(sources[i] with { Count = taken });
                }
            }

            return counted;
        }
    }
}
