namespace DbAdapter.TestSupport;

/// <summary>
/// A <see cref="TestDatabase"/> whose <see cref="TestDatabase.Server"/> is reached through the
/// transaction pooler (<see cref="PostgresServer.GetPooledAsync"/>) in every run, for the tests of
/// pooler behaviour itself.
/// </summary>
public class PooledTestDatabase : TestDatabase
{
    protected override Task<PostgresServer> FindServerAsync() => PostgresServer.GetPooledAsync();
}
