using DbAdapter.Core.Configuration;
using DbAdapter.Core.DataApi;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Tests.Support;

namespace DbAdapter.Core.Tests.DataApi;

/// <summary>supabase_url and supabase_key_env in db.toml: read, checked with file and line, and the key kept out of every text.</summary>
public sealed class DataApiConfigTests : IDisposable
{
    // Shaped like a Supabase service-role key (a JWT), so the shape-based redaction is tested too.
    private const string Key = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLXNlY3JldC0xMjM0";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Both_keys_are_read_a_url_is_optional_and_no_warning_is_given()
    {
        var path = _folder.Write("db.toml", """
            [profiles.api]
            provider = "supabase"
            supabase_url = "https://abcd.supabase.co/"
            supabase_key_env = "SUPABASE_SERVICE_KEY"

            [profiles.both]
            url = "postgresql://postgres@db.abcd.supabase.co/postgres"
            provider = "supabase"
            supabase_url = "http://localhost:54321"
            supabase_key_env = "LOCAL_KEY"
            """);

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        Assert.Empty(config.Warnings);
        var api = config.FindProfile("api")!;
        Assert.False(api.HasDatabaseUrl);
        Assert.Equal("https://abcd.supabase.co/", api.SupabaseUrl!.ToString());
        Assert.Equal("SUPABASE_SERVICE_KEY", api.SupabaseKeyEnv);
        var both = config.FindProfile("both")!;
        Assert.True(both.HasDatabaseUrl);
        Assert.Equal("http://localhost:54321/rest/v1/", DataApiTarget.For(both, Env())!.RestUrl.ToString());
        Assert.Equal(("abcd.supabase.co", 443), (ConnectionResolver.Describe(api).Host, ConnectionResolver.Describe(api).Port));
    }

    public static TheoryData<string, string, string> BadProfiles() => new()
    {
        { "provider = \"postgres\"\nurl = \"postgres://h/d\"\nsupabase_url = \"https://a.supabase.co\"\nsupabase_key_env = \"K\"", "(4,1): profiles.p.supabase_url", "provider = \"supabase\"" },
        { "url = \"postgres://h/d\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_key_env", "provider = \"supabase\"" },
        { "provider = \"supabase\"\nsupabase_url = \"ftp://a.supabase.co\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_url", "https://" },
        { "provider = \"supabase\"\nsupabase_url = \"a.supabase.co\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_url", "https://" },
        { "provider = \"supabase\"\nsupabase_url = \"https://a.supabase.co/rest/v1\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_url", "without /rest/v1" },
        { "provider = \"supabase\"\nsupabase_url = \"https://u:pw@a.supabase.co\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_url", "without user name" },
        { "provider = \"supabase\"\nsupabase_url = \"https://a.supabase.co\"", "(3,1): profiles.p.supabase_url", "needs supabase_key_env" },
        { "provider = \"supabase\"\nsupabase_key_env = \"K\"", "(3,1): profiles.p.supabase_key_env", "without supabase_url" },
        { "provider = \"supabase\"\nsupabase_url = \"https://a.supabase.co\"\nsupabase_key_env = 1", "(4,1): profiles.p.supabase_key_env", "expected a string" },
        { "provider = \"supabase\"", "profiles.p: the key 'url' is required", "url" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public async Task Each_mistake_is_ConfigInvalid_with_file_line_and_key(string profile, string where, string what)
    {
        var path = _folder.Write("db.toml", "[profiles.p]\n" + profile + "\n");

        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_url_of_another_machine_is_a_warning_with_file_and_line()
    {
        var path = _folder.Write("db.toml", "[profiles.p]\nprovider = \"supabase\"\nsupabase_url = \"http://supabase.internal:8000\"\nsupabase_key_env = \"K\"\n");

        var config = await ConfigLoader.LoadAsync(path, CancellationToken.None);

        var warning = Assert.Single(config.Warnings);
        Assert.Contains($"{path}(3,1): profiles.p.supabase_url", warning, StringComparison.Ordinal);
        Assert.Contains("unencrypted", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_pasted_into_supabase_key_env_is_refused_without_being_quoted_even_when_the_file_does_not_parse()
    {
        var pasted = _folder.Write("db.toml", $"[profiles.p]\nprovider = \"supabase\"\nsupabase_url = \"https://a.supabase.co\"\nsupabase_key_env = \"{Key}\"\n");
        var ex = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(pasted, CancellationToken.None));
        Assert.Contains("NAME of an environment variable", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);

        // A syntax error on that very line: the parser's message quotes the line, the redaction masks the key.
        var broken = _folder.Write("db2.toml", $"[profiles.p]\nprovider = \"supabase\"\nsupabase_key_env = \"{Key}\" trailing\n");
        var parse = await Assert.ThrowsAsync<DbAdapterException>(() => ConfigLoader.LoadAsync(broken, CancellationToken.None));
        Assert.DoesNotContain(Key, parse.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2lnbmF0dXJl", parse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_empty_key_variable_is_named_at_use_and_the_target_never_shows_the_key()
    {
        var path = _folder.Write("db.toml", "[profiles.api]\nprovider = \"supabase\"\nsupabase_url = \"https://a.supabase.co\"\nsupabase_key_env = \"SB_KEY\"\n");
        var profile = (await ConfigLoader.LoadAsync(path, CancellationToken.None)).FindProfile("api")!;

        foreach (var value in new[] { null, string.Empty, "   " })
        {
            var target = DataApiTarget.For(profile, Env(("SB_KEY", value)))!;
            var ex = Assert.Throws<DbAdapterException>(() => new DataApiClient(target).Dispose());
            Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
            Assert.Contains("Profile 'api'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("SB_KEY", ex.Message, StringComparison.Ordinal);
        }

        var set = DataApiTarget.For(profile, Env(("SB_KEY", Key)))!;
        Assert.DoesNotContain(Key, set.ToString(), StringComparison.Ordinal);
        Assert.Equal("x *** y *** z", set.Redact($"x {Key} y sb_secret_AbC-123 z"));
    }

    [Theory]
    [InlineData("postgresql://postgres@db.abcd.supabase.co:5432/postgres", true)]
    [InlineData("postgresql://postgres.abcd@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", true)]
    [InlineData("postgresql://postgres@db.other.supabase.co:5432/postgres", false)]
    [InlineData("postgresql://postgres@localhost:5432/abcd", false)]
    public async Task A_sync_knows_the_projects_own_database_from_its_host_or_pooler_user(string url, bool same)
    {
        var path = _folder.Write("db.toml", "[profiles.api]\nprovider = \"supabase\"\nsupabase_url = \"https://abcd.supabase.co\"\nsupabase_key_env = \"K\"\n");
        var profile = (await ConfigLoader.LoadAsync(path, CancellationToken.None)).FindProfile("api")!;

        Assert.Equal(same, DataApiTarget.For(profile, Env())!.IsProjectOf(ConnectionResolver.ResolveDirect(url, null)));
    }

    [Fact]
    public void The_redactor_masks_key_shaped_tokens_it_was_not_told_about()
    {
        var text = $"failed: Bearer {Key}; other sb_publishable_xyz_1 and eyJ.not.a.jwt stay";

        var redacted = SecretRedactor.RedactApiKeys(text, []);

        Assert.Equal("failed: Bearer ***; other *** and eyJ.not.a.jwt stay", redacted);
        Assert.Contains(Key, SecretRedactor.FindSecretsInToml($"supabase_key_env = \"{Key}\"  # oops"));
        Assert.Empty(SecretRedactor.FindSecretsInToml("supabase_key_env = \"SUPABASE_SERVICE_KEY\""));
    }

    private static DictionaryEnvironment Env(params (string Name, string? Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));
}
