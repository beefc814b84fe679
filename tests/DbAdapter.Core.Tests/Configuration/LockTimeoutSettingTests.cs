using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Configuration;

/// <summary>A profile's lock_timeout in db.toml, written as PostgreSQL writes durations, and how it reaches the server.</summary>
public sealed class LockTimeoutSettingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1min", 60_000)]
    [InlineData("1.5s", 1500)]
    [InlineData(" 3 s ", 3000)]
    [InlineData("250", 250)]
    [InlineData("0", 0)]
    [InlineData("1500us", 1.5)]
    [InlineData("1h", 3_600_000)]
    public void PostgreSQL_durations_are_read_as_the_server_reads_them(string text, double milliseconds)
    {
        Assert.True(PostgresDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("2S")]
    [InlineData("-1s")]
    [InlineData("2 seconds")]
    [InlineData("")]
    [InlineData("5s;")]
    [InlineData("25d")]
    public void What_the_server_would_refuse_is_refused(string text) =>
        Assert.False(PostgresDuration.TryParse(text, out _));

    [Theory]
    [InlineData(5000, "5s")]
    [InlineData(1500, "1500ms")]
    [InlineData(0, "0")]
    [InlineData(0.2, "1ms")]
    public void A_timeout_is_sent_in_whole_milliseconds_and_never_rounds_down_to_no_limit(double milliseconds, string setting) =>
        Assert.Equal(setting, DbTimeouts.Setting(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task A_profile_lock_timeout_is_read_without_a_warning_and_reaches_its_target()
    {
        var path = _folder.Write("db.toml", """
            [profiles.busy]
            url = "postgresql://app@localhost/app"
            lock_timeout = "2s"

            [profiles.calm]
            url = "postgresql://app@localhost/app"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Empty(config.Warnings);
        Assert.Equal(TimeSpan.FromSeconds(2), config.FindProfile("busy")!.LockTimeout);
        Assert.Null(config.FindProfile("calm")!.LockTimeout);
        var environment = new DictionaryEnvironment(new Dictionary<string, string?>());
        Assert.Equal(TimeSpan.FromSeconds(2), ConnectionResolver.Resolve(config.FindProfile("busy")!, null, environment).LockTimeout);
        Assert.Equal(ConnectionTarget.DefaultLockTimeout, ConnectionResolver.Resolve(config.FindProfile("calm")!, null, environment).LockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), ConnectionTarget.DefaultLockTimeout);
    }

    [Fact]
    public async Task A_lock_timeout_that_is_not_a_duration_names_file_line_and_key()
    {
        var path = _folder.Write("db.toml", """
            [profiles.busy]
            url = "postgresql://app@localhost/app"
            lock_timeout = "2 seconds"
            """);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.StartsWith($"{path}(3,1): profiles.busy.lock_timeout: expected a duration in PostgreSQL's syntax", ex.Message, StringComparison.Ordinal);
    }
}
