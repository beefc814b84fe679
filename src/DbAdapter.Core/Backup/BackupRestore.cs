using System.Globalization;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// A backup file into a database, in ONE transaction. The file is streamed once into scratch tables
/// and checked (a file the rules refuse is BackupFileInvalid and nothing is touched); then the rows
/// are matched, remapped and written set-based (<see cref="RowRestorer"/>). Any failure, and
/// cancellation, rolls everything back. With WhatIf the same reading and matching run and the
/// transaction is rolled back without a row written.
/// </summary>
internal static class BackupRestore
{
    /// <summary>Progress activity id of a restore.</summary>
    public const int ProgressActivityId = 3;

    /// <summary>Restores <paramref name="reader"/>'s file into <paramref name="client"/>'s database.</summary>
    /// <param name="client">The destination (no scope open).</param>
    /// <param name="resolved">The destination profile.</param>
    /// <param name="schema">The backup schema.</param>
    /// <param name="reader">The open backup file.</param>
    /// <param name="userId">The owner to write, or null for the file's metadata.user_id (with a warning).</param>
    /// <param name="options">Mode, isolation of failed rows, WhatIf (its UserId is ignored).</param>
    /// <param name="reporter">Warnings, verbose lines, progress (closed with a Completed record).</param>
    /// <param name="ct">Cancels the restore; nothing is committed.</param>
    public static async Task<(IReadOnlyList<TableRestoreResult> Tables, string UserId)> RunAsync(
        DbClient client, ResolvedProfile resolved, BackupSchema schema, BackupFileReader reader, string? userId, RowRestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var activity = $"Restoring {Path.GetFileName(reader.Path)} into '{resolved.DisplayName}'{(options.WhatIf ? " (nothing is written)" : string.Empty)}";
        void Progress(string status, int percent) => reporter.Progress(new OperationProgress(ProgressActivityId, activity, status, percent));
        Progress("Reading the backup file", 0);
        try
        {
            var scope = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (scope.ConfigureAwait(false))
            {
                var (staged, fileUser) = await client.UseConnectionAsync(
                    (connection, token) => StageAsync(connection, schema, resolved, reader, reporter, Progress, token),
                    ct).ConfigureAwait(false);
                if (userId is null && fileUser is not null)
                {
                    reporter.Warning($"No user id was given (and no user_id_env variable is set): the rows are restored as user {fileUser}, the user_id of the backup's metadata.");
                }

                userId ??= fileUser ?? throw BackupUser.Required(resolved.Config);
                var tables = await RowTransaction.WriteAsync(client, scope, staged, options with { UserId = userId }, resolved.DisplayName, Progress, ct).ConfigureAwait(false);
                reporter.Verbose(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(options.WhatIf ? "Nothing written; a real run would write" : "Committed")} {tables.Sum(t => t.Inserted + t.Updated):N0} row(s) of user {userId} into '{resolved.DisplayName}' ({tables.Sum(t => t.Skipped):N0} skipped, {tables.Sum(t => t.Failed):N0} failed)."));
                return (tables, userId);
            }
        }
        catch (BackupFileFormatException ex)
        {
            throw reader.Invalid($"{ex.Message} Nothing was restored.", ex);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw reader.Invalid($"it cannot be read to the end: {ex.Message} Nothing was restored.", ex);
        }
        catch (Exception ex) when (RowTransaction.IsFailure(ex) && !ct.IsCancellationRequested)
        {
            throw await RowTransaction.TranslateAsync(ex, client, options.Errors, reader.Path, ct).ConfigureAwait(false);
        }
        finally
        {
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
        }
    }

    private static async Task<(IReadOnlyList<StagedTable> Tables, string? FileUser)> StageAsync(
        NpgsqlConnection connection, BackupSchema schema, ResolvedProfile resolved, BackupFileReader reader, IOperationReporter reporter, Action<string, int> progress, CancellationToken ct)
    {
        var set = await BackupSchemaBinder.BindAsync(connection, schema, resolved.Target, ct).ConfigureAwait(false);
        await RowLevelSecurityGuard.WarnWriteAsync(connection, set.Tables, resolved.DisplayName, reporter, ct).ConfigureAwait(false);
        var stage = new RowStage(connection, set, resolved.DisplayName);
        await using (stage.ConfigureAwait(false))
        {
            var validator = new BackupFileValidator(schema, trackKeys: false);
            var source = new BackupFileSource(reader, validator, (position, length) => progress(
                string.Create(CultureInfo.InvariantCulture, $"Reading {reader.Key}: {reader.RowIndex + 1:N0} rows"),
                length == 0 ? 0 : (int)(position * 50 / length)));
            await source.CopyToAsync(stage, ct).ConfigureAwait(false);
            if (!validator.IsValid)
            {
                var errors = validator.Errors;
                var shown = string.Join(" ", errors.Take(5).Select(e => e.EndsWith('.') ? e : e + "."));
                var more = errors.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $" ({errors.Count - 5} more.)") : string.Empty;
                throw reader.Invalid($"{shown}{more} Nothing was restored.", hint: ErrorHint.CheckBackupFile);
            }

            foreach (var warning in validator.Warnings)
            {
                reporter.Warning($"Backup file {reader.Path}: {warning}");
            }

            return (stage.Staged, validator.UserId);
        }
    }
}
