using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Rows;

/// <summary>
/// How the row engine reports what it cannot write, in the words of the command at work: a restore
/// names a row by its place in the backup file and fails with RestoreFailed; a sync names it by its
/// key in the source database and fails with SyncFailed. The engine finds the row; this says it.
/// </summary>
internal abstract class RowErrors
{
    /// <summary>What the work is called: "restore", "sync".</summary>
    public abstract string Work { get; }

    /// <summary>The error id of the work failing (RestoreFailed, SyncFailed).</summary>
    protected abstract string FailedId { get; }

    /// <summary>How a message names row <paramref name="ord"/> of <paramref name="table"/>, whose key in the source is <paramref name="key"/>.</summary>
    public abstract string Row(string table, long ord, string key);

    /// <summary>The error that stops the work at <paramref name="failure"/>'s row (nothing is committed).</summary>
    /// <param name="failure">The row, and what failed in it.</param>
    /// <param name="action">What was being done with the row ("inserting it").</param>
    /// <param name="message">Why, in the server's words where the server refused it.</param>
    /// <param name="inner">The server's error, if any.</param>
    public abstract DbAdapterException RowFailed(RowFailure failure, string action, string message, Exception? inner);

    /// <summary>The error for rows of <paramref name="table"/> the engine cannot tell apart (a repeated key or natural key).</summary>
    public abstract DbAdapterException Ambiguous(string table, string problem);

    /// <summary>The error for the work failing as a whole, no single row to blame (a deferred constraint at COMMIT...).</summary>
    /// <param name="destination">The destination's display name.</param>
    /// <param name="when">Where it failed, as words after "failed" (" at COMMIT"), or empty.</param>
    /// <param name="message">Why.</param>
    /// <param name="target">The failing item of the error.</param>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="inner">What was caught.</param>
    public DbAdapterException Failed(string destination, string when, string message, object target, DbErrorKind kind, Exception inner) =>
        new(FailedId, kind, $"The {Work} into '{destination}' failed{when}: {message} Nothing was committed.", target, inner);
}
