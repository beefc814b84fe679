using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

/// <summary>
/// A transaction of a <see cref="DbClient"/> (or a savepoint, when begun while another scope is open).
/// While it is the innermost open scope, every call of the client runs on its connection, inside it.
/// Commit explicitly; disposing without commit rolls back (a savepoint scope rolls back to its
/// savepoint and leaves the outer work intact). Scopes end innermost first.
/// </summary>
/// <remarks>
/// PostgreSQL aborts the whole transaction when any statement in it fails, and a cancelled command is
/// a failed statement. So when a call inside a scope fails or is cancelled, the scope is marked
/// failed: further calls and <see cref="CommitAsync"/> throw InvalidOperationException instead of
/// letting a later COMMIT turn silently into a rollback. Dispose (or roll back) the failed scope.
/// To survive an expected failure, run the risky call in a nested scope: rolling that back makes the
/// outer scope usable again.
/// </remarks>
public sealed class DbTransactionScope : IAsyncDisposable
{
    private readonly DbClient _client;
    private readonly NpgsqlTransaction _transaction;
    private readonly string? _savepoint;
    private Exception? _failure;

    internal DbTransactionScope(DbClient client, NpgsqlConnection connection, NpgsqlTransaction transaction, DbTransactionScope? parent, string? savepoint)
    {
        _client = client;
        Connection = connection;
        _transaction = transaction;
        Parent = parent;
        _savepoint = savepoint;
    }

    /// <summary>True for a savepoint inside an outer scope.</summary>
    public bool IsNested => _savepoint is not null;

    /// <summary>True once committed or rolled back.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True when a call inside the scope failed or was cancelled: the scope can only be rolled back.</summary>
    public bool HasFailed => _failure is not null;

    internal NpgsqlConnection Connection { get; }

    internal NpgsqlTransaction Transaction => _transaction;

    internal DbTransactionScope? Parent { get; }

    /// <summary>
    /// Commits the transaction, or releases the savepoint of a nested scope (its work then belongs to
    /// the outer scope and is undone if that one rolls back).
    /// </summary>
    /// <exception cref="InvalidOperationException">The scope has ended, an inner scope is still open,
    /// or a call inside the scope failed (dispose it to roll back).</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureCanEnd("commit");
        ThrowIfFailed("commit");
        if (_savepoint is not null)
        {
            try
            {
                await ExecuteAsync($"RELEASE SAVEPOINT {SqlIdentifier.Quote(_savepoint)}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The savepoint is still there: the caller's dispose rolls back to it.
                MarkFailed(ex);
                throw _client.Translate(ex, "commit of a nested transaction");
            }

            End();
            return;
        }

        try
        {
            // A COMMIT of an aborted transaction answers ROLLBACK without an error; one cheap round trip
            // catches failures that work run through UseConnectionAsync swallowed.
            await ExecuteAsync("SELECT 1", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            MarkFailed(ex);
            throw new InvalidOperationException(
                "The transaction cannot be committed: PostgreSQL has aborted it after an earlier failure in it. Dispose the scope to roll it back.", ex);
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever happened, the transaction is over (a failed COMMIT rolls back).
            await EndOuterAsync().ConfigureAwait(false);
            throw _client.Translate(ex, "commit");
        }

        await EndOuterAsync().ConfigureAwait(false);
    }

    /// <summary>Rolls back the transaction, or the work since the savepoint of a nested scope.</summary>
    /// <exception cref="InvalidOperationException">The scope has ended or an inner scope is still open.</exception>
    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        EnsureCanEnd("roll back");
        await RollbackCoreAsync(swallowFailures: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rolls back unless committed. Disposing an outer scope while an inner one is still open rolls back
    /// both and then throws InvalidOperationException, because the code that did it has a bug.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (IsCompleted)
        {
            return;
        }

        var abandonedInner = _client.AbandonScopesInside(this);
        await RollbackCoreAsync(swallowFailures: true, CancellationToken.None).ConfigureAwait(false);
        if (abandonedInner)
        {
            throw new InvalidOperationException(
                "A transaction scope was disposed while a nested scope begun inside it was still open. Both were rolled back; end the inner scope first.");
        }
    }

    /// <summary>Throws when a call inside this scope failed: PostgreSQL will refuse anything but a rollback.</summary>
    internal void ThrowIfFailed(string what)
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException(
                $"Cannot {what}: an earlier call in this transaction failed or was cancelled, so PostgreSQL has aborted it. " +
                "Dispose (or roll back) the transaction scope first; run calls that may fail in a nested scope to keep the outer work.",
                _failure);
        }
    }

    internal void MarkFailed(Exception failure) => _failure ??= failure;

    /// <summary>Marks the scope ended without touching the server (an outer scope's rollback undid it).</summary>
    internal void Abandon() => IsCompleted = true;

    private async Task RollbackCoreAsync(bool swallowFailures, CancellationToken cancellationToken)
    {
        if (_savepoint is not null)
        {
            try
            {
                var name = SqlIdentifier.Quote(_savepoint);
                await ExecuteAsync($"ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The outer transaction is in an unknown state now: it must not commit.
                Parent?.MarkFailed(ex);
                End();
                if (!swallowFailures)
                {
                    throw _client.Translate(ex, "rollback of a nested transaction");
                }

                return;
            }

            End();
            return;
        }

        try
        {
            await _transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (swallowFailures)
        {
            // A broken connection: closing it below makes the server roll back anyway.
        }
        catch (Exception ex)
        {
            await EndOuterAsync().ConfigureAwait(false);
            throw _client.Translate(ex, "rollback");
        }

        await EndOuterAsync().ConfigureAwait(false);
    }

    private void EnsureCanEnd(string what)
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException($"Cannot {what}: this transaction scope has already been committed or rolled back.");
        }

        if (!_client.IsInnermostScope(this))
        {
            throw new InvalidOperationException(
                $"Cannot {what} this transaction scope while a nested scope begun inside it is still open: commit or dispose the inner scope first.");
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, Connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void End()
    {
        IsCompleted = true;
        _client.OnScopeEnded(this);
    }

    private async Task EndOuterAsync()
    {
        End();
        try
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Only a broken connection gets here; closing it ends the transaction on the server.
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
