using DbAdapter.Bench;

return args.FirstOrDefault() switch
{
    "schema" => await SchemaBenchmark.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false),
    "reader" => ReaderBenchmark.Run(args.Skip(1).ToArray()),
    "crosscheck" => await CrossCheckBenchmark.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/DbAdapter.Bench -- schema [--tables N] [--runs N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/DbAdapter.Bench -- reader [--tables 1000,2000,4000] [--runs N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/DbAdapter.Bench -- crosscheck [--units N]");
    return 2;
}
