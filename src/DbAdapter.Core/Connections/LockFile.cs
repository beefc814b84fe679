namespace DbAdapter.Core.Connections;

/// <summary>The .db-profile lock file beside db.toml: a bare profile name, written atomically.</summary>
public static class LockFile
{
    public const string FileName = ".db-profile";

    /// <summary>The profile name in the lock file of <paramref name="directory"/>, or null (missing or empty).</summary>
    public static string? Read(string directory) => throw new NotImplementedException();

    /// <summary>Writes the name atomically (temp file in the same folder, then rename).</summary>
    public static Task WriteAsync(string directory, string profileName, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Removes the lock file if present.</summary>
    public static void Delete(string directory) => throw new NotImplementedException();
}
