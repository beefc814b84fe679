using DbAdapter.Core.Schema;
using Npgsql;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Introspects a database and compares it with an expected model, as Test-DbSchema does. No test
/// framework here: the benchmarks link this file too.
/// </summary>
internal static class LiveComparison
{
    public static async Task<SchemaComparison> CompareAsync(string connectionString, SchemaModel expected, IReadOnlyList<string> schemas)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);

        // The comparer probes the server under a savepoint: it needs a transaction (rolled back on dispose).
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var live = await SchemaIntrospector.ReadAsync(connection, schemas, CancellationToken.None).ConfigureAwait(false);
        return await SchemaComparer.CompareAsync(expected, live, connection, schemas, CancellationToken.None).ConfigureAwait(false);
    }
}
