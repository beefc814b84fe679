using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Profiles;

public sealed class LockFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_then_read_round_trips_a_bare_name()
    {
        await LockFile.WriteAsync(_folder.Path, "staging", CancellationToken.None);

        Assert.Equal("staging", LockFile.Read(_folder.Path));
        Assert.Equal("staging", await File.ReadAllTextAsync(_folder.Combine(".db-profile")));
    }

    [Fact]
    public async Task Write_replaces_the_previous_name_and_leaves_no_temp_file()
    {
        await LockFile.WriteAsync(_folder.Path, "first", CancellationToken.None);
        await LockFile.WriteAsync(_folder.Path, "second", CancellationToken.None);

        Assert.Equal("second", LockFile.Read(_folder.Path));
        Assert.Equal([".db-profile"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Readers_never_see_a_partial_file_while_names_are_rewritten()
    {
        var names = new[] { "alpha", "a-much-longer-profile-name-than-alpha" };
        await LockFile.WriteAsync(_folder.Path, names[0], CancellationToken.None);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !cts.IsCancellationRequested; i++)
            {
                await LockFile.WriteAsync(_folder.Path, names[i % 2], CancellationToken.None);
            }
        });

        var seen = new HashSet<string?>();
        while (!writer.IsCompleted)
        {
            seen.Add(LockFile.Read(_folder.Path));
        }

        await writer;
        Assert.Subset(names.Cast<string?>().ToHashSet(), seen);
    }

    [Theory]
    [InlineData("  spaced  \n", "spaced")]
    [InlineData("\r\n\r\nwindows\r\n", "windows")]
    [InlineData("first\nsecond\n", "first")]
    [InlineData("", null)]
    [InlineData("   \n\t\n", null)]
    public void Read_trims_and_treats_blank_as_absent(string content, string? expected)
    {
        File.WriteAllText(_folder.Combine(".db-profile"), content);
        Assert.Equal(expected, LockFile.Read(_folder.Path));
    }

    [Fact]
    public void Read_of_a_missing_file_or_folder_is_null()
    {
        Assert.Null(LockFile.Read(_folder.Path));
        Assert.Null(LockFile.Read(_folder.Combine("does", "not", "exist")));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_is_idempotent()
    {
        await LockFile.WriteAsync(_folder.Path, "x", CancellationToken.None);

        LockFile.Delete(_folder.Path);
        LockFile.Delete(_folder.Path);
        LockFile.Delete(_folder.Combine("missing-folder"));

        Assert.False(File.Exists(_folder.Combine(".db-profile")));
        Assert.Null(LockFile.Read(_folder.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\nlines")]
    public async Task Write_refuses_names_that_would_not_read_back(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => LockFile.WriteAsync(_folder.Path, name, CancellationToken.None));
        Assert.False(File.Exists(_folder.Combine(".db-profile")));
    }

    [Fact]
    public async Task A_failed_write_keeps_the_old_name_and_cleans_up()
    {
        await LockFile.WriteAsync(_folder.Path, "kept", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LockFile.WriteAsync(_folder.Path, "lost", cts.Token));

        Assert.Equal("kept", LockFile.Read(_folder.Path));
        Assert.Equal([".db-profile"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }
}
