using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Client;

/// <summary>
/// The client through a real transaction pooler (PgBouncer in transaction mode, checking SCRAM
/// passwords itself): logins, the pooler's own refusals, and work of several statements kept on one
/// server connection.
/// </summary>
public sealed class DbClientPoolerTests(PooledTestDatabase database) : IClassFixture<PooledTestDatabase>, IAsyncLifetime
{
    private const string Secret = "P00l-Secret-Pw-4417";

    private readonly string _role = "pool_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        Assert.True(database.Server.ThroughPooler);
        await database.ExecuteAsync($"""
            CREATE ROLE {_role} LOGIN PASSWORD '{Secret}';
            GRANT ALL ON SCHEMA public TO {_role};
            SET ROLE {_role};
            CREATE TABLE notes (id int PRIMARY KEY);
            INSERT INTO notes SELECT generate_series(1, 7);
            """);
    }

    public Task DisposeAsync() => database.ExecuteAsync($"DROP OWNED BY {_role}; DROP ROLE IF EXISTS {_role}");

    [Fact]
    public async Task The_right_password_logs_in_through_the_pooler()
    {
        await using var client = ClientFor(_role, Secret);
        Assert.NotEmpty(await client.GetServerVersionAsync(CancellationToken.None));
        var rows = await client.QueryAsync("SELECT current_user AS who");
        Assert.Equal(_role, rows[0]["who"]);
    }

    [Fact]
    public async Task A_wrong_password_refused_by_the_pooler_is_authentication_failed()
    {
        var wrong = Secret + "-wrong";
        await using var client = ClientFor(_role, wrong);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.GetServerVersionAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(DbErrorKind.AuthenticationError, ex.Kind);
        Assert.Equal(ErrorHint.GiveCredential, ex.Hint);

        // PgBouncer answers with its own SQLSTATE, not the server's 28P01.
        var pg = Assert.IsType<PostgresException>(ex.InnerException);
        Assert.Equal(PostgresErrorCodes.ProtocolViolation, pg.SqlState);
        Assert.Contains(_role, ex.Message);
        Assert.Contains("pooler", ex.Message);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.False(DataSourceCache.Holds(client.Target));
    }

    [Fact]
    public async Task An_unknown_user_refused_by_the_pooler_is_authentication_failed()
    {
        await using var client = ClientFor("no_such_role_" + Guid.NewGuid().ToString("N")[..6], Secret);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.GetServerVersionAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.AuthenticationFailed, ex.ErrorId);
        Assert.Equal(PostgresErrorCodes.ProtocolViolation, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
    }

    [Fact]
    public async Task Work_of_several_statements_outside_a_scope_runs_in_one_transaction_on_one_server_connection()
    {
        await using var client = ClientFor(_role, Secret);

        var seen = await client.UseConnectionAsync(
            async (connection, ct) =>
            {
                var answers = new List<string>();
                for (var i = 0; i < 3; i++)
                {
                    await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()::text || '/' || pg_backend_pid()", connection);
                    answers.Add((string)(await command.ExecuteScalarAsync(ct))!);
                }

                return answers;
            },
            CancellationToken.None);

        // Without a transaction each statement gets its own transaction id, and the pooler may give
        // each a different server connection.
        Assert.Single(seen.Distinct());
    }

    [Fact]
    public async Task Work_outside_a_scope_is_committed_when_it_returns_and_rolled_back_when_it_throws()
    {
        await using var client = ClientFor(_role, Secret);
        await client.ExecuteAsync("INSERT INTO notes VALUES (100)");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.UseConnectionAsync<int>(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("INSERT INTO notes VALUES (101)", connection);
                await command.ExecuteNonQueryAsync(ct);
                throw new InvalidOperationException("the caller's own failure");
            },
            CancellationToken.None));

        Assert.Equal(["100"], await database.QueryAsync("SELECT id FROM notes WHERE id >= 100"));
    }

    [Fact]
    public async Task Rows_are_counted_through_the_pooler()
    {
        await using var client = ClientFor(_role, Secret);
        var counts = await client.CountRowsAsync(["public"], CancellationToken.None);
        Assert.Equal(new TableRowCount("public", "notes", 7), Assert.Single(counts));
    }

    [Fact]
    public void A_transaction_pooler_gets_no_automatic_preparation_and_no_reset_on_close()
    {
        var cs = database.Server.ConnectionString(database.Name, _role, Secret) + ";Max Auto Prepare=20;No Reset On Close=false";
        var pooled = new NpgsqlConnectionStringBuilder(DataSourceCache.SettingsFor(TestTargets.For(cs, PoolingMode.Transaction)));
        var direct = new NpgsqlConnectionStringBuilder(DataSourceCache.SettingsFor(TestTargets.For(cs, PoolingMode.None)));

        Assert.Equal(0, pooled.MaxAutoPrepare);
        Assert.True(pooled.NoResetOnClose);

        // Without a transaction pooler the connection string's own choices stand.
        Assert.Equal(20, direct.MaxAutoPrepare);
        Assert.False(direct.NoResetOnClose);
    }

    private DbClient ClientFor(string role, string password) =>
        new(TestTargets.For(database.Server.ConnectionString(database.Name, role, password), PoolingMode.Transaction));
}
