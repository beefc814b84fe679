using System.Diagnostics;
using DbAdapter.Core.Diagnostics;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Client.TestTargets;

namespace DbAdapter.Core.Tests.Client;

/// <summary>Transaction scopes, savepoints and cancellation against the real server.</summary>
public sealed class DbClientTransactionTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => database.ExecuteAsync("""
        DROP TABLE IF EXISTS notes;
        CREATE TABLE notes (id int PRIMARY KEY, body text);
        INSERT INTO notes VALUES (1, 'seed');
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Commit_keeps_the_work_and_every_call_in_scope_sees_it_while_others_do_not()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using var other = ClientFor(database.ConnectionString);
        await using (var scope = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "two"]);
            await client.ExecuteAsync("INSERT INTO notes VALUES ($1, $2)", [3, "three"]);
            await client.ExecuteAsync("UPDATE notes SET body = $1 WHERE id = $2", ["ONE", 1]);
            Assert.Equal(3, (await client.QueryAsync("SELECT * FROM notes")).Count);
            Assert.Equal(3L, (await client.QueryAsync("SELECT count(*) AS n FROM notes"))[0]["n"]);
            Assert.Equal(3, (await client.CountRowsAsync(["public"], CancellationToken.None)).Single().Rows);
            Assert.Equal(3, await client.UseConnectionAsync(async (c, ct) =>
            {
                await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*)::int FROM notes", c);
                return (int)(await cmd.ExecuteScalarAsync(ct))!;
            }, CancellationToken.None));

            // Another client (and psql) see only committed rows.
            Assert.Single(await other.QueryAsync("SELECT * FROM notes"));
            Assert.Equal("seed", await database.ScalarAsync("SELECT body FROM notes WHERE id = 1"));

            await scope.CommitAsync();
            Assert.True(scope.IsCompleted);
        }

        Assert.Equal(3, (await other.QueryAsync("SELECT * FROM notes")).Count);
        Assert.Equal("ONE", await database.ScalarAsync("SELECT body FROM notes WHERE id = 1"));
    }

    [Fact]
    public async Task An_exception_in_the_work_rolls_everything_back()
    {
        await using var client = ClientFor(database.ConnectionString);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var scope = await client.BeginTransactionAsync();
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "two"]);
            await client.ExecuteAsync("DELETE FROM notes WHERE id = $1", [1]);
            throw new InvalidOperationException("work failed");
        });

        Assert.Equal("1|seed", await database.ScalarAsync("SELECT string_agg(id || '|' || body, ',') FROM notes"));

        // The client works without a scope afterwards.
        Assert.Single(await client.QueryAsync("SELECT * FROM notes"));
    }

    [Fact]
    public async Task Explicit_rollback_discards_the_work()
    {
        await using var client = ClientFor(database.ConnectionString);
        var scope = await client.BeginTransactionAsync();
        await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [5, "five"]);
        await scope.RollbackAsync();
        await scope.DisposeAsync();
        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CommitAsync());
    }

    [Fact]
    public async Task Nested_scope_rollback_keeps_the_outer_work()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using (var outer = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "outer"]);
            await using (var inner = await client.BeginTransactionAsync())
            {
                Assert.True(inner.IsNested);
                await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [3, "inner, rolled back"]);
                Assert.Equal(3, (await client.QueryAsync("SELECT * FROM notes")).Count);
            }

            await using (var kept = await client.BeginTransactionAsync())
            {
                await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [4, "inner, released"]);
                await kept.CommitAsync();
            }

            Assert.Equal([1, 2, 4], (await client.QueryAsync("SELECT * FROM notes ORDER BY id")).Select(r => (int)r["id"]!));
            await outer.CommitAsync();
        }

        Assert.Equal("1,2,4", await database.ScalarAsync("SELECT string_agg(id::text, ',' ORDER BY id) FROM notes"));
    }

    [Fact]
    public async Task A_failed_call_in_a_nested_scope_is_recovered_by_its_rollback()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using (var outer = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "kept"]);
            await using (var inner = await client.BeginTransactionAsync())
            {
                var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [1, "duplicate"]));
                Assert.Equal(ErrorIds.QueryFailed, ex.ErrorId);
                Assert.True(inner.HasFailed);
                await Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryAsync("SELECT * FROM notes"));
                await Assert.ThrowsAsync<InvalidOperationException>(() => inner.CommitAsync());
            }

            Assert.False(outer.HasFailed);
            await outer.CommitAsync();
        }

        Assert.Equal("2", await database.ScalarAsync("SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task A_failed_outer_scope_refuses_to_commit_instead_of_silently_rolling_back()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using (var scope = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "lost"]);
            await Assert.ThrowsAsync<DbAdapterException>(() => client.ExecuteAsync("SELECT 1/0"));
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CommitAsync());
            Assert.Contains("Dispose", ex.Message);
        }

        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task A_swallowed_failure_in_raw_work_still_blocks_the_commit()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using var scope = await client.BeginTransactionAsync();
        await client.UseConnectionAsync(async (c, ct) =>
        {
            try
            {
                await using var cmd = new Npgsql.NpgsqlCommand("SELECT 1/0", c);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            catch (Npgsql.PostgresException)
            {
                // Deliberately swallowed.
            }

            return 0;
        }, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CommitAsync());
    }

    [Fact]
    public async Task Ending_the_outer_scope_before_the_inner_is_refused()
    {
        await using var client = ClientFor(database.ConnectionString);
        var outer = await client.BeginTransactionAsync();
        var inner = await client.BeginTransactionAsync();
        await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "x"]);
        var commit = await Assert.ThrowsAsync<InvalidOperationException>(() => outer.CommitAsync());
        Assert.Contains("nested scope", commit.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => outer.RollbackAsync());

        // Disposing out of order rolls back both and says so.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await outer.DisposeAsync());
        Assert.True(inner.IsCompleted);
        await inner.DisposeAsync();
        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
        Assert.Single(await client.QueryAsync("SELECT * FROM notes"));
    }

    [Fact]
    public async Task Disposing_the_client_rolls_back_an_open_scope()
    {
        var client = ClientFor(database.ConnectionString);
        await client.BeginTransactionAsync();
        await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [9, "never"]);
        await client.DisposeAsync();
        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.QueryAsync("SELECT * FROM notes"));
    }

    [Fact]
    public async Task A_value_that_cannot_be_sent_fails_the_scope_and_its_rollback_keeps_the_database_as_it_was()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using (var scope = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "x"]);

            // Npgsql refuses the value, and may have broken the connection while writing it.
            var refused = await Assert.ThrowsAsync<DbAdapterException>(() => client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [3, new object()]));
            Assert.Equal(ErrorIds.InvalidQuery, refused.ErrorId);
            Assert.True(scope.HasFailed);
            await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CommitAsync());
        }

        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
        Assert.Single(await client.QueryAsync("SELECT * FROM notes"));
    }

    [Fact]
    public async Task Cancelling_a_long_query_returns_quickly()
    {
        await using var client = ClientFor(database.ConnectionString);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync("SELECT pg_sleep(10)", cancellationToken: cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");

        // The client (and the server) are fine afterwards.
        Assert.Single(await client.QueryAsync("SELECT * FROM notes"));
        Assert.Equal("0", await database.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)' AND state = 'active' AND datname = current_database()"));
    }

    [Fact]
    public async Task Cancelling_inside_a_scope_fails_the_scope_and_dispose_rolls_back()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using (var scope = await client.BeginTransactionAsync())
        {
            await client.ExecuteAsync("INSERT INTO notes (id, body) VALUES ($1, $2)", [2, "x"]);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync("SELECT pg_sleep(10)", cancellationToken: cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
            Assert.True(scope.HasFailed);
            await Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryAsync("SELECT * FROM notes"));
            await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CommitAsync());
        }

        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM notes"));
        Assert.Single(await client.QueryAsync("SELECT * FROM notes"));
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        await using var client = ClientFor(database.ConnectionString);
        await using var scope = await client.BeginTransactionAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync("SELECT * FROM notes", cancellationToken: new CancellationToken(true)));
        Assert.False(scope.HasFailed);
    }
}
