using System.Diagnostics;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Operations;

/// <summary>
/// Restore-Database's work: resolve the destination profile, the backup schema and the user (given,
/// user_id_env, else the file's); open the file (BackupFileNotFound before connecting); restore it
/// in one transaction (<see cref="BackupRestore"/>).
/// </summary>
public static class RestoreOperation
{
    /// <summary>Progress activity id of a restore.</summary>
    public const int ProgressActivityId = BackupRestore.ProgressActivityId;

    /// <summary>Runs a restore (with WhatIf: matches and counts, writes nothing).</summary>
    /// <exception cref="DbAdapterException">
    /// BackupFileNotFound, BackupFileInvalid, BackupSchemaRequired/Invalid, UserIdRequired (all before
    /// anything is written), RestoreConflict (mode Fail), RestoreFailed (a row, or the commit), ConnectionFailed.
    /// </exception>
    public static async Task<RestoreResult> RunAsync(RestoreRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(reporter);
        var clock = Stopwatch.StartNew();
        var resolved = await ProfileResolution.ResolveAsync(request.Profile, environment, reporter, ct).ConfigureAwait(false);

        // A restore writes in one database transaction: a Data-API-only profile is refused before the file is read.
        _ = resolved.Target;
        var schema = await BackupSchemaSource.LoadAsync(request.BackupSchemaPath, resolved.Config, reporter, ct).ConfigureAwait(false);

        var userId = BackupUser.FromParameterOrEnvironment(request.UserId, resolved.Config, environment);
        var reader = await BackupFileReader.OpenAsync(request.Path, ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var client = new DbClient(resolved.Target);
            await using (client.ConfigureAwait(false))
            {
                var options = new RowRestoreOptions(request.Mode, request.SkipFailedRows, request.WhatIf, userId ?? string.Empty, RestoreRowErrors.Instance);
                var (tables, owner) = await BackupRestore.RunAsync(client, resolved, schema, reader, userId, options, reporter, ct).ConfigureAwait(false);
                return new RestoreResult(reader.Path, resolved.Name ?? string.Empty, request.Mode, !request.WhatIf, owner, tables, clock.Elapsed);
            }
        }
    }
}
