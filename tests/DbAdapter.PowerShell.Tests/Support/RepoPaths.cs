namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>Locates the repository and the BUILT module (out/DbAdapter/), which is what users import.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModuleDirectory => Path.Combine(Root, "out", "DbAdapter");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "DbAdapter.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbAdapter.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DbAdapter.PowerShell.sln not found above {AppContext.BaseDirectory}.");
    }
}
