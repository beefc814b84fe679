using DbAdapter.Bench.Backup;

// "sync": Sync-DbProfile beside backup + restore and \copy; otherwise backup and restore beside psql, pg_dump and pg_restore.
return args.Length > 0 && args[0] == "sync"
    ? await SyncBenchmark.RunAsync(args[1..]).ConfigureAwait(false)
    : await BackupBenchmark.RunAsync(args).ConfigureAwait(false);
