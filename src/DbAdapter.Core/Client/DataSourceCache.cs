using System.Collections.Concurrent;
using DbAdapter.Core.Profiles;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// One NpgsqlDataSource per resolved connection for the life of the module, shared by every client
/// of it. A data source loads the database's types on its first connection: with a data source per
/// cmdlet call, every Test-DbSchema on a 1,000-table database paid that again (and got no pooled
/// connection). Keyed by the full connection string, which stays in memory only.
/// </summary>
/// <remarks>
/// The one place where a connection's Npgsql settings are decided, so every data source of the engine
/// is built by the same rules. Behind a transaction-mode pooler (<see cref="PoolingMode.Transaction"/>)
/// consecutive transactions of one Npgsql connection may run on different server connections, so the
/// settings that keep state on a server connection are off whatever the connection string says (see
/// <see cref="SettingsFor"/>). Everything else the pooler requires holds for every connection because
/// <see cref="DbClient"/> runs all work inside transactions.
/// </remarks>
internal static class DataSourceCache
{
    private static readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> Sources = new(StringComparer.Ordinal);

    public static NpgsqlDataSource Get(ConnectionTarget target) =>
        Sources.GetOrAdd(SettingsFor(target), k => new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(k).Build())).Value;

    /// <summary>
    /// Forgets the data source of <paramref name="target"/> and closes it. Called when opening a
    /// connection failed with an authentication error: the key holds the password, so without this
    /// every wrong password tried in a session would keep a data source (and its pool) forever.
    /// </summary>
    public static void Evict(ConnectionTarget target)
    {
        if (Sources.TryRemove(SettingsFor(target), out var source) && source.IsValueCreated)
        {
            source.Value.Dispose();
        }
    }

    /// <summary>True when a data source for <paramref name="target"/> is kept (tests of eviction).</summary>
    internal static bool Holds(ConnectionTarget target) => Sources.ContainsKey(SettingsFor(target));

    /// <summary>The connection string a data source for <paramref name="target"/> is built from (and keyed by).</summary>
    internal static string SettingsFor(ConnectionTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Lets a DBA see in pg_stat_activity who holds a connection or a lock.
            builder.ApplicationName = "DbAdapter";
        }

        // Integer arrays with NULL elements would otherwise fail to read (int[] cannot hold null):
        // they come back as int?[] while arrays without nulls stay int[].
        builder.ArrayNullabilityMode = ArrayNullabilityMode.PerInstance;

        if (target.Pooling == PoolingMode.Transaction)
        {
            // A statement prepared on one server connection is unknown on the next (and an automatic
            // preparation would fail there with "prepared statement does not exist"); the DISCARD ALL
            // Npgsql sends when a connection goes back to its pool would run on whichever server
            // connection the pooler picks next, outside any transaction.
            builder.MaxAutoPrepare = 0;
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>Closes every pooled connection (module removal).</summary>
    public static void Clear()
    {
        foreach (var source in Sources.Values.Where(s => s.IsValueCreated).Select(s => s.Value))
        {
            source.Dispose();
        }

        Sources.Clear();
    }
}
