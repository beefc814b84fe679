using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// The engine's database client (successor of the Python tool's adapter): one NpgsqlDataSource per
/// resolved connection; statements with values bound as parameters, transactions and savepoints.
/// While a <see cref="DbTransactionScope"/> is open, every call of this client runs inside it.
/// Not for concurrent use from several threads.
/// </summary>
/// <remarks>
/// Failures come out as <see cref="DbAdapterException"/>: ConnectionFailed / AuthenticationFailed
/// when a connection cannot be had, QueryFailed when the server rejects a statement, InvalidQuery
/// when a call is refused before any SQL is sent (a parameter value Npgsql cannot send). Cancellation comes out as OperationCanceledException: Npgsql asks the server to cancel
/// the running statement, so the call returns promptly. Outside a scope the connection goes back to
/// the pool; inside one, see <see cref="DbTransactionScope"/> (the scope is marked failed).
/// <para>Pooler-safe for every connection, so a transaction-mode pooler (PgBouncer, Supabase's port 6543)
/// needs nothing of its own here: every unit of work (each call, each <see cref="UseConnectionAsync{T}"/>)
/// runs inside one transaction, the open scope's or one of its own, and so on one server connection
/// with one snapshot. Nothing outlives that transaction on the server: the engine sets session
/// settings only with SET LOCAL, creates temporary tables only ON COMMIT DROP or under a savepoint it
/// rolls back, takes no advisory locks and prepares no statements. Only Npgsql's own settings differ
/// behind a transaction pooler (<see cref="DataSourceCache"/>).</para>
/// </remarks>
public sealed class DbClient : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private DbTransactionScope? _scope;
    private int _savepointCounter;
    private bool _disposed;

    /// <summary>Closes every pooled connection of every client (the module is being removed).</summary>
    public static void CloseAllConnections() => DataSourceCache.Clear();

    /// <summary>Creates a client for <paramref name="target"/>; nothing is opened until the first call.</summary>
    public DbClient(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        _dataSource = DataSourceCache.Get(target);
    }

    /// <summary>The connection this client talks to.</summary>
    public ConnectionTarget Target { get; }

    /// <summary>Opens a connection once (translating failures to ConnectionFailed / AuthenticationFailed) and returns the server version.</summary>
    public Task<string> GetServerVersionAsync(CancellationToken cancellationToken) =>
        RunAsync("reading the server version", null, (connection, _) => Task.FromResult(connection.PostgreSqlVersion.ToString()), cancellationToken);

    /// <summary>Exact row counts (count(*)) of every ordinary/partitioned table in <paramref name="schemas"/>.</summary>
    /// <remarks>Ordered by schema, then table (byte order). Partitions are tables too and are listed
    /// beside their parent, whose count includes theirs. One query lists the tables; <see cref="RowCounter"/> counts them.</remarks>
    public Task<IReadOnlyList<TableRowCount>> CountRowsAsync(IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return RunAsync("counting rows", null, (connection, ct) => CountRowsCoreAsync(connection, schemas, ct), cancellationToken);
    }

    /// <summary>Runs a statement with positional parameters ($1, $2...); returns rows affected.</summary>
    /// <remarks>Parameter types are inferred from the CLR values (no column to guide them): bind JSON as
    /// JsonElement/JsonNode.</remarks>
    public Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return RunAsync("a statement", null, (connection, ct) => ExecuteCoreAsync(connection, Raw(sql, parameters), ct), cancellationToken);
    }

    /// <summary>Runs a query with positional parameters ($1, $2...) and returns every row.</summary>
    /// <remarks>Rows of the first result set; column names must be distinct (alias them otherwise).</remarks>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return RunAsync("a query", null, (connection, ct) => QueryCoreAsync(connection, Raw(sql, parameters), ct), cancellationToken);
    }

    /// <summary>Starts a transaction scope (or a savepoint when one is already open).</summary>
    /// <exception cref="InvalidOperationException">The open scope has failed (roll it back first).</exception>
    public async Task<DbTransactionScope> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var outer = _scope;
        if (outer is not null)
        {
            outer.ThrowIfFailed("begin a nested transaction");
            var savepoint = $"dbadapter_sp_{++_savepointCounter}";
            await RunAsync("SAVEPOINT", null, async (connection, ct) =>
            {
                var command = new NpgsqlCommand($"SAVEPOINT {SqlIdentifier.Quote(savepoint)}", connection);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            _scope = new DbTransactionScope(this, outer.Connection, outer.Transaction, outer, savepoint);
            return _scope;
        }

        var opened = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await opened.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            _scope = new DbTransactionScope(this, opened, transaction, null, null);
            return _scope;
        }
        catch (Exception ex)
        {
            await opened.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, "BEGIN");
        }
    }

    /// <summary>Rolls back an open scope (if any), closes its connection and disposes the data source.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var outermost = _scope;
        while (outermost?.Parent is not null)
        {
            outermost = outermost.Parent;
        }

        if (outermost is not null)
        {
            AbandonScopesInside(outermost);
            await outermost.DisposeAsync().ConfigureAwait(false);
        }

        // The data source is shared (DataSourceCache): its pool outlives this client.
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the open scope's connection (inside its transaction) or, when no
    /// scope is open, inside a transaction of its own on a pooled connection, committed when the work
    /// returns and rolled back when it throws. This is how other parts of the engine (introspection,
    /// repair, restore) run their own SQL and still take part in the transaction.
    /// </summary>
    /// <remarks>
    /// Failures to open the connection come out translated (ConnectionFailed / AuthenticationFailed).
    /// Exceptions of <paramref name="work"/> pass through unchanged so callers can map them to their
    /// own error ids or inspect SqlState; use <see cref="Translate"/> for the common mapping. Inside a
    /// scope, any exception of <paramref name="work"/> marks the scope failed.
    /// <para>Work of several statements outside a scope would otherwise run each of them in its own
    /// implicit transaction: behind a transaction pooler each on whichever server connection comes
    /// next, and with a snapshot of its own everywhere.</para>
    /// </remarks>
    internal async Task<T> UseConnectionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var scope = _scope;
        if (scope is not null)
        {
            scope.ThrowIfFailed("run a command");
            try
            {
                return await work(scope.Connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Whatever failed may have reached the server (or broken the connection mid-message,
                // as a value Npgsql cannot serialise does): the scope can only be rolled back now.
                scope.MarkFailed(ex);
                throw;
            }
        }

        var unit = await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (unit.ConfigureAwait(false))
        {
            var result = await UseConnectionAsync(work, cancellationToken).ConfigureAwait(false);
            await unit.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>
    /// Runs read-only <paramref name="work"/> inside a transaction that leaves nothing behind: the open
    /// scope's (the work must then leave it as it was), or a new one that is always rolled back. Work
    /// that probes the server with temporary objects under savepoints (schema comparison, planning)
    /// needs a transaction, and reading the catalog and the row counts in one gives one snapshot.
    /// </summary>
    internal async Task<T> UseRolledBackTransactionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_scope is not null)
        {
            return await UseConnectionAsync(work, cancellationToken).ConfigureAwait(false);
        }

        var scope = await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            // Never committed: disposing the scope rolls it back.
            return await UseConnectionAsync(work, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The common translation of a database failure met while doing <paramref name="activity"/>
    /// (see <see cref="ConnectionErrors"/>); returns <paramref name="exception"/> itself when it is not one.
    /// </summary>
    internal Exception Translate(Exception exception, string? activity = null, object? failingItem = null) =>
        ConnectionErrors.Translate(exception, Target, activity, failingItem);

    internal bool IsInnermostScope(DbTransactionScope scope) => ReferenceEquals(_scope, scope);

    internal void OnScopeEnded(DbTransactionScope scope)
    {
        if (ReferenceEquals(_scope, scope))
        {
            _scope = scope.Parent;
        }
    }

    /// <summary>Ends, without SQL, every scope nested inside <paramref name="scope"/>; true when there was one.</summary>
    internal bool AbandonScopesInside(DbTransactionScope scope)
    {
        var abandoned = false;
        while (_scope is not null && !ReferenceEquals(_scope, scope))
        {
            _scope.Abandon();
            _scope = _scope.Parent;
            abandoned = true;
        }

        return abandoned;
    }

    private async Task<T> RunAsync<T>(string activity, object? failingItem, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await UseConnectionAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, Target, activity, failingItem, whileOpening: false, out var translated))
        {
            throw translated;
        }
        catch (Exception ex) when (ex is InvalidCastException or NotSupportedException)
        {
            // Npgsql refuses a CLR value it cannot send (or read) before anything reaches the server.
            throw new DbAdapterException(
                ErrorIds.InvalidQuery,
                DbErrorKind.InvalidArgument,
                Target.Redact($"{activity} on '{Target.DisplayName}' failed: a value could not be converted: {ex.Message}"),
                failingItem ?? Target.DisplayName,
                ex);
        }
    }

    private async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ConnectionErrors.TryTranslate(ex, Target, "opening a connection", null, whileOpening: true, out var translated))
        {
            if (translated.ErrorId == ErrorIds.AuthenticationFailed)
            {
                DataSourceCache.Evict(Target);
            }

            throw translated;
        }
    }

    private async Task<IReadOnlyList<TableRowCount>> CountRowsCoreAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        var tables = new List<TableName>();
        var list = new NpgsqlCommand(
            """
            SELECT n.nspname, c.relname
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
            ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
            """,
            connection);
        await using (list.ConfigureAwait(false))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
            var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tables.Add(new TableName(reader.GetString(0), reader.GetString(1)));
                }
            }
        }

        var counts = await RowCounter.CountAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        return tables.Select((t, i) => new TableRowCount(t.Schema, t.Name, counts[i])).ToList();
    }

    private static async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryCoreAsync(NpgsqlConnection connection, Statement statement, CancellationToken cancellationToken)
    {
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await RowReader.ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> ExecuteCoreAsync(NpgsqlConnection connection, Statement statement, CancellationToken cancellationToken)
    {
        var command = statement.CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Statement Raw(string sql, IReadOnlyList<object?>? parameters)
    {
        var statement = new Statement().Append(sql);
        foreach (var value in parameters ?? [])
        {
            statement.AddParameter(ParameterBinder.Positional(value));
        }

        return statement;
    }
}
