using System.Diagnostics;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Operations;

/// <summary>
/// Backup-Database's work: resolve the profile, the user (given, or user_id_env), the backup schema
/// and the file; refuse an existing file before connecting; then write the user's backup.
/// </summary>
public static class BackupOperation
{
    /// <summary>Progress activity id of a backup.</summary>
    public const int ProgressActivityId = UserBackup.ProgressActivityId;

    /// <summary>Runs a backup.</summary>
    /// <exception cref="DbAdapterException">
    /// ProfileNotFound/Config*, UserIdRequired, BackupSchemaRequired/BackupSchemaInvalid and
    /// BackupFileExists (all before a row is read), ConnectionFailed/QueryFailed, WriteError failures of
    /// the file. A failed or cancelled backup leaves neither the file nor a temporary file.
    /// </exception>
    public static async Task<BackupResult> RunAsync(BackupRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(reporter);
        var clock = Stopwatch.StartNew();
        var resolved = await ProfileResolution.ResolveAsync(request.Profile, environment, reporter, ct).ConfigureAwait(false);
        var userId = BackupUser.FromParameterOrEnvironment(request.UserId, resolved.Config, environment) ?? throw BackupUser.Required(resolved.Config);
        var schema = await BackupSchemaSource.LoadAsync(request.BackupSchemaPath, resolved.Config, reporter, ct).ConfigureAwait(false);

        var path = BackupPaths.PathFor(request.Path, request.Location, BackupPaths.UserBackupFileName(resolved.Name ?? "direct", DateTimeOffset.UtcNow))!;
        if (!request.Force && File.Exists(path))
        {
            throw UserBackup.Exists(path);
        }

        if (!resolved.HasDatabase)
        {
            // Only the Data API: read through it (PostgREST), with the same file as the result.
            var read = await DataApi.DataApiBackup.WriteAsync(resolved, schema, userId, request.Tables, path, request.Force, request.AllowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
            return new BackupResult(read.Path, resolved.Name ?? string.Empty, userId, read.Tables, read.Bytes, clock.Elapsed);
        }

        var client = new DbClient(resolved.Target);
        await using (client.ConfigureAwait(false))
        {
            var written = await UserBackup.WriteAsync(client, resolved, schema, userId, request.Tables, path, request.Force, request.AllowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
            return new BackupResult(written.Path, resolved.Name ?? string.Empty, userId, written.Tables, written.Bytes, clock.Elapsed);
        }
    }
}
