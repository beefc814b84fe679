using System.Diagnostics;
using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>Backup-Database | Test-DbBackup | Restore-Database through the built module, against real databases.</summary>
public sealed class BackupCmdletTests(BackupDatabases db) : IClassFixture<BackupDatabases>
{
    private const string A = BackupDatabases.UserA;

    private async Task<(string Target, string Folder)> TargetAsync(int products = 0, string? extraToml = null)
    {
        var target = await db.CreateAsync("bk_target", products);
        return (target, db.NewFolder(target, extraToml));
    }

    private Task<IReadOnlyList<string>> Dump(string database, string sql = BackupDatabases.ProductsDump) => db.Server.QueryAsync(database, sql);

    private static PSObject[] Array(PSObject item, string property) => ((object[])item.Properties[property].Value).Select(PSObject.AsPSObject).ToArray();

    [Fact]
    public async Task Backup_piped_to_Restore_copies_the_users_rows_with_new_keys_and_every_stream_is_clean()
    {
        var (target, folder) = await TargetAsync();
        using var host = new ModuleHost(folder);

        var result = host.Run($"Backup-Database -Profile source -UserId {A} | Restore-Database -Profile target").ShouldSucceed();

        var restore = Assert.Single(result.Output);
        Assert.Equal("DbAdapter.DbRestoreResult", restore.BaseObject.GetType().FullName);
        Assert.Equal("target", restore.Properties["Profile"].Value);
        Assert.Equal("Skip", restore.Properties["Mode"].Value);
        Assert.True((bool)restore.Properties["Committed"].Value);
        Assert.Equal(A, restore.Properties["UserId"].Value);
        var tables = Array(restore, "Tables");
        Assert.Equal(["categories:2", "products:40"], tables.Select(t => $"{t.Properties["Table"].Value}:{t.Properties["Inserted"].Value}").ToArray());
        Assert.Empty(Array(tables[1], "Failures"));
        Assert.Equal(await Dump(db.Source), await Dump(target));
        Assert.Equal(["0"], await Dump(target, $"SELECT count(*) FROM products WHERE user_id <> '{A}'"));

        // Both cmdlets report progress and close it.
        Assert.Contains(result.Progress, p => p.ActivityId == 2 && p.StatusDescription.Contains("products: 40 of 40 rows", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.ActivityId == 3 && p.RecordType == ProgressRecordType.Processing);
        Assert.All(new[] { 2, 3 }, id => Assert.Equal(ProgressRecordType.Completed, result.Progress.Last(p => p.ActivityId == id).RecordType));

        // The default file: ./backups/backup-source-UTC.json under the PowerShell location.
        var file = Assert.Single(Directory.GetFiles(Path.Combine(folder, "backups")));
        Assert.Matches(@"backup-source-\d{8}-\d{6}\.json$", file);
        Assert.DoesNotContain(ProfileDatabase.Password, result.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProfileDatabase.Password, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_backup_result_pipes_into_Test_DbBackup_and_a_missing_file_is_BackupFileNotFound()
    {
        var (_, folder) = await TargetAsync();
        using var host = new ModuleHost(folder);
        Environment.SetEnvironmentVariable(db.UserEnv, A);
        try
        {
            var backup = Assert.Single(host.Run("$b = Backup-Database -Profile source -Path ./mine.json.gz; $b").ShouldSucceed().Output);
            Assert.Equal("DbAdapter.DbBackupResult", backup.BaseObject.GetType().FullName);
            Assert.Equal(Path.Combine(folder, "mine.json.gz"), backup.Properties["Path"].Value);
            Assert.Equal(("source", A), ((string)backup.Properties["Profile"].Value, (string)backup.Properties["UserId"].Value));
            Assert.Equal(["categories=2", "products=40"], Array(backup, "Tables").Select(t => $"{t.Properties["Table"].Value}={t.Properties["Rows"].Value}").ToArray());
            Assert.Equal(new FileInfo(Path.Combine(folder, "mine.json.gz")).Length, (long)backup.Properties["Bytes"].Value);

            var check = Assert.Single(host.Run("$b | Test-DbBackup -BackupSchema ./backup-schema.json").ShouldSucceed().Output);
            Assert.Equal("DbAdapter.DbBackupValidation", check.BaseObject.GetType().FullName);
            Assert.True((bool)check.Properties["IsValid"].Value);
            Assert.Empty((string[])check.Properties["Errors"].Value);
            Assert.Equal(true, Assert.Single(host.Run("Test-DbBackup mine.json.gz -Quiet").ShouldSucceed().Output).BaseObject);

            File.WriteAllText(Path.Combine(folder, "broken.json"), "{\"metadata\": {\"version\": \"1.1\"},\n \"products\": [}");
            var broken = Assert.Single(host.Run("Test-DbBackup ./broken.json").ShouldSucceed().Output);
            Assert.False((bool)broken.Properties["IsValid"].Value);
            Assert.StartsWith("not valid JSON at line 2, position 15", Assert.Single((string[])broken.Properties["Errors"].Value), StringComparison.Ordinal);

            var missing = host.Run("Test-DbBackup ./nope.json; 'went on'");
            var error = Assert.Single(missing.Errors);
            Assert.StartsWith("BackupFileNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(Path.Combine(folder, "nope.json"), error.TargetObject);
            Assert.Equal("went on", Assert.Single(missing.Output).BaseObject);
        }
        finally
        {
            Environment.SetEnvironmentVariable(db.UserEnv, null);
        }
    }

    [Fact]
    public async Task Refusals_name_the_problem_and_say_what_to_do_in_the_modules_words()
    {
        var (_, folder) = await TargetAsync(extraToml: "[defaults]\nuser_id_env = \"DBADAPTER_TEST_NOBODY\"");
        File.WriteAllText(Path.Combine(folder, "taken.json"), "precious");
        using var host = new ModuleHost(folder);

        var noUser = Assert.Single(host.Run("Backup-Database -Profile source -BackupSchema ./backup-schema.json").Errors);
        Assert.StartsWith("UserIdRequired", noUser.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("DBADAPTER_TEST_NOBODY", noUser.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Pass -UserId", noUser.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

        var noSchema = Assert.Single(host.Run($"Backup-Database -Profile source -UserId {A}").Errors);
        Assert.StartsWith("BackupSchemaRequired", noSchema.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("-BackupSchema", noSchema.ErrorDetails.Message, StringComparison.Ordinal);

        var exists = Assert.Single(host.Run($"Backup-Database -Profile source -UserId {A} -BackupSchema ./backup-schema.json -Path ./taken.json").Errors);
        Assert.StartsWith("BackupFileExists", exists.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(folder, "taken.json"), exists.TargetObject);
        Assert.Contains("-Force", exists.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(folder, "taken.json")));

        var replaced = host.Run($"Backup-Database -Profile source -UserId {A} -BackupSchema ./backup-schema.json -Path ./taken.json -Force").ShouldSucceed();
        Assert.Single(replaced.Output);
        Assert.StartsWith("{\"metadata\"", File.ReadAllText(Path.Combine(folder, "taken.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIf_says_what_it_would_do_returns_the_real_runs_counts_and_writes_nothing()
    {
        var (target, folder) = await TargetAsync(products: 10);
        var capture = new CapturingHost();
        using var host = new ModuleHost(folder, capture);
        host.Run($"Backup-Database -Profile source -UserId {A} -Path ./u.json").ShouldSucceed();
        var before = await Dump(target, "SELECT to_jsonb(p)::text FROM products p ORDER BY id");

        var whatIf = Assert.Single(host.Run("Restore-Database ./u.json -Profile target -UserId " + A + " -WhatIf").ShouldSucceed().Output);

        Assert.False((bool)whatIf.Properties["Committed"].Value);
        Assert.Contains(capture.Lines, l => l.StartsWith("What if: Performing the operation \"Restore the backup", StringComparison.Ordinal) && l.Contains("profile 'target'", StringComparison.Ordinal));
        Assert.Equal(before, await Dump(target, "SELECT to_jsonb(p)::text FROM products p ORDER BY id"));

        var real = Assert.Single(host.Run("Restore-Database ./u.json -Profile target -UserId " + A).ShouldSucceed().Output);
        Assert.True((bool)real.Properties["Committed"].Value);
        string Counts(PSObject r) => string.Join(";", Array(r, "Tables").Select(t => $"{t.Properties["Table"].Value}:{t.Properties["Inserted"].Value}/{t.Properties["Skipped"].Value}"));
        Assert.Equal("categories:0/2;products:30/10", Counts(real));
        Assert.Equal(Counts(real), Counts(whatIf));
    }

    [Fact]
    public async Task A_refused_row_fails_the_restore_naming_it_and_SkipFailedRows_reports_each_as_a_non_terminating_error()
    {
        var (target, folder) = await TargetAsync();
        await db.Server.ExecuteAsync(target, "ALTER TABLE products ADD CONSTRAINT cheap CHECK (price < 40)");
        using var host = new ModuleHost(folder);
        host.Run($"Backup-Database -Profile source -UserId {A} -Path ./u.json").ShouldSucceed();

        var failed = host.Run("Restore-Database ./u.json -Profile target");
        var error = Assert.Single(failed.Errors);
        Assert.StartsWith("RestoreFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("Restore failed at products[31] (key ", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("violates check constraint \"cheap\"", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-SkipFailedRows", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("DbAdapter.DbRowFailure", error.TargetObject.GetType().FullName);
        Assert.Empty(failed.Output);
        Assert.Equal(["0"], await Dump(target, "SELECT count(*) FROM categories"));

        var skipped = host.Run("Restore-Database ./u.json -Profile target -SkipFailedRows");
        Assert.Equal(9, skipped.Errors.Count);
        Assert.All(skipped.Errors, e => Assert.StartsWith("RestoreFailed", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.All(skipped.Errors, e => Assert.Equal("DbAdapter.DbRowFailure", e.TargetObject.GetType().FullName));
        var result = Assert.Single(skipped.Output);
        Assert.True((bool)result.Properties["Committed"].Value);
        var products = Array(result, "Tables")[1];
        Assert.Equal((31L, 9L), ((long)products.Properties["Inserted"].Value, (long)products.Properties["Failed"].Value));
        Assert.Equal(Enumerable.Range(31, 9).Select(i => (long)i).ToArray(), Array(products, "Failures").Select(f => (long)f.Properties["RowIndex"].Value).ToArray());
        Assert.Equal(["31"], await Dump(target, "SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task Stopping_a_backup_leaves_no_file_and_stopping_a_restore_commits_nothing_within_two_seconds()
    {
        var (target, folder) = await TargetAsync();
        using var host = new ModuleHost(folder, new CapturingHost());
        host.Run($"Backup-Database -Profile source -UserId {A} -Path ./u.json").ShouldSucceed();

        // Another session holds products: the backup waits for it inside its snapshot, the restore
        // (only writers are kept out) after it has written the categories inside its transaction.
        await using (await HoldAsync(db.Source, "products", "ACCESS EXCLUSIVE"))
        {
            await StopWhileBlockedAsync(host, $"Backup-Database -Profile source -UserId {A} -Path ./stopped.json", db.Source);
        }

        Assert.Equal(["backup-schema.json", "db.toml", "u.json"], Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());

        await using (await HoldAsync(target, "products", "EXCLUSIVE"))
        {
            var elapsed = await StopWhileBlockedAsync(host, "Restore-Database ./u.json -Profile target", target);
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the restore stopped {elapsed} after Stop()");
        }

        Assert.Equal(["0|0"], await Dump(target, "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));
        Assert.Equal(["0"], await Dump(target, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
    }

    [Fact]
    public async Task A_restore_that_waits_longer_than_the_profiles_lock_timeout_stops_naming_the_blocking_session()
    {
        var (target, folder) = await TargetAsync();
        File.WriteAllText(Path.Combine(folder, "db.toml"), File.ReadAllText(Path.Combine(folder, "db.toml")).Replace("[profiles.target]\n", "[profiles.target]\nlock_timeout = \"1s\"\n", StringComparison.Ordinal));
        using var host = new ModuleHost(folder);
        host.Run($"Backup-Database -Profile source -UserId {A} -Path ./u.json").ShouldSucceed();

        await using (await HoldAsync(target, "products", "EXCLUSIVE"))
        {
            var error = Assert.Single(host.Run("Restore-Database ./u.json -Profile target").Errors);
            Assert.StartsWith("LockTimeout", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("waited longer than its lock timeout (1 s)", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("(user postgres, application 'psql'", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("holding ExclusiveLock on public.products", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal(["0"], await Dump(target, "SELECT count(*) FROM categories"));
    }

    /// <summary>Holds a lock of <paramref name="mode"/> on <paramref name="table"/> from another session until disposed.</summary>
    private async Task<IAsyncDisposable> HoldAsync(string database, string table, string mode)
    {
        var tag = Guid.NewGuid().ToString("N");
        var holder = Task.Run(() => db.Server.ExecuteAsync(database, $"BEGIN; LOCK TABLE {table} IN {mode} MODE; SELECT pg_sleep(30) /* {tag} */; COMMIT;"));
        await LockWaiter.WaitForLockAsync(db.Server, database, table, string.Concat(mode.Split(' ').Select(w => w[0] + w[1..].ToLowerInvariant())) + "Lock");
        return new Release(async () =>
        {
            await db.Server.ExecuteAsync(database, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%{tag}%' AND pid <> pg_backend_pid()");
            await Record.ExceptionAsync(() => holder);
        });
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    /// <summary>
    /// Starts <paramref name="script"/>; once its session waits for the lock another session holds in
    /// <paramref name="database"/>, stops it and returns how long Stop took to end it.
    /// </summary>
    private async Task<TimeSpan> StopWhileBlockedAsync(ModuleHost host, string script, string database)
    {
        var (shell, handle) = host.Start(script);
        using (shell)
        {
            await Task.Delay(2000);
            Assert.False(handle.IsCompleted, $"{script} ended before it could be stopped");
            Assert.Equal("1", await db.Server.ScalarAsync(database, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"));
            var stopping = Stopwatch.StartNew();
            shell.Stop();
            await Assert.ThrowsAnyAsync<PipelineStoppedException>(() => Task.Factory.FromAsync(handle, shell.EndInvoke));
            var elapsed = stopping.Elapsed;

            // The progress bar is closed on Ctrl+C too: on the stream when the runtime still takes it, else on the host itself.
            var records = shell.Streams.Progress.Concat(host.Capture?.Host.Progress ?? []).ToList();
            Assert.Contains(records, p => p.RecordType == ProgressRecordType.Processing);
            Assert.Contains(records, p => p.RecordType == ProgressRecordType.Completed);
            return elapsed;
        }
    }
}
