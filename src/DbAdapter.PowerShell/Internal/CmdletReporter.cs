using System.Management.Automation;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.PowerShell.Internal;

/// <summary>The engine's reporter for a cmdlet: every call is posted to the pipeline thread.</summary>
internal sealed class CmdletReporter(Action<string> warning, Action<string> verbose, Action<ProgressRecord> progress) : IOperationReporter
{
    public void Warning(string message) => warning(message);

    public void Verbose(string message) => verbose(message);

    public void Progress(OperationProgress report)
    {
        var record = new ProgressRecord(report.ActivityId, report.Activity, string.IsNullOrEmpty(report.Status) ? report.Activity : report.Status)
        {
            PercentComplete = Math.Clamp(report.PercentComplete, 0, 100),
            RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        progress(record);
    }
}
