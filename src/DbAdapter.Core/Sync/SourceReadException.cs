namespace DbAdapter.Core.Sync;

/// <summary>
/// A failure of the sync's source database, told apart from the destination's: both are Npgsql
/// errors, often of the same kind (a lock timeout, a lost connection), but each is reported against
/// its own profile (the blocking session looked up there, the unreachable side named).
/// </summary>
internal sealed class SourceReadException(Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>
    /// Runs <paramref name="call"/> on the source, marking its failures as the source's. The engine's
    /// own errors (a backup schema the source's catalog refuses) and cancellation pass as they are.
    /// </summary>
    public static async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or Diagnostics.DbAdapterException or SourceReadException) && !ct.IsCancellationRequested)
        {
            throw new SourceReadException(ex);
        }
    }

    /// <summary>Runs <paramref name="call"/> on the source, marking its failures as the source's (see the generic overload).</summary>
    public static Task GuardAsync(Func<CancellationToken, Task> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return GuardAsync(
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            ct);
    }
}
