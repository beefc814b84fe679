using DbAdapter.Core.Configuration;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Operations;

/// <summary>Disconnect-DbProfile's work: forget the session's current profile and credentials, remove the lock file.</summary>
public static class DisconnectOperation
{
    /// <summary>Removes the lock file beside <paramref name="configPath"/>; returns whether there was one. The caller then keeps <see cref="SessionMemory.Empty"/>.</summary>
    public static bool Run(string configPath)
    {
        var directory = ConfigPaths.DirectoryOf(configPath);
        var existed = File.Exists(LockFile.PathIn(directory));
        LockFile.Delete(directory);
        return existed;
    }
}
