using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests;

/// <summary>The test bed itself: a real server answers and each class gets its own database.</summary>
public sealed class TestBedTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Server_answers_and_database_is_our_own()
    {
        var version = await database.ScalarAsync("SHOW server_version_num");
        Assert.True(int.Parse(version, System.Globalization.CultureInfo.InvariantCulture) >= 120000, version);
        Assert.Equal(database.Name, await database.ScalarAsync("SELECT current_database()"));
    }

    [Fact]
    public async Task Password_authentication_is_enforced_over_tcp()
    {
        // Wrong-password tests elsewhere are only meaningful when the server checks passwords.
        var method = await database.ScalarAsync(
            "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND auth_method IN ('scram-sha-256','md5','password')");
        Assert.NotEqual("0", method);
    }
}
