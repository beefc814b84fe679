using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.PowerShell.Tests;

/// <summary>
/// A profile that has only the Data API, through the built module: Backup-Database and the source of
/// Sync-DbProfile read through it (an in-test PostgREST over the real source database); every command
/// that needs PostgreSQL refuses it with DatabaseUrlRequired; the key shows up in no stream.
/// </summary>
public sealed class DataApiCmdletTests(BackupDatabases db) : IClassFixture<BackupDatabases>
{
    private const string A = BackupDatabases.UserA;
    private const string KeyVariable = "DBADAPTER_TEST_PS_SUPABASE_KEY";
    private const string Key = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.cHMtdGVzdC1zZXJ2aWNlLWtleQ";

    private async Task<(string Target, string Folder, DataApiEndpoint Api)> SetUpAsync()
    {
        var target = await db.CreateAsync("da_target", 0);
        var api = DataApiEndpoint.Start(db.Server, db.Source, Key);
        api.MaxRows = 15;
        var folder = db.NewFolder(target, $"""
            [profiles.api]
            provider = "supabase"
            supabase_url = "{api.ProjectUrl}"
            supabase_key_env = "{KeyVariable}"

            [schema]
            backup_schema = "backup-schema.json"
            """);
        File.WriteAllText(Path.Combine(folder, "schema.sql"), BackupDatabases.SchemaSql);
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        return (target, folder, api);
    }

    [Fact]
    public async Task Backup_and_sync_read_through_the_Data_API_and_the_key_is_in_no_stream_even_with_Verbose()
    {
        var (target, folder, api) = await SetUpAsync();
        await using var _ = api;
        using var host = new ModuleHost(folder);

        var listed = Assert.Single(host.Run("Get-DbProfile api").ShouldSucceed().Output);
        Assert.Equal(("supabase", "127.0.0.1", api.Port), ((string)listed.Properties["Provider"].Value, (string)listed.Properties["Host"].Value, (int)listed.Properties["Port"].Value));

        var result = host.Run($"""
            Backup-Database -Profile api -UserId {A} -Path ./api.json -Verbose
            Backup-Database -Profile source -UserId {A} -Path ./db.json
            Sync-DbProfile -Source api -Destination target -UserId {A} -Verbose
            """).ShouldSucceed();

        Assert.Equal(["DbAdapter.DbBackupResult", "DbAdapter.DbBackupResult", "DbAdapter.DbSyncResult"], result.Output.Select(o => o.BaseObject.GetType().FullName));
        static string Rows(PSObject backup) => string.Join(",", ((object[])backup.Properties["Tables"].Value).Select(PSObject.AsPSObject).Select(t => $"{t.Properties["Table"].Value}={t.Properties["Rows"].Value}"));
        Assert.Equal("categories=2,products=40", Rows(result.Output[0]));
        Assert.Equal(Rows(result.Output[1]), Rows(result.Output[0]));
        Assert.Equal("api", result.Output[2].Properties["Source"].Value);
        Assert.True((bool)result.Output[2].Properties["Committed"].Value);
        Assert.Equal(
            await db.Server.QueryAsync(db.Source, BackupDatabases.ProductsDump),
            await db.Server.QueryAsync(target, BackupDatabases.ProductsDump));

        // Only reads reached the Data API; verbose says it was used; progress closes.
        Assert.All(api.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(result.Verbose, v => v.Message.Contains("through the Data API", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last(p => p.ActivityId == 2).RecordType);
        Assert.DoesNotContain(Key, result.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(Path.Combine(folder, "api.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_that_needs_PostgreSQL_refuses_a_Data_API_profile_and_writes_nothing()
    {
        var (target, folder, api) = await SetUpAsync();
        await using var _ = api;
        using var host = new ModuleHost(folder);
        host.Run($"Backup-Database -Profile source -UserId {A} -Path ./b.json").ShouldSucceed();

        var result = host.Run("""
            Connect-DbProfile api -ErrorAction Continue
            Test-DbSchema -Profile api -SchemaFile ./schema.sql -ErrorAction Continue
            Get-DbFixPlan -Profile api -SchemaFile ./schema.sql -ErrorAction Continue
            Restore-Database ./b.json -Profile api -ErrorAction Continue
            Sync-DbProfile -Source source -Destination api -ErrorAction Continue
            'went on'
            """);

        Assert.Equal("went on", Assert.Single(result.Output).BaseObject);
        Assert.Equal(5, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("DatabaseUrlRequired,", e.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
            Assert.Contains(e.TargetObject, new object[] { "api", Path.Combine(folder, "b.json") });
            Assert.Contains("Profile 'api'", e.ToString(), StringComparison.Ordinal);
            Assert.Contains("Add url", e.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        });
        Assert.Empty(api.Requests);
        Assert.False(File.Exists(Path.Combine(folder, ".db-profile")));
        Assert.Equal(["0"], await db.Server.QueryAsync(target, "SELECT count(*) FROM products"));
    }

    [Fact]
    public async Task A_wrong_key_is_AuthenticationFailed_naming_the_variable_and_neither_key_is_in_any_stream()
    {
        var (_, folder, api) = await SetUpAsync();
        await using var __ = api;
        using var host = new ModuleHost(folder);
        const string Wrong = "sb_secret_WrongKey-0123456789abcdef";
        Environment.SetEnvironmentVariable(KeyVariable, Wrong);
        try
        {
            var result = host.Run($"Backup-Database -Profile api -UserId {A} -Verbose -ErrorAction Continue; 'went on'");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("AuthenticationFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains(KeyVariable, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Wrong, result.AllText(), StringComparison.Ordinal);
            Assert.DoesNotContain(Key, result.AllText(), StringComparison.Ordinal);
            Assert.Equal(["backup-schema.json"], Directory.GetFiles(folder, "*.json*", SearchOption.AllDirectories).Select(Path.GetFileName));
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last(p => p.ActivityId == 2).RecordType);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KeyVariable, Key);
        }
    }
}
