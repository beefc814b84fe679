namespace DbAdapter.Core.Profiles;

/// <summary>What sits between DbAdapter and the server, as far as the connection's settings are concerned.</summary>
public enum PoolingMode
{
    /// <summary>The server itself, or a pooler that gives a client one server connection for its whole session.</summary>
    None,

    /// <summary>
    /// A transaction-mode pooler (PgBouncer <c>pool_mode = transaction</c>, Supabase's pooler on port 6543):
    /// each transaction may run on another server connection, so nothing may live on one beyond a transaction.
    /// </summary>
    Transaction,
}
