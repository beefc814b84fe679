using DbAdapter.Bench;

return args.FirstOrDefault() switch
{
    "schema" => await SchemaBenchmark.RunAsync(args.Skip(1).ToArray()).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/DbAdapter.Bench -- schema [--tables N] [--runs N]");
    return 2;
}
