using DbAdapter.Bench.PowerShell;

return args.FirstOrDefault() == "corpus"
    ? await CorpusCmdletBenchmark.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false)
    : await CmdletBenchmark.RunAsync(args).ConfigureAwait(false);
