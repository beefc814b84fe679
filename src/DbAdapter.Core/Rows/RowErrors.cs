using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Rows;

/// <summary>
/// How the row engine reports a row it cannot write, in the words of the command at work: a restore
/// names a row by its place in the backup file and fails with RestoreFailed; a sync names it by its
/// key in the source database and fails with SyncFailed. The engine finds the row; this says it.
/// </summary>
internal abstract class RowErrors
{
    /// <summary>What the work is called in a sentence: "a restore", "a sync".</summary>
    public abstract string Work { get; }

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
}
