namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// How the engine talks back while it works. The cmdlet layer implements it by posting to the
/// pipeline thread (warnings, verbose lines, progress records). Implementations must be thread-safe.
/// </summary>
public interface IOperationReporter
{
    void Warning(string message);

    void Verbose(string message);

    void Progress(OperationProgress progress);
}

/// <summary>A progress report; <see cref="Completed"/> closes the activity.</summary>
public sealed record OperationProgress(int ActivityId, string Activity, string Status, int PercentComplete, bool Completed = false);

/// <summary>A reporter that drops everything (tests, benchmarks).</summary>
public sealed class NullReporter : IOperationReporter
{
    public static readonly NullReporter Instance = new();

    public void Warning(string message) { }

    public void Verbose(string message) { }

    public void Progress(OperationProgress progress) { }
}
