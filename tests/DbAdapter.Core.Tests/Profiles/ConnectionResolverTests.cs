using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using Npgsql;

namespace DbAdapter.Core.Tests.Profiles;

public sealed class ConnectionResolverTests
{
    internal const string HardPassword = "p@ss:w/o%rd #1";

    private static readonly IEnvironment NoEnvironment = new DictionaryEnvironment(new Dictionary<string, string?>());

    internal static ProfileConfig Profile(string url, string? dbPassword = null, string? passwordEnv = null, string name = "local") => new()
    {
        Name = name,
        Url = url,
        DbPassword = dbPassword,
        PasswordEnv = passwordEnv,
        Description = "desc",
        Provider = "supabase",
        Schemas = ["public", "audit"],
    };

    private static IEnvironment Env(params (string Name, string? Value)[] values) =>
        new DictionaryEnvironment(values.ToDictionary(v => v.Name, v => v.Value));

    [Theory]
    [InlineData("postgres://app:[YOUR-PASSWORD]@db.example.com:6543/appdb")]
    [InlineData("postgresql://app:[YOUR-PASSWORD]@db.example.com:6543/appdb")]
    [InlineData("POSTGRESQL://app:[YOUR-PASSWORD]@db.example.com:6543/appdb")]
    [InlineData("  postgresql://app:[YOUR-PASSWORD]@db.example.com:6543/appdb  ")]
    public void Uri_parts_are_read_and_the_placeholder_takes_a_password_with_every_special_char(string url)
    {
        var target = ConnectionResolver.Resolve(Profile(url, dbPassword: HardPassword), null, NoEnvironment);

        Assert.Equal("db.example.com", target.Host);
        Assert.Equal(6543, target.Port);
        Assert.Equal("appdb", target.Database);
        Assert.Equal("app", target.UserName);
        Assert.Equal(HardPassword, target.Password);
        Assert.Equal("local", target.ProfileName);
        Assert.Equal("supabase", target.Provider);
        Assert.Equal("desc", target.Description);
        Assert.Equal(["public", "audit"], target.Schemas);
    }

    [Fact]
    public void A_percent_encoded_password_in_the_uri_is_decoded()
    {
        var encoded = Uri.EscapeDataString(HardPassword);
        Assert.Contains("%25", encoded, StringComparison.Ordinal);

        var target = ConnectionResolver.Resolve(Profile($"postgresql://app:{encoded}@localhost/app"), null, NoEnvironment);

        Assert.Equal(HardPassword, target.Password);
        Assert.Equal("localhost", target.Host);
        Assert.Equal("app", target.Database);
    }

    [Fact]
    public void Unencoded_at_colon_and_slash_in_a_uri_password_still_read_right()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app:a@b:c/d@localhost:5433/app"), null, NoEnvironment);

        Assert.Equal("a@b:c/d", target.Password);
        Assert.Equal("localhost", target.Host);
        Assert.Equal(5433, target.Port);
        Assert.Equal("app", target.Database);
    }

    [Fact]
    public void User_and_database_are_percent_decoded_and_plus_stays_plus()
    {
        var target = ConnectionResolver.Resolve(Profile("postgres://us%40er+x@localhost/my%20db"), null, NoEnvironment);
        Assert.Equal("us@er+x", target.UserName);
        Assert.Equal("my db", target.Database);
    }

    [Fact]
    public void Every_placeholder_occurrence_is_replaced()
    {
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:[YOUR-PASSWORD]@localhost/app?options=-c%20app.secret%3D[YOUR-PASSWORD]", dbPassword: "s3cret-Value"),
            null,
            NoEnvironment);

        Assert.Equal("s3cret-Value", target.Password);
        Assert.Equal("-c app.secret=s3cret-Value", target.Builder.Options);
        Assert.DoesNotContain("s3cret-Value", target.RedactedConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percent_encoded_placeholder_is_still_a_placeholder()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app:%5BYOUR-PASSWORD%5D@localhost/app", dbPassword: HardPassword), null, NoEnvironment);
        Assert.Equal(HardPassword, target.Password);
    }

    [Theory]
    [InlineData("sslmode=disable", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.Disable)]
    [InlineData("sslmode=allow", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.Allow)]
    [InlineData("sslmode=prefer", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.Prefer)]
    [InlineData("sslmode=require", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.Require)]
    [InlineData("sslmode=verify-ca", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.VerifyCA)]
    [InlineData("sslmode=verify-full", nameof(NpgsqlConnectionStringBuilder.SslMode), SslMode.VerifyFull)]
    [InlineData("connect_timeout=7", nameof(NpgsqlConnectionStringBuilder.Timeout), 7)]
    [InlineData("application_name=my%20app", nameof(NpgsqlConnectionStringBuilder.ApplicationName), "my app")]
    [InlineData("options=-c%20search_path%3Dx", nameof(NpgsqlConnectionStringBuilder.Options), "-c search_path=x")]
    [InlineData("target_session_attrs=read-write", nameof(NpgsqlConnectionStringBuilder.TargetSessionAttributes), "read-write")]
    [InlineData("channel_binding=require", nameof(NpgsqlConnectionStringBuilder.ChannelBinding), ChannelBinding.Require)]
    [InlineData("gssencmode=disable", nameof(NpgsqlConnectionStringBuilder.GssEncryptionMode), GssEncryptionMode.Disable)]
    [InlineData("sslnegotiation=direct", nameof(NpgsqlConnectionStringBuilder.SslNegotiation), SslNegotiation.Direct)]
    [InlineData("sslrootcert=%2Fetc%2Fca.pem", nameof(NpgsqlConnectionStringBuilder.RootCertificate), "/etc/ca.pem")]
    [InlineData("sslcert=c.pem", nameof(NpgsqlConnectionStringBuilder.SslCertificate), "c.pem")]
    [InlineData("sslkey=k.pem", nameof(NpgsqlConnectionStringBuilder.SslKey), "k.pem")]
    [InlineData("client_encoding=UTF8", nameof(NpgsqlConnectionStringBuilder.ClientEncoding), "UTF8")]
    [InlineData("keepalives=0", nameof(NpgsqlConnectionStringBuilder.TcpKeepAlive), false)]
    [InlineData("keepalives_idle=30", nameof(NpgsqlConnectionStringBuilder.TcpKeepAliveTime), 30)]
    [InlineData("keepalives_interval=5", nameof(NpgsqlConnectionStringBuilder.TcpKeepAliveInterval), 5)]
    [InlineData("load_balance_hosts=random", nameof(NpgsqlConnectionStringBuilder.LoadBalanceHosts), true)]
    [InlineData("krbsrvname=pg", nameof(NpgsqlConnectionStringBuilder.KerberosServiceName), "pg")]
    [InlineData("passfile=%2Fhome%2F.pgpass", nameof(NpgsqlConnectionStringBuilder.Passfile), "/home/.pgpass")]
    [InlineData("require_auth=scram-sha-256", nameof(NpgsqlConnectionStringBuilder.RequireAuth), "ScramSHA256")]
    [InlineData("require_auth=!md5,!password", nameof(NpgsqlConnectionStringBuilder.RequireAuth), "!MD5,!Password")]
    [InlineData("port=6000", nameof(NpgsqlConnectionStringBuilder.Port), 6000)]
    [InlineData("dbname=other", nameof(NpgsqlConnectionStringBuilder.Database), "other")]
    [InlineData("user=someone", nameof(NpgsqlConnectionStringBuilder.Username), "someone")]
    [InlineData("Pooling=false", nameof(NpgsqlConnectionStringBuilder.Pooling), false)]
    [InlineData("Command%20Timeout=99", nameof(NpgsqlConnectionStringBuilder.CommandTimeout), 99)]
    public void Libpq_query_options_map_to_npgsql_settings(string query, string property, object expected)
    {
        var target = ConnectionResolver.Resolve(Profile($"postgresql://app@localhost:5432/app?{query}"), null, NoEnvironment);

        var actual = typeof(NpgsqlConnectionStringBuilder).GetProperty(property)!.GetValue(target.Builder);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Several_query_options_combine()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app@localhost/app?sslmode=require&connect_timeout=3&application_name=x"), null, NoEnvironment);
        Assert.Equal(SslMode.Require, target.Builder.SslMode);
        Assert.Equal(3, target.Builder.Timeout);
        Assert.Equal("x", target.Builder.ApplicationName);
    }

    [Fact]
    public void Several_hosts_and_ipv6_hosts_are_read()
    {
        var multi = ConnectionResolver.Resolve(Profile("postgresql://app@h1:5433,h2/app"), null, NoEnvironment);
        Assert.Equal("h1:5433,h2", multi.Builder.Host);

        var ipv6 = ConnectionResolver.Resolve(Profile("postgresql://app@[::1]:5444/app"), null, NoEnvironment);
        Assert.Equal("::1", ipv6.Host);
        Assert.Equal(5444, ipv6.Port);
    }

    [Fact]
    public void A_uri_without_host_or_database_leaves_the_defaults()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://"), null, NoEnvironment);
        Assert.Null(target.Builder.Host);
        Assert.Null(target.Builder.Database);
        Assert.Equal(5432, target.Port);
        Assert.False(target.HasPassword);
    }

    [Theory]
    [InlineData("postgresql://app@localhost/app?sslmod=disable", "sslmod")]
    [InlineData("postgresql://app@localhost/app?bogus_key=1", "bogus_key")]
    [InlineData("postgresql://app@localhost/app?sslmode=sometimes", "sslmode")]
    [InlineData("postgresql://app@localhost/app?connect_timeout=soon", "connect_timeout")]
    [InlineData("postgresql://app@localhost/app?target_session_attrs=whatever", "target_session_attrs")]
    public void Unknown_or_invalid_query_options_are_ConfigInvalid_naming_key_and_profile(string url, string key)
    {
        var ex = Assert.Throws<DbAdapterException>(() => ConnectionResolver.Resolve(Profile(url, name: "staging"), null, NoEnvironment));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'staging'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("staging", ex.Target);
    }

    [Theory]
    [InlineData("mysql://app:pw@localhost/app", "mysql")]
    [InlineData("postgresql://app@localhost:99999/app", "port")]
    [InlineData("postgresql://app@localhost:abc/app", "port")]
    [InlineData("postgresql://app@[::1/app", "IPv6")]
    [InlineData("postgresql://app:50%zz@localhost/app", "%25")]
    [InlineData("Host=h;Bogus Key=1", "bogus key")]
    [InlineData("Host=h;Port=abc", "port")]
    [InlineData("just some words", "keyword string")]
    [InlineData("   ", "empty")]
    public void Unreadable_urls_are_ConfigInvalid_naming_the_profile(string url, string hint)
    {
        var ex = Assert.Throws<DbAdapterException>(() => ConnectionResolver.Resolve(Profile(url, name: "staging"), null, NoEnvironment));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.InvalidData, ex.Kind);
        Assert.Contains("Profile 'staging'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Keyword_strings_are_read_and_the_placeholder_takes_a_password_that_would_break_their_syntax()
    {
        const string password = "a;b='c\" d" + HardPassword;
        var target = ConnectionResolver.Resolve(
            Profile("Host=db.local;Port=5433;Database=app;Username=app;Password=[YOUR-PASSWORD];SSL Mode=Disable", dbPassword: password),
            null,
            NoEnvironment);

        Assert.Equal("db.local", target.Host);
        Assert.Equal(5433, target.Port);
        Assert.Equal("app", target.Database);
        Assert.Equal("app", target.UserName);
        Assert.Equal(password, target.Password);
        Assert.Equal(SslMode.Disable, target.Builder.SslMode);

        // The builder's own text round-trips the password intact.
        Assert.Equal(password, new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString).Password);
    }

    [Fact]
    public void A_keyword_string_with_a_literal_password_keeps_it()
    {
        var target = ConnectionResolver.Resolve(Profile("Host=h;Username=u;Password='x;y'", dbPassword: "ignored"), null, NoEnvironment);
        Assert.Equal("x;y", target.Password);
    }

    // ----- Password precedence (DESIGN 4.2): credential > URL > db_password > password_env -----

    [Fact]
    public void Credential_beats_everything()
    {
        var env = Env(("PW_ENV", "from-env"));
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:from-url@localhost/app", dbPassword: "from-db-password", passwordEnv: "PW_ENV"),
            new NetworkCredential(string.Empty, "from-credential"),
            env);

        Assert.Equal("from-credential", target.Password);
        Assert.Equal("app", target.UserName);
    }

    [Fact]
    public void Credential_fills_the_placeholder()
    {
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:[YOUR-PASSWORD]@localhost/app", dbPassword: "from-db-password"),
            new NetworkCredential("other", HardPassword),
            NoEnvironment);

        Assert.Equal(HardPassword, target.Password);
    }

    [Fact]
    public void Credential_user_name_replaces_the_url_user_when_given()
    {
        var withUser = ConnectionResolver.Resolve(Profile("postgresql://app:x@localhost/app"), new NetworkCredential("admin", "pw"), NoEnvironment);
        Assert.Equal("admin", withUser.UserName);

        var withoutUser = ConnectionResolver.Resolve(Profile("postgresql://app:x@localhost/app"), new NetworkCredential(string.Empty, "pw"), NoEnvironment);
        Assert.Equal("app", withoutUser.UserName);
    }

    [Fact]
    public void A_credential_without_password_only_changes_the_user()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app:from-url@localhost/app"), new NetworkCredential("admin", string.Empty), NoEnvironment);
        Assert.Equal("admin", target.UserName);
        Assert.Equal("from-url", target.Password);
    }

    [Fact]
    public void Url_password_beats_db_password_and_env()
    {
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:from-url@localhost/app", dbPassword: "from-db-password", passwordEnv: "PW_ENV"),
            null,
            Env(("PW_ENV", "from-env")));

        Assert.Equal("from-url", target.Password);
    }

    [Fact]
    public void Db_password_beats_env()
    {
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:[YOUR-PASSWORD]@localhost/app", dbPassword: "from-db-password", passwordEnv: "PW_ENV"),
            null,
            Env(("PW_ENV", "from-env")));

        Assert.Equal("from-db-password", target.Password);
    }

    [Fact]
    public void Env_is_the_last_source()
    {
        var target = ConnectionResolver.Resolve(
            Profile("postgresql://app:[YOUR-PASSWORD]@localhost/app", passwordEnv: "PW_ENV"),
            null,
            Env(("PW_ENV", HardPassword)));

        Assert.Equal(HardPassword, target.Password);
    }

    [Fact]
    public void Db_password_also_serves_a_url_without_any_password()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app@localhost/app", dbPassword: "from-db-password"), null, NoEnvironment);
        Assert.Equal("from-db-password", target.Password);
    }

    [Fact]
    public void No_password_and_no_placeholder_is_fine()
    {
        var target = ConnectionResolver.Resolve(Profile("postgresql://app@localhost/app"), null, NoEnvironment);
        Assert.False(target.HasPassword);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("PW_ENV", null)]
    [InlineData("PW_ENV", "")]
    public void A_placeholder_without_any_source_names_profile_and_the_keys_that_could_supply_it(string? passwordEnv, string? envValue)
    {
        var env = Env(("PW_ENV", envValue));

        var ex = Assert.Throws<DbAdapterException>(() =>
            ConnectionResolver.Resolve(Profile("postgresql://app:[YOUR-PASSWORD]@localhost/app", passwordEnv: passwordEnv, name: "prod"), null, env));

        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Equal(DbErrorKind.AuthenticationError, ex.Kind);
        Assert.Contains("'prod'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("db_password", ex.Message, StringComparison.Ordinal);
        Assert.Contains("password_env", ex.Message, StringComparison.Ordinal);
        Assert.Contains("give a credential", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorHint.GiveCredential, ex.Hint);
        if (passwordEnv is not null)
        {
            Assert.Contains("PW_ENV", ex.Message, StringComparison.Ordinal);
        }
    }

    // ----- Direct mode -----

    [Fact]
    public void Direct_mode_reads_uris_and_keyword_strings()
    {
        var uri = ConnectionResolver.ResolveDirect($"postgres://u:{Uri.EscapeDataString(HardPassword)}@h:5439/d?sslmode=disable", null);
        Assert.Null(uri.ProfileName);
        Assert.Equal(HardPassword, uri.Password);
        Assert.Equal(SslMode.Disable, uri.Builder.SslMode);
        Assert.Equal("postgres", uri.Provider);
        Assert.Equal(["public"], uri.Schemas);
        Assert.Equal("u@h:5439/d", uri.DisplayName);

        var keywords = ConnectionResolver.ResolveDirect("Host=h;Database=d;Username=u", new NetworkCredential("v", "pw"), ["s1"]);
        Assert.Equal("v", keywords.UserName);
        Assert.Equal("pw", keywords.Password);
        Assert.Equal(["s1"], keywords.Schemas);
    }

    [Fact]
    public void Direct_mode_recognises_supabase_hosts()
    {
        var target = ConnectionResolver.ResolveDirect("postgresql://postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres", null);
        Assert.Equal("supabase", target.Provider);
    }

    [Fact]
    public void Direct_mode_placeholder_needs_a_credential()
    {
        var ex = Assert.Throws<DbAdapterException>(() => ConnectionResolver.ResolveDirect("postgres://u:[YOUR-PASSWORD]@h/d", null));
        Assert.Equal(ErrorIds.ConfigInvalid, ex.ErrorId);
        Assert.Contains("give a credential", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorHint.GiveCredential, ex.Hint);

        var ok = ConnectionResolver.ResolveDirect("postgres://u:[YOUR-PASSWORD]@h/d", new NetworkCredential(string.Empty, HardPassword));
        Assert.Equal(HardPassword, ok.Password);
    }

    [Fact]
    public void A_profile_is_described_from_its_url_alone_without_any_password()
    {
        var described = ConnectionResolver.Describe(Profile("postgresql://app:[YOUR-PASSWORD]@db.internal:6432/shop?sslmode=require", passwordEnv: "NOT_SET_ANYWHERE"));

        Assert.Equal(new ProfileDescription("db.internal", 6432, "shop", "app"), described);
    }
}
