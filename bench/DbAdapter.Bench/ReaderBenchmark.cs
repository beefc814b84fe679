using System.Diagnostics;
using System.Text;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using DbAdapter.Core.Tests.Schema;
using static DbAdapter.Bench.Shared.BenchStatistics;

namespace DbAdapter.Bench;

/// <summary>
/// Reading schema.sql into the expected model, the part of Test-DbSchema the core benchmark skips
/// (its expected model comes straight from the generator). Needs no server: the text is the DDL the
/// schema benchmark applies, so it is the schema.sql the cmdlet benchmark reads.
/// </summary>
internal static class ReaderBenchmark
{
    private const int Columns = 20;

    public static int Run(string[] args)
    {
        var runs = Option(args, "--runs", 15);
        var sizes = OptionList(args, "--tables", [1000, 2000, 4000]);
        Console.WriteLine($"{Environment.ProcessorCount} cores; .NET {Environment.Version}; server GC {System.Runtime.GCSettings.IsServerGC}");

        var ok = true;
        double? perTableAtFirst = null;
        foreach (var tables in sizes)
        {
            var (ddl, expected) = SyntheticSchema.Generate(tables, Columns);

            // The first read pays for JIT: reported, not mixed into the timings.
            var cold = Measure(ddl);
            ok &= Check(cold.Model, expected);
            var measured = new List<(double Ms, long Bytes, int Gen0, int Gen2, double PauseMs)>();
            for (var i = 0; i < runs; i++)
            {
                var m = Measure(ddl);
                measured.Add((m.Ms, m.Bytes, m.Gen0, m.Gen2, m.PauseMs));
            }

            var median = MedianOf(measured.Select(m => m.Ms));
            perTableAtFirst ??= median / tables;
            Console.WriteLine(
                $"read schema.sql: {tables} tables x {Columns} columns ({Encoding.UTF8.GetByteCount(ddl) / 1024.0:F0} KiB), {runs} runs: " +
                $"min {measured.Min(m => m.Ms):F1} ms, median {median:F1} ms (cold {cold.Ms:F1} ms); " +
                $"allocated {MedianOf(measured.Select(m => m.Bytes / 1048576.0)):F1} MiB per run; " +
                $"GCs per run gen0 {MedianOf(measured.Select(m => (double)m.Gen0)):F0} gen2 {MedianOf(measured.Select(m => (double)m.Gen2)):F0}, " +
                $"paused {MedianOf(measured.Select(m => m.PauseMs)):F1} ms; " +
                $"{median / tables * 1000:F1} µs per table ({median / tables / perTableAtFirst.Value:F2}x the first size)");

            // Where it goes: the tokenizer alone, and tokenizer + statement splitting (internal, as the reader calls it).
            var tokenize = Stage(runs, () => SqlTokenizer.Tokenize(ddl, "schema.sql"));
            var split = Stage(runs, () => SqlStatementSplitter.Split(ddl, SqlTokenizer.Tokenize(ddl, "schema.sql")));
            Console.WriteLine(
                $"  of which: tokenize median {tokenize.Ms:F1} ms, {tokenize.MiB:F1} MiB ({SqlTokenizer.Tokenize(ddl).Count} tokens); " +
                $"tokenize + split median {split.Ms:F1} ms, {split.MiB:F1} MiB; " +
                $"reading the statements into the model is the rest");
        }

        return ok ? 0 : 1;
    }

    private static (double Ms, double MiB) Stage(int runs, Func<object> stage)
    {
        _ = stage();
        var measured = new List<(double Ms, double MiB)>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(stage());
            measured.Add((watch.Elapsed.TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0));
        }

        return (MedianOf(measured.Select(m => m.Ms)), MedianOf(measured.Select(m => m.MiB)));
    }

    private static (double Ms, long Bytes, int Gen0, int Gen2, double PauseMs, SchemaModel Model) Measure(string ddl)
    {
        // Start each run from a collected heap so one run's garbage is not billed to the next.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var model = SchemaSqlReader.Read(ddl, "schema.sql");
        var ms = watch.Elapsed.TotalMilliseconds;
        return (ms, GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2,
            (GC.GetTotalPauseDuration() - paused).TotalMilliseconds, model);
    }

    // The bench must measure a correct read: same tables, columns and indexes as the generator's model, no warnings.
    private static bool Check(SchemaModel read, SchemaModel expected)
    {
        var ok = read.Warnings.Count == 0
            && read.Tables.Count == expected.Tables.Count
            && read.Indexes.Count == 2 * expected.Tables.Count
            && read.Tables.Zip(expected.Tables).All(p => p.First.Name == p.Second.Name && p.First.Columns.Count == p.Second.Columns.Count);
        if (!ok)
        {
            Console.Error.WriteLine($"read model differs from the generator's: {read.Tables.Count} tables, {read.Indexes.Count} indexes, {read.Warnings.Count} warnings {string.Join("; ", read.Warnings.Take(3))}");
        }

        return ok;
    }
}
