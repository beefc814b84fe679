using DbAdapter.Core.Connections;
using Npgsql;

namespace DbAdapter.Core.Tests.Connections;

/// <summary>Builds connection targets for tests the way the resolver would.</summary>
internal static class TestTargets
{
    public static ConnectionTarget For(string connectionString, params string[] schemas) =>
        new(new NpgsqlConnectionStringBuilder(connectionString), "test", "postgres", null, schemas.Length == 0 ? ["public"] : schemas);

    public static DbClient Client(string connectionString) => new(For(connectionString));

    public static Dictionary<string, object?> Row(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
