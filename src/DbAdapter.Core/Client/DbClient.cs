using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// The engine's database client (successor of the Python tool's adapter): one NpgsqlDataSource per
/// resolved connection; statements with values bound as parameters, transactions and savepoints.
/// While a <see cref="DbTransactionScope"/> is open, every call of this client runs inside it; with
/// none open, each call runs in a transaction of its own. Every transaction starts with SET LOCAL of
/// the client's <see cref="Timeouts"/> (never a session setting: safe behind a transaction pooler), so
/// no work waits silently behind another session's lock. Not for concurrent use from several threads.
/// </summary>
/// <remarks>
/// Failures come out as <see cref="DbAdapterException"/>: ConnectionFailed / AuthenticationFailed
/// when a connection cannot be had, QueryFailed when the server rejects a statement, InvalidQuery
/// when a call is refused before any SQL is sent (a parameter value Npgsql cannot send), LockTimeout
/// when work in a transaction of its own waited longer than the lock timeout (naming the session in
/// the way; inside a caller's scope the server's error passes through for the caller). Cancellation comes out as OperationCanceledException: Npgsql asks the server to cancel
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
    /// <param name="target">Where to connect.</param>
    /// <param name="timeouts">Lock and statement timeouts of every transaction; default: the target's lock timeout.</param>
    public DbClient(ConnectionTarget target, DbTimeouts? timeouts = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        Timeouts = timeouts ?? DbTimeouts.For(target);
        _dataSource = DataSourceCache.Get(target);
    }

    /// <summary>The connection this client talks to.</summary>
    public ConnectionTarget Target { get; }

    /// <summary>The timeouts every transaction of this client starts with (SET LOCAL).</summary>
    public DbTimeouts Timeouts { get; }

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
            await SetTimeoutsAsync(opened, cancellationToken).ConfigureAwait(false);
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
    /// repair, restore) run their own SQL and still take part in the transaction; either way the
    /// client's <see cref="Timeouts"/> hold.
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

        // Outside a scope the work gets a transaction of its own, committed at its end as autocommit
        // would: one server connection and one snapshot behind a pooler, and the SET LOCAL timeouts
        // hold for every statement of it.
        return await InOwnTransactionAsync(work, commit: true, cancellationToken).ConfigureAwait(false);
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

        return await InOwnTransactionAsync(work, commit: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sessions that hold (or wait ahead of us for) a lock conflicting with <paramref name="wanted"/>
    /// on <paramref name="table"/>, or on any table of the target's schemas when the table is not known.
    /// Runs on a connection of its own, so call it once the transaction that timed out has ended.
    /// Empty when nobody is left or the lookup itself fails: it only ever adds to a message.
    /// </summary>
    internal async Task<IReadOnlyList<BlockingSession>> FindBlockersAsync(TableName? table, TableLockMode wanted, CancellationToken cancellationToken)
    {
        try
        {
            // Outside any transaction and without the lock timeout: reading pg_locks waits for no lock.
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await LockConflicts.FindAsync(connection, table, wanted, Target.Schemas, Target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or DbAdapterException or TimeoutException or IOException)
        {
            return [];
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

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own (begun with the timeouts), committed
    /// or always rolled back. A lock timeout comes out as LockTimeout naming the session in the way,
    /// looked up once the transaction is over.
    /// </summary>
    private async Task<T> InOwnTransactionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, bool commit, CancellationToken cancellationToken)
    {
        try
        {
            var scope = await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (scope.ConfigureAwait(false))
            {
                var result = await UseConnectionAsync(work, cancellationToken).ConfigureAwait(false);
                if (commit)
                {
                    await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
        }
        catch (Exception ex) when (LockConflicts.IsLockTimeout(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Work in a transaction of its own reads (or writes rows): only ACCESS EXCLUSIVE stops a read.
            throw await LockTimeoutAsync(ex, TableLockMode.AccessShare, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The LockTimeout error for <paramref name="exception"/>, naming the sessions that hold a lock
    /// <paramref name="wanted"/> conflicts with. Call it once the transaction that timed out has ended.
    /// </summary>
    internal async Task<DbAdapterException> LockTimeoutAsync(Exception exception, TableLockMode wanted, CancellationToken cancellationToken)
    {
        var blockers = await FindBlockersAsync(null, wanted, cancellationToken).ConfigureAwait(false);
        return new DbAdapterException(
            ErrorIds.LockTimeout,
            DbErrorKind.ResourceBusy,
            Target.Redact(
                $"Work on '{Target.DisplayName}' waited longer than its lock timeout ({DbTimeouts.Describe(Timeouts.LockTimeout)}) for a lock and was stopped: {LockConflicts.Describe(blockers)}. " +
                "Nothing was changed. Run it again once that session has finished, or end it; a profile's lock_timeout in db.toml sets how long to wait."),
            blockers.Count > 0 ? blockers[0].Table.ToString() : Target.DisplayName,
            exception,
            ErrorHint.WaitForLock);
    }

    private async Task SetTimeoutsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var statement in Timeouts.SetLocalStatements())
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
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
