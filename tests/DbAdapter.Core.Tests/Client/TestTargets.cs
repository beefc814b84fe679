using DbAdapter.Core.Client;
using DbAdapter.Core.Profiles;
using Npgsql;

namespace DbAdapter.Core.Tests.Client;

/// <summary>Builds connection targets for tests the way the resolver would.</summary>
internal static class TestTargets
{
    public static ConnectionTarget For(string connectionString, params string[] schemas) =>
        new(new NpgsqlConnectionStringBuilder(connectionString), "test", "postgres", null, schemas.Length == 0 ? ["public"] : schemas);

    public static DbClient ClientFor(string connectionString) => new(For(connectionString));
}
