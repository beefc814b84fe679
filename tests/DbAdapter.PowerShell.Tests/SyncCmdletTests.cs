using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>Sync-DbProfile through the built module, between two real databases: output, every stream, refusals, pipeline binding.</summary>
public sealed class SyncCmdletTests(BackupDatabases db) : IClassFixture<BackupDatabases>
{
    private const string A = BackupDatabases.UserA;

    private async Task<(string Target, string Folder)> TargetAsync(int products = 0, string? extraToml = null)
    {
        var target = await db.CreateAsync("sy_target", products);
        return (target, db.NewFolder(target, extraToml));
    }

    private Task<IReadOnlyList<string>> Dump(string database, string sql = BackupDatabases.ProductsDump) => db.Server.QueryAsync(database, sql);

    private static PSObject[] Tables(PSObject result) => ((object[])result.Properties["Tables"].Value).Select(PSObject.AsPSObject).ToArray();

    private static string Counts(PSObject result) => string.Join(
        ";", Tables(result).Select(t => $"{t.Properties["Table"].Value}:{t.Properties["SourceRows"].Value}/{t.Properties["DestinationRows"].Value} new {t.Properties["New"].Value} existing {t.Properties["Existing"].Value} inserted {t.Properties["Inserted"].Value} skipped {t.Properties["Skipped"].Value}"));

    [Fact]
    public async Task WhatIf_then_a_real_sync_copy_the_users_rows_and_every_stream_is_clean()
    {
        var (target, folder) = await TargetAsync(products: 10);
        var capture = new CapturingHost();
        using var host = new ModuleHost(folder, capture);
        var before = await Dump(target, "SELECT to_jsonb(p)::text FROM products p ORDER BY id");

        var whatIf = host.Run($"Sync-DbProfile -Source source -Destination target -UserId {A} -WhatIf").ShouldSucceed();

        var plan = Assert.Single(whatIf.Output);
        Assert.Equal("DbAdapter.DbSyncResult", plan.BaseObject.GetType().FullName);
        Assert.Equal(("source", "target", A, "Skip", false), ((string)plan.Properties["Source"].Value, (string)plan.Properties["Destination"].Value, (string)plan.Properties["UserId"].Value, (string)plan.Properties["Mode"].Value, (bool)plan.Properties["Committed"].Value));
        Assert.Equal("DbAdapter.DbTableSync", Tables(plan)[0].BaseObject.GetType().FullName);
        Assert.Equal("categories:2/2 new 0 existing 2 inserted 0 skipped 2;products:40/10 new 30 existing 10 inserted 30 skipped 10", Counts(plan));
        Assert.Contains(capture.Lines, l => l.StartsWith($"What if: Performing the operation \"Sync the rows of user {A} from profile 'source' (mode Skip)\" on target \"profile 'target'\".", StringComparison.Ordinal));
        Assert.Equal(before, await Dump(target, "SELECT to_jsonb(p)::text FROM products p ORDER BY id"));

        var real = host.Run($"Sync-DbProfile source target -UserId {A} -Verbose").ShouldSucceed();

        var result = Assert.Single(real.Output);
        Assert.True((bool)result.Properties["Committed"].Value);
        Assert.Equal(Counts(plan), Counts(result));
        Assert.Equal(await Dump(db.Source), await Dump(target));
        Assert.Contains(real.Verbose, v => v.Message.StartsWith($"Committed 30 row(s) of user {A} from 'source' into 'target'", StringComparison.Ordinal));

        // Progress per table, closed at the end.
        Assert.Contains(real.Progress, p => p.ActivityId == 4 && p.StatusDescription.StartsWith("Copying products: 40 rows", StringComparison.Ordinal));
        Assert.Contains(real.Progress, p => p.ActivityId == 4 && p.StatusDescription.StartsWith("products: writing rows", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, real.Progress.Last(p => p.ActivityId == 4).RecordType);
        Assert.DoesNotContain(ProfileDatabase.Password, whatIf.AllText() + real.AllText() + string.Concat(capture.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_destination_defaults_to_the_current_profile_and_binds_from_Get_DbProfile()
    {
        var (target, folder) = await TargetAsync();
        using var host = new ModuleHost(folder);
        Environment.SetEnvironmentVariable(db.UserEnv, A);
        try
        {
            host.Run("Connect-DbProfile target -SkipValidation | Out-Null").ShouldSucceed();
            var current = Assert.Single(host.Run("Sync-DbProfile source -Table products -WhatIf -WarningAction SilentlyContinue").ShouldSucceed().Output);
            Assert.Equal("target", current.Properties["Destination"].Value);

            var piped = host.Run("Get-DbProfile target | Sync-DbProfile -Source source -Mode Overwrite -Confirm:$false");
            var result = Assert.Single(piped.ShouldSucceed().Output);
            Assert.Equal(("target", "Overwrite", true), ((string)result.Properties["Destination"].Value, (string)result.Properties["Mode"].Value, (bool)result.Properties["Committed"].Value));
            Assert.Equal(await Dump(db.Source), await Dump(target));

            // A result piped back in syncs the same profiles and user again: every row matches now.
            var again = Assert.Single(host.Run("$r = Sync-DbProfile source target -WhatIf; $r | Sync-DbProfile -Confirm:$false").ShouldSucceed().Output);
            Assert.Equal("categories:2/2 new 0 existing 2 inserted 0 skipped 2;products:40/40 new 0 existing 40 inserted 0 skipped 40", Counts(again));
        }
        finally
        {
            Environment.SetEnvironmentVariable(db.UserEnv, null);
            host.Run("Disconnect-DbProfile");
        }
    }

    [Fact]
    public async Task Refusals_are_error_records_with_the_id_the_category_the_failing_item_and_advice()
    {
        var (target, folder) = await TargetAsync();
        await db.Server.ExecuteAsync(target, "ALTER TABLE products ADD CONSTRAINT cheap CHECK (price < 40)");
        File.AppendAllText(Path.Combine(folder, "db.toml"), $"""

            [profiles.again]
            url = "{db.Url(target).Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}"
            password_env = "DBADAPTER_TEST_BACKUP_PW"

            [profiles.down]
            url = "postgresql://nobody@127.0.0.1:{ProfileDatabase.ClosedPort}/nowhere"
            """);
        using var host = new ModuleHost(folder);

        var same = Assert.Single(host.Run($"Sync-DbProfile target again -UserId {A}").Errors);
        Assert.StartsWith("SameProfile,", same.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal((ErrorCategory.InvalidArgument, (object)"again"), (same.CategoryInfo.Category, same.TargetObject));
        Assert.Contains("-Destination", same.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

        var down = Assert.Single(host.Run($"Sync-DbProfile down target -UserId {A}").Errors);
        Assert.StartsWith("ConnectionFailed,", down.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal((ErrorCategory.ConnectionError, (object)"down"), (down.CategoryInfo.Category, down.TargetObject));
        Assert.Contains("'down'", down.Exception.Message, StringComparison.Ordinal);

        var unknown = Assert.Single(host.Run($"Sync-DbProfile nope target -UserId {A}").Errors);
        Assert.StartsWith("ProfileNotFound,", unknown.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("-Source and -Destination", unknown.ErrorDetails.RecommendedAction, StringComparison.Ordinal);

        var failed = host.Run($"Sync-DbProfile source target -UserId {A}; 'went on'");
        var row = Assert.Single(failed.Errors);
        Assert.StartsWith("SyncFailed,", row.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidData, row.CategoryInfo.Category);
        Assert.Equal("DbAdapter.DbRowFailure", row.TargetObject.GetType().FullName);
        Assert.Contains("of 'source', inserting it: new row for relation \"products\" violates check constraint \"cheap\"", row.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("went on", Assert.Single(failed.Output).BaseObject);
        Assert.Equal(["0|0"], await Dump(target, "SELECT (SELECT count(*) FROM categories) || '|' || (SELECT count(*) FROM products)"));
        Assert.DoesNotContain(ProfileDatabase.Password, same.ToString() + down + row, StringComparison.Ordinal);
    }
}
