namespace DbAdapter.TestSupport;

/// <summary>Finds PostgreSQL programs: PATH first, then the newest /usr/lib/postgresql/N/bin.</summary>
public static class PostgresBinaries
{
    public static string Find(string program)
    {
        var found = TryFind(program);
        return found ?? throw new FileNotFoundException(
            $"'{program}' was found neither on PATH nor under /usr/lib/postgresql/*/bin (install the PostgreSQL server package).");
    }

    public static string? TryFind(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            foreach (var dir in Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                var candidate = Path.Combine(dir, "bin", program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
