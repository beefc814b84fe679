using DbAdapter.Core.Configuration;
using Npgsql;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// Decides a connection's <see cref="PoolingMode"/>: db.toml's <c>pooling</c> when the profile sets it,
/// otherwise what the host and port say. Supabase's pooler answers on two ports of the same host: 5432
/// keeps a session per client, 6543 hands out a server connection per transaction.
/// </summary>
internal static class PoolerDetection
{
    /// <summary>The port of Supabase's transaction pooler.</summary>
    public const int SupabaseTransactionPort = 6543;

    private const string SupabasePoolerDomain = ".pooler.supabase.com";

    /// <summary>The mode for <paramref name="builder"/>: <paramref name="configured"/> when given, otherwise detected from the host and port.</summary>
    internal static PoolingMode ModeOf(NpgsqlConnectionStringBuilder builder, string? configured) => configured switch
    {
        ProfileConfig.TransactionPooling => PoolingMode.Transaction,
        null => IsSupabaseTransactionPooler(builder) ? PoolingMode.Transaction : PoolingMode.None,
        _ => PoolingMode.None,
    };

    /// <summary>True for a Supabase pooler host (<c>*.pooler.supabase.com</c>) on port 6543.</summary>
    internal static bool IsSupabaseTransactionPooler(NpgsqlConnectionStringBuilder builder) =>
        builder.Port == SupabaseTransactionPort
        && builder.Host is { } host
        && host.TrimEnd('.').EndsWith(SupabasePoolerDomain, StringComparison.OrdinalIgnoreCase);
}
