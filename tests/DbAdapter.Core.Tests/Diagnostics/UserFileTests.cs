using System.Text;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Diagnostics;

/// <summary>How files the module writes (plans, locks, backups) take their name: whole, on disk, and with the name on disk too.</summary>
public sealed class UserFileTests
{
    [Fact]
    public async Task WriteAtomicallyReplacesTheFileWholeAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("plan.json", "old content that is longer than the new one");

        await UserFile.WriteAtomicallyAsync(path, Encoding.UTF8.GetBytes("new"), CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(["plan.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void PublishRenamesAndRefusesToReplaceWhenTold()
    {
        using var folder = new TempFolder();
        var target = folder.Write("backup.json", "kept");
        var temp = folder.Write("backup.json.1.tmp", "new");

        Assert.Throws<IOException>(() => UserFile.Publish(temp, target, overwrite: false));
        Assert.Equal("kept", File.ReadAllText(target));

        UserFile.Publish(temp, target, overwrite: true);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void TheFolderIsSyncedOnUnixAndAMissingFolderIsNoError()
    {
        using var folder = new TempFolder();

        // The C library's open and fsync are reached and succeed on a folder (on Windows NTFS journals the rename).
        Assert.Equal(!OperatingSystem.IsWindows(), FolderSync.TrySync(folder.Path));
        Assert.False(FolderSync.TrySync(folder.Combine("missing")));
    }
}
