using DbAdapter.Core.Operations;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Client;

/// <summary>
/// Connect, validate, plan and fix of a profile with <c>pooling = "transaction"</c>, through a real
/// PgBouncer in transaction mode, leave nothing on the server connections it hands to the next
/// client: no open transaction, prepared statement, temporary table, lock or session setting.
/// </summary>
public sealed class PoolerSafetyTests(PooledTestDatabase database) : IClassFixture<PooledTestDatabase>, IAsyncLifetime
{
    private const string Secret = "Le4k-Check-Pw-9d2";

    private readonly string _role = "leak_" + Guid.NewGuid().ToString("N")[..12];
    private readonly TempFolder _folder = new();

    public Task InitializeAsync() => database.ExecuteAsync($"""
        CREATE ROLE {_role} LOGIN PASSWORD '{Secret}';
        ALTER DATABASE "{database.Name}" OWNER TO {_role};
        SET ROLE {_role};
        {LiveSuiteSchema.DriftedWithRows}
        """);

    public async Task DisposeAsync()
    {
        _folder.Dispose();
        await database.ExecuteAsync($"ALTER DATABASE \"{database.Name}\" OWNER TO CURRENT_USER; DROP OWNED BY {_role} CASCADE; DROP ROLE IF EXISTS {_role}");
    }

    [Fact]
    public async Task Every_command_of_a_repair_leaves_the_pooled_server_connections_clean()
    {
        var server = database.Server;

        // Asks Npgsql for automatic preparation on the first use of a statement: only the pooling
        // key stands between that and prepared statements left on the pooler's server connections.
        var config = _folder.Write("db.toml", $"""
            [profiles.pooled]
            url = "Host={server.Host};Port={server.Port};Database={database.Name};Username={_role};Password=[YOUR-PASSWORD];Max Auto Prepare=10;Auto Prepare Min Usages=1"
            db_password = "{Secret}"
            pooling = "transaction"

            [schema]
            file = "schema.sql"
            """);
        _folder.Write("schema.sql", LiveSuiteSchema.Full);
        var request = new ProfileRequest(config, "pooled", null, string.Empty, null);
        var reporter = new RecordingReporter();
        var ct = CancellationToken.None;

        var first = await ConnectOperation.RunAsync(request, new ConnectOptions(), ProcessEnvironment.Instance, reporter, ct);
        Assert.Equal(PoolingMode.Transaction, first.Profile.Target.Pooling);
        Assert.False(first.BecameCurrent);
        Assert.Contains(reporter.VerboseLines, l => l.Contains("transaction pooler", StringComparison.Ordinal));
        Assert.Equal(5, (await SchemaTestOperation.RunAsync(request, new ExpectedSchemaRequest(), ProcessEnvironment.Instance, reporter, ct)).Result.Comparison.ErrorCount(strict: false));

        var planned = await FixPlanOperation.RunAsync(request, null, new FixPlanRequest(RecreateTables: ["categories"]), ProcessEnvironment.Instance, reporter, ct);
        Assert.Contains(planned.Plan.Steps, s => s.Operation == FixOperation.RecreateTable);
        var fixedResult = await FixApplyOperation.RunAsync(
            planned.Profile,
            planned.Plan,
            new FixApplyOptions(Force: true, BackupPath: _folder.Combine("pre-fix.json"), ProfileName: "pooled"),
            lockTimeout: TimeSpan.FromSeconds(2),
            statementTimeout: TimeSpan.FromMinutes(1),
            reporter,
            ct);
        Assert.True(fixedResult.Success);
        Assert.True(File.Exists(_folder.Combine("pre-fix.json")));

        var second = await ConnectOperation.RunAsync(request, new ConnectOptions(), ProcessEnvironment.Instance, reporter, ct);
        Assert.True(second.BecameCurrent);
        Assert.Equal(5, second.Tables.Single(t => t.Table == "items").Rows);
        Assert.True((await SchemaTestOperation.RunAsync(request, new ExpectedSchemaRequest(), ProcessEnvironment.Instance, reporter, ct)).Result.IsValid);

        Assert.Empty(await ServerLeftovers.FindAsync(server, database.Name, _role, Secret));
    }

    [Fact]
    public async Task The_leftover_check_finds_what_a_careless_client_leaves_behind()
    {
        // A database of its own: what is left here must not reach the other test's check.
        var scratch = await database.CreateSiblingAsync("careless");
        try
        {
            await using var careless = new NpgsqlConnection(database.Server.ConnectionString(scratch, _role, Secret));
            await careless.OpenAsync();

            // Each outside a transaction: the pooler puts the server connection back with it.
            foreach (var sql in new[] { "PREPARE leaked AS SELECT 1", "SET work_mem = '7MB'", "CREATE TEMP TABLE leaked_rows (x int)", "SELECT pg_advisory_lock(4242)" })
            {
                await using var command = new NpgsqlCommand(sql, careless);
                await command.ExecuteNonQueryAsync();
            }

            var found = string.Join("\n", await ServerLeftovers.FindAsync(database.Server, scratch, _role, Secret));

            Assert.Contains("leaked: PREPARE leaked AS SELECT 1", found, StringComparison.Ordinal);
            Assert.Contains("work_mem = 7168", found, StringComparison.Ordinal);
            Assert.Contains("temporary table pg_temp_", found, StringComparison.Ordinal);
            Assert.Contains("advisory lock 4242", found, StringComparison.Ordinal);
        }
        finally
        {
            await database.Server.DropDatabaseAsync(scratch);
        }
    }
}
