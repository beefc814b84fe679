using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>Test-DbSchema and validation on connect, through the built module, against real databases.</summary>
public sealed class SchemaCmdletTests(SchemaDatabases db) : IClassFixture<SchemaDatabases>
{
    private static string Prefix() => "S" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";

    [Fact]
    public void A_database_built_from_schema_sql_is_valid_even_strict()
    {
        using var host = new ModuleHost(db.NewFolder());
        var report = Assert.Single(host.Run("Test-DbSchema -Profile full -Strict").ShouldSucceed().Output);
        Assert.Equal("DbAdapter.DbSchemaReport", report.BaseObject.GetType().FullName);
        Assert.True((bool)report.Properties["IsValid"].Value);
        Assert.Equal(0, report.Properties["ErrorCount"].Value);
        Assert.Empty((Array)report.Properties["Differences"].Value);
        Assert.Empty((Array)report.Properties["MissingColumns"].Value);
        Assert.Equal("full", report.Properties["Profile"].Value);
        Assert.EndsWith("schema.sql", (string)report.Properties["SchemaFile"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drifted_database_is_a_report_with_exactly_the_missing_columns()
    {
        using var host = new ModuleHost(db.NewFolder());
        var result = host.Run("Test-DbSchema -Profile drifted").ShouldSucceed();
        var report = Assert.Single(result.Output);
        Assert.False((bool)report.Properties["IsValid"].Value);
        Assert.Equal(5, report.Properties["ErrorCount"].Value);
        var missing = ((object[])report.Properties["MissingColumns"].Value).Select(PSObject.AsPSObject)
            .Select(c => $"{c.Properties["Table"].Value}.{c.Properties["Column"].Value}").OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(["items.b", "items.e", "items.f", "products.active", "products.price"], missing);
        Assert.Empty((string[])report.Properties["MissingTables"].Value);
        Assert.Empty((string[])report.Properties["ExtraTables"].Value);
    }

    [Fact]
    public void An_edit_of_schema_sql_between_two_calls_of_a_session_is_seen_by_the_next_call()
    {
        // The session reuses the parse of bytes it has read; an edited file must never be compared as it was.
        var folder = db.NewFolder();
        var file = Path.Combine(folder, "schema.sql");
        using var host = new ModuleHost(folder);
        Assert.Equal([true, true], host.Run("Test-DbSchema -Profile full -Quiet; Test-DbSchema -Profile full -Quiet").ShouldSucceed().Output.Select(o => (bool)o.BaseObject));

        File.WriteAllText(file, SchemaDatabases.SchemaSql.Replace("G VARCHAR(50));", "G VARCHAR(50), H INTEGER);", StringComparison.Ordinal));
        var report = Assert.Single(host.Run("Test-DbSchema -Profile full").ShouldSucceed().Output);
        var missing = Assert.Single((object[])report.Properties["MissingColumns"].Value);
        Assert.Equal("items.h", $"{PSObject.AsPSObject(missing).Properties["Table"].Value}.{PSObject.AsPSObject(missing).Properties["Column"].Value}");

        File.WriteAllText(file, SchemaDatabases.SchemaSql);
        Assert.True((bool)Assert.Single(host.Run("Test-DbSchema -Profile full -Quiet").ShouldSucceed().Output).BaseObject);
    }

    [Fact]
    public void Quiet_returns_only_a_boolean()
    {
        using var host = new ModuleHost(db.NewFolder());
        var result = host.Run("Test-DbSchema -Profile full -Quiet; Test-DbSchema -Profile drifted -Quiet").ShouldSucceed();
        Assert.Equal([true, false], result.Output.Select(o => (bool)o.BaseObject).ToArray());
    }

    [Fact]
    public void Profiles_from_the_pipeline_are_each_checked_and_an_unreachable_one_does_not_stop_the_rest()
    {
        using var host = new ModuleHost(db.NewFolder());
        var result = host.Run("Get-DbProfile full, refused, drifted | Test-DbSchema");
        Assert.Equal(["full", "drifted"], result.Output.Select(o => (string)o.Properties["Profile"].Value).ToArray());
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ConnectionFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Null(result.Terminating);
        Assert.DoesNotContain(SchemaDatabases.Password, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_validates_and_refuses_to_make_a_drifted_database_current()
    {
        var folder = db.NewFolder();
        File.WriteAllText(Path.Combine(folder, ".db-profile"), "full");
        using var host = new ModuleHost(folder);
        var prefix = Prefix();
        var result = host.Run($"Connect-DbProfile drifted -EnvPrefix {prefix}");
        var info = Assert.Single(result.Output);
        Assert.Equal(false, info.Properties["SchemaValidated"].Value);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("SchemaValidationFailed", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("DbAdapter.DbSchemaReport", error.TargetObject.GetType().FullName);
        Assert.Equal("full", File.ReadAllText(Path.Combine(folder, ".db-profile")).Trim());
        var current = Assert.Single(host.Run($"Get-DbProfile -Current -EnvPrefix {prefix}").ShouldSucceed().Output);
        Assert.Equal("full", current.Properties["Name"].Value);
        Assert.Equal("LockFile", current.Properties["CurrentSource"].Value);

        var ok = Assert.Single(host.Run($"Connect-DbProfile full -EnvPrefix {prefix}").ShouldSucceed().Output);
        Assert.Equal(true, ok.Properties["SchemaValidated"].Value);
        Assert.NotNull(ok.Properties["SchemaReport"].Value);

        var skipped = Assert.Single(host.Run($"Connect-DbProfile drifted -SkipValidation -EnvPrefix {prefix}").ShouldSucceed().Output);
        Assert.Null(skipped.Properties["SchemaValidated"].Value);
        Assert.Equal("drifted", File.ReadAllText(Path.Combine(folder, ".db-profile")).Trim());
    }

    [Fact]
    public void Validation_off_connects_without_validating()
    {
        using var host = new ModuleHost(db.NewFolder(db.SchemaToml(validateOnConnect: false)));
        var info = Assert.Single(host.Run($"Connect-DbProfile drifted -EnvPrefix {Prefix()}").ShouldSucceed().Output);
        Assert.Null(info.Properties["SchemaValidated"].Value);
    }

    [Fact]
    public void A_configured_schema_file_that_is_missing_is_an_error()
    {
        var folder = db.NewFolder(db.SchemaToml(schemaFile: "nope.sql"));
        using var host = new ModuleHost(folder);
        var connect = host.Run($"Connect-DbProfile full -EnvPrefix {Prefix()}");
        Assert.StartsWith("SchemaFileNotFound", Assert.Single(connect.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("nope.sql", connect.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, ".db-profile")));

        var test = host.Run("Test-DbSchema -Profile full");
        Assert.StartsWith("SchemaFileNotFound", Assert.Single(test.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_counts_differences_as_errors()
    {
        var name = await db.CreateOwnedAsync("typed", SchemaDatabases.SchemaSql.Replace("G VARCHAR(50)", "G VARCHAR(80)", StringComparison.Ordinal));
        var folder = db.NewFolder(db.SchemaToml() + $"\n[profiles.typed]\nurl = \"{db.Url(name)}\"\npassword_env = \"DBADAPTER_TEST_SCHEMA_PW\"\n");
        using var host = new ModuleHost(folder);
        var lax = Assert.Single(host.Run("Test-DbSchema -Profile typed").ShouldSucceed().Output);
        Assert.True((bool)lax.Properties["IsValid"].Value);
        var difference = PSObject.AsPSObject(Assert.Single((object[])lax.Properties["Differences"].Value));
        Assert.Equal("items", difference.Properties["Table"].Value);
        Assert.Equal("g", difference.Properties["Column"].Value);
        Assert.Equal("Type", difference.Properties["Kind"].Value);
        Assert.Equal("character varying(50)", difference.Properties["Expected"].Value);
        Assert.Equal("character varying(80)", difference.Properties["Actual"].Value);
        var strict = Assert.Single(host.Run("Test-DbSchema -Profile typed -Strict").ShouldSucceed().Output);
        Assert.False((bool)strict.Properties["IsValid"].Value);
        Assert.Equal(1, strict.Properties["ErrorCount"].Value);
    }

    [Fact]
    public void A_schema_file_without_tables_is_SchemaFileInvalid_naming_the_file()
    {
        var folder = db.NewFolder();
        File.WriteAllText(Path.Combine(folder, "empty.sql"), "-- nothing here\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n");
        using var host = new ModuleHost(folder);
        var result = host.Run("Test-DbSchema -Profile full -SchemaFile ./empty.sql");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("SchemaFileInvalid", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("empty.sql", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_file_that_cannot_be_read_is_reported_before_the_database_is_reached()
    {
        // The file is read while the catalog is: its error still wins over the unreachable server's.
        var folder = db.NewFolder();
        File.WriteAllText(Path.Combine(folder, "empty.sql"), "-- nothing here\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n");
        using var host = new ModuleHost(folder);
        var result = host.Run("Test-DbSchema -Profile refused -SchemaFile ./empty.sql; Connect-DbProfile refused -SchemaFile ./empty.sql");
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("SchemaFileInvalid", result.Errors[0].FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.StartsWith("ConnectionFailed", result.Errors[1].FullyQualifiedErrorId, StringComparison.Ordinal);
    }
}
