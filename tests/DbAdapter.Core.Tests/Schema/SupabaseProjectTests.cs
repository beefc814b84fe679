using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// A database shaped like a Supabase project (<see cref="SupabaseProject"/>): a supabase profile
/// compares, plans, backs up and shadows the user's schemas only, whatever the platform's schemas hold
/// or the schema file declares in them; a foreign key to auth.users is understood in reader and shadow
/// mode; a platform schema named in the profile's schemas is back in every one of them.
/// </summary>
public sealed class SupabaseProjectTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A project database of its own, and db.toml with a supabase profile, one naming auth, and a plain postgres one.</summary>
    private async Task<(string Database, string Config)> ProjectAsync(string schemaFile = SupabaseProject.UserSchema)
    {
        var name = await database.CreateSiblingAsync("supabase");
        await database.Server.ExecuteAsync(name, SupabaseProject.Sql);
        var url = database.Server.Uri(name);
        _folder.Write("schema.sql", schemaFile);
        _folder.Write("dump.sql", SupabaseProject.DumpSchema);
        _folder.Write("backup-schema.json", SupabaseProject.BackupSchemaJson);
        var config = _folder.Write("db.toml", $"""
            [profiles.project]
            url = "{url}"
            provider = "supabase"

            [profiles.project_auth]
            url = "{url}"
            provider = "supabase"
            schemas = ["public", "auth"]

            [profiles.plain]
            url = "{url}"

            [schema]
            file = "schema.sql"
            backup_schema = "backup-schema.json"
            """);
        return (name, config);
    }

    private static ProfileRequest Request(string config, string profile) => new(config, profile, null, string.Empty, null);

    private static async Task<SchemaComparison> TestAsync(string config, string profile, RecordingReporter reporter, string? file = null, string? shadow = null) =>
        (await SchemaTestOperation.RunAsync(Request(config, profile), new ExpectedSchemaRequest(file, shadow), ProcessEnvironment.Instance, reporter, CancellationToken.None)).Result.Comparison;

    private static void AssertIdentical(SchemaComparison comparison)
    {
        Assert.True(comparison.IsValid(strict: true), string.Join("; ", comparison.MissingItems().Concat(comparison.Differences.Select(d => $"{d.Table}.{d.Column} {d.Kind}"))));
        Assert.Empty(comparison.ExtraTables);
        Assert.Empty(comparison.ExtraColumns);
        Assert.Empty(comparison.ExtraObjects);
    }

    [Fact]
    public void The_platform_schemas_are_one_list_with_the_realtime_and_analytics_families()
    {
        Assert.Equal(
            ["auth", "storage", "realtime", "extensions", "graphql", "graphql_public", "vault", "pgsodium", "pgsodium_masks", "supabase_functions", "supabase_migrations", "net", "cron", "pgbouncer"],
            PlatformSchemas.Supabase);
        Assert.True(PlatformSchemas.IsSupabase("_realtime"));
        Assert.True(PlatformSchemas.IsSupabase("_analytics_v2"));
        Assert.False(PlatformSchemas.IsSupabase("public"));
        Assert.False(PlatformSchemas.IsSupabase("Auth"));
    }

    [Fact]
    public async Task Validation_ignores_every_platform_schema_and_object_and_the_foreign_keys_to_auth_users_are_understood()
    {
        var (name, config) = await ProjectAsync();

        // The user's file: valid to the last definition, nothing extra although every platform schema holds objects of every kind.
        var reporter = new RecordingReporter();
        AssertIdentical(await TestAsync(config, "project", reporter));
        Assert.Empty(reporter.Warnings);

        // A whole-database dump as the file: the platform's declarations are left alone, quietly.
        var dump = new RecordingReporter();
        AssertIdentical(await TestAsync(config, "project", dump, _folder.Combine("dump.sql")));
        Assert.Empty(dump.Warnings);
        Assert.Contains(dump.VerboseLines, l => l.Contains("39 object(s) of the schema file in Supabase's own schemas (_analytics, _realtime, auth, cron, extensions, graphql, graphql_public, net, pgbouncer, pgsodium, pgsodium_masks, realtime, storage, supabase_functions, supabase_migrations, vault) left alone", StringComparison.Ordinal));

        // A plain postgres profile warns about each table outside its schemas, as before.
        var plain = new RecordingReporter();
        Assert.True((await TestAsync(config, "plain", plain, _folder.Combine("dump.sql"))).IsValid(strict: true));
        Assert.Contains(plain.Warnings, w => w.StartsWith("Table auth.users of the schema file is in schema 'auth', which is not among the compared schemas", StringComparison.Ordinal));

        // Drift inside the platform is the platform's business; the foreign key to auth.users is the user's.
        await database.Server.ExecuteAsync(name, """
            DROP TABLE auth.mfa_factors; ALTER TABLE storage.objects ADD COLUMN version text; DROP INDEX storage.bucketid_objname;
            CREATE TABLE auth.sessions (id uuid PRIMARY KEY); DROP FUNCTION auth.jwt();
            ALTER TABLE public.notes DROP CONSTRAINT notes_user_id_fkey;
            """);
        var drifted = await TestAsync(config, "project", new RecordingReporter());
        var missing = Assert.Single(drifted.MissingObjects);
        Assert.Equal((ObjectKind.ForeignKey, "notes", "notes_user_id_fkey"), (missing.Kind, missing.Table, missing.Name));
        Assert.Equal("FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE", missing.Definition);
        Assert.Empty(drifted.MissingTables);
        Assert.Empty(drifted.ExtraTables);
        Assert.Empty(drifted.ExtraObjects);
    }

    [Fact]
    public async Task Naming_auth_in_the_profiles_schemas_brings_it_back_in_comparison_and_planning()
    {
        var (name, config) = await ProjectAsync();

        var named = await TestAsync(config, "project_auth", new RecordingReporter());
        Assert.Equal(["auth.identities", "auth.mfa_factors", "auth.refresh_tokens", "auth.users"], named.ExtraTables.Select(t => t.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(named.ExtraObjects, o => o is { Kind: ObjectKind.Function, Schema: "auth", Name: "uid()" });
        Assert.Contains(named.ExtraObjects, o => o is { Kind: ObjectKind.Enum, Schema: "auth", Name: "aal_level" });
        Assert.DoesNotContain(named.ExtraTables, t => t.Schema != "auth");

        await database.Server.ExecuteAsync(name, "DROP TABLE auth.mfa_factors;");
        var dump = _folder.Combine("dump.sql");
        var plain = await FixPlanOperation.RunAsync(Request(config, "project"), null, new FixPlanRequest(dump), ProcessEnvironment.Instance, NullReporter.Instance, CancellationToken.None);
        Assert.Empty(plain.Plan.Steps);
        var withAuth = await FixPlanOperation.RunAsync(Request(config, "project_auth"), null, new FixPlanRequest(dump), ProcessEnvironment.Instance, NullReporter.Instance, CancellationToken.None);
        var step = Assert.Single(withAuth.Plan.Steps);
        Assert.Equal((FixOperation.CreateTable, "auth", "mfa_factors"), (step.Operation, step.Schema, step.Table));
    }

    [Fact]
    public async Task A_plan_recreates_a_user_table_referencing_auth_users_and_nothing_of_the_platform()
    {
        var (name, config) = await ProjectAsync(SupabaseProject.DumpSchema);
        await database.Server.ExecuteAsync(name, "DROP TABLE public.notes; DROP TABLE auth.refresh_tokens; DROP VIEW vault.decrypted_secrets; DROP SEQUENCE graphql.seq_schema_version;");

        var planned = await FixPlanOperation.RunAsync(Request(config, "project"), null, new FixPlanRequest(), ProcessEnvironment.Instance, NullReporter.Instance, CancellationToken.None);
        Assert.Equal(["public.notes"], planned.Plan.Steps.Select(s => $"{s.Schema}.{s.Table}").Distinct().ToArray());
        Assert.Contains(planned.Plan.Steps.SelectMany(s => s.Statements), s => s.Contains("REFERENCES \"auth\".\"users\" (id) ON DELETE CASCADE", StringComparison.Ordinal));

        var applied = await FixApplyOperation.RunAsync(planned.Profile, planned.Plan, new FixApplyOptions(NoBackup: true, ProfileName: "project"), null, null, NullReporter.Instance, CancellationToken.None);
        Assert.True(applied.Success);
        AssertIdentical(await TestAsync(config, "project", new RecordingReporter()));
        Assert.Equal(["0"], await database.Server.QueryAsync(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'auth' AND tablename = 'refresh_tokens'"));
    }

    [Fact]
    public async Task Shadow_mode_gets_stand_ins_for_the_platform_so_references_to_auth_users_and_auth_uid_load()
    {
        var (_, config) = await ProjectAsync();
        var reporter = new RecordingReporter();

        var shadowed = await SchemaTestOperation.RunAsync(Request(config, "project"), new ExpectedSchemaRequest(ShadowDatabase: "project"), ProcessEnvironment.Instance, reporter, CancellationToken.None);
        Assert.Equal(ExpectedFrom.Shadow, shadowed.Result.From);
        AssertIdentical(shadowed.Result.Comparison);
        Assert.Contains(reporter.VerboseLines, l => l.Contains("stand-ins for the Supabase platform's schemas made first (auth, storage, realtime", StringComparison.Ordinal));

        // The dump creates the platform's schemas itself: they get no stand-in, and it loads as well.
        AssertIdentical(await TestAsync(config, "project", new RecordingReporter(), _folder.Combine("dump.sql"), shadow: "project"));

        // Without the stand-ins (a plain postgres profile) the first reference to auth fails the file.
        var plain = await Assert.ThrowsAsync<DbAdapterException>(() => TestAsync(config, "plain", new RecordingReporter(), shadow: "plain"));
        Assert.Equal(ErrorIds.SchemaFileInvalid, plain.ErrorId);
        Assert.Contains("schema \"auth\" does not exist", plain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_reads_the_users_tables_and_a_platform_table_only_once_its_schema_is_named()
    {
        var (_, config) = await ProjectAsync();
        var reporter = new RecordingReporter();
        BackupRequest Backup(string profile, string file, string? schema = null) =>
            new(Request(config, profile), SupabaseProject.UserA, schema, null, _folder.Combine(file), _folder.Path, Force: false);

        var backup = await BackupOperation.RunAsync(Backup("project", "a.json"), ProcessEnvironment.Instance, reporter, CancellationToken.None);
        Assert.Equal([("profiles", 1L), ("notes", 2L)], backup.Tables.Select(t => (t.Key, t.Value)).ToArray());

        var withUsers = _folder.Write("with-users.json", """
            {"tables": [
              {"name": "auth.users", "pk": "id", "slug_field": "email", "user_field": "id"},
              {"name": "notes", "pk": "id", "slug_field": "slug", "user_field": "user_id"}
            ]}
            """);
        var refused = await Assert.ThrowsAsync<DbAdapterException>(() => BackupOperation.RunAsync(Backup("project", "users.json", withUsers), ProcessEnvironment.Instance, reporter, CancellationToken.None));
        Assert.Equal(ErrorIds.BackupSchemaInvalid, refused.ErrorId);
        Assert.Contains("the table 'auth.users' is in schema 'auth', one of the Supabase platform's own schemas, which profile 'project' neither compares nor copies rows of unless its schemas name it. Add \"auth\" to the profile's schemas in db.toml to include it. Nothing was read or written.", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("users.json")));

        var named = await BackupOperation.RunAsync(Backup("project_auth", "users.json", withUsers), ProcessEnvironment.Instance, reporter, CancellationToken.None);
        Assert.Equal([("auth.users", 1L), ("notes", 2L)], named.Tables.Select(t => (t.Key, t.Value)).ToArray());

        // Nor are the platform's tables written by a profile that does not name them.
        var restore = new RestoreRequest(Request(config, "project"), named.Path, SupabaseProject.UserA, withUsers, RestoreMode.Skip, SkipFailedRows: false, WhatIf: false);
        var notRestored = await Assert.ThrowsAsync<DbAdapterException>(() => RestoreOperation.RunAsync(restore, ProcessEnvironment.Instance, reporter, CancellationToken.None));
        Assert.Equal(ErrorIds.BackupSchemaInvalid, notRestored.ErrorId);
        Assert.Contains("the table 'auth.users' is in schema 'auth'", notRestored.Message, StringComparison.Ordinal);
    }
}
