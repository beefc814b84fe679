using System.Text;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Profiles;

/// <summary>The .db-profile lock file beside db.toml: a bare profile name, written atomically.</summary>
public static class LockFile
{
    /// <summary>Name of the lock file (shared with the Python tool).</summary>
    public const string FileName = ".db-profile";

    /// <summary>Full path of the lock file of <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>The profile name in the lock file of <paramref name="directory"/>, or null (missing or empty).</summary>
    public static string? Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string text;
        try
        {
            text = File.ReadAllText(PathIn(directory));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // It names the current profile: guessing past it could pick another database.
            throw new DbAdapterException(
                ErrorIds.LockFileNotReadable,
                DbErrorKind.ResourceUnavailable,
                $"The lock file {PathIn(directory)} cannot be read ({ex.Message}), so the current profile is unknown. Remove it or name a profile.",
                PathIn(directory),
                ex,
                ErrorHint.NameProfile);
        }

        // The Python tool and hand edits may leave a trailing newline or blank lines: the name is the
        // first non-blank line.
        foreach (var line in text.Split('\n'))
        {
            var name = line.Trim();
            if (name.Length > 0)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Writes the name atomically (temp file in the same folder, then rename).</summary>
    public static async Task WriteAsync(string directory, string profileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(profileName);
        var name = profileName.Trim();
        if (name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A profile name cannot span lines.", nameof(profileName));
        }

        var target = PathIn(directory);
        try
        {
            // The bare name of DESIGN 4.3: no BOM, no newline, nothing for another reader to trip over.
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(name);
            await UserFile.WriteAtomicallyAsync(target, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw UserFile.WriteFailure(ex, target, ErrorIds.LockFileNotWritten, $"The lock file {target} could not be written ({ex.Message}); the profile was not made current.");
        }
    }

    /// <summary>Removes the lock file if present.</summary>
    public static void Delete(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            File.Delete(PathIn(directory));
        }
        catch (DirectoryNotFoundException)
        {
            // No folder, no lock file: already the state the caller asked for.
        }
    }
}
