using System.Runtime.InteropServices;
using System.Text;

namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// Flushes a folder's entries to disk (fsync of the directory) on Linux and macOS. A file written under
/// a temporary name, flushed and then renamed has its content on disk, but its new name is a change of
/// the folder, which the file system may still hold in memory: after a power cut the file can come back
/// under its temporary name, or the old file under the name. PostgreSQL, pg_dump and git sync the folder
/// after such a rename for that reason. .NET has no call for it (it refuses to open a directory), so
/// this asks the C library directly. On Windows there is nothing to do here: NTFS journals the rename.
/// </summary>
internal static class FolderSync
{
    // O_RDONLY is 0 on every Unix; a directory opened read-only is enough for fsync.
    private const int ReadOnly = 0;

    /// <summary>
    /// Flushes <paramref name="folder"/>'s entries to disk; true when that was done. Best effort: the
    /// files in it were flushed already, and a folder that cannot be opened or synced (a file system
    /// without the call) leaves only the rename as the file system's own journal keeps it.
    /// </summary>
    public static bool TrySync(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            var fd = Native.Open(Encoding.UTF8.GetBytes(folder + '\0'), ReadOnly);
            if (fd < 0)
            {
                return false;
            }

            try
            {
                return Native.FSync(fd) == 0;
            }
            finally
            {
                _ = Native.Close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library the runtime does not find under "libc" (a platform other than glibc's and
            // macOS's): the rename stands as the file system keeps it, and the write has not failed.
            return false;
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
