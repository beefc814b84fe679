using System.Globalization;
using System.Text;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// One user's rows of the backup schema's tables, streamed table by table into a backup file
/// (DESIGN section 7) from one REPEATABLE READ, READ ONLY snapshot (<see cref="UserRows"/>), so the
/// counts in the metadata and the rows agree and children never point at parents the file lacks.
/// </summary>
internal static class UserBackup
{
    /// <summary>Progress activity id of a backup.</summary>
    public const int ProgressActivityId = 2;

    /// <summary>Writes the backup of <paramref name="userId"/> to <paramref name="path"/>.</summary>
    /// <param name="client">The source database (no scope open).</param>
    /// <param name="resolved">The profile, for its schemas, name and display name.</param>
    /// <param name="schema">The backup schema (checked against the catalog here, before any row is read).</param>
    /// <param name="userId">Whose rows.</param>
    /// <param name="tables">Only these tables and their ancestors; null or empty for all.</param>
    /// <param name="path">The file (absolute); ".gz" writes gzip.</param>
    /// <param name="overwrite">Replace an existing file once the new one is complete.</param>
    /// <param name="allowRowLevelSecurity">Read what row-level security shows the role instead of refusing.</param>
    /// <param name="reporter">Warnings, verbose lines, progress per table (closed with a Completed record).</param>
    /// <param name="ct">Cancels the backup; no file is left behind.</param>
    public static async Task<BackupWriteResult> WriteAsync(
        DbClient client, ResolvedProfile resolved, BackupSchema schema, string userId, IReadOnlyList<string>? tables, string path, bool overwrite, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct)
    {
        var activity = $"Backing up user {userId} from '{resolved.DisplayName}'";
        reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Reading the catalog", 0));
        try
        {
            var scope = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (scope.ConfigureAwait(false))
            {
                // Never committed: a read-only snapshot has nothing to commit.
                return await client.UseConnectionAsync(
                    (connection, token) => WriteAsync(connection, resolved, schema, userId, tables, path, overwrite, allowRowLevelSecurity, activity, reporter, token),
                    ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (LockConflicts.IsLockTimeout(ex) && !ct.IsCancellationRequested)
        {
            // A backup only reads: only ACCESS EXCLUSIVE (an ALTER, a LOCK TABLE) stops it.
            throw await client.LockTimeoutAsync(ex, TableLockMode.AccessShare, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            throw FileFailed(ex, path, overwrite);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw ConnectionErrors.Translate(ex, resolved.Target, "the backup", path);
        }
        finally
        {
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
        }
    }

    /// <summary>The BackupFileExists error for <paramref name="path"/>.</summary>
    public static DbAdapterException Exists(string path) => new(
        ErrorIds.BackupFileExists,
        DbErrorKind.WriteError,
        $"The backup file {path} exists already, and a backup replaces a file only when told to (the old file then stays until the new one is complete).",
        path,
        hint: ErrorHint.ReplaceBackupFile);

    /// <summary>The error for a backup file that could not be written (BackupFileExists when another appeared meanwhile).</summary>
    public static DbAdapterException FileFailed(Exception ex, string path, bool overwrite) =>
        ex is IOException && !overwrite && File.Exists(path)
            ? Exists(path)
            : new DbAdapterException(ErrorIds.QueryFailed, DbErrorKind.WriteError, $"The backup file {path} could not be written: {ex.Message} No file was left behind.", path, ex);

    /// <summary>The tables asked for and the ancestors they hang under (a warning names those added), or all.</summary>
    public static IReadOnlyList<BackupTable> Choose(BackupTableSet set, IReadOnlyList<string>? names, IOperationReporter reporter)
    {
        if (names is not { Count: > 0 })
        {
            return set.Tables;
        }

        var tables = set.Select(names, out var added);
        if (added.Count > 0)
        {
            reporter.Warning($"Also backing up {string.Join(", ", added)}: the tables asked for hang under them, and a restore needs the parents.");
        }

        return tables;
    }

    /// <summary>A user backup's metadata, taken now.</summary>
    public static BackupMetadata Metadata(string userId, ResolvedProfile resolved) =>
        new(DateTimeOffset.UtcNow, userId, "full", [new("profile", resolved.Name)]);

    /// <summary>Backup progress over <paramref name="tables"/> tables.</summary>
    public static BackupWriteOptions Options(bool overwrite, string activity, int tables, IOperationReporter reporter, int from = 0) =>
        new(overwrite, p => reporter.Progress(new OperationProgress(
            ProgressActivityId,
            activity,
            string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.TableRows:N0} of {p.TableTotal:N0} rows (table {p.TableIndex + 1} of {tables})"),
            from + (p.Total == 0 ? 100 - from : (int)(p.Rows * (100 - from) / p.Total)))));

    private static async Task<BackupWriteResult> WriteAsync(
        NpgsqlConnection connection, ResolvedProfile resolved, BackupSchema schema, string userId, IReadOnlyList<string>? names, string path, bool overwrite, bool allowRowLevelSecurity, string activity, IOperationReporter reporter, CancellationToken ct)
    {
        var set = await UserRows.OpenSnapshotAsync(connection, schema, resolved.Target, ct).ConfigureAwait(false);
        var tables = Choose(set, names, reporter);

        var sources = await UserRows.PrepareReadAsync(connection, tables, userId, resolved.DisplayName, allowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
        var metadata = Metadata(userId, resolved);
        var options = Options(overwrite, activity, tables.Count, reporter);
        var written = await BackupJsonWriter.WriteAsync(connection, path, metadata, sources, options, ct).ConfigureAwait(false);
        reporter.Verbose($"Backup of user {userId} written to {written.Path} ({written.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes).");
        return written;
    }
}
