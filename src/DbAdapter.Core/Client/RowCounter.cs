using System.Globalization;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// The one way the engine counts rows: exact count(*) of any number of tables, 200 tables per
/// statement, so 1,000 tables cost 5 round trips rather than 1,000, and no single statement grows
/// without bound.
/// </summary>
internal static class RowCounter
{
    private const int BatchSize = 200;

    /// <summary>The exact row count of each of <paramref name="tables"/>, in their order.</summary>
    public static async Task<long[]> CountAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tables);
        var counts = new long[tables.Count];
        for (var start = 0; start < tables.Count; start += BatchSize)
        {
            var end = Math.Min(start + BatchSize, tables.Count);
            var sql = string.Join(
                " UNION ALL ",
                Enumerable.Range(start, end - start).Select(i => string.Create(CultureInfo.InvariantCulture, $"SELECT {i} AS i, count(*) AS n FROM {tables[i].Quoted}")));
            var command = new NpgsqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        counts[reader.GetInt32(0)] = reader.GetInt64(1);
                    }
                }
            }
        }

        return counts;
    }
}
