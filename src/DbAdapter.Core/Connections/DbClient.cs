namespace DbAdapter.Core.Connections;

/// <summary>
/// The engine's database client (successor of the Python tool's adapter): one NpgsqlDataSource per
/// resolved connection; async CRUD with identifiers quoted and values bound as parameters.
/// While a <see cref="DbTransactionScope"/> is open, every call of this client runs inside it.
/// Not for concurrent use from several threads.
/// </summary>
public sealed class DbClient : IAsyncDisposable
{
    public DbClient(ConnectionTarget target) => throw new NotImplementedException();

    public ConnectionTarget Target => throw new NotImplementedException();

    /// <summary>Opens a connection once (translating failures to ConnectionFailed / AuthenticationFailed) and returns the server version.</summary>
    public Task<string> GetServerVersionAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Exact row counts (count(*)) of every ordinary/partitioned table in <paramref name="schemas"/>.</summary>
    public Task<IReadOnlyList<TableRowCount>> CountRowsAsync(IReadOnlyList<string> schemas, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>SELECT with equality filters (null means IS NULL), optional column list, ordering and limit.</summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> SelectAsync(
        TableName table,
        IReadOnlyDictionary<string, object?>? filter = null,
        IReadOnlyList<string>? columns = null,
        IReadOnlyList<OrderBy>? orderBy = null,
        int? limit = null,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>INSERT one row; returns the inserted row (RETURNING *).</summary>
    public Task<IReadOnlyDictionary<string, object?>> InsertAsync(TableName table, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>UPDATE rows matching a non-empty filter; returns the count. An empty filter is refused.</summary>
    public Task<int> UpdateAsync(TableName table, IReadOnlyDictionary<string, object?> values, IReadOnlyDictionary<string, object?> filter, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>DELETE rows matching a non-empty filter; returns the count. An empty filter is refused.</summary>
    public Task<int> DeleteAsync(TableName table, IReadOnlyDictionary<string, object?> filter, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Runs a statement with positional parameters ($1, $2...); returns rows affected.</summary>
    public Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Runs a query with positional parameters ($1, $2...) and returns every row.</summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Starts a transaction scope (or a savepoint when one is already open).</summary>
    public Task<DbTransactionScope> BeginTransactionAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

/// <summary>A transaction (or savepoint, when nested). Commit explicitly; disposing without commit rolls back.</summary>
public sealed class DbTransactionScope : IAsyncDisposable
{
    private DbTransactionScope()
    {
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task RollbackAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
