using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>
/// Row-level security in front of backup, sync and restore, with real policies and real roles: a
/// role the policies filter is stopped before anything is read or written (unless it asks for what
/// the policies show); the owner, a FORCE on the owner, BYPASSRLS; a policy refusing the rows a
/// restore or sync writes is reported as such and rolls everything back.
/// </summary>
public sealed class RowLevelSecurityTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string A = BackupTestBed.UserA;
    private const string Password = "rls-Pw-1";

    // Products show only active rows to anyone the policy applies to; categories have RLS off.
    private const string Policies = """
        ALTER TABLE products ENABLE ROW LEVEL SECURITY;
        CREATE POLICY active_only ON products FOR SELECT USING (active);
        """;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private string Reader => "rls_reader_" + _suffix;

    private string Owner => "rls_owner_" + _suffix;

    private string Bypass => "rls_bypass_" + _suffix;

    /// <summary>
    /// Source and target built from the shop schema, owned by a non-superuser owner; a reader with
    /// every table privilege but no way around the policies; a BYPASSRLS role; profiles for each.
    /// </summary>
    private async Task<BackupTestBed> BedAsync()
    {
        var bed = await BackupTestBed.CreateAsync(database, ShopSchema.Sql, ShopSchema.BackupSchemaJson, "source", "target");
        await bed.ExecuteAsync("source", ShopSchema.Seed(A) + "UPDATE products SET active = false WHERE slug IN ('p4', 'p5');");
        await bed.ExecuteAsync("source", $"""
            CREATE ROLE {Owner} LOGIN PASSWORD '{Password}';
            CREATE ROLE {Reader} LOGIN PASSWORD '{Password}';
            CREATE ROLE {Bypass} LOGIN PASSWORD '{Password}' BYPASSRLS;
            """);
        foreach (var profile in new[] { "source", "target" })
        {
            await bed.ExecuteAsync(profile, $"""
                ALTER TABLE categories OWNER TO {Owner};
                ALTER TABLE products OWNER TO {Owner};
                GRANT SELECT, INSERT, UPDATE ON categories, products TO {Reader}, {Bypass};
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {Reader}, {Bypass};
                {Policies}
                """);
        }

        var profiles = string.Concat(
            from profile in new[] { "source", "target" }
            from login in new[] { ("owner", Owner), ("reader", Reader), ("bypass", Bypass) }
            select $"[profiles.{profile}_{login.Item1}]\nurl = \"{bed.Uri(profile, login.Item2, Password)}\"\n\n");
        bed.WriteFile("db.toml", profiles + "[schema]\nbackup_schema = \"backup-schema.json\"\n");
        return bed;
    }

    private static int Rows(string path, string table)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty(table).GetArrayLength();
    }

    [Fact]
    public async Task A_role_the_policies_filter_is_stopped_before_a_row_is_read_and_AllowRowLevelSecurity_takes_what_they_show()
    {
        using var bed = await BedAsync();

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync("source_reader"));
        Assert.Equal(ErrorIds.RowLevelSecurityActive, error.ErrorId);
        Assert.Equal(DbErrorKind.PermissionDenied, error.Kind);
        Assert.Equal(ErrorHint.AllowRowLevelSecurity, error.Hint);
        Assert.StartsWith($"Row-level security is active for role '{Reader}' on public.products of 'source_reader':", error.Message, StringComparison.Ordinal);
        Assert.Equal("public.products", error.Target);
        Assert.False(File.Exists(bed.File("backup.json")));

        var reporter = new RecordingReporter();
        var shown = await bed.BackupAsync("source_reader", reporter: reporter, allowRowLevelSecurity: true);
        Assert.Equal([("categories", 2L), ("products", 3L)], shown.Tables.Select(t => (t.Key, t.Value)).ToArray());
        Assert.Equal(3, Rows(shown.Path, "products"));
        Assert.Contains($"Row-level security is active for role '{Reader}' on public.products of 'source_reader': only the rows its policies show the role are read.", reporter.Warnings);
    }

    [Fact]
    public async Task The_owner_and_a_BYPASSRLS_role_read_every_row_and_FORCE_stops_the_owner_too()
    {
        using var bed = await BedAsync();

        var owner = await bed.BackupAsync("source_owner", path: bed.File("owner.json"));
        Assert.Equal(5, Rows(owner.Path, "products"));
        var bypass = await bed.BackupAsync("source_bypass", path: bed.File("bypass.json"));
        Assert.Equal(5, Rows(bypass.Path, "products"));

        await bed.ExecuteAsync("source", "ALTER TABLE categories ENABLE ROW LEVEL SECURITY; ALTER TABLE categories FORCE ROW LEVEL SECURITY; ALTER TABLE products FORCE ROW LEVEL SECURITY;");
        var forced = await Assert.ThrowsAsync<DbAdapterException>(() => bed.BackupAsync("source_owner", path: bed.File("forced.json")));
        Assert.Equal(ErrorIds.RowLevelSecurityActive, forced.ErrorId);
        Assert.StartsWith($"Row-level security is active for role '{Owner}' on public.categories, public.products of 'source_owner':", forced.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(bed.File("forced.json")));
        Assert.Equal(5, Rows((await bed.BackupAsync("source_bypass", path: bed.File("forced-bypass.json"))).Path, "products"));
    }

    [Fact]
    public async Task A_sync_whose_source_role_the_policies_filter_writes_nothing_unless_allowed()
    {
        using var bed = await BedAsync();
        var before = await bed.QueryAsync("target", ShopSchema.Fingerprint());

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("source_reader", "target_owner"));
        Assert.Equal(ErrorIds.RowLevelSecurityActive, error.ErrorId);
        Assert.Contains($"role '{Reader}' on public.products of 'source_reader'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await bed.QueryAsync("target", ShopSchema.Fingerprint()));

        var synced = await bed.SyncAsync("source_reader", "target_owner", allowRowLevelSecurity: true);
        Assert.Equal([2L, 3L], synced.Tables.Select(t => t.Inserted).ToArray());
    }

    [Fact]
    public async Task A_policy_refusing_the_written_rows_is_RowLevelSecurityActive_naming_table_and_role_and_nothing_is_committed()
    {
        using var bed = await BedAsync();
        await bed.ExecuteAsync("target", $"""
            CREATE POLICY read_all ON products FOR SELECT TO {Reader} USING (true);
            CREATE POLICY insert_active ON products FOR INSERT TO {Reader} WITH CHECK (active);
            """);
        var backup = await bed.BackupAsync("source_owner");
        var before = await bed.QueryAsync("target", ShopSchema.Fingerprint(A));

        // Two of the five products are inactive: the policy refuses them, even with SkipFailedRows.
        foreach (var skip in new[] { false, true })
        {
            var reporter = new RecordingReporter();
            var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.RestoreAsync("target_reader", backup.Path, skipFailedRows: skip, reporter: reporter));
            Assert.Contains($"Row-level security is active for role '{Reader}' on public.products of 'target_reader': rows are matched against the rows its policies show the role, and a row they refuse to take stops the work.", reporter.Warnings);
            Assert.Equal(ErrorIds.RowLevelSecurityActive, error.ErrorId);
            Assert.Equal(DbErrorKind.PermissionDenied, error.Kind);
            Assert.StartsWith("The restore into 'target_reader' was refused by row-level security: new row violates row-level security policy for table \"products\".", error.Message, StringComparison.Ordinal);
            Assert.Contains($"Row-level security is active for role '{Reader}' there", error.Message, StringComparison.Ordinal);
            Assert.Equal("ExecWithCheckOptions", Assert.IsType<Npgsql.PostgresException>(error.InnerException).Routine);
            Assert.Equal(before, await bed.QueryAsync("target", ShopSchema.Fingerprint(A)));
        }

        var sync = await Assert.ThrowsAsync<DbAdapterException>(() => bed.SyncAsync("source_owner", "target_reader"));
        Assert.Equal(ErrorIds.RowLevelSecurityActive, sync.ErrorId);
        Assert.StartsWith("The sync into 'target_reader' was refused by row-level security", sync.Message, StringComparison.Ordinal);
        Assert.Equal(before, await bed.QueryAsync("target", ShopSchema.Fingerprint(A)));

        // What the policies let in goes in: the role writes the active products.
        await bed.ExecuteAsync("source", "UPDATE products SET active = true;");
        var restored = await bed.RestoreAsync("target_reader", (await bed.BackupAsync("source_owner", path: bed.File("active.json"))).Path);
        Assert.Equal([2L, 5L], restored.Tables.Select(t => t.Inserted).ToArray());
    }

    [Fact]
    public async Task A_repair_rebuilding_a_table_whose_policies_filter_its_owner_is_refused_before_a_row_moves()
    {
        using var bed = await BedAsync();
        await bed.ExecuteAsync("source", "ALTER TABLE products FORCE ROW LEVEL SECURITY;");
        bed.WriteFile("schema.sql", ShopSchema.Sql);
        bed.WriteFile("db.toml", $"[profiles.owner]\nurl = \"{bed.Uri("source", Owner, Password)}\"\n\n[schema]\nfile = \"schema.sql\"\n");
        var before = await bed.QueryAsync("source", ShopSchema.Fingerprint());

        var planned = await FixPlanOperation.RunAsync(bed.Request("owner"), null, new FixPlanRequest(RecreateTables: ["products"]), ProcessEnvironment.Instance, NullReporter.Instance, CancellationToken.None);
        Assert.Equal(FixOperation.RecreateTable, Assert.Single(planned.Plan.Steps).Operation);
        var error = await Assert.ThrowsAsync<DbAdapterException>(() => FixApplyOperation.RunAsync(
            planned.Profile, planned.Plan, new FixApplyOptions(Force: true, NoBackup: true, ProfileName: "owner"), null, null, NullReporter.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.RowLevelSecurityActive, error.ErrorId);
        Assert.Equal(ErrorHint.None, error.Hint);
        Assert.StartsWith($"Row-level security is active for role '{Owner}' on public.products of 'owner': the role reads only the rows the tables' policies show it (none without a policy), so rebuilding them would keep only those rows and lose the others. Nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await bed.QueryAsync("source", ShopSchema.Fingerprint()));
    }
}
