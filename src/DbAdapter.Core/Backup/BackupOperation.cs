using System.Diagnostics;
using System.Globalization;
using System.Text;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Backup-Database: one user's rows of the backup schema's tables, streamed table by table into a
/// backup file (DESIGN section 7) from one REPEATABLE READ, READ ONLY snapshot, so the counts in the
/// metadata and the rows agree and children never point at parents the file lacks.
/// </summary>
public static class BackupOperation
{
    /// <summary>Progress activity id of a backup.</summary>
    public const int ProgressActivityId = 2;

    /// <summary>Runs a backup.</summary>
    /// <exception cref="DbAdapterException">
    /// ProfileNotFound/Config*, UserIdRequired, BackupSchemaRequired/BackupSchemaInvalid (nothing read),
    /// BackupFileExists (nothing read), ConnectionFailed/QueryFailed, and WriteError failures of the file;
    /// a failed or cancelled backup leaves neither the file nor a temporary file.
    /// </exception>
    public static async Task<BackupResult> RunAsync(BackupRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(reporter);
        var clock = Stopwatch.StartNew();
        var resolved = await ProfileResolution.ResolveAsync(request.Profile, environment, reporter, ct).ConfigureAwait(false);
        var userId = BackupUser.FromParameterOrEnvironment(request.UserId, resolved.Config, environment)
            ?? throw BackupUser.Required(resolved.Config, "Backup-Database");
        var schema = await BackupSchemaSource.LoadAsync(request.BackupSchemaPath, resolved.Config, ct).ConfigureAwait(false);
        foreach (var warning in schema.Warnings)
        {
            reporter.Warning(warning);
        }

        var profile = resolved.Name ?? string.Empty;
        var path = request.Path ?? DefaultPath(request.Location, resolved.Name ?? "direct", DateTimeOffset.UtcNow);
        if (!request.Force && File.Exists(path))
        {
            throw Exists(path);
        }

        var activity = $"Backing up user {userId} from '{resolved.DisplayName}'";
        reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Reading the catalog", 0));
        try
        {
            await using var client = new DbClient(resolved.Target);
            var scope = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (scope.ConfigureAwait(false))
            {
                var written = await client.UseConnectionAsync(
                    (connection, token) => WriteAsync(connection, request, resolved, schema, userId, path, activity, reporter, token),
                    ct).ConfigureAwait(false);
                reporter.Verbose($"Backup of user {userId} written to {written.Path} ({written.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes).");
                return new BackupResult(written.Path, profile, userId, written.Tables, written.Bytes, clock.Elapsed);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            throw ex is IOException && File.Exists(path) && !request.Force
                ? Exists(path)
                : new DbAdapterException(ErrorIds.QueryFailed, DbErrorKind.WriteError, $"The backup file {path} could not be written: {ex.Message} No file was left behind.", path, ex);
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

    /// <summary>./backups/backup-PROFILE-yyyyMMdd-HHmmss.json (UTC) under <paramref name="location"/>.</summary>
    public static string DefaultPath(string location, string profile, DateTimeOffset now)
    {
        var safe = new string(profile.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        var stamp = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return Path.Combine(location, "backups", $"backup-{safe}-{stamp}.json");
    }

    private static async Task<BackupWriteResult> WriteAsync(
        NpgsqlConnection connection, BackupRequest request, ResolvedProfile resolved, BackupSchema schema, string userId, string path, string activity, IOperationReporter reporter, CancellationToken ct)
    {
        // One snapshot for the counts, the rows and the parent filters: nothing moves under the backup.
        await using (var snapshot = new NpgsqlCommand("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", connection))
        {
            await snapshot.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var set = await BackupSchemaBinder.BindAsync(connection, schema, resolved.Target.Schemas, resolved.DisplayName, ct).ConfigureAwait(false);
        var tables = set.Tables;
        if (request.Tables is { Count: > 0 } names)
        {
            tables = set.Select(names, out var added);
            if (added.Count > 0)
            {
                reporter.Warning($"Also backing up {string.Join(", ", added)}: the tables named by -Table hang under them, and a restore needs the parents.");
            }
        }

        var sources = tables.Select(t => Source(t, userId)).ToList();
        await WarnAboutStrandedRowsAsync(connection, tables, sources, reporter, ct).ConfigureAwait(false);
        var metadata = new BackupMetadata(DateTimeOffset.UtcNow, userId, "full", [new("profile", resolved.Name)]);
        var options = new BackupWriteOptions(request.Force, p => reporter.Progress(new OperationProgress(
            ProgressActivityId,
            activity,
            string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.TableRows:N0} of {p.TableTotal:N0} rows (table {p.TableIndex + 1} of {tables.Count})"),
            p.Total == 0 ? 100 : (int)(p.Rows * 100 / p.Total))));
        return await BackupJsonWriter.WriteAsync(connection, path, metadata, sources, options, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The user's rows of <paramref name="table"/>: by its own owner column, and, under a parent, only
    /// rows whose parent is NULL or is itself in the backup (a row hanging under another user's parent
    /// could not be restored). One parameter per level: owner columns of different types each get theirs.
    /// </summary>
    internal static BackupTableSource Source(BackupTable table, string userId)
    {
        var parameters = new List<object?>();
        var where = new StringBuilder();
        AppendFilter(where, parameters, table, table.Name.Quoted, userId, depth: 0);
        return new BackupTableSource(table.Key, table.Name, where.ToString(), parameters);
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

    /// <summary>Says how many of the user's rows the parent filter leaves out, so none vanish unnoticed.</summary>
    private static async Task WarnAboutStrandedRowsAsync(
        NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, List<BackupTableSource> sources, IOperationReporter reporter, CancellationToken ct)
    {
        for (var i = 0; i < tables.Count; i++)
        {
            if (tables[i].Parent is not { } parent)
            {
                continue;
            }

            // The user's rows minus the rows the backup takes: one statement, the filter's own parameters.
            var owner = $"{tables[i].Name.Quoted}.{SqlIdentifier.Quote(tables[i].User.Name)}";
            var parameters = sources[i].Parameters!;
            var command = new NpgsqlCommand(
                $"SELECT count(*) FROM {tables[i].Name.Quoted} WHERE {owner} = $1 AND NOT ({sources[i].Where})",
                connection);
            await using (command.ConfigureAwait(false))
            {
                foreach (var value in parameters)
                {
                    command.Parameters.Add(((NpgsqlParameter)value!).Clone());
                }

                var stranded = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
                if (stranded > 0)
                {
                    reporter.Warning(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{stranded} row(s) of {tables[i].Key} owned by the user hang under a {parent.Table.Key} row that is not in the backup (another user's, or missing): they are left out, since a restore could not attach them."));
                }
            }
        }
    }

    private static DbAdapterException Exists(string path) => new(
        ErrorIds.BackupFileExists,
        DbErrorKind.WriteError,
        $"The backup file {path} exists already. Choose another -Path, or pass -Force to replace it (the old file stays until the new one is complete).",
        path);
}
