using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>
/// Shadow mode through the built module: -ShadowDatabase (a profile name or a URL) and [schema] shadow
/// = true give the same verdicts as the reader on a file it can read, say so in ExpectedFrom, and a
/// plan made in shadow mode repairs from the throwaway database's catalog.
/// </summary>
public sealed class ShadowCmdletTests(SchemaDatabases db) : IClassFixture<SchemaDatabases>, IAsyncLifetime
{
    // The role of the profiles creates the throwaway databases; the fixture is this class's own.
    public Task InitializeAsync() => db.ExecuteAsync($"ALTER ROLE {db.Role} CREATEDB;");

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A profile "shadow" on the server itself, never a pooler (shadow mode needs one session and makes
    /// databases a pooler does not know): in a pooled run the other profiles go through PgBouncer.
    /// </summary>
    private string ShadowProfile => $"\n[profiles.shadow]\nurl = \"{db.Server.DirectUri(db.Full, db.Role, SchemaDatabases.Password)}?sslmode=disable\"\n";

    private string NewFolder(string? toml = null) => db.NewFolder((toml ?? db.SchemaToml()) + ShadowProfile);

    [Fact]
    public async Task Test_DbSchema_with_a_shadow_profile_reports_ExpectedFrom_Shadow_and_the_verdicts_of_the_reader()
    {
        using var host = new ModuleHost(NewFolder());

        var result = host.Run("Test-DbSchema -Profile full -ShadowDatabase shadow -Strict -Verbose; Test-DbSchema -Profile drifted -ShadowDatabase shadow; Test-DbSchema -Profile drifted").ShouldSucceed();

        var reports = result.Output;
        Assert.Equal(["Shadow", "Shadow", "Reader"], reports.Select(r => (string)r.Properties["ExpectedFrom"].Value).ToArray());
        Assert.True((bool)reports[0].Properties["IsValid"].Value);
        Assert.Equal(0, reports[0].Properties["ErrorCount"].Value);
        Assert.Equal(Missing(reports[2]), Missing(reports[1]));
        Assert.Equal(5, reports[1].Properties["ErrorCount"].Value);
        Assert.Contains(result.Verbose, v => v.Message.Contains("Shadow mode", StringComparison.Ordinal));
        Assert.Equal("0", await db.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname LIKE 'dbadapter\\_shadow\\_%' AND datdba = (SELECT oid FROM pg_roles WHERE rolname = '{db.Role}')"));
    }

    [Fact]
    public async Task Shadow_true_in_db_toml_plans_from_the_catalog_and_the_plan_repairs_the_database()
    {
        var name = await db.CreateOwnedAsync("shadowfix", SchemaDatabases.DriftedSql + "DROP TABLE products; DELETE FROM items;");
        var toml = db.SchemaToml().Replace("[schema]", "[schema]\nshadow = true", StringComparison.Ordinal) +
            $"\n[profiles.target]\nurl = \"{db.Url(name)}\"\npassword_env = \"DBADAPTER_TEST_SCHEMA_PW\"\n{db.PoolingLine}\n";
        var folder = db.NewFolder(toml);
        File.WriteAllText(Path.Combine(folder, "reader.toml"), toml.Replace("shadow = true\n", string.Empty, StringComparison.Ordinal));
        using var host = new ModuleHost(folder);
        if (db.Server.ThroughPooler)
        {
            // The profile's own server is reached through PgBouncer here: shadow mode says it cannot go that way.
            var refused = Assert.Single(host.Run("Test-DbSchema -Profile target").Errors);
            Assert.StartsWith("ShadowDatabaseFailed", refused.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("transaction pooler", refused.Exception.Message, StringComparison.Ordinal);
            return;
        }

        var plan = Assert.Single(host.Run("Get-DbFixPlan -Profile target").ShouldSucceed().Output);

        var steps = ((object[])plan.Properties["Steps"].Value).Select(PSObject.AsPSObject).ToList();
        var create = steps.Single(s => (string)s.Properties["Operation"].Value == "CreateTable");
        var statements = (string[])create.Properties["Statements"].Value;
        Assert.Equal("SET LOCAL search_path TO \"public\"", statements[0]);
        Assert.StartsWith("CREATE SEQUENCE \"public\".\"products_id_seq\" AS integer", statements[1], StringComparison.Ordinal);
        Assert.Contains("\"id\" integer DEFAULT nextval('products_id_seq'::regclass) NOT NULL", statements[2], StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"products_category_id_fkey\" FOREIGN KEY (\"category_id\") REFERENCES \"public\".\"categories\" (\"id\")", statements[2], StringComparison.Ordinal);
        Assert.Equal("ALTER SEQUENCE \"public\".\"products_id_seq\" OWNED BY \"public\".\"products\".\"id\"", statements[3]);
        Assert.Equal(3, steps.Count(s => (string)s.Properties["Operation"].Value == "AddColumn"));

        host.Run("Get-DbFixPlan -Profile target | Invoke-DbFix -Confirm:$false").ShouldSucceed();

        var after = Assert.Single(host.Run("Test-DbSchema -Profile target -Strict; ").ShouldSucceed().Output);
        Assert.True((bool)after.Properties["IsValid"].Value);
        Assert.Equal("Shadow", after.Properties["ExpectedFrom"].Value);
        var reader = Assert.Single(host.Run("Test-DbSchema -Profile target -Strict -ConfigPath reader.toml").ShouldSucceed().Output);
        Assert.Equal("Reader", reader.Properties["ExpectedFrom"].Value);
        Assert.True((bool)reader.Properties["IsValid"].Value, string.Join("; ", (object[])reader.Properties["Differences"].Value));
    }

    [Fact]
    public void A_report_made_in_shadow_mode_is_planned_in_shadow_mode_and_Connect_validates_with_a_url_without_showing_its_password()
    {
        using var host = new ModuleHost(db.NewFolder());
        var url = db.Server.DirectUri(db.Full, db.Role, SchemaDatabases.Password) + "?sslmode=disable";
        var variables = new Dictionary<string, object?> { ["shadow"] = url };

        var plan = Assert.Single(host.Run("Test-DbSchema -Profile drifted -ShadowDatabase $shadow | Get-DbFixPlan", variables).ShouldSucceed().Output);
        var steps = ((object[])plan.Properties["Steps"].Value).Select(PSObject.AsPSObject).ToList();
        var b = steps.Single(s => (string)s.Properties["Column"].Value == "b");
        Assert.Equal(["SET LOCAL search_path TO \"public\"", "ALTER TABLE \"public\".\"items\" ADD COLUMN \"b\" character varying(100)"], (string[])b.Properties["Statements"].Value);

        // A shadow-mode plan is exported with how it was made, never with the connection string.
        var export = host.Run("Test-DbSchema -Profile drifted -ShadowDatabase $shadow | Get-DbFixPlan | Export-DbFixPlan -Path ./shadow-plan.json", variables).ShouldSucceed();
        var file = File.ReadAllText(Assert.IsType<FileInfo>(Assert.Single(export.Output).BaseObject).FullName);
        Assert.Contains("\"from\": \"shadow\"", file, StringComparison.Ordinal);
        Assert.Contains("\"shadow_by_connection_string\": true", file, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(SchemaDatabases.Password), file, StringComparison.Ordinal);
        Assert.DoesNotContain("postgresql://", file, StringComparison.Ordinal);

        // Applying it needs that shadow database again: it is not guessed, and the reader is not used instead.
        var refused = Assert.Single(host.Run("Import-DbFixPlan ./shadow-plan.json").Errors);
        Assert.StartsWith("ShadowDatabaseFailed", refused.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("never records", refused.Exception.Message, StringComparison.Ordinal);
        var imported = Assert.Single(host.Run("Import-DbFixPlan ./shadow-plan.json -ShadowDatabase $shadow", variables).ShouldSucceed().Output);
        Assert.Equal(steps.Count, ((object[])imported.Properties["Steps"].Value).Length);

        var connect = host.Run("Connect-DbProfile full -ShadowDatabase $shadow -Verbose", variables).ShouldSucceed();
        var info = Assert.Single(connect.Output);
        Assert.Equal(true, info.Properties["SchemaValidated"].Value);
        Assert.Equal("Shadow", PSObject.AsPSObject(info.Properties["SchemaReport"].Value).Properties["ExpectedFrom"].Value);
        Assert.DoesNotContain(SchemaDatabases.Password, connect.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(SchemaDatabases.Password), connect.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_made_in_shadow_mode_from_a_migration_style_file_is_exported_then_imported_in_a_new_session_and_applied()
    {
        // Only shadow mode models this file: a DO block adds the column.
        var name = await db.CreateOwnedAsync("shadowplan", "CREATE TABLE notes (id serial PRIMARY KEY); INSERT INTO notes DEFAULT VALUES;");
        var folder = db.NewFolder(db.SchemaToml() + $"\n[profiles.target]\nurl = \"{db.Url(name)}\"\npassword_env = \"DBADAPTER_TEST_SCHEMA_PW\"\n{db.PoolingLine}\n" + ShadowProfile);
        File.WriteAllText(Path.Combine(folder, "schema.sql"), "CREATE TABLE notes (id serial PRIMARY KEY);\nDO $$ BEGIN EXECUTE 'ALTER TABLE notes ADD COLUMN body text DEFAULT ''x'''; END $$;\n");
        using (var planner = new ModuleHost(folder))
        {
            planner.Run("Get-DbFixPlan -Profile target -ShadowDatabase shadow | Export-DbFixPlan -Path ./plan.json").ShouldSucceed();
        }

        using var runbook = new ModuleHost(folder);
        var applied = runbook.Run("Import-DbFixPlan ./plan.json -Verbose | Invoke-DbFix -Confirm:$false").ShouldSucceed();

        var result = Assert.Single(applied.Output);
        Assert.True((bool)result.Properties["Success"].Value);
        Assert.Equal(1, result.Properties["ColumnsAdded"].Value);
        Assert.Contains(applied.Verbose, v => v.Message.Contains("made in shadow mode", StringComparison.Ordinal));
        var after = Assert.Single(runbook.Run("Test-DbSchema -Profile target -ShadowDatabase shadow -Strict").ShouldSucceed().Output);
        Assert.True((bool)after.Properties["IsValid"].Value);
        Assert.Equal(["x"], await db.Server.QueryAsync(name, "SELECT body FROM notes"));
    }

    [Fact]
    public void A_statement_the_shadow_database_refuses_is_a_SchemaFileInvalid_error_with_file_and_line()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "schema.sql"), SchemaDatabases.SchemaSql + "\nALTER TABLE items ADD COLUMN x no_such_type;\n");
        using var host = new ModuleHost(folder);

        var result = host.Run("Test-DbSchema -Profile full -ShadowDatabase shadow");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("SchemaFileInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("schema.sql: line 12: the statement failed in the shadow database: type \"no_such_type\" does not exist", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    private static string[] Missing(PSObject report) =>
        ((object[])report.Properties["MissingColumns"].Value).Select(PSObject.AsPSObject)
            .Select(c => $"{c.Properties["Table"].Value}.{c.Properties["Column"].Value}").Order(StringComparer.Ordinal).ToArray();
}
