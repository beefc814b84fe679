using System.Management.Automation;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// The engine's reporter for a cmdlet: every call is posted to the pipeline thread. It remembers the
/// progress activities still open, so the cmdlet can close them when the work fails or is stopped.
/// </summary>
internal sealed class CmdletReporter(Action<string> warning, Action<string> verbose, Action<ProgressRecord> progress) : IOperationReporter
{
    private readonly Dictionary<int, ProgressRecord> _open = [];

    public void Warning(string message) => warning(message);

    public void Verbose(string message) => verbose(message);

    public void Progress(OperationProgress report)
    {
        var record = new ProgressRecord(report.ActivityId, report.Activity, string.IsNullOrEmpty(report.Status) ? report.Activity : report.Status)
        {
            PercentComplete = Math.Clamp(report.PercentComplete, 0, 100),
            RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        lock (_open)
        {
            if (report.Completed)
            {
                _open.Remove(report.ActivityId);
            }
            else
            {
                _open[report.ActivityId] = record;
            }
        }

        progress(record);
    }

    /// <summary>Activities that got a Processing record and no Completed one yet.</summary>
    public IReadOnlyList<ProgressRecord> OpenActivities()
    {
        lock (_open)
        {
            return _open.Values.Select(r => new ProgressRecord(r.ActivityId, r.Activity, r.StatusDescription) { PercentComplete = r.PercentComplete }).ToList();
        }
    }
}
