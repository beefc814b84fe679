using System.Collections.Concurrent;
using System.Management.Automation;
using DbAdapter.Core.Diagnostics;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// Base of every cmdlet of the module. The engine is async; PowerShell wants its Write* and
/// ShouldProcess calls on the pipeline thread. <see cref="RunAsync"/> starts the work on the thread
/// pool and pumps a queue on the pipeline thread until the work ends; worker code only ever posts to
/// that queue. StopProcessing (Ctrl+C) cancels the token the work runs with.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private BlockingCollection<PumpItem>? _queue;
    private int _pipelineThreadId;
    private bool _disposed;

    /// <summary>Cancelled when the pipeline is stopped.</summary>
    private protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources owned by the cmdlet.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _cancellation.Dispose();
        }

        _disposed = true;
    }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        ModuleLifecycle.EnsureRegistered();
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped after the cmdlet finished: nothing left to cancel.
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool while pumping its output on this (the
    /// pipeline) thread. Exceptions of the work surface here, on the pipeline thread.
    /// </summary>
    private protected void RunAsync(Func<CancellationToken, Task> work)
    {
        using var queue = new BlockingCollection<PumpItem>();
        _queue = queue;
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        var task = Task.Run(() => work(_cancellation.Token), _cancellation.Token);
        _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                item.Run();
            }
        }
        catch
        {
            // A write failed (typically PipelineStoppedException): stop the work, release anything it
            // waits for, and let the original exception surface.
            StopProcessing();
            foreach (var item in queue.GetConsumingEnumerable())
            {
                item.Abandon();
            }

            throw;
        }
        finally
        {
            _queue = null;
        }

        try
        {
            // The pump above has run until the work completed: this does not block.
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Stopping || _cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Runs the work of one pipeline item. Any failure becomes an ErrorRecord with a stable ErrorId:
    /// non-terminating (the next item is still processed) unless <paramref name="terminating"/>;
    /// <paramref name="target"/> may replace the error's target object (for example with the pipeline
    /// item itself). Progress the work left open is closed with a Completed record, whatever happened.
    /// </summary>
    private protected void RunItem(Func<IOperationReporter, CancellationToken, Task> work, bool terminating = false, Func<DbAdapterException, object?>? target = null, object? item = null)
    {
        var reporter = new CmdletReporter(PostWarning, PostVerbose, PostProgress);
        ErrorRecord? record = null;
        try
        {
            RunAsync(token => work(reporter, token));
        }
        catch (DbAdapterException ex)
        {
            record = ErrorRecords.From(ex, target?.Invoke(ex) ?? item);
        }
        catch (Exception ex) when (ex is not (PipelineStoppedException or OperationCanceledException or OutOfMemoryException))
        {
            record = ErrorRecords.FromUnexpected(ex, item);
        }
        finally
        {
            CompleteProgress(reporter.OpenActivities());
        }

        if (record is not null)
        {
            if (terminating)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }
    }

    /// <summary>
    /// Closes progress bars a failed or stopped item left open. While the pipeline stops, the runtime
    /// refuses WriteProgress, so the record goes to the host directly: a bar must not stay on screen
    /// after Ctrl+C.
    /// </summary>
    private void CompleteProgress(IReadOnlyList<ProgressRecord> open)
    {
        foreach (var record in open)
        {
            record.RecordType = ProgressRecordType.Completed;
            try
            {
                WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
                Host?.UI?.WriteProgress(0, record);
            }
        }
    }

    /// <summary>Resolves a user path (-SchemaFile, -BackupPath...) against the PowerShell location.</summary>
    private protected string? ResolveUserPath(string? path) =>
        string.IsNullOrEmpty(path) ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Queues an object for the pipeline (thread-safe).</summary>
    private protected void PostObject(object? value, bool enumerate = false) => Post(() => WriteObject(value, enumerate));

    private protected void PostError(ErrorRecord record) => Post(() => WriteError(record));

    private protected void PostWarning(string message) => Post(() => WriteWarning(message));

    private protected void PostVerbose(string message) => Post(() => WriteVerbose(message));

    private protected void PostProgress(ProgressRecord record) => Post(() => WriteProgress(record));

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (session state, runspace-bound work).</summary>
    private protected void PostAction(Action action) => Post(action);

    /// <summary>
    /// ShouldProcess(target, action) in PowerShell's own wording, through the overload that says why it
    /// answered no: -WhatIf, or a person declining. Pipeline thread only.
    /// </summary>
    private protected Confirmation Ask(string target, string action)
    {
        var what = $"Performing the operation \"{action}\" on target \"{target}\".";
        return ShouldProcess(what, $"Are you sure you want to perform this action?\n{what}", "Confirm", out var reason) ? Confirmation.Proceed
            : reason == ShouldProcessReason.WhatIf ? Confirmation.WhatIf
            : Confirmation.Declined;
    }

    /// <summary>ShouldProcess asked on the pipeline thread; the worker awaits the answer.</summary>
    private protected Task<bool> ShouldProcessAsync(string target, string action)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => answer.TrySetResult(ShouldProcess(target, action)), () => answer.TrySetCanceled());
        return answer.Task;
    }

    private void Post(Action action, Action? abandon = null)
    {
        var queue = _queue;
        if (queue is null || Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            // Called on the pipeline thread itself (outside RunAsync, or synchronously from it).
            action();
            return;
        }

        try
        {
            queue.Add(new PumpItem(action, abandon));
        }
        catch (InvalidOperationException)
        {
            // The pump has finished (the work is ending): a late message has nowhere to go.
            abandon?.Invoke();
        }
    }

    private sealed record PumpItem(Action Action, Action? AbandonAction)
    {
        public void Run() => Action();

        public void Abandon() => AbandonAction?.Invoke();
    }
}
