using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using Npgsql;

namespace DbAdapter.Core.Tests.Profiles;

/// <summary>Resolved targets really connect: the password with every awkward character reaches the server intact.</summary>
public sealed class ResolvedConnectionIntegrationTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // Every character that breaks naive URI or keyword-string substitution, plus a quote for SQL.
    private const string Password = "p@ss:w/o%rd #1 ;'x";

    private readonly string _role = "cfg_" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() =>
        database.ExecuteAsync($"CREATE ROLE {_role} LOGIN PASSWORD '{Password.Replace("'", "''", StringComparison.Ordinal)}'");

    public Task DisposeAsync() => database.ExecuteAsync($"DROP ROLE IF EXISTS {_role}");

    [Fact]
    public async Task A_placeholder_profile_from_db_toml_connects_as_the_role()
    {
        using var folder = new TempFolder();
        var server = database.Server;
        var path = folder.Write("db.toml", $"""
            [profiles.it]
            url = "postgresql://{_role}:[YOUR-PASSWORD]@{server.Host}:{server.Port}/{database.Name}?sslmode=disable&application_name=dbadapter-it&Pooling=false"
            db_password = "{Password}"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);
        var resolved = await ProfileResolution.ResolveAsync(new ProfileRequest(path, "it", null, string.Empty, null), ProcessEnvironment.Instance, NullReporter.Instance, CancellationToken.None);
        var target = resolved.Target;

        Assert.Equal(Password, target.Password);
        var (user, applicationName) = await WhoAmIAsync(target);
        Assert.Equal(_role, user);
        Assert.Equal("dbadapter-it", applicationName);
    }

    [Fact]
    public async Task A_percent_encoded_password_in_a_direct_uri_connects()
    {
        var server = database.Server;
        var uri = $"postgres://{_role}:{Uri.EscapeDataString(Password)}@{server.Host}:{server.Port}/{database.Name}?Pooling=false";

        var (user, _) = await WhoAmIAsync(ConnectionResolver.ResolveDirect(uri, null));

        Assert.Equal(_role, user);
    }

    [Fact]
    public async Task Password_env_and_credential_reach_the_server_and_a_wrong_password_is_refused()
    {
        var server = database.Server;
        var profile = new ProfileConfig
        {
            Name = "it",
            Url = $"Host={server.Host};Port={server.Port};Database={database.Name};Username=nobody;Password=[YOUR-PASSWORD];Pooling=false",
            PasswordEnv = "IT_PW",
        };

        var env = new DictionaryEnvironment(new Dictionary<string, string?> { ["IT_PW"] = "wrong" });
        var viaCredential = ConnectionResolver.Resolve(profile, new NetworkCredential(_role, Password), env);
        Assert.Equal(_role, (await WhoAmIAsync(viaCredential)).User);

        var wrong = ConnectionResolver.Resolve(profile, new NetworkCredential(_role, string.Empty), env);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => WhoAmIAsync(wrong));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, ex.SqlState);
    }

    private static async Task<(string User, string ApplicationName)> WhoAmIAsync(ConnectionTarget target)
    {
        await using var connection = new NpgsqlConnection(target.Builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user::text, current_setting('application_name')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }
}
