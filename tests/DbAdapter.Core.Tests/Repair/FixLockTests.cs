using System.Diagnostics;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Client;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>The fix behind other sessions' locks: bounded waits, retries that name the blocker, one lock order for every fix.</summary>
public sealed class FixLockTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DbTimeouts Short = new(TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task A_lock_held_through_every_retry_fails_as_resource_busy_naming_the_blocker_and_nothing_changes()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(LiveSuiteSchema.Full);
        var shapeBefore = await bed.ShapeAsync();
        await using var blocker = await HoldAsync(bed, "products", "ACCESS SHARE", "report-runner");
        var reporter = new RecordingReporter();
        await using var client = new DbClient(bed.Client.Target, Short);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DbAdapterException>(() =>
            FixExecutor.ApplyAsync(client, plan, new FixApplyOptions(ProfileName: "test", RetryCount: 1), reporter, CancellationToken.None));
        clock.Stop();

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.Equal(DbErrorKind.ResourceBusy, error.Kind);
        Assert.Equal("public.products", error.Target);
        Assert.StartsWith($"Table public.products stayed locked for longer than the lock timeout (0.3 s): blocked by session {blocker.Connection.ProcessID} (user ", error.Message, StringComparison.Ordinal);
        Assert.Contains("application 'report-runner', state 'idle in transaction'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("holding AccessShareLock on public.products. The fix was tried 2 time(s) and rolled back each time; nothing was changed.", error.Message, StringComparison.Ordinal);
        var warning = Assert.Single(reporter.Warnings);
        Assert.StartsWith("Attempt 1 of 2: Table public.products stayed locked", warning, StringComparison.Ordinal);
        Assert.Contains("The fix was rolled back and is tried again in 0.", warning, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(10));

        // items comes first in the lock order and was locked before products timed out: it is free again.
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
        Assert.Equal("0", await bed.ScalarAsync($"SELECT count(*) FROM pg_locks WHERE pid <> {blocker.Connection.ProcessID} AND pid <> pg_backend_pid() AND locktype = 'relation' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    [Fact]
    public async Task A_lock_released_during_the_retries_lets_the_fix_through()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(LiveSuiteSchema.Full);
        var blocker = await HoldAsync(bed, "items", "ACCESS EXCLUSIVE", "short-job");
        var reporter = new RecordingReporter();
        await using var client = new DbClient(bed.Client.Target, Short);

        var apply = FixExecutor.ApplyAsync(client, plan, new FixApplyOptions(ProfileName: "test", RetryCount: 10), reporter, CancellationToken.None);
        await WaitForAsync(() => reporter.Warnings.Count > 0, "The fix never gave up its first attempt.");
        await blocker.DisposeAsync();
        var result = await apply;

        Assert.True(result.Success);
        Assert.Equal(5, result.ColumnsAdded);
        Assert.StartsWith("Attempt 1 of 11: Table public.items stayed locked", reporter.Warnings[0], StringComparison.Ordinal);
        Assert.Empty((await bed.CompareAsync(LiveSuiteSchema.Full)).MissingColumns);
    }

    [Fact]
    public async Task Two_fixes_whose_steps_touch_two_tables_in_opposite_orders_do_not_deadlock()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE TABLE alpha (id int); CREATE TABLE beta (id int);");
        var expected = SchemaSqlReader.Read("CREATE TABLE alpha (id int); CREATE TABLE beta (id int);");
        var first = Plan(expected, ("beta", "b1"), ("alpha", "a1"));
        var second = Plan(expected, ("alpha", "a2"), ("beta", "b2"));

        // The second queues for alpha first, then the first. Had each locked a table at its first
        // ALTER, the first would now hold beta while waiting for alpha, and the second, granted alpha
        // on release, would wait for beta: a deadlock. Locked up front in one order, both wait for alpha.
        var blocker = await HoldAsync(bed, "alpha", "ACCESS SHARE", "holder");
        await using var one = new DbClient(bed.Client.Target);
        await using var two = new DbClient(bed.Client.Target);
        var secondApply = FixExecutor.ApplyAsync(two, second, new FixApplyOptions(ProfileName: "two", RetryCount: 0), NullReporter.Instance, CancellationToken.None);
        await WaitForLockWaitsAsync(bed, 1);
        var firstApply = FixExecutor.ApplyAsync(one, first, new FixApplyOptions(ProfileName: "one", RetryCount: 0), NullReporter.Instance, CancellationToken.None);
        await WaitForLockWaitsAsync(bed, 2);
        await blocker.DisposeAsync();
        var applying = new[] { firstApply, secondApply };

        Assert.All(await Task.WhenAll(applying), r => Assert.True(r.Success));
        Assert.Equal(["alpha.a1", "alpha.a2", "alpha.id", "beta.b1", "beta.b2", "beta.id"], await bed.QueryAsync(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1"));
    }

    [Fact]
    public void The_locks_come_from_the_statements_whatever_the_kind_of_step()
    {
        var plan = new FixPlan(new SchemaModel(), ["public"], [
            Step(1, "public", "orders", "ALTER TABLE \"public\".\"orders\" ADD COLUMN \"customer_id\" int REFERENCES customers(id)"),
            Step(2, "audit", "log", "CREATE TABLE audit.log (id int, order_id int REFERENCES \"public\".\"orders\" (id))", "CREATE UNIQUE INDEX log_order ON audit.log (order_id)"),
            Step(3, "public", "items", "ALTER TABLE IF EXISTS ONLY items RENAME TO items__old", "DROP TABLE items__old, \"Odd\"\"Name\""),
        ], []);

        Assert.Equal(
            [
                ("\"public\".\"orders\"", TableLockMode.AccessExclusive),
                ("\"customers\"", TableLockMode.ShareRowExclusive),
                ("\"public\".\"orders\"", TableLockMode.ShareRowExclusive),
                ("\"audit\".\"log\"", TableLockMode.Share),
                ("\"items\"", TableLockMode.AccessExclusive),
                ("\"items__old\"", TableLockMode.AccessExclusive),
                ("\"Odd\"\"Name\"", TableLockMode.AccessExclusive),
            ],
            PlanLocks.Requests(plan));
    }

    private static FixPlan Plan(SchemaModel expected, params (string Table, string Column)[] additions) =>
        new(expected, ["public"], additions.Select((a, i) => Step(i + 1, "public", a.Table, $"ALTER TABLE \"public\".\"{a.Table}\" ADD COLUMN \"{a.Column}\" int")).ToList(), []);

    private static FixStep Step(int order, string schema, string table, params string[] statements) => new()
    {
        Order = order,
        Operation = FixOperation.AddColumn,
        Schema = schema,
        Table = table,
        Statements = statements,
        Hazards = [],
        Description = $"step {order}",
    };

    /// <summary>Another session holding <paramref name="mode"/> on <paramref name="table"/> until disposed.</summary>
    private static async Task<HeldLock> HoldAsync(RepairTestBed bed, string table, string mode, string application)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(bed.ConnectionString) { ApplicationName = application }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE {table} IN {mode} MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new HeldLock(connection, transaction);
    }

    private static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 1500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), failure);
    }

    private static async Task WaitForLockWaitsAsync(RepairTestBed bed, int sessions)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await bed.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'DbAdapter' AND datname = current_database()") == sessions.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{sessions} fixes never waited for the lock together.");
    }

    private sealed class HeldLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            if (connection.FullState != System.Data.ConnectionState.Closed)
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }
}
