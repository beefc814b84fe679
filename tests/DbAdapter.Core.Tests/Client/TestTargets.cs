using DbAdapter.Core.Client;
using DbAdapter.Core.Profiles;
using Npgsql;

namespace DbAdapter.Core.Tests.Client;

/// <summary>Builds connection targets for tests the way the resolver would.</summary>
internal static class TestTargets
{
    public static ConnectionTarget For(string connectionString, params string[] schemas) =>
        new(new NpgsqlConnectionStringBuilder(connectionString), "test", "postgres", null, schemas.Length == 0 ? ["public"] : schemas);

    /// <summary>A target whose pooling is set as db.toml's pooling key would set it.</summary>
    public static ConnectionTarget For(string connectionString, PoolingMode pooling) =>
        new(new NpgsqlConnectionStringBuilder(connectionString), "test", "postgres", null, ["public"], pooling == PoolingMode.Transaction ? "transaction" : "none");

    public static DbClient ClientFor(string connectionString) => new(For(connectionString));
}
