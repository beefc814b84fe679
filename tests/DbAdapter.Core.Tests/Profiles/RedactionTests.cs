using System.Net;
using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.Profiles;

/// <summary>DESIGN 4.2: a known password appears in no message, warning or redacted text, whatever went wrong.</summary>
public sealed class RedactionTests : IDisposable
{
    private const string Password = "Zq7-s3cret_Pass!";
    private const string HardPassword = ConnectionResolverTests.HardPassword;

    private static readonly IEnvironment NoEnvironment = new DictionaryEnvironment(new Dictionary<string, string?>());

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> BrokenTomlFiles() => new()
    {
        // Syntax errors on the very line that holds the password.
        $"[profiles.p]\nurl = \"postgres://h/d\"\ndb_password = {Password}\n",
        $"[profiles.p]\nurl = \"postgres://h/d\"\ndb_password = \"{Password}\" trailing\n",
        $"[profiles.p]\nurl = \"postgres://u:{Password}@h/d\" trailing\n",
        $"[profiles.p]\nurl = \"postgres://u:{Password}@h/d\nnext = 1\n",
        $"[profiles.p]\nurl = \"Host=h;Password={Password}\" x\n",

        // Tomlyn quotes the first definition of a duplicated key verbatim.
        $"[profiles.p]\nurl = \"postgres://h/d\"\ndb_password = \"{Password}\"\ndb_password = \"{Password}\"\n",
        $"[profiles.p]\nurl = \"postgres://u:{Password}@h/d\"\nurl = \"postgres://u:{Password}@h/d\"\n",

        // Semantic errors in a profile that holds the password.
        $"[profiles.p]\nurl = \"postgres://u:{Password}@h/d\"\nprovider = \"oracle\"\n",
        $"[profiles.p]\ndb_password = \"{Password}\"\n",
        $"[profiles.p]\nurl = \"postgres://h/d\"\ndb_password = \"{Password}\"\nschemas = [1]\n",
        $"[profiles.p]\nurl = \"postgres://h/d\"\ndb_password = [\"{Password}\"]\n",
    };

    [Theory]
    [MemberData(nameof(BrokenTomlFiles))]
    public async Task Config_errors_never_show_the_password(string toml)
    {
        var path = _folder.Write("db.toml", toml);

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        AssertClean(ex);
    }

    [Fact]
    public async Task Config_warnings_never_show_the_password()
    {
        var path = _folder.Write("db.toml", $"""
            [profiles.p]
            url = "postgres://u:{Password}@h/d"
            pasword = "{Password}"
            db_password = "{Password}"
            "{Password}" = 1
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.NotEmpty(config.Warnings);
        Assert.All(config.Warnings, w => Assert.DoesNotContain(Password, w, StringComparison.Ordinal));
    }

    public static TheoryData<string, string?> UnreadableUrls() => new()
    {
        { $"postgresql://u:{Password}@h:notaport/d", null },
        { $"postgresql://u:{Uri.EscapeDataString(HardPassword)}@h/d?bogus=1", null },
        { $"postgresql://u:{Password}@h/d?password={Password}&sslmode=never", null },
        { $"postgresql://u:{Password}%zz@h/d", null },
        { $"Host=h;Password={Password};Port=nope", null },
        { $"Host=h;Password='{Password}", null },
        { $"mysql://u:{Password}@h/d", null },
        { "postgresql://u:[YOUR-PASSWORD]@h:notaport/d", Password },
        { "postgresql://u:[YOUR-PASSWORD]@h/d?application_name=[YOUR-PASSWORD]&bogus=1", HardPassword },
    };

    [Theory]
    [MemberData(nameof(UnreadableUrls))]
    public void Unreadable_url_errors_show_the_url_redacted(string url, string? dbPassword)
    {
        var secret = dbPassword ?? Password;
        var ex = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(ConnectionResolverTests.Profile(url, dbPassword: dbPassword), new NetworkCredential(string.Empty, string.Empty), NoEnvironment));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(secret), ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void The_redacted_url_still_shows_the_rest()
    {
        var ex = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(ConnectionResolverTests.Profile($"postgresql://app:{Password}@db.example.com:5432/app?bogus=1"), null, NoEnvironment));

        Assert.Contains("postgresql://app:***@db.example.com:5432/app?bogus=1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_password_error_never_shows_other_secrets()
    {
        var ex = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(ConnectionResolverTests.Profile("postgresql://u:[YOUR-PASSWORD]@h/d", passwordEnv: "PW"), null, NoEnvironment));
        AssertClean(ex);
    }

    [Fact]
    public void Env_and_credential_passwords_are_scrubbed_from_unreadable_url_errors()
    {
        var env = new DictionaryEnvironment(new Dictionary<string, string?> { ["PW"] = Password });

        var fromEnv = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(ConnectionResolverTests.Profile($"postgresql://u@h/d?application_name={Password}&bogus=1", passwordEnv: "PW"), null, env));
        AssertClean(fromEnv);

        var fromCredential = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(ConnectionResolverTests.Profile($"postgresql://u@h/d?options={Password}&bogus=1"), new NetworkCredential("u", Password), NoEnvironment));
        AssertClean(fromCredential);
    }

    [Theory]
    [InlineData("postgresql://u:[YOUR-PASSWORD]@h/d?options=-c%20x%3D[YOUR-PASSWORD]")]
    [InlineData("Host=h;Username=u;Password=[YOUR-PASSWORD];SSL Password=[YOUR-PASSWORD];Application Name=[YOUR-PASSWORD]")]
    public void Resolved_targets_show_only_redacted_text(string url)
    {
        var target = ConnectionResolver.Resolve(ConnectionResolverTests.Profile(url, dbPassword: HardPassword), null, NoEnvironment);

        Assert.Equal(HardPassword, target.Password);
        Assert.DoesNotContain(HardPassword, target.RedactedConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(HardPassword, target.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HardPassword, target.DisplayName, StringComparison.Ordinal);
        Assert.Contains("***", target.RedactedConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileNotFound_messages_hold_no_connection_text()
    {
        var config = new DbConfig
        {
            FilePath = _folder.Combine("db.toml"),
            Profiles = [ConnectionResolverTests.Profile($"postgresql://u:{Password}@h/d", dbPassword: Password)],
        };

        var ex = Assert.Throws<DbAdapterException>(() =>
            CurrentProfileResolver.GetProfile(new ProfileSelection("other", null, ProfileSource.Explicit), config));
        AssertClean(ex);
    }

    [Fact]
    public void Records_that_hold_a_direct_connection_string_print_it_hidden()
    {
        var direct = $"postgresql://u:{Password}@h/d?sslpassword={Uri.EscapeDataString(HardPassword)}";
        var current = new SessionCurrent(null, direct, _folder.Combine("db.toml"));
        var selection = new ProfileSelection(null, direct, ProfileSource.Session);
        var request = new ProfileRequest(_folder.Combine("db.toml"), null, SessionMemory.Empty, string.Empty, new NetworkCredential("u", Password), direct);
        var target = ConnectionResolver.ResolveDirect(direct, null);
        var memory = SessionMemory.Empty.Connected(_folder.Combine("db.toml"), Resolved(target), new NetworkCredential("u", Password));

        foreach (var text in new[] { current.ToString(), selection.ToString(), request.ToString(), memory.ToString(), $"{current} {selection} {request} {memory}" })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(HardPassword, text, StringComparison.Ordinal);
            Assert.Contains("hidden", text + " hidden", StringComparison.Ordinal);
        }

        Assert.Contains("connection string hidden", current.ToString(), StringComparison.Ordinal);
        Assert.Contains("connection string hidden", request.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=h;Username=u;Password=pw-one;SSL Password={0}", false)]
    [InlineData("postgresql://u:pw-one@h/d?sslpassword={0}", true)]
    public void The_ssl_key_password_is_masked_in_connection_text_and_error_messages(string text, bool escape)
    {
        var target = ConnectionResolver.ResolveDirect(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, escape ? Uri.EscapeDataString(HardPassword) : HardPassword), null);

        Assert.DoesNotContain(HardPassword, target.RedactedConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-one", target.RedactedConnectionString, StringComparison.Ordinal);
        Assert.Equal($"failed with *** and ***", target.Redact($"failed with {HardPassword} and pw-one"));
        var error = ConnectionErrors.Translate(new Npgsql.NpgsqlException($"could not read the key with {HardPassword}"), target, "opening a connection", whileOpening: true);
        Assert.DoesNotContain(HardPassword, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://u:{0}@h/d?sslpassword={1}&bogus=%zz")]
    [InlineData("postgresql://u:{0}@h/d?sslpassword={1}")]
    [InlineData("Host=h;Password={0};SSL Password={1};Bogus Key=1")]
    public void An_unreadable_connection_string_shows_no_part_of_either_password(string text)
    {
        var ex = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.ResolveDirect(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, Password, HardPassword), null));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        AssertClean(ex);
        foreach (var fragment in new[] { "ss:w", "rd #1", "s3cret" })
        {
            Assert.DoesNotContain(fragment, ex.Message, StringComparison.Ordinal);
        }
    }

    private static ResolvedProfile Resolved(ConnectionTarget target) =>
        new(null, null, target, ProfileSource.Explicit, "postgresql://direct");

    private static void AssertClean(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(HardPassword, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, (e as DbAdapterException)?.Target?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
