using System.Diagnostics;
using System.Globalization;
using System.Text;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Applies a <see cref="FixPlan"/> atomically: one transaction for every step, the schema validated
/// again inside it after the last step, and a commit only when that validation passes. Any failure
/// or cancellation rolls everything back, so the database is left exactly as it was.
/// </summary>
public static class FixExecutor
{
    /// <summary>The progress activity id of an apply.</summary>
    public const int ProgressActivityId = 1;

    /// <summary>
    /// Applies <paramref name="plan"/>. In order: refuses blocking hazards unless Force; begins one
    /// transaction; when a step rewrites a table or loses data (and not NoBackup), locks those tables
    /// and writes their full contents to the pre-fix backup before any DDL; runs each step's SQL;
    /// introspects and compares again inside the transaction; commits.
    /// </summary>
    /// <param name="client">The database (no transaction scope of the caller may be open).</param>
    /// <param name="plan">The plan, from <see cref="FixPlanner.PlanAsync"/>.</param>
    /// <param name="options">Force, backup path, profile name.</param>
    /// <param name="reporter">Receives one progress record per step, then a Completed record.</param>
    /// <param name="ct">Cancels the apply; the transaction is rolled back and OperationCanceledException propagates.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.FixPlanHasHazards"/>: blocking hazards without Force (nothing was done).
    /// <see cref="ErrorIds.FixPlanStale"/>: the database no longer compares as it did when the plan was
    /// made (nothing was done).
    /// <see cref="ErrorIds.FixFailed"/>: a backup path is needed but missing (InvalidArgument), the backup
    /// could not be written, a step failed (naming it and the server's message), or the schema is
    /// still invalid after the last step; in every case nothing was committed.
    /// </exception>
    public static async Task<FixResult> ApplyAsync(DbClient client, FixPlan plan, FixApplyOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        ct.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        if (plan.Steps.Count == 0)
        {
            return new FixResult(true, 0, 0, 0, null, clock.Elapsed);
        }

        RefuseBlockingHazards(plan, options.Force);
        var backupTables = plan.Steps.Where(NeedsBackup).Select(s => new TableName(s.Schema, s.Table)).Distinct().ToList();
        string? backupPath = null;
        if (backupTables.Count > 0 && !options.NoBackup)
        {
            backupPath = BackupPathFor(options.BackupPath, null, options.ProfileName, DateTimeOffset.UtcNow)
                ?? throw new DbAdapterException(
                    ErrorIds.FixFailed,
                    DbErrorKind.InvalidArgument,
                    "The fix plan rewrites a table, so a pre-fix backup is written first, but no backup path was given. Give a backup path, or NoBackup to skip the backup.",
                    options.ProfileName);
        }

        var activity = options.ProfileName.Length > 0 ? $"Applying the schema fix to {options.ProfileName}" : "Applying the schema fix";
        var scope = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (plan.PlannedAgainst is { } planned)
            {
                reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Checking the database is as it was when the plan was made", 0));
                await RefuseIfChangedAsync(client, plan, planned, ct).ConfigureAwait(false);
            }

            string? writtenBackup = null;
            if (backupPath is not null)
            {
                reporter.Progress(new OperationProgress(ProgressActivityId, activity, $"Backing up {string.Join(", ", backupTables)}", 0));
                writtenBackup = await BackupAsync(client, plan, backupTables, backupPath, options, ct).ConfigureAwait(false);
                reporter.Verbose($"Pre-fix backup written to {writtenBackup}.");
            }

            for (var i = 0; i < plan.Steps.Count; i++)
            {
                var step = plan.Steps[i];
                reporter.Progress(new OperationProgress(
                    ProgressActivityId,
                    activity,
                    string.Create(CultureInfo.InvariantCulture, $"Step {step.Order} of {plan.Steps.Count}: {step.Description}"),
                    i * 100 / plan.Steps.Count));
                reporter.Verbose($"Step {step.Order} ({step.Target}): {step.Sql}");
                await RunStepAsync(client, step, ct).ConfigureAwait(false);
            }

            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Validating the schema inside the transaction", 100));
            await ValidateAsync(client, plan, ct).ConfigureAwait(false);
            try
            {
                await scope.CommitAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbAdapterException or InvalidOperationException)
            {
                throw new DbAdapterException(ErrorIds.FixFailed, DbErrorKind.InvalidOperation, $"The schema fix could not be committed: {ex.Message} Nothing was changed.", plan.SchemaFile, ex);
            }

            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
            return FixResult.Of(plan, writtenBackup, clock.Elapsed);
        }
    }

    /// <summary>"pre-fix-&lt;profile&gt;-&lt;UTC yyyyMMddTHHmmssZ&gt;.json", the default name of a pre-fix backup.</summary>
    public static string DefaultBackupFileName(string profileName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profileName);

        // Letters, digits, '-' and '_' only: a profile name may hold characters that are valid in a
        // file name on one system and not on another, or that a shell would need quoted.
        var safe = new string(profileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        var profile = safe.Length > 0 ? safe : "db";
        return string.Create(CultureInfo.InvariantCulture, $"pre-fix-{profile}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json");
    }

    /// <summary>
    /// The one rule for where a pre-fix backup goes: the given file; in a given folder that exists, a
    /// file named by <see cref="DefaultBackupFileName"/>; with nothing given, that file in
    /// <paramref name="defaultFolder"/>'s "backups" folder. Null when nothing is given and there is no default folder.
    /// </summary>
    public static string? BackupPathFor(string? given, string? defaultFolder, string profileName, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var path = Path.GetFullPath(given);
            return Directory.Exists(path) ? Path.Combine(path, DefaultBackupFileName(profileName, now)) : path;
        }

        return defaultFolder is null ? null : Path.Combine(Path.GetFullPath(defaultFolder), "backups", DefaultBackupFileName(profileName, now));
    }

    /// <summary>True when <paramref name="step"/> makes the apply write a pre-fix backup of its table.</summary>
    public static bool NeedsBackup(FixStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Hazards.Any(h => h.Kind is FixHazardKinds.RewritesTable or FixHazardKinds.DeletesData);
    }

    /// <summary>
    /// Throws FixPlanHasHazards listing every blocking hazard, unless <paramref name="force"/>. Apply
    /// calls it first; a cmdlet can call it before asking for confirmations it would then refuse.
    /// </summary>
    public static void RefuseBlockingHazards(FixPlan plan, bool force)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var blocking = plan.Steps.SelectMany(s => s.Hazards.Where(h => h.Blocking).Select(h => (Step: s, Hazard: h))).ToList();
        if (blocking.Count == 0 || force)
        {
            return;
        }

        var text = new StringBuilder("The fix plan has blocking hazards; nothing was changed. Review them; the plan runs only when they are accepted explicitly:");
        foreach (var (step, hazard) in blocking)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  step {step.Order} ({step.Description}) on {step.Target}: {hazard.Kind}: {hazard.Message}");
        }

        throw new DbAdapterException(ErrorIds.FixPlanHasHazards, DbErrorKind.InvalidOperation, text.ToString(), plan.SchemaFile, hint: ErrorHint.AcceptHazards);
    }

    private static async Task<string> BackupAsync(DbClient client, FixPlan plan, List<TableName> tables, string path, FixApplyOptions options, CancellationToken ct)
    {
        var comparison = new SchemaComparison(plan.Schemas);
        var sources = tables.Select(t => new BackupTableSource(comparison.Display(t), t)).ToList();
        var metadata = new BackupMetadata(DateTimeOffset.UtcNow, options.UserId, "pre-fix", [new("profile", options.ProfileName)]);
        try
        {
            var result = await client.UseConnectionAsync(async (connection, token) =>
            {
                // The steps take this lock anyway; taking it first makes the backup hold exactly the
                // rows the recreate copies, and its counts match its rows.
                var lockSql = $"LOCK TABLE {string.Join(", ", tables.Select(t => t.Quoted))} IN ACCESS EXCLUSIVE MODE";
                var command = new NpgsqlCommand(lockSql, connection);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                return await BackupJsonWriter.WriteAsync(connection, path, metadata, sources, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return result.Path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NpgsqlException)
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.WriteError,
                $"The pre-fix backup of {string.Join(", ", sources.Select(s => s.Key))} could not be written to {path}: {ConnectionErrors.ServerMessage(ex, client.Target)} Nothing was changed.",
                path,
                ex);
        }
    }

    private static async Task RunStepAsync(DbClient client, FixStep step, CancellationToken ct)
    {
        try
        {
            await client.UseConnectionAsync(async (connection, token) =>
            {
                // One command per statement: the server refuses a command whose text holds two, so
                // nothing a user file carries can run as a statement of its own.
                var batch = new NpgsqlBatch(connection);
                await using (batch.ConfigureAwait(false))
                {
                    foreach (var statement in step.Statements)
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                    }

                    return await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested)
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidOperation,
                $"Step {step.Order} ({step.Description}) on {step.Target} failed: {ConnectionErrors.ServerMessage(ex, client.Target)} The whole fix was rolled back; nothing was changed.",
                step.Target,
                ex);
        }
    }

    private static async Task ValidateAsync(DbClient client, FixPlan plan, CancellationToken ct)
    {
        var comparison = await CompareAsync(client, plan, "validated after the fix", "The whole fix was rolled back; nothing was changed.", ct).ConfigureAwait(false);
        if (comparison.IsValid(strict: false))
        {
            return;
        }

        // Say what is still missing, which step was to make it, and where a table of that name went
        // instead; whether the database changed is known, not guessed: it was checked before step 1.
        var elsewhere = await FindElsewhereAsync(client, comparison.MissingTables, ct).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var table in comparison.MissingTables)
        {
            var step = plan.Steps.FirstOrDefault(s => s.Operation != FixOperation.AddColumn && s.Schema == table.Schema && s.Table == table.Name);
            var text = $"table {comparison.Display(table)} is still missing{StepNote(step)}";
            if (elsewhere.TryGetValue(table.Name, out var schemas))
            {
                text += $"; a table {table.Name} exists in schema {string.Join(", ", schemas)} instead";
            }

            problems.Add(text);
        }

        foreach (var column in comparison.MissingColumns)
        {
            var step = plan.Steps.FirstOrDefault(s => s.Schema == column.Schema && s.Table == column.Table && (s.Column == column.Column || s.Operation != FixOperation.AddColumn));
            problems.Add($"column {comparison.Display(column)} is still missing{StepNote(step)}");
        }

        var cause = plan.PlannedAgainst is null
            ? "Whether the database changed since the plan was made is not known (the plan carries no record of what it was made against)."
            : "The database was as the plan expected before the first step, so the plan's statements do not produce what the schema file declares: report this with the plan's statements.";
        throw new DbAdapterException(
            ErrorIds.FixFailed,
            DbErrorKind.InvalidOperation,
            $"After the fix the database still does not match the schema file: {string.Join("; ", problems)}. {cause} The whole fix was rolled back; nothing was changed.",
            plan.SchemaFile);

        static string StepNote(FixStep? step) =>
            step is null ? " (no step of the plan makes it)" : $" after step {step.Order} ({step.Description})";
    }

    /// <summary>
    /// Compares the database again, in the fix's transaction, and refuses a plan made against another
    /// state: running it could fail halfway or do what nobody reviewed.
    /// </summary>
    private static async Task RefuseIfChangedAsync(DbClient client, FixPlan plan, SchemaComparison planned, CancellationToken ct)
    {
        var now = await CompareAsync(client, plan, "compared before the fix", "Nothing was changed.", ct).ConfigureAwait(false);
        var changes = new List<string>();
        Describe(planned.MissingTables, now.MissingTables, t => $"table {now.Display(t)}");
        Describe(planned.MissingColumns, now.MissingColumns, c => $"column {now.Display(c)}");
        if (changes.Count == 0)
        {
            return;
        }

        throw new DbAdapterException(
            ErrorIds.FixPlanStale,
            DbErrorKind.InvalidOperation,
            $"The database changed since the plan was made ({string.Join("; ", changes)}). Nothing was changed. Make a new plan, review it and apply that.",
            plan.SchemaFile);

        void Describe<T>(IEnumerable<T> then, IEnumerable<T> current, Func<T, string> name)
        {
            var before = then.ToHashSet();
            var after = current.ToHashSet();
            changes.AddRange(after.Except(before).Select(x => $"{name(x)} is missing now but was not when planned"));
            changes.AddRange(before.Except(after).Select(x => $"{name(x)} was missing when planned but exists now"));
        }
    }

    /// <summary>Introspects and compares in the fix's transaction; a failure is FixFailed saying when it happened.</summary>
    private static async Task<SchemaComparison> CompareAsync(DbClient client, FixPlan plan, string when, string outcome, CancellationToken ct)
    {
        try
        {
            return await SchemaValidator.CompareAsync(client, plan.Expected, plan.Schemas, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested)
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidOperation,
                $"The schema could not be {when}: {ConnectionErrors.ServerMessage(ex, client.Target)} {outcome}",
                plan.SchemaFile,
                ex);
        }
    }

    /// <summary>For each missing table, the other schemas that hold a table of that name (read in the fix's transaction).</summary>
    private static Task<Dictionary<string, List<string>>> FindElsewhereAsync(DbClient client, IReadOnlyCollection<TableName> missing, CancellationToken ct)
    {
        if (missing.Count == 0)
        {
            return Task.FromResult(new Dictionary<string, List<string>>());
        }

        return client.UseConnectionAsync(
            async (connection, token) =>
            {
                var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var command = new NpgsqlCommand(
                    """
                    SELECT c.relname, n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1) AND NOT n.nspname = ANY($2) ORDER BY 2
                    """,
                    connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = missing.Select(t => t.Name).Distinct().ToArray() });
                    command.Parameters.Add(new NpgsqlParameter { Value = missing.Select(t => t.Schema).Distinct().ToArray() });
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            var name = reader.GetString(0);
                            if (!found.TryGetValue(name, out var list))
                            {
                                found[name] = list = [];
                            }

                            list.Add(reader.GetString(1));
                        }
                    }
                }

                return found;
            },
            ct);
    }
}
