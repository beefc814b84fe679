namespace DbAdapter.Bench.Backup;

/// <summary>What one benchmark run of a size works with.</summary>
/// <param name="Server">The PostgreSQL server.</param>
/// <param name="Root">The repository.</param>
/// <param name="Module">out/DbAdapter/DbAdapter.psd1.</param>
/// <param name="Script">measure.ps1.</param>
/// <param name="Folder">A temporary folder of the run (removed at the end).</param>
/// <param name="Runs">How many runs per size.</param>
/// <param name="Created">The databases made so far (dropped at the end).</param>
internal sealed record BenchSetup(DbAdapter.TestSupport.PostgresServer Server, string Root, string Module, string Script, string Folder, int Runs, List<string> Created)
{
    /// <summary>The program's arguments, for options a benchmark reads itself (--calls).</summary>
    public string[] Arguments { get; init; } = [];
}
