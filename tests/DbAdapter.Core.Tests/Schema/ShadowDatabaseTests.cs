using System.Text.RegularExpressions;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Client;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Shadow mode: the file runs in a throwaway database of the engine's own making, the one introspector
/// reads it back, and the database is gone afterwards, whatever happened.
/// </summary>
public sealed partial class ShadowDatabaseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // Migrations concatenated: DDL inside DO blocks, a rename and a drop a reader cannot follow.
    private const string Migrations = """
        -- 001_init
        CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL);
        -- 002_profiles
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'profiles') THEN
                EXECUTE 'CREATE TABLE profiles (account_id bigint REFERENCES accounts(id), nick varchar(30), bio text)';
            END IF;
        END $$;
        -- 003_rename
        DO $$ BEGIN
            EXECUTE 'ALTER TABLE profiles RENAME COLUMN nick TO handle';
            EXECUTE 'ALTER TABLE profiles DROP COLUMN bio';
            EXECUTE format('ALTER TABLE %I ADD COLUMN %I %s', 'accounts', 'created_at', 'timestamptz DEFAULT now()');
        END $$;
        -- 004_cleanup
        CREATE ROLE dbadapter_shadow_test_role;
        GRANT SELECT ON accounts TO dbadapter_shadow_test_role;
        ALTER TABLE accounts OWNER TO dbadapter_missing_owner;
        """;

    [Fact]
    public async Task A_migration_file_with_do_blocks_is_the_schema_the_server_made_and_the_throwaway_database_is_dropped()
    {
        using var folder = new TempFolder();
        var file = folder.Write("migrations.sql", Migrations);
        var live = await database.CreateSiblingAsync("shadowlive");
        await database.Server.ExecuteAsync(live, Migrations.Replace("CREATE ROLE dbadapter_shadow_test_role;", string.Empty).Replace("GRANT SELECT ON accounts TO dbadapter_shadow_test_role;", string.Empty).Replace("ALTER TABLE accounts OWNER TO dbadapter_missing_owner;", string.Empty));
        var reporter = new RecordingReporter();

        var model = await ShadowDatabase.BuildAsync(TestTargets.For(database.Server.DirectConnectionString(database.Name)), file, Public, reporter, CancellationToken.None);

        Assert.True(model.FromCatalog);
        Assert.Equal(file, model.SourceFile);
        Assert.Equal(["accounts", "profiles"], model.Tables.Select(t => t.Name).ToArray());
        Assert.Equal(["account_id", "handle"], model.FindTable("public", "profiles")!.Columns.Select(c => c.Name).ToArray());
        AssertIdentical(await CompareAsync(database.Server.ConnectionString(live), model));

        var name = ShadowName(reporter);
        Assert.Equal("0", await database.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
        Assert.Equal("0", await database.ScalarAsync("SELECT count(*) FROM pg_roles WHERE rolname = 'dbadapter_shadow_test_role'"));
        Assert.Contains(reporter.VerboseLines, l => l.Contains("(line 17)", StringComparison.Ordinal) && l.Contains("roles", StringComparison.Ordinal));
        Assert.Contains(reporter.VerboseLines, l => l.Contains("(line 18)", StringComparison.Ordinal) && l.Contains("privileges", StringComparison.Ordinal));
        Assert.Contains(reporter.VerboseLines, l => l.Contains("(line 19)", StringComparison.Ordinal) && l.Contains("ownership", StringComparison.Ordinal));
        Assert.True(reporter.Records[^1].Completed);
    }

    [Fact]
    public async Task A_statement_that_fails_in_the_shadow_database_names_the_file_and_line_and_the_database_is_dropped()
    {
        using var folder = new TempFolder();
        var file = folder.Write("broken.sql", "CREATE TABLE a (id int);\n\nCREATE TABLE b (\n    id int,\n    a_id int REFERENCES nowhere(id)\n);\n");
        var reporter = new RecordingReporter();

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => ShadowDatabase.BuildAsync(TestTargets.For(database.Server.DirectConnectionString(database.Name)), file, Public, reporter, CancellationToken.None));

        Assert.Equal(ErrorIds.SchemaFileInvalid, error.ErrorId);
        Assert.StartsWith($"{file}: line 3: the statement failed in the shadow database: relation \"nowhere\" does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await database.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname = '{ShadowName(reporter)}'"));
        Assert.True(reporter.Records[^1].Completed);
    }

    [Fact]
    public async Task Cancelling_while_the_file_runs_drops_the_database_all_the_same()
    {
        using var folder = new TempFolder();
        var file = folder.Write("slow.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n");
        var reporter = new RecordingReporter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ShadowDatabase.BuildAsync(TestTargets.For(database.Server.DirectConnectionString(database.Name)), file, Public, reporter, cancel.Token));

        Assert.Equal("0", await database.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname = '{ShadowName(reporter)}'"));
    }

    [Fact]
    public async Task A_role_that_may_not_create_databases_is_told_so_plainly()
    {
        await database.ExecuteAsync("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dbadapter_nocreatedb') THEN
                    CREATE ROLE dbadapter_nocreatedb LOGIN PASSWORD 'pw' NOCREATEDB;
                END IF;
            END $$;
            """);
        using var folder = new TempFolder();
        var file = folder.Write("schema.sql", "CREATE TABLE a (id int);");
        var target = TestTargets.For(database.Server.ConnectionString(database.Name, "dbadapter_nocreatedb", "pw"));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => ShadowDatabase.BuildAsync(target, file, Public, NullReporter.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.ShadowDatabaseFailed, error.ErrorId);
        Assert.Equal(DbErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("role 'dbadapter_nocreatedb' may not create databases (CREATEDB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALTER ROLE \"dbadapter_nocreatedb\" CREATEDB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_behind_a_transaction_pooler_is_refused_before_anything_is_created()
    {
        using var folder = new TempFolder();
        var file = folder.Write("schema.sql", "CREATE TABLE a (id int);");
        var pooled = new DbAdapter.Core.Profiles.ConnectionTarget(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString), "test", "postgres", null, Public, "transaction");

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => ShadowDatabase.BuildAsync(pooled, file, Public, NullReporter.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.ShadowDatabaseFailed, error.ErrorId);
        Assert.Contains("transaction pooler", error.Message, StringComparison.Ordinal);
    }

    private static string ShadowName(RecordingReporter reporter) =>
        reporter.VerboseLines.Select(l => ShadowNamePattern().Match(l)).First(m => m.Success).Value;

    [GeneratedRegex(@"dbadapter_shadow_[0-9a-f]{32}")]
    private static partial Regex ShadowNamePattern();
}
