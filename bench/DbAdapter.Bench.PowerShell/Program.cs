using DbAdapter.Bench.PowerShell;

return await CmdletBenchmark.RunAsync(args).ConfigureAwait(false);
