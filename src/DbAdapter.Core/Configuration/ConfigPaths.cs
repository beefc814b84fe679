namespace DbAdapter.Core.Configuration;

/// <summary>
/// How db.toml paths are told apart: the full path, compared the way the file system compares names
/// (case-sensitive on Linux, not on Windows and macOS). The session remembers its current profile and
/// credentials per db.toml, so "the same file" must mean the same thing everywhere.
/// </summary>
public static class ConfigPaths
{
    /// <summary>Compares normalised db.toml paths.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparer.OrdinalIgnoreCase
        : StringComparer.Ordinal;

    /// <summary>The full path of <paramref name="path"/>.</summary>
    public static string Normalize(string path) => Path.GetFullPath(path);

    /// <summary>The folder of db.toml: where relative paths of the file and the .db-profile lock file live.</summary>
    public static string DirectoryOf(string configPath) => Path.GetDirectoryName(Normalize(configPath)) ?? ".";
}
