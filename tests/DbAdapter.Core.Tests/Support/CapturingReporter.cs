using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Tests.Support;

/// <summary>Keeps everything the engine reports, for tests to look at.</summary>
internal sealed class CapturingReporter : IOperationReporter
{
    public List<OperationProgress> Records { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> VerboseLines { get; } = [];

    public void Progress(OperationProgress progress)
    {
        lock (Records)
        {
            Records.Add(progress);
        }
    }

    public void Verbose(string message)
    {
        lock (VerboseLines)
        {
            VerboseLines.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (Warnings)
        {
            Warnings.Add(message);
        }
    }
}
