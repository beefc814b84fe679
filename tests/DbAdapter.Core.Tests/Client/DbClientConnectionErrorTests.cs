using System.Net.Sockets;
using System.Net;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.TestSupport;
using Npgsql;
using static DbAdapter.Core.Tests.Client.TestTargets;

namespace DbAdapter.Core.Tests.Client;

/// <summary>Connection and authentication failures: ids, kinds, messages, and no password anywhere.</summary>
public sealed class DbClientConnectionErrorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Secret = "Sup3r-Secret-Pw-7731";

    [Fact]
    public async Task Closed_port_is_connection_failed()
    {
        var port = FreePort();
        var cs = $"Host=127.0.0.1;Port={port};Database=x;Username=u;Password={Secret};Timeout=5";
        var ex = await AssertFails(cs, ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError);
        Assert.Contains($"127.0.0.1:{port}/x", ex.Message);
        Assert.Contains("refused", ex.Message);
    }

    [Fact]
    public async Task Unknown_host_is_connection_failed()
    {
        var cs = $"Host=no-such-host.invalid;Port=5432;Database=x;Username=u;Password={Secret};Timeout=10";
        var ex = await AssertFails(cs, ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError);
        Assert.Contains("no-such-host.invalid", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_connect_timeout()
    {
        // Accepts the TCP connection and then says nothing, like a black-holed proxy.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var cs = $"Host=127.0.0.1;Port={port};Database=x;Username=u;Password={Secret};Timeout=1";
        var ex = await AssertFails(cs, ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError);
        Assert.Contains("no answer within 1 s", ex.Message);
    }

    [Fact]
    public async Task Wrong_password_is_authentication_failed()
    {
        var role = await CreateRoleAsync();
        var cs = database.Server.ConnectionString(database.Name, role, Secret + "-wrong");
        var ex = await AssertFails(cs, ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError, Secret + "-wrong");
        Assert.Equal("28P01", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        Assert.Contains(role, ex.Message);
    }

    [Fact]
    public async Task Unknown_role_is_authentication_failed()
    {
        var cs = database.Server.ConnectionString(database.Name, "no_such_role_x", Secret);
        await AssertFails(cs, ErrorIds.AuthenticationFailed, DbErrorKind.AuthenticationError);
    }

    [Fact]
    public async Task Missing_database_is_connection_failed()
    {
        var role = await CreateRoleAsync();
        var cs = database.Server.ConnectionString("no_such_db_x", role, Secret);
        var ex = await AssertFails(cs, ErrorIds.ConnectionFailed, DbErrorKind.ConnectionError);
        Assert.Equal("3D000", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        Assert.Contains("no_such_db_x", ex.Message);
    }

    [Fact]
    public async Task The_right_password_works()
    {
        var role = await CreateRoleAsync();
        await using var client = ClientFor(database.Server.ConnectionString(database.Name, role, Secret));
        Assert.NotEmpty(await client.GetServerVersionAsync(CancellationToken.None));
        Assert.True(DataSourceCache.Holds(client.Target));
    }

    [Fact]
    public async Task A_wrong_password_leaves_no_data_source_behind()
    {
        var role = await CreateRoleAsync();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var client = ClientFor(database.Server.ConnectionString(database.Name, role, $"{Secret}-wrong-{attempt}"));
            var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.GetServerVersionAsync(CancellationToken.None));
            Assert.Equal(ErrorIds.AuthenticationFailed, ex.ErrorId);

            // The cache key holds the password: keeping it would keep a pool per wrong password forever.
            Assert.False(DataSourceCache.Holds(client.Target));
        }
    }

    [Fact]
    public async Task Every_operation_translates_connection_failures()
    {
        await using var client = ClientFor($"Host=127.0.0.1;Port={FreePort()};Database=x;Username=u;Password={Secret}");
        var calls = new Func<Task>[]
        {
            () => client.ExecuteAsync("SELECT 1"),
            () => client.QueryAsync("SELECT 1"),
            () => client.CountRowsAsync(["public"], CancellationToken.None),
            () => client.BeginTransactionAsync(),
        };
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<DbAdapterException>(call);
            Assert.Equal(ErrorIds.ConnectionFailed, ex.ErrorId);
            AssertNoSecret(ex, Secret);
        }
    }

    private async Task<DbAdapterException> AssertFails(string connectionString, string errorId, DbErrorKind kind, string? password = null)
    {
        await using var client = ClientFor(connectionString);
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => client.GetServerVersionAsync(CancellationToken.None));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal("test", ex.Target);
        Assert.Contains("'test'", ex.Message);
        Assert.NotNull(ex.InnerException);
        AssertNoSecret(ex, password ?? Secret);
        return ex;
    }

    private static void AssertNoSecret(Exception exception, string secret)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, e.ToString(), StringComparison.Ordinal);
            foreach (var value in e.Data.Values)
            {
                Assert.DoesNotContain(secret, value?.ToString() ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    private async Task<string> CreateRoleAsync()
    {
        var role = "r_" + Guid.NewGuid().ToString("N")[..12];
        await database.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{Secret}'; GRANT CONNECT ON DATABASE \"{database.Name}\" TO {role};");
        return role;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
