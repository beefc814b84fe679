using System.Globalization;

namespace DbAdapter.Core.Backup;

/// <summary>
/// The one rule for where a backup file goes (a user's backup and the pre-fix backup alike): the
/// given file; in a given folder that exists, the default file name; with nothing given, the default
/// file name in the "backups" folder of the default folder (the PowerShell location).
/// </summary>
public static class BackupPaths
{
    /// <summary>backup-PROFILE-yyyyMMdd-HHmmss.json (UTC): a user's backup.</summary>
    public static string UserBackupFileName(string profileName, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"backup-{SafeName(profileName)}-{now.UtcDateTime:yyyyMMdd'-'HHmmss}.json");

    /// <summary>Where the file goes; null when nothing is given and there is no default folder.</summary>
    public static string? PathFor(string? given, string? defaultFolder, string defaultFileName)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var path = Path.GetFullPath(given);
            return Directory.Exists(path) ? Path.Combine(path, defaultFileName) : path;
        }

        return defaultFolder is null ? null : Path.Combine(Path.GetFullPath(defaultFolder), "backups", defaultFileName);
    }

    /// <summary>
    /// Letters, digits, '-' and '_' only: a profile name may hold characters that are valid in a
    /// file name on one system and not on another, or that a shell would need quoted.
    /// </summary>
    public static string SafeName(string profileName)
    {
        ArgumentNullException.ThrowIfNull(profileName);
        var safe = new string(profileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return safe.Length > 0 ? safe : "db";
    }
}
