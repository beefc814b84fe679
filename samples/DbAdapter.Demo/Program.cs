using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using DbAdapter.TestSupport;
using DbAdapter.TestSupport.Hosting;

namespace DbAdapter.Demo;

/// <summary>
/// dotnet run --project samples/DbAdapter.Demo [-- path/to/runbook.ps1]
/// Starts a throwaway PostgreSQL (or uses DBADAPTER_TEST_CONNECTION), builds two sample databases,
/// writes db.toml and schema.sql into a temporary folder and runs the runbook through the built module.
/// </summary>
internal static class Program
{
    private const string Password = "demo-Pa$$ w@rd:/#";

    private static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or FileNotFoundException)
        {
            // Returning (rather than crashing) lets the throwaway server stop at process exit.
            Console.Error.WriteLine($"demo failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var root = FindRoot();
        var runbook = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(root, "samples", "runbook.ps1");
        var manifest = Path.Combine(root, "out", "DbAdapter", "DbAdapter.psd1");
        if (!File.Exists(manifest))
        {
            Console.Error.WriteLine($"The built module is missing ({manifest}): run 'dotnet build' first.");
            return 1;
        }

        Console.WriteLine("Starting a throwaway PostgreSQL server...");
        var server = await PostgresServer.GetAsync();
        Console.WriteLine($"PostgreSQL ready ({server.Strategy}).");
        var role = "demo_app_" + Guid.NewGuid().ToString("N")[..6];
        await server.ExecuteAsync(server.MaintenanceDatabase, $"CREATE ROLE {role} LOGIN PASSWORD '{Password.Replace("'", "''")}'");
        var local = await CreateDatabaseAsync(server, "demo_local", role, Path.Combine(root, "samples", "schema.sql"), Path.Combine(root, "samples", "seed.sql"));
        var drifted = await CreateDatabaseAsync(server, "demo_drifted", role, Path.Combine(root, "samples", "drifted.sql"), Path.Combine(root, "samples", "seed-drifted.sql"));

        var folder = Directory.CreateTempSubdirectory("dbadapter-demo-").FullName;
        try
        {
            File.Copy(Path.Combine(root, "samples", "schema.sql"), Path.Combine(folder, "schema.sql"));
            File.Copy(Path.Combine(root, "samples", "backup-schema.json"), Path.Combine(folder, "backup-schema.json"));
            await File.WriteAllTextAsync(Path.Combine(folder, "db.toml"), $"""
                # Written by the DbAdapter demo: two databases on a throwaway server.
                [profiles.local]
                url = "postgresql://{role}:[YOUR-PASSWORD]@{server.Host}:{server.Port}/{local}?sslmode=disable"
                description = "Matches schema.sql"
                password_env = "DBADAPTER_DEMO_PASSWORD"

                [profiles.drifted]
                url = "postgresql://{role}:[YOUR-PASSWORD]@{server.Host}:{server.Port}/{drifted}?sslmode=disable"
                description = "An older release's schema"
                password_env = "DBADAPTER_DEMO_PASSWORD"

                [schema]
                file = "schema.sql"
                validate_on_connect = true
                backup_schema = "backup-schema.json"
                """);
            Environment.SetEnvironmentVariable("DBADAPTER_DEMO_PASSWORD", Password);
            Console.WriteLine($"db.toml and schema.sql written to {folder}");
            Console.WriteLine($"Running {Path.GetRelativePath(root, runbook)}");
            Console.WriteLine();
            return RunRunbook(manifest, runbook, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await server.DropDatabaseAsync(local);
            await server.DropDatabaseAsync(drifted);
            await server.ExecuteAsync(server.MaintenanceDatabase, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task<string> CreateDatabaseAsync(PostgresServer server, string prefix, string role, string schemaFile, string seedFile)
    {
        var name = await server.CreateDatabaseAsync(prefix);
        var seed = File.Exists(seedFile) ? await File.ReadAllTextAsync(seedFile) : await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(seedFile)!, "seed.sql"));
        await server.ExecuteAsync(name, $"""
            ALTER DATABASE "{name}" OWNER TO {role};
            SET ROLE {role};
            {await File.ReadAllTextAsync(schemaFile)}
            {seed}
            """);
        return name;
    }

    /// <summary>
    /// Runs the runbook one top-level statement at a time, each through Out-Default, so every step's
    /// objects get their own view (one Out-Default over mixed types would fall back to lists).
    /// </summary>
    private static int RunRunbook(string manifest, string runbook, string folder)
    {
        var ast = Parser.ParseFile(runbook, out _, out var parseErrors);
        if (parseErrors.Length > 0)
        {
            Console.Error.WriteLine($"{runbook}: {parseErrors[0].Message} (line {parseErrors[0].Extent.StartLineNumber})");
            return 1;
        }

        var host = new LineHost(Console.WriteLine, plainText: Console.IsOutputRedirected);
        using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.Path.SetLocation(folder);
        if (!Invoke(runspace, $"[System.Management.Automation.PSStyle]::Instance.OutputRendering = 'PlainText'; Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop", echo: false))
        {
            return 1;
        }

        foreach (var parameter in ast.ParamBlock?.Parameters ?? [])
        {
            if (parameter.DefaultValue is not null && !Invoke(runspace, $"${parameter.Name.VariablePath.UserPath} = {parameter.DefaultValue.Extent.Text}", echo: false))
            {
                return 1;
            }
        }

        foreach (var statement in ast.EndBlock.Statements)
        {
            if (!Invoke(runspace, statement.Extent.Text, echo: true))
            {
                return 1;
            }
        }

        return 0;
    }

    private static bool Invoke(Runspace runspace, string script, bool echo)
    {
        var isHeading = script.StartsWith('\'') || script.StartsWith('"');
        if (echo && !isHeading && !script.StartsWith('$'))
        {
            Console.WriteLine($"PS> {script}");
        }

        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script, useLocalScope: false).AddCommand("Out-Default");
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            Console.WriteLine($"ERROR: {ex.ErrorRecord.FullyQualifiedErrorId}: {ex.Message}");
            return false;
        }

        // Warnings already went to the host (as PowerShell shows them); errors only to the stream.
        foreach (var error in ps.Streams.Error)
        {
            Console.WriteLine($"ERROR: {error.FullyQualifiedErrorId}: {error.Exception.Message}");
        }

        // Non-terminating errors are part of what the runbook shows; only a terminating one stops it.
        return true;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbAdapter.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the demo from the repository (DbAdapter.PowerShell.sln not found).");
    }
}
