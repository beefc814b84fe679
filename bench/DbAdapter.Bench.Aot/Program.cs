using System.Diagnostics;
using System.Globalization;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;

// Usage: DbAdapter.Bench.Aot backup <db.toml> <profile> <user id> <calls>
//        DbAdapter.Bench.Aot schema <db.toml> <profile> <calls>
// The same engine calls the cmdlets make (BackupOperation, SchemaTestOperation), timed one by one in a
// process that compiles nothing at run time. The profile's db.toml names the schema or backup schema.
if (args.Length < 4 || args[0] is not ("backup" or "schema"))
{
    Console.Error.WriteLine("usage: backup <db.toml> <profile> <user id> <calls> | schema <db.toml> <profile> <calls>");
    return 2;
}

var process = Stopwatch.StartNew();
var profile = new ProfileRequest(Path.GetFullPath(args[1]), args[2], null, "DB_", null);
var calls = int.Parse(args[0] == "backup" ? args[4] : args[3], CultureInfo.InvariantCulture);
for (var i = 1; i <= calls; i++)
{
    var call = Stopwatch.StartNew();
    string what;
    if (args[0] == "backup")
    {
        var path = Path.Combine(Path.GetTempPath(), $"dbadapter-aot-{Environment.ProcessId}.json");
        var request = new BackupRequest(profile, args[3], null, null, path, ".", Force: true);
        var result = await BackupOperation.RunAsync(request, ProcessEnvironment.Instance, new NullReporter(), CancellationToken.None).ConfigureAwait(false);
        what = string.Create(CultureInfo.InvariantCulture, $"{result.Tables.Sum(t => t.Value)} rows, {result.Bytes} bytes");
        File.Delete(path);
    }
    else
    {
        var outcome = await SchemaTestOperation.RunAsync(profile, new ExpectedSchemaRequest(), ProcessEnvironment.Instance, new NullReporter(), CancellationToken.None).ConfigureAwait(false);
        what = string.Create(CultureInfo.InvariantCulture, $"valid {outcome.Result.IsValid}, {outcome.Result.Comparison.Differences.Count} differences");
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"call {i}: {call.Elapsed.TotalMilliseconds:F0} ms ({what})"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process: {process.Elapsed.TotalMilliseconds:F0} ms from Main, RSS {Environment.WorkingSet / 1048576} MiB at the end"));
return 0;
