using System.Diagnostics;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.DataApi;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Sync;

namespace DbAdapter.Core.Operations;

/// <summary>
/// Sync-DbProfile's work: resolve both profiles from one db.toml and refuse one database as both
/// (SameProfile) before connecting; the user (given, or user_id_env); the tables and the backup
/// schema (or the default keys); then sync in one destination transaction (<see cref="ProfileSync"/>).
/// </summary>
public static class SyncOperation
{
    /// <summary>Progress activity id of a sync.</summary>
    public const int ProgressActivityId = ProfileSync.ProgressActivityId;

    /// <summary>Runs a sync (with WhatIf: reads, matches and counts, writes nothing).</summary>
    /// <exception cref="DbAdapterException">
    /// ProfileNotFound/Config*, SameProfile, UserIdRequired, BackupSchemaRequired/Invalid (all before
    /// anything is read), ConnectionFailed naming the unreachable side, LockTimeout, SyncFailed (a
    /// row, a column the destination lacks, or the commit); nothing is committed after any of them.
    /// </exception>
    public static async Task<SyncResult> RunAsync(SyncRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(reporter);
        var clock = Stopwatch.StartNew();
        var config = await ProfileResolution.LoadConfigIfPresentAsync(request.Source.ConfigPath, reporter, ct).ConfigureAwait(false);
        var source = Resolve(request.Source, config, environment, reporter);
        var destination = Resolve(request.Destination, config, environment, reporter);

        // Rows are written only inside one database transaction: a Data API destination stops here.
        _ = destination.Target;
        RefuseSameDatabase(source, destination);

        var userId = BackupUser.FromParameterOrEnvironment(request.UserId, config, environment) ?? throw BackupUser.Required(config);
        var tables = await SyncTables.ResolveAsync(request.Tables, request.BackupSchemaPath, config, reporter, ct).ConfigureAwait(false);
        var mode = request.Mode == SyncMode.Overwrite ? RestoreMode.Overwrite : RestoreMode.Skip;
        var options = new RowRestoreOptions(mode, SkipFailedRows: false, request.WhatIf, userId, new SyncRowErrors(source.DisplayName, destination.DisplayName));
        if (!source.HasDatabase)
        {
            // Only the Data API on the source side: its rows are read through PostgREST.
            using var api = new DataApiClient(source.DataApi!);
            var destinationOnly = new DbClient(destination.Target);
            await using (destinationOnly.ConfigureAwait(false))
            {
                var read = await ProfileSync.RunAsync(api, source, destinationOnly, destination, tables, options, request.AllowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
                return new SyncResult(source.Name ?? source.DisplayName, destination.Name ?? destination.DisplayName, userId, request.Mode, !request.WhatIf, read, clock.Elapsed);
            }
        }

        var sourceClient = new DbClient(source.Target);
        await using (sourceClient.ConfigureAwait(false))
        {
            var destinationClient = new DbClient(destination.Target);
            await using (destinationClient.ConfigureAwait(false))
            {
                var synced = await ProfileSync.RunAsync(sourceClient, source, destinationClient, destination, tables, options, request.AllowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
                return new SyncResult(source.Name ?? source.DisplayName, destination.Name ?? destination.DisplayName, userId, request.Mode, !request.WhatIf, synced, clock.Elapsed);
            }
        }
    }

    /// <summary>A side's profile; ProfileNotFound advises what a sync is given (a source, a destination), not -Profile.</summary>
    private static ResolvedProfile Resolve(ProfileRequest request, DbConfig? config, IEnvironment environment, IOperationReporter reporter)
    {
        try
        {
            return ProfileResolution.Resolve(request, config, environment, reporter);
        }
        catch (DbAdapterException ex) when (ex.ErrorId == ErrorIds.ProfileNotFound)
        {
            throw new DbAdapterException(ex.ErrorId, ex.Kind, ex.Message, ex.Target, ex, ErrorHint.NameSyncProfiles);
        }
    }

    private static void RefuseSameDatabase(ResolvedProfile source, ResolvedProfile destination)
    {
        var same = source.HasDatabase
            ? source.Target.IsSameDatabase(destination.Target)
            : source.DataApi!.IsProjectOf(destination.Target);
        if (!same)
        {
            return;
        }

        var where = $"{destination.Target.Host}:{destination.Target.Port}/{destination.Target.Database}";
        var message = string.Equals(source.DisplayName, destination.DisplayName, StringComparison.Ordinal)
            ? $"The source and the destination are both profile '{source.DisplayName}' ({where}): a sync copies rows from one database into another. Nothing was read or written."
            : $"Profiles '{source.DisplayName}' and '{destination.DisplayName}' both point at {where}: a sync copies rows from one database into another. Nothing was read or written.";
        throw new DbAdapterException(ErrorIds.SameProfile, DbErrorKind.InvalidArgument, message, destination.DisplayName, hint: ErrorHint.NameTwoProfiles);
    }
}
