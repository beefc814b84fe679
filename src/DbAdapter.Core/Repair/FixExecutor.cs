using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    /// transaction (with the client's lock and statement timeouts, SET LOCAL); locks every table the
    /// statements touch, in one order for everyone; when the plan carries a fingerprint, reads it again
    /// and refuses a database that changed since (FixPlanStale); when a step rewrites a table or loses
    /// data (and not NoBackup), writes their full contents to the pre-fix backup before any DDL; runs
    /// each step's statements; introspects and compares again inside the transaction; commits. When a
    /// lock is not granted within the lock timeout, the whole transaction is rolled back and tried
    /// again, up to <see cref="FixApplyOptions.RetryCount"/> more times, with a growing pause.
    /// </summary>
    /// <param name="client">The database (no transaction scope of the caller may be open); its timeouts apply.</param>
    /// <param name="plan">The plan, from <see cref="FixPlanner.PlanAsync"/> or a plan file.</param>
    /// <param name="options">Force, backup path, profile name, retries.</param>
    /// <param name="reporter">Receives one progress record per step, then a Completed record; a warning per retry, naming the session in the way.</param>
    /// <param name="ct">Cancels the apply; the transaction is rolled back and OperationCanceledException propagates.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.FixPlanHasHazards"/>: blocking hazards without Force (nothing was done).
    /// <see cref="ErrorIds.FixPlanStale"/>: the tables the plan changes are no longer what it was made for (naming what changed).
    /// <see cref="ErrorIds.FixFailed"/>: a backup path is needed but missing (InvalidArgument), the backup
    /// could not be written, a step failed (naming it and the server's message), the schema is
    /// still invalid after the last step, or (ResourceBusy) a lock was still not granted after the
    /// last retry (naming the blocking session); in every case nothing was committed.
    /// </exception>
    public static async Task<FixResult> ApplyAsync(DbClient client, FixPlan plan, FixApplyOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RetryCount);
        ct.ThrowIfCancellationRequested();

        var clock = Stopwatch.StartNew();
        if (plan.Steps.Count == 0)
        {
            return new FixResult(true, 0, 0, 0, null, clock.Elapsed);
        }

        RefuseBlockingHazards(plan, options.Force);
        string? backupPath = null;
        if (plan.NeedsBackup && !options.NoBackup)
        {
            backupPath = BackupPathFor(options.BackupPath, null, options.ProfileName, DateTimeOffset.UtcNow)
                ?? throw new DbAdapterException(
                    ErrorIds.FixFailed,
                    DbErrorKind.InvalidArgument,
                    "The fix plan rewrites a table, so a pre-fix backup is written first, but no backup path was given. Give a backup path, or NoBackup to skip the backup.",
                    options.ProfileName);
        }

        for (var attempt = 1; ; attempt++)
        {
            var written = new StrongBox<string?>();
            try
            {
                return await ApplyOnceAsync(client, plan, options, backupPath, written, reporter, clock, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (LockConflicts.IsLockTimeout(ex) && !ct.IsCancellationRequested)
            {
                // The attempt's transaction is over: its backup is of a state nothing was done to, and
                // the next attempt writes its own under the same name.
                if (written.Value is { } stale)
                {
                    try
                    {
                        File.Delete(stale);
                    }
                    catch (Exception deleting) when (deleting is IOException or UnauthorizedAccessException)
                    {
                        // Then the next attempt cannot write its backup and fails saying so: nothing is lost.
                    }
                }

                var (table, mode) = ex is TableLockTimeoutException locked ? (locked.Table, locked.Mode) : ((TableName?)null, TableLockMode.AccessExclusive);
                var blockers = await client.FindBlockersAsync(table, mode, ct).ConfigureAwait(false);
                var what = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(table is { } t ? $"Table {t}" : "A table the fix needs")} stayed locked for longer than the lock timeout ({DbTimeouts.Describe(client.Timeouts.LockTimeout)}): {LockConflicts.Describe(blockers)}.");
                var attempts = options.RetryCount + 1;
                if (attempt >= attempts)
                {
                    throw new DbAdapterException(
                        ErrorIds.FixFailed,
                        DbErrorKind.ResourceBusy,
                        client.Target.Redact(string.Create(CultureInfo.InvariantCulture, $"{what} The fix was tried {attempt} time(s) and rolled back each time; nothing was changed.")),
                        table?.ToString() ?? plan.SchemaFile,
                        ex,
                        ErrorHint.WaitForLock);
                }

                var pause = RetryPause(attempt);
                reporter.Warning(client.Target.Redact(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Attempt {attempt} of {attempts}: {what} The fix was rolled back and is tried again in {pause.TotalSeconds:0.0} s.")));
                await Task.Delay(pause, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The pause before retry <paramref name="attempt"/> + 1: 250 ms doubled per attempt (at most 10 s),
    /// times a random factor between 0.5 and 1, so that fixes that collided do not collide again.
    /// </summary>
    public static TimeSpan RetryPause(int attempt)
    {
        var ceiling = Math.Min(250 * Math.Pow(2, Math.Max(0, attempt - 1)), 10_000);
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static async Task<FixResult> ApplyOnceAsync(
        DbClient client,
        FixPlan plan,
        FixApplyOptions options,
        string? backupPath,
        StrongBox<string?> written,
        IOperationReporter reporter,
        Stopwatch clock,
        CancellationToken ct)
    {
        var activity = options.ProfileName.Length > 0 ? $"Applying the schema fix to {options.ProfileName}" : "Applying the schema fix";
        var scope = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Locking the tables the fix changes", 0));
            var locked = await PlanLocks.LockAsync(client, plan, ct).ConfigureAwait(false);
            if (locked.Count > 0)
            {
                reporter.Verbose($"Locked {string.Join(", ", locked.Select(l => $"{l.Table} ({LockConflicts.SqlName(l.Mode)})"))}.");
            }

            if (plan.Fingerprint is { } fingerprint)
            {
                await RefuseChangedDatabaseAsync(client, plan, fingerprint, ct).ConfigureAwait(false);
            }

            // A rebuilt table's rows are copied by this role: policies hiding some would lose them.
            var rebuilt = plan.Steps.Where(NeedsBackup).Select(s => new TableName(s.Schema, s.Table)).Distinct().ToList();
            if (rebuilt.Count > 0)
            {
                await client.UseConnectionAsync(
                    async (connection, token) =>
                    {
                        await RowLevelSecurityGuard.CheckRebuildAsync(connection, rebuilt, client.Target.DisplayName, token).ConfigureAwait(false);
                        return true;
                    },
                    ct).ConfigureAwait(false);
            }

            string? writtenBackup = null;
            if (backupPath is not null)
            {
                var backupTables = rebuilt;
                reporter.Progress(new OperationProgress(ProgressActivityId, activity, $"Backing up {string.Join(", ", backupTables)}", 0));
                writtenBackup = await BackupAsync(client, plan, backupTables, backupPath, options, ct).ConfigureAwait(false);
                written.Value = writtenBackup;
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

            written.Value = null;
            reporter.Progress(new OperationProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
            return FixResult.Of(plan, writtenBackup, clock.Elapsed);
        }
    }

    /// <summary>
    /// Reads the fingerprint of the plan's tables again, under the locks just taken (nothing can change
    /// them until the fix ends), and refuses the plan when it differs from the one it was made with.
    /// </summary>
    private static async Task RefuseChangedDatabaseAsync(DbClient client, FixPlan plan, CatalogFingerprint expected, CancellationToken ct)
    {
        var now = await client.UseConnectionAsync((connection, token) => CatalogFingerprint.ReadAsync(connection, expected.TableNames, token), ct).ConfigureAwait(false);
        if (string.Equals(now.Sha256, expected.Sha256, StringComparison.Ordinal))
        {
            return;
        }

        var changes = expected.ChangesIn(now);
        throw new DbAdapterException(
            ErrorIds.FixPlanStale,
            DbErrorKind.InvalidOperation,
            $"The database is no longer the one the plan was made for: {string.Join("; ", changes.DefaultIfEmpty("its tables' catalog entries differ"))}. " +
            "Nothing was changed. Make a new plan for the database as it is now, and review it.",
            plan.SchemaFile,
            hint: ErrorHint.PlanAgain);
    }

    /// <summary>"pre-fix-&lt;profile&gt;-&lt;UTC yyyyMMddTHHmmssZ&gt;.json", the default name of a pre-fix backup.</summary>
    public static string DefaultBackupFileName(string profileName, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"pre-fix-{BackupPaths.SafeName(profileName)}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json");

    /// <summary>Where a pre-fix backup goes (<see cref="BackupPaths.PathFor"/> with <see cref="DefaultBackupFileName"/>).</summary>
    public static string? BackupPathFor(string? given, string? defaultFolder, string profileName, DateTimeOffset now) =>
        BackupPaths.PathFor(given, defaultFolder, DefaultBackupFileName(profileName, now));

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
            // The tables are locked (ACCESS EXCLUSIVE, taken up front): the backup holds exactly the
            // rows the steps then work on, and its counts match its rows.
            var result = await client.UseConnectionAsync(
                (connection, token) => BackupJsonWriter.WriteAsync(connection, path, metadata, sources, null, token),
                ct).ConfigureAwait(false);
            return result.Path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NpgsqlException && !LockConflicts.IsLockTimeout(ex))
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
        string? broken = null;
        (TableName Table, string Constraint)? validated = null;
        try
        {
            broken = await client.UseConnectionAsync(async (connection, token) =>
            {
                // One command per statement: the server refuses a command whose text holds two, so
                // nothing a user file carries can run as a statement of its own. A VALIDATE CONSTRAINT
                // runs on its own, so that a row breaking the constraint can be named.
                var pending = new List<string>();
                foreach (var statement in step.Statements)
                {
                    if (ConstraintValidation.Parse(statement) is not { } target)
                    {
                        pending.Add(statement);
                        continue;
                    }

                    await RunAsync(connection, pending, token).ConfigureAwait(false);
                    pending.Clear();
                    validated = target;
                    if (await ConstraintValidation.RunAsync(connection, statement, target, token).ConfigureAwait(false) is { } row)
                    {
                        return row;
                    }
                }

                await RunAsync(connection, pending, token).ConfigureAwait(false);
                return null;
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested && !LockConflicts.IsLockTimeout(ex))
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidOperation,
                $"Step {step.Order} ({step.Description}) on {step.Target} failed: {ConnectionErrors.ServerMessage(ex, client.Target)} The whole fix was rolled back; nothing was changed.",
                step.Target,
                ex);
        }

        if (broken is not null && validated is { } failed)
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidData,
                $"Step {step.Order} ({step.Description}) failed: existing rows of {failed.Table} break constraint {failed.Constraint}: {broken}. " +
                "The whole fix was rolled back; nothing was changed. Correct those rows (or the constraint in the schema file), then plan again.",
                step.Target);
        }

        static async Task RunAsync(NpgsqlConnection connection, List<string> statements, CancellationToken token)
        {
            if (statements.Count == 0)
            {
                return;
            }

            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                }

                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
        }
    }

    private static async Task ValidateAsync(DbClient client, FixPlan plan, CancellationToken ct)
    {
        SchemaComparison comparison;
        try
        {
            comparison = await SchemaValidator.CompareAsync(client, plan.Expected, plan.Schemas, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException && !ct.IsCancellationRequested && !LockConflicts.IsLockTimeout(ex))
        {
            throw new DbAdapterException(
                ErrorIds.FixFailed,
                DbErrorKind.InvalidOperation,
                $"The schema could not be validated after the fix: {ConnectionErrors.ServerMessage(ex, client.Target)} The whole fix was rolled back; nothing was changed.",
                plan.SchemaFile,
                ex);
        }

        if (comparison.IsValid(strict: false))
        {
            return;
        }

        // Say what is still missing, which step was to make it, and where a table of that name went
        // instead. Whether the database changed is said only where it is known: the tables the plan
        // changes were checked against its fingerprint before step 1, and an item no step makes was
        // not missing when the plan was made (the planner makes a step for every missing item).
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

        foreach (var item in comparison.MissingObjects)
        {
            var owner = item.Table ?? item.Name;
            var step = plan.Steps.FirstOrDefault(s => s.Schema == item.Schema && s.Table == owner && s.Operation != FixOperation.AddColumn && s.Description.Contains(item.Name, StringComparison.Ordinal))
                ?? plan.Steps.FirstOrDefault(s => s.Schema == item.Schema && s.Table == owner && s.Operation is FixOperation.CreateTable or FixOperation.RecreateTable);
            problems.Add($"{Schema.ObjectText.KindWords(item.Kind)} {comparison.Display(item)} ({item.Definition}) is still missing{StepNote(step)}");
        }

        var made = plan.Steps.Select(s => new TableName(s.Schema, s.Table)).ToHashSet();
        var cause = plan.Fingerprint is null
            ? "Whether the database changed since the plan was made is not known (the plan carries no fingerprint of its tables)."
            : comparison.MissingTables.Concat(comparison.MissingColumns.Select(c => new TableName(c.Schema, c.Table)))
                .Concat(comparison.MissingObjects.Select(o => new TableName(o.Schema, o.Table ?? o.Name))).All(made.Contains)
                ? "The tables the plan changes were as the plan expected before the first step (checked), so the plan's statements do not produce what the schema file declares: report this with the plan's statements."
                : "The tables the plan changes were as the plan expected before the first step (checked); what no step makes went missing elsewhere since the plan was made: make a new plan.";
        throw new DbAdapterException(
            ErrorIds.FixFailed,
            DbErrorKind.InvalidOperation,
            $"After the fix the database still does not match the schema file: {string.Join("; ", problems)}. {cause} The whole fix was rolled back; nothing was changed.",
            plan.SchemaFile);

        static string StepNote(FixStep? step) =>
            step is null ? " (no step of the plan makes it, so it was not missing when the plan was made)" : $" after step {step.Order} ({step.Description})";
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
