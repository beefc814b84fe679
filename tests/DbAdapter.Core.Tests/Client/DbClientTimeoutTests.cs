using System.Diagnostics;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.TestSupport;
using Npgsql;
using static DbAdapter.Core.Tests.Client.TestTargets;

namespace DbAdapter.Core.Tests.Client;

/// <summary>Every unit of work of a client runs with its lock timeout (SET LOCAL), and a read that gives up names who is in its way.</summary>
public sealed class DbClientTimeoutTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ExecuteAsync("""
        DROP TABLE IF EXISTS parcels;
        CREATE TABLE parcels (id int PRIMARY KEY);
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_transaction_sets_the_timeouts_locally_and_the_pooled_session_keeps_none_of_them()
    {
        var target = For(database.ConnectionString);
        await using var client = new DbClient(target, new DbTimeouts(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMinutes(2)));

        // A call outside any scope gets a transaction of its own; so does a scope.
        var row = Assert.Single(await client.QueryAsync("SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s"));
        Assert.Equal(("1500ms", "2min"), ((string)row["l"]!, (string)row["s"]!));
        await using (await client.BeginTransactionAsync())
        {
            Assert.Equal("1500ms", (await client.QueryAsync("SHOW lock_timeout"))[0]["lock_timeout"]);
        }

        Assert.Equal("5s", (await ClientFor(database.ConnectionString).QueryAsync("SHOW lock_timeout"))[0]["lock_timeout"]);

        // The pool hands back the same server session: SET LOCAL ended with each transaction.
        await using var pooled = await DataSourceCache.Get(target).OpenConnectionAsync();
        await using var show = new NpgsqlCommand("SELECT current_setting('lock_timeout') || '/' || current_setting('statement_timeout')", pooled);
        Assert.Equal("0/0", await show.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_read_behind_an_exclusive_lock_stops_at_the_lock_timeout_and_names_the_blocking_session()
    {
        await using var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "nightly-maintenance" }.ConnectionString);
        await blocker.OpenAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE", blocker, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        await using var client = new DbClient(For(database.ConnectionString), new DbTimeouts(TimeSpan.FromMilliseconds(500)));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DbAdapterException>(() => client.CountRowsAsync(["public"], CancellationToken.None));
        clock.Stop();

        Assert.Equal(ErrorIds.LockTimeout, error.ErrorId);
        Assert.Equal(DbErrorKind.ResourceBusy, error.Kind);
        Assert.Equal("public.parcels", error.Target);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.StartsWith("Work on 'test' waited longer than its lock timeout (0.5 s) for a lock and was stopped: blocked by session ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"session {blocker.ProcessID} (user ", error.Message, StringComparison.Ordinal);
        Assert.Contains("application 'nightly-maintenance', state 'idle in transaction', query started ", error.Message, StringComparison.Ordinal);
        Assert.Contains(": LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE) holding AccessExclusiveLock on public.parcels. Nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(error.InnerException);
    }
}
