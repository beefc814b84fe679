using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.PowerShell.Tests;

/// <summary>
/// A supabase profile through the built module, against a database shaped like a Supabase project
/// (<see cref="SupabaseProject"/>) reached as a non-superuser login, as a project's own role is:
/// validation, planning and backup see the user's tables only, naming auth brings it back, and the
/// row-level security on the user's tables stops a backup that would come out empty.
/// </summary>
public sealed class SupabaseCmdletTests(ProfileDatabase db) : IClassFixture<ProfileDatabase>
{
    private const string PasswordEnv = "DBADAPTER_TEST_SUPABASE_PW";

    private static PSObject[] Array(PSObject item, string property) => ((object[])item.Properties[property].Value).Select(PSObject.AsPSObject).ToArray();

    private static string[] Strings(PSObject item, string property) => ((object[])item.Properties[property].Value).Select(v => v.ToString()!).ToArray();

    /// <summary>A project database the fixture's role may read (it owns nothing there), and a folder whose db.toml points at it.</summary>
    private async Task<(string Database, string Folder)> ProjectAsync()
    {
        var name = await db.CreateSiblingAsync("supa");
        await db.Server.ExecuteAsync(name, SupabaseProject.Sql + $"""

            GRANT USAGE ON SCHEMA auth TO {db.Role};
            GRANT SELECT ON ALL TABLES IN SCHEMA public, auth TO {db.Role};
            """);
        Environment.SetEnvironmentVariable(PasswordEnv, ProfileDatabase.Password);
        var folder = Path.Combine(db.Folder, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "schema.sql"), SupabaseProject.DumpSchema);
        File.WriteAllText(Path.Combine(folder, "backup-schema.json"), SupabaseProject.BackupSchemaJson);
        var url = $"postgresql://{db.Role}:[YOUR-PASSWORD]@{db.Server.Host}:{db.Server.Port}/{name}?sslmode=disable";
        db.WriteConfig(
            $"""
            [profiles.project]
            url = "{url}"
            {db.PoolingLine}
            password_env = "{PasswordEnv}"
            provider = "supabase"

            [profiles.project_auth]
            url = "{url}"
            {db.PoolingLine}
            password_env = "{PasswordEnv}"
            provider = "supabase"
            schemas = ["public", "auth"]

            [schema]
            file = "schema.sql"
            backup_schema = "backup-schema.json"
            """,
            folder);
        return (name, folder);
    }

    [Fact]
    public async Task Test_plan_and_backup_of_a_supabase_profile_leave_the_platform_alone_and_naming_auth_brings_it_back()
    {
        var (name, folder) = await ProjectAsync();
        await db.Server.ExecuteAsync(name, "DROP TABLE auth.mfa_factors; ALTER TABLE storage.objects ADD COLUMN version text;");
        using var host = new ModuleHost(folder);

        var result = host.Run("Test-DbSchema -Profile project -Strict; Get-DbFixPlan -Profile project").ShouldSucceed();
        Assert.Empty(result.Warnings);
        var report = result.Output[0];
        Assert.True((bool)report.Properties["IsValid"].Value);
        Assert.Empty(Strings(report, "ExtraTables"));
        Assert.Empty(Strings(report, "MissingTables"));
        Assert.Empty(Array(report, "ExtraObjects"));
        Assert.Empty(Array(report, "ExtraColumns"));
        Assert.False((bool)result.Output[1].Properties["HasChanges"].Value);

        var named = host.Run("Test-DbSchema -Profile project_auth; Get-DbFixPlan -Profile project_auth").ShouldSucceed();
        Assert.Equal(["auth.mfa_factors"], Strings(named.Output[0], "MissingTables"));
        var step = Assert.Single(Array(named.Output[1], "Steps"));
        Assert.Equal(("CreateTable", "auth", "mfa_factors"), (step.Properties["Operation"].Value.ToString(), step.Properties["Schema"].Value, step.Properties["Table"].Value));

        // The user's tables have row-level security and the login owns none of them: a backup would be empty.
        var refused = host.Run($"Backup-Database -Profile project -UserId {SupabaseProject.UserA} -Path ./a.json");
        var error = Assert.Single(refused.Errors);
        Assert.Equal("RowLevelSecurityActive,DbAdapter.PowerShell.Commands.BackupDatabaseCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal("public.profiles, public.notes", error.TargetObject);
        Assert.StartsWith($"Row-level security is active for role '{db.Role}' on public.profiles, public.notes of 'project'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-AllowRowLevelSecurity", error.ErrorDetails?.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "a.json")));

        var shown = host.Run($"Backup-Database -Profile project -UserId {SupabaseProject.UserA} -Path ./a.json -AllowRowLevelSecurity").ShouldSucceed();
        Assert.Equal(["profiles=0", "notes=0"], Array(Assert.Single(shown.Output), "Tables").Select(t => $"{t.Properties["Table"].Value}={t.Properties["Rows"].Value}").ToArray());
        Assert.Contains(shown.Warnings, w => w.Message.StartsWith($"Row-level security is active for role '{db.Role}' on public.profiles, public.notes", StringComparison.Ordinal));

        // Owning the tables (as a project's postgres role owns what its migrations made) reads every row of the user's.
        await db.Server.ExecuteAsync(name, $"ALTER TABLE public.profiles OWNER TO {db.Role}; ALTER TABLE public.notes OWNER TO {db.Role};");
        var owned = host.Run($"Backup-Database -Profile project -UserId {SupabaseProject.UserA} -Path ./b.json").ShouldSucceed();
        Assert.Empty(owned.Warnings);
        Assert.Equal(["profiles=1", "notes=2"], Array(Assert.Single(owned.Output), "Tables").Select(t => $"{t.Properties["Table"].Value}={t.Properties["Rows"].Value}").ToArray());
    }
}
