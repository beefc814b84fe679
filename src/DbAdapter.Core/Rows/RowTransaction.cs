using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using Npgsql;

namespace DbAdapter.Core.Rows;

/// <summary>
/// The destination's one transaction of a command that writes rows (a restore, a sync): how it
/// commits, and how a failure of it as a whole is reported, the same for every such command. A row
/// the server refuses is the engine's to find and the command's <see cref="RowErrors"/> to word;
/// what no single row is to blame for (a deferred constraint at COMMIT, a lock another session
/// holds, a lost connection) comes out here.
/// </summary>
internal static class RowTransaction
{
    /// <summary>
    /// Writes <paramref name="staged"/> (<see cref="RowRestorer"/>) inside <paramref name="scope"/> and
    /// commits it, unless WhatIf: then nothing is committed and the scope's owner rolls it back.
    /// </summary>
    /// <param name="client">The destination, with <paramref name="scope"/> open.</param>
    /// <param name="scope">The destination's one transaction of the work.</param>
    /// <param name="staged">The staged tables, parents first.</param>
    /// <param name="options">Mode, isolation of failed rows, WhatIf, the user and the work's words.</param>
    /// <param name="destination">The destination's display name, for messages.</param>
    /// <param name="progress">Told each table's step, and the commit.</param>
    /// <param name="ct">Cancels the work; nothing is committed.</param>
    public static async Task<IReadOnlyList<TableRestoreResult>> WriteAsync(
        DbClient client, DbTransactionScope scope, IReadOnlyList<StagedTable> staged, RowRestoreOptions options, string destination, Action<string, int> progress, CancellationToken ct)
    {
        var tables = await new RowRestorer(client, options, progress).RestoreAsync(staged, ct).ConfigureAwait(false);
        if (!options.WhatIf)
        {
            progress("Committing", 100);
            await CommitAsync(scope, options.Errors, destination, ct).ConfigureAwait(false);
        }

        return tables;
    }

    /// <summary>Commits <paramref name="scope"/>; a refusal at COMMIT fails the work as a whole.</summary>
    private static async Task CommitAsync(DbTransactionScope scope, RowErrors errors, string destination, CancellationToken ct)
    {
        try
        {
            await scope.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (DbAdapterException ex) when (ex.ErrorId == ErrorIds.QueryFailed)
        {
            // A deferred constraint is checked at COMMIT: no single statement of the work failed.
            throw errors.Failed(destination, " at COMMIT", ex.Message, destination, ex.Kind, ex);
        }
    }

    /// <summary>True when <paramref name="exception"/> is the destination's (the server's, the network's, a lock wait's) and <see cref="TranslateAsync"/> words it.</summary>
    public static bool IsFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException || LockConflicts.IsLockTimeout(exception);

    /// <summary>
    /// The error for a failure of the destination's transaction (called once it has rolled back): a
    /// lock wait names the session in the way; a statement the server refused fails the work; a lost
    /// connection or a timeout is translated as every connection failure is.
    /// </summary>
    public static async Task<Exception> TranslateAsync(Exception exception, DbClient client, RowErrors errors, object target, CancellationToken ct)
    {
        if (LockConflicts.IsLockTimeout(exception))
        {
            // Rows are written: any lock a writer conflicts with (a LOCK TABLE, an ALTER) stops it.
            return await client.LockTimeoutAsync(exception, TableLockMode.RowExclusive, ct).ConfigureAwait(false);
        }

        if (RowLevelSecurityRefusal.Matches(exception))
        {
            return await RowLevelSecurityRefusal.DescribeAsync((PostgresException)exception, client, errors.Work, target, ct).ConfigureAwait(false);
        }

        return exception is PostgresException pg && !IsConnectionLevel(pg)
            ? errors.Failed(client.Target.DisplayName, string.Empty, RowIsolation.Message(pg), target, DbErrorKind.InvalidData, pg)
            : ConnectionErrors.Translate(exception, client.Target, $"the {errors.Work} (nothing was committed)", target);
    }

    private static bool IsConnectionLevel(PostgresException ex) =>
        ex.SqlState.StartsWith("08", StringComparison.Ordinal) || ex.SqlState.StartsWith("57", StringComparison.Ordinal) || ex.SqlState == "28P01";
}
