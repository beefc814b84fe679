using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>Any failure, a stale plan or a cancellation leaves the database exactly as it was.</summary>
public sealed class FixAtomicityTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Schema = LiveSuiteSchema.Full;

    [Fact]
    public async Task A_failing_second_step_rolls_back_the_table_the_first_step_created()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, """
            CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
            CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                                   category_id INTEGER REFERENCES categories(id), active BOOLEAN DEFAULT TRUE, user_id UUID);
            INSERT INTO products (slug) VALUES ('p');
            """);
        var shapeBefore = await bed.ShapeAsync();
        var overrides = ColumnDefinitions.Parse("""{"products.price": "NO_SUCH_TYPE DEFAULT 0"}""");

        var plan = await bed.PlanAsync(Schema, new FixPlanOptions(overrides));
        Assert.Equal([FixOperation.CreateTable, FixOperation.AddColumn], plan.Steps.Select(s => s.Operation).ToArray());
        Assert.Contains(plan.Warnings, w => w.Contains("products.price", StringComparison.Ordinal) && w.Contains("no_such_type", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.Equal(DbErrorKind.InvalidOperation, error.Kind);
        Assert.Equal(
            "Step 2 (Add column price NO_SUCH_TYPE DEFAULT 0) on public.products failed: type \"no_such_type\" does not exist (SQLSTATE 42704). The whole fix was rolled back; nothing was changed.",
            error.Message);
        Assert.Equal("public.products", error.Target);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'items'"));
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
    }

    [Fact]
    public async Task A_table_the_plan_changes_that_changed_after_planning_makes_the_plan_stale_and_nothing_is_committed()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(Schema);
        await bed.ExecuteAsync("ALTER TABLE items DROP COLUMN g; ALTER TABLE products ADD CONSTRAINT named_check CHECK (id > 0)");
        var shapeBefore = await bed.ShapeAsync();

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixPlanStale, error.ErrorId);
        Assert.Equal(DbErrorKind.InvalidOperation, error.Kind);
        Assert.Equal(
            "The database is no longer the one the plan was made for: column g of public.items was dropped (it was: character varying(50)); " +
            "constraint named_check of public.products was added (CHECK ((id > 0))). Nothing was changed. Make a new plan for the database as it is now, and review it.",
            error.Message);
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
    }

    [Fact]
    public async Task A_database_changed_elsewhere_after_planning_fails_revalidation_and_nothing_is_committed()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(Schema);

        // categories is not a table the plan changes: its fingerprint does not cover it, validation does.
        await bed.ExecuteAsync("ALTER TABLE categories DROP COLUMN name");
        var shapeBefore = await bed.ShapeAsync();

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.StartsWith(
            "After the fix the database still does not match the schema file: column categories.name is still missing (no step of the plan makes it, so it was not missing when the plan was made). " +
            "The tables the plan changes were as the plan expected before the first step (checked); what no step makes went missing elsewhere since the plan was made: make a new plan.",
            error.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("probably", error.Message, StringComparison.Ordinal);
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('b', 'e', 'f', 'price', 'active')"));
    }

    [Fact]
    public async Task Cancelling_a_step_that_waits_for_a_lock_rolls_everything_back()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(Schema);
        var shapeBefore = await bed.ShapeAsync();

        // Another session holds a lock on products: the first products step waits for it.
        await using var blocker = new NpgsqlConnection(bed.ConnectionString);
        await blocker.OpenAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE products IN ACCESS SHARE MODE", blocker, blocking))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        var progress = new RecordingReporter();
        using var cancellation = new CancellationTokenSource();
        var apply = bed.ApplyAsync(plan, reporter: progress, ct: cancellation.Token);
        await WaitForLockWaitAsync(bed);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apply);
        await blocking.RollbackAsync();
        Assert.Equal(shapeBefore, await bed.ShapeAsync());
        // Every lock is taken before the first step: the wait happens there, before any DDL.
        Assert.Equal("Locking the tables the fix changes", Assert.Single(progress.Records).Status);
        Assert.DoesNotContain(progress.Records, r => r.Completed);
    }

    [Fact]
    public async Task Progress_has_one_record_per_step_then_a_completed_record()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, LiveSuiteSchema.DriftedWithRows);
        var plan = await bed.PlanAsync(Schema);
        var progress = new RecordingReporter();

        await bed.ApplyAsync(plan, reporter: progress);

        Assert.Equal(
            [(0, false), (0, false), (20, false), (40, false), (60, false), (80, false), (100, false), (100, true)],
            progress.Records.Select(r => (r.PercentComplete, r.Completed)).ToArray());
        Assert.All(progress.Records, r => Assert.Equal(FixExecutor.ProgressActivityId, r.ActivityId));
        Assert.Equal("Locking the tables the fix changes", progress.Records[0].Status);
        Assert.Equal("Step 1 of 5: Add column b VARCHAR(100) (NOT NULL deferred: existing rows have no value yet)", progress.Records[1].Status);
    }

    private static async Task WaitForLockWaitAsync(RepairTestBed bed)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await bed.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'DbAdapter' AND datname = current_database()") == "1")
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The fix never waited for the lock.");
    }
}
