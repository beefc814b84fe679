using DbAdapter.Bench.Backup;

return await BackupBenchmark.RunAsync(args).ConfigureAwait(false);
