using System.Globalization;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.DataApi;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Sync;

/// <summary>
/// One user's rows from a source database into a destination, through the row engine a restore
/// uses (<see cref="RowStage"/>, <see cref="RowRestorer"/>): matched by natural key, parents and
/// optional references remapped, new keys drawn from the destination's own defaults. The source is
/// only read, in one REPEATABLE READ, READ ONLY snapshot (<see cref="UserRows"/>); its rows stream
/// straight into the destination's stage (<see cref="DatabaseRowSource"/>). The destination is
/// written in ONE transaction: any failure, and cancellation, rolls every table back. With WhatIf
/// the same reading and matching run and the transaction is rolled back without a row written.
/// </summary>
internal static class ProfileSync
{
    /// <summary>Progress activity id of a sync.</summary>
    public const int ProgressActivityId = 4;

    /// <summary>Syncs the user of <paramref name="options"/> from <paramref name="source"/> into <paramref name="destination"/>.</summary>
    /// <param name="sourceClient">The source (no scope open).</param>
    /// <param name="source">The source profile.</param>
    /// <param name="destinationClient">The destination (no scope open).</param>
    /// <param name="destination">The destination profile.</param>
    /// <param name="tables">Which tables, and the backup schema (or the default keys).</param>
    /// <param name="options">Mode, WhatIf, the user, and the sync's words for a failed row.</param>
    /// <param name="allowRowLevelSecurity">Read what row-level security shows the source's role instead of refusing.</param>
    /// <param name="reporter">Warnings, verbose lines, progress (closed with a Completed record).</param>
    /// <param name="ct">Cancels the sync; nothing is committed.</param>
    public static Task<IReadOnlyList<TableSyncResult>> RunAsync(
        DbClient sourceClient, ResolvedProfile source, DbClient destinationClient, ResolvedProfile destination, SyncTables tables, RowRestoreOptions options, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct) =>
        SyncAsync(sourceClient, source, destinationClient, destination, options, reporter, async progress =>
        {
            // The source first: an unreachable source stops the sync before the destination is touched.
            var sourceScope = await sourceClient.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (sourceScope.ConfigureAwait(false))
            {
                var destinationScope = await destinationClient.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (destinationScope.ConfigureAwait(false))
                {
                    var (staged, counts) = await destinationClient.UseConnectionAsync(
                        (target, t1) => sourceClient.UseConnectionAsync(
                            (from, t2) => StageAsync(target, destination, tables, options.UserId, reporter, progress, (chosen, copied, t3) => DatabaseSourceAsync(from, source, destination, chosen, tables, options.UserId, allowRowLevelSecurity, reporter, copied, t3), t2),
                            t1),
                        ct).ConfigureAwait(false);

                    // A read-only snapshot has nothing to commit; ending it now frees the source.
                    await sourceScope.RollbackAsync(ct).ConfigureAwait(false);
                    return await WriteAsync(staged, counts, source, destinationClient, destinationScope, destination, options, reporter, progress, ct).ConfigureAwait(false);
                }
            }
        }, ct);

    /// <summary>
    /// Syncs from a profile that has only the Data API: its rows are read through PostgREST
    /// (<see cref="DataApiRowSource"/>) straight into the destination's stage; everything else is as
    /// from a database, the destination written in its one transaction. The Data API has no snapshot:
    /// the tables are read one after the other, parents first.
    /// </summary>
    public static Task<IReadOnlyList<TableSyncResult>> RunAsync(
        DataApiClient api, ResolvedProfile source, DbClient destinationClient, ResolvedProfile destination, SyncTables tables, RowRestoreOptions options, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct) =>
        SyncAsync(null, source, destinationClient, destination, options, reporter, async progress =>
        {
            var destinationScope = await destinationClient.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (destinationScope.ConfigureAwait(false))
            {
                var (staged, counts) = await destinationClient.UseConnectionAsync(
                    (target, t1) => StageAsync(target, destination, tables, options.UserId, reporter, progress, (chosen, copied, t2) => DataApiSourceAsync(api, source, destination, chosen, tables, options.UserId, allowRowLevelSecurity, reporter, copied, t2), t1),
                    ct).ConfigureAwait(false);
                return await WriteAsync(staged, counts, source, destinationClient, destinationScope, destination, options, reporter, progress, ct).ConfigureAwait(false);
            }
        }, ct);

    /// <summary>
    /// The frame of a sync: its progress activity (closed with a Completed record, also on failure),
    /// and its failures translated, each against its own side (the source's only for a database source).
    /// </summary>
    private static async Task<IReadOnlyList<TableSyncResult>> SyncAsync(
        DbClient? sourceClient, ResolvedProfile source, DbClient destinationClient, ResolvedProfile destination, RowRestoreOptions options, IOperationReporter reporter, Func<Action<string, int>, Task<IReadOnlyList<TableSyncResult>>> work, CancellationToken ct)
    {
        var activity = $"Syncing user {options.UserId} from '{source.DisplayName}' into '{destination.DisplayName}'{(options.WhatIf ? " (nothing is written)" : string.Empty)}";
        void Progress(string status, int percent) => reporter.Progress(new OperationProgress(ProgressActivityId, activity, status, percent));
        Progress("Connecting", 0);
        try
        {
            return await work(Progress).ConfigureAwait(false);
        }
        catch (SourceReadException ex) when (sourceClient is not null && !ct.IsCancellationRequested)
        {
            var inner = ex.InnerException!;
            throw LockConflicts.IsLockTimeout(inner)
                ? await sourceClient.LockTimeoutAsync(inner, TableLockMode.AccessShare, ct).ConfigureAwait(false)
                : ConnectionErrors.Translate(inner, source.Target, "reading the rows to sync (nothing was committed)");
        }
        catch (Exception ex) when (RowTransaction.IsFailure(ex) && !ct.IsCancellationRequested)
        {
            throw await RowTransaction.TranslateAsync(ex, destinationClient, options.Errors, destination.DisplayName, ct).ConfigureAwait(false);
        }
        finally
        {
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
        }
    }

    /// <summary>Matches, remaps and writes the staged rows in the destination's transaction, and commits unless WhatIf.</summary>
    private static async Task<IReadOnlyList<TableSyncResult>> WriteAsync(
        IReadOnlyList<StagedTable> staged, IReadOnlyDictionary<string, long> counts, ResolvedProfile source, DbClient destinationClient, DbTransactionScope destinationScope, ResolvedProfile destination, RowRestoreOptions options, IOperationReporter reporter, Action<string, int> progress, CancellationToken ct)
    {
        var written = await RowTransaction.WriteAsync(destinationClient, destinationScope, staged, options, destination.DisplayName, progress, ct).ConfigureAwait(false);
        var results = written.Select((t, i) => new TableSyncResult(
            t.Table, staged[i].Rows, counts[t.Table], t.Inserted, t.Updated + t.Skipped, t.Inserted, t.Updated, t.Skipped, t.Failed)).ToList();
        reporter.Verbose(string.Create(
            CultureInfo.InvariantCulture,
            $"{(options.WhatIf ? "Nothing written; a real run would write" : "Committed")} {results.Sum(t => t.Inserted + t.Updated):N0} row(s) of user {options.UserId} from '{source.DisplayName}' into '{destination.DisplayName}' ({results.Sum(t => t.Skipped):N0} skipped)."));
        return results;
    }

    /// <summary>
    /// Reads the destination's catalog, refuses what cannot be synced, lets <paramref name="source"/>
    /// bind and check its side, counts the user's rows in the destination and copies the source's
    /// rows into the destination's stage.
    /// </summary>
    private static async Task<(IReadOnlyList<StagedTable> Staged, IReadOnlyDictionary<string, long> DestinationRows)> StageAsync(
        NpgsqlConnection target, ResolvedProfile destination, SyncTables tables, string userId, IOperationReporter reporter, Action<string, int> progress,
        Func<IReadOnlyList<BackupTable>, Action<string, long, long, long>, CancellationToken, Task<IRowSource>> source, CancellationToken ct)
    {
        progress("Reading the catalogs", 0);

        // The destination's catalog decides what can be written, the source's what can be read.
        var set = await BackupSchemaBinder.BindAsync(target, tables.Schema, destination.Target, ct).ConfigureAwait(false);
        var chosen = tables.Choose(set, reporter);
        await RowLevelSecurityGuard.WarnWriteAsync(target, chosen, destination.DisplayName, reporter, ct).ConfigureAwait(false);
        await SyncReferences.CheckAsync(target, chosen, tables, destination.DisplayName, ct).ConfigureAwait(false);
        var rows = await source(
            chosen,
            (key, tableRows, done, total) => progress(
                string.Create(CultureInfo.InvariantCulture, $"Copying {key}: {tableRows:N0} rows ({done:N0}{(total > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0}") : string.Empty)})"),
                total == 0 ? 50 : (int)(done * 50 / total)),
            ct).ConfigureAwait(false);
        var counts = await CountOwnedAsync(target, chosen, userId, ct).ConfigureAwait(false);

        var stage = new RowStage(target, set, destination.DisplayName);
        await using (stage.ConfigureAwait(false))
        {
            await rows.CopyToAsync(stage, ct).ConfigureAwait(false);
            return (stage.Staged, counts);
        }
    }

    /// <summary>The source database's side: its snapshot, its catalog and foreign keys checked, its rows counted and read.</summary>
    private static async Task<IRowSource> DatabaseSourceAsync(
        NpgsqlConnection from, ResolvedProfile source, ResolvedProfile destination, IReadOnlyList<BackupTable> chosen, SyncTables tables, string userId, bool allowRowLevelSecurity, IOperationReporter reporter, Action<string, long, long, long> copied, CancellationToken ct)
    {
        var sourceSet = await SourceReadException.GuardAsync(t => UserRows.OpenSnapshotAsync(from, tables.Schema, source.Target, t), ct).ConfigureAwait(false);
        var read = chosen.Select(t => sourceSet.Find(t.Key)!).ToList();
        await SourceReadException.GuardAsync(t => SyncReferences.CheckAsync(from, read, tables, source.DisplayName, t), ct).ConfigureAwait(false);
        RefuseMissingColumns(read, chosen, source, destination);
        var rows = await SourceReadException.GuardAsync(t => UserRows.PrepareReadAsync(from, read, userId, source.DisplayName, allowRowLevelSecurity, reporter, t), ct).ConfigureAwait(false);
        return new DatabaseRowSource(from, read.Zip(rows).ToList(), copied);
    }

    /// <summary>The Data API's side: the backup schema bound to its description, the columns checked; rows are read as they are copied.</summary>
    private static async Task<IRowSource> DataApiSourceAsync(
        DataApiClient api, ResolvedProfile source, ResolvedProfile destination, IReadOnlyList<BackupTable> chosen, SyncTables tables, string userId, bool allowRowLevelSecurity, IOperationReporter reporter, Action<string, long, long, long> copied, CancellationToken ct)
    {
        var sourceSet = await DataApiRows.BindAsync(api, tables.Schema, allowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
        var read = chosen.Select(t => sourceSet.Find(t.Key)!).ToList();
        RefuseMissingColumns(read, chosen, source, destination);
        return new DataApiRowSource(new DataApiRows(api, reporter, read), read, userId, copied);
    }

    /// <summary>SyncFailed when a column of the source would be lost: the destination's table lacks it.</summary>
    private static void RefuseMissingColumns(IReadOnlyList<BackupTable> read, IReadOnlyList<BackupTable> written, ResolvedProfile source, ResolvedProfile destination)
    {
        for (var i = 0; i < read.Count; i++)
        {
            var missing = read[i].Columns.Columns.Where(c => !c.IsGenerated && !written[i].Columns.Contains(c.Name)).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                throw new DbAdapterException(
                    ErrorIds.SyncFailed,
                    DbErrorKind.InvalidData,
                    $"{read[i].Name} of '{source.DisplayName}' has column(s) {string.Join(", ", missing)}, which {written[i].Name} of '{destination.DisplayName}' lacks: nothing was copied, so no value is lost. Add the column(s) to the destination's table first.",
                    read[i].Key);
            }
        }
    }

    /// <summary>
    /// The user's rows of each table in the destination, before anything is written, in one statement
    /// (as <see cref="RowCounter"/> counts whole tables): one parameter per table, each owner column
    /// binding the user by its own type.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, long>> CountOwnedAsync(NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, string userId, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (tables.Count == 0)
        {
            return counts;
        }

        var sql = string.Join(" UNION ALL ", tables.Select((t, i) => string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT {i} AS i, count(*) AS n FROM {t.Name.Quoted} WHERE {SqlIdentifier.Quote(t.User.Name)} = ${i + 1}")));
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            foreach (var table in tables)
            {
                command.Parameters.Add(ParameterBinder.ForColumn(userId, table.User));
            }

            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    counts[tables[reader.GetInt32(0)].Key] = reader.GetInt64(1);
                }
            }
        }

        return counts;
    }
}
