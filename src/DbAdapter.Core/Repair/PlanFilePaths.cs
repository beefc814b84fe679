namespace DbAdapter.Core.Repair;

/// <summary>
/// How a plan file records the files it was made from: relative to the plan file's own folder, with
/// '/' as separator, so the plan and schema.sql can move together (a repository, a build artifact)
/// and the file holds no path of the machine that made it. Only a file on another drive stays absolute.
/// </summary>
public static class PlanFilePaths
{
    /// <summary>The path of <paramref name="file"/> as a plan file in <paramref name="folder"/> records it.</summary>
    public static string Record(string file, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var relative = Path.GetRelativePath(folder, file);
        return Path.IsPathRooted(relative) ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The full path of a <paramref name="recorded"/> path of a plan file in <paramref name="folder"/>.</summary>
    public static string Resolve(string recorded, string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(recorded);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return Path.GetFullPath(recorded.Replace('/', Path.DirectorySeparatorChar), folder);
    }
}
