using System.Globalization;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// Backup-Database for a profile that has only the Data API: the backup schema is bound to the
/// Data API's description, each table's user rows are read page by page (<see cref="DataApiRows"/>)
/// into a temporary spool already in the backup's JSON (<see cref="RowSpool"/>), and the file is
/// then written by the same writer as a database backup (<see cref="BackupJsonWriter"/>), so both
/// give the same bytes for the same rows. Nothing is written through the Data API.
/// </summary>
internal static class DataApiBackup
{
    /// <summary>Writes the backup of <paramref name="userId"/> to <paramref name="path"/>.</summary>
    /// <param name="resolved">The profile (its Data API is used).</param>
    /// <param name="schema">The backup schema (checked against the Data API's description before any row is read).</param>
    /// <param name="userId">Whose rows.</param>
    /// <param name="tables">Only these tables and their ancestors; null or empty for all.</param>
    /// <param name="path">The file (absolute); ".gz" writes gzip.</param>
    /// <param name="overwrite">Replace an existing file once the new one is complete.</param>
    /// <param name="allowRowLevelSecurity">Read what row-level security shows the key's role instead of refusing.</param>
    /// <param name="reporter">Warnings, verbose lines, progress (closed with a Completed record).</param>
    /// <param name="ct">Cancels the backup; no file is left behind.</param>
    public static async Task<BackupWriteResult> WriteAsync(
        ResolvedProfile resolved, BackupSchema schema, string userId, IReadOnlyList<string>? tables, string path, bool overwrite, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct)
    {
        var target = resolved.DataApi ?? throw new InvalidOperationException("The profile has no Data API.");
        var activity = $"Backing up user {userId} from '{resolved.DisplayName}' through the Data API";
        reporter.Progress(new OperationProgress(UserBackup.ProgressActivityId, activity, "Reading the Data API's description", 0));
        try
        {
            using var client = new DataApiClient(target);
            reporter.Verbose($"Reading user {userId}'s rows through the Data API at {target.RestUrl} (profile '{target.ProfileName}' has no database url).");
            var set = await DataApiRows.BindAsync(client, schema, allowRowLevelSecurity, reporter, ct).ConfigureAwait(false);
            var chosen = UserBackup.Choose(set, tables, reporter);
            var rows = new DataApiRows(client, reporter, chosen);
            var spool = new RowSpool(path);
            await using (spool.ConfigureAwait(false))
            {
                for (var i = 0; i < chosen.Count; i++)
                {
                    var table = chosen[i];
                    reporter.Progress(new OperationProgress(
                        UserBackup.ProgressActivityId,
                        activity,
                        string.Create(CultureInfo.InvariantCulture, $"Reading {table.Key} (table {i + 1} of {chosen.Count})"),
                        i * 50 / chosen.Count));
                    var columns = table.Columns.Columns.ToDictionary(c => c.Name, SpooledColumn.From, StringComparer.Ordinal);
                    spool.BeginTable();
                    await rows.ReadAsync(table, userId, (row, token) => AddAsync(spool, row, columns, table, client, token), ct).ConfigureAwait(false);
                }

                var counts = chosen.Zip(spool.Counts, (t, rows) => new KeyValuePair<string, long>(t.Key, rows)).ToList();
                var written = await BackupJsonWriter.WriteFileAsync(
                    path,
                    UserBackup.Metadata(userId, resolved),
                    counts,
                    spool.CopyTableAsync,
                    UserBackup.Options(overwrite, activity, chosen.Count, reporter, from: 50),
                    ct).ConfigureAwait(false);
                reporter.Verbose($"Backup of user {userId} written to {written.Path} ({written.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes).");
                return written;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            throw UserBackup.FileFailed(ex, path, overwrite);
        }
        finally
        {
            reporter.Progress(new OperationProgress(UserBackup.ProgressActivityId, activity, "Done", 100, Completed: true));
        }
    }

    private static async ValueTask AddAsync(RowSpool spool, System.Text.Json.JsonElement row, IReadOnlyDictionary<string, SpooledColumn> columns, BackupTable table, DataApiClient client, CancellationToken ct)
    {
        try
        {
            await spool.AddAsync(row, columns, ct).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            var key = row.TryGetProperty(table.Pk.Name, out var pk) ? pk.GetRawText() : "?";
            throw DataApiErrors.NotItsAnswer(client.Target, $"the rows of {table.Name}", $"in the row with {table.Pk.Name} {key}, {ex.Message}.");
        }
    }
}
