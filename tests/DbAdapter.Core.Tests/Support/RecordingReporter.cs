using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Tests.Support;

/// <summary>Keeps everything an operation reports, in order, for the tests to look at.</summary>
internal sealed class RecordingReporter : IOperationReporter
{
    private readonly object _gate = new();

    public List<OperationProgress> Records { get; } = [];

    public List<string> VerboseLines { get; } = [];

    public List<string> Warnings { get; } = [];

    public void Progress(OperationProgress progress)
    {
        lock (_gate)
        {
            Records.Add(progress);
        }
    }

    public void Verbose(string message)
    {
        lock (_gate)
        {
            VerboseLines.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (_gate)
        {
            Warnings.Add(message);
        }
    }
}
