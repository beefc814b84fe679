using Xunit;

namespace DbAdapter.TestSupport;

/// <summary>
/// A database of its own for one test class (use as IClassFixture), created empty on the shared
/// server and dropped afterwards.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The test database is not initialised.");

    public string Name { get; private set; } = string.Empty;

    /// <summary>Npgsql keyword connection string of this database as the admin user (through the pooler in a pooled run).</summary>
    public string ConnectionString => Server.ConnectionString(Name);

    /// <summary>postgresql:// URI of this database as the admin user (through the pooler in a pooled run).</summary>
    public string Uri => Server.Uri(Name);

    public virtual async Task InitializeAsync()
    {
        _server = await FindServerAsync().ConfigureAwait(false);
        Name = await _server.CreateDatabaseAsync(GetType().Name).ConfigureAwait(false);
    }

    /// <summary>The server this database lives on: the shared one, as the run reaches it.</summary>
    protected virtual Task<PostgresServer> FindServerAsync() => PostgresServer.GetAsync();

    public Task ExecuteAsync(string sql) => Server.ExecuteAsync(Name, sql);

    public Task<string> ScalarAsync(string sql) => Server.ScalarAsync(Name, sql);

    public Task<IReadOnlyList<string>> QueryAsync(string sql) => Server.QueryAsync(Name, sql);

    /// <summary>Creates another fresh database on the same server (dropped with this fixture's server at exit).</summary>
    public Task<string> CreateSiblingAsync(string prefix) => Server.CreateDatabaseAsync(prefix);

    public virtual async Task DisposeAsync()
    {
        if (_server is not null && Name.Length > 0)
        {
            await _server.DropDatabaseAsync(Name).ConfigureAwait(false);
        }
    }
}
