using System.Globalization;
using Npgsql;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// Applies the query options of a postgres:// URI (libpq keywords such as sslmode, connect_timeout,
/// application_name) to an <see cref="NpgsqlConnectionStringBuilder"/>. libpq spells values its own
/// way (verify-full, random, 0/1), so each is mapped rather than passed through.
/// </summary>
internal static class LibpqQueryOptions
{
    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    private static readonly Dictionary<string, SslNegotiation> SslNegotiations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["postgres"] = SslNegotiation.Postgres,
        ["direct"] = SslNegotiation.Direct,
    };

    private static readonly Dictionary<string, GssEncryptionMode> GssModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = GssEncryptionMode.Disable,
        ["prefer"] = GssEncryptionMode.Prefer,
        ["require"] = GssEncryptionMode.Require,
    };

    private static readonly Dictionary<string, ChannelBinding> ChannelBindings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = ChannelBinding.Disable,
        ["prefer"] = ChannelBinding.Prefer,
        ["require"] = ChannelBinding.Require,
    };

    private static readonly Dictionary<string, bool> LoadBalance = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = false,
        ["random"] = true,
    };

    private static readonly Dictionary<string, string> AuthMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["password"] = "Password",
        ["md5"] = "MD5",
        ["gss"] = "GSS",
        ["sspi"] = "SSPI",
        ["scram-sha-256"] = "ScramSHA256",
        ["none"] = "None",
    };

    private static readonly Dictionary<string, bool> ZeroOne = new(StringComparer.Ordinal)
    {
        ["0"] = false,
        ["1"] = true,
    };

    /// <summary>Sets <paramref name="key"/> = <paramref name="value"/> (both already percent-decoded).</summary>
    public static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        try
        {
            ApplyCore(builder, key, value);
        }
        catch (ArgumentException)
        {
            // Npgsql rejects some values only when set (out-of-range timeouts, unknown session attributes).
            throw new ConnectionTextException($"query option '{key}' has an invalid value.");
        }
    }

    private static void ApplyCore(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "host":
            case "hostaddr":
                builder.Host = value;
                break;
            case "port":
                builder.Port = ParseInt(key, value, 1, 65535);
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "passfile":
                builder.Passfile = value;
                break;
            case "sslmode":
                builder.SslMode = Lookup(SslModes, key, value);
                break;
            case "sslnegotiation":
                builder.SslNegotiation = Lookup(SslNegotiations, key, value);
                break;
            case "gssencmode":
                builder.GssEncryptionMode = Lookup(GssModes, key, value);
                break;
            case "channel_binding":
                builder.ChannelBinding = Lookup(ChannelBindings, key, value);
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslpassword":
                builder.SslPassword = value;
                break;
            case "krbsrvname":
                builder.KerberosServiceName = value;
                break;
            case "connect_timeout":
                // libpq: 0 waits forever; Npgsql: 0 means the same, and it caps the value at 1024.
                builder.Timeout = ParseInt(key, value, 0, 1024);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "fallback_application_name":
                builder.ApplicationName ??= value;
                break;
            case "options":
                builder.Options = value;
                break;
            case "client_encoding":
                builder.ClientEncoding = value;
                break;
            case "target_session_attrs":
                builder.TargetSessionAttributes = value;
                break;
            case "load_balance_hosts":
                builder.LoadBalanceHosts = Lookup(LoadBalance, key, value);
                break;
            case "keepalives":
                builder.TcpKeepAlive = Lookup(ZeroOne, key, value);
                break;
            case "keepalives_idle":
                builder.TcpKeepAliveTime = ParseInt(key, value, 0, int.MaxValue);
                break;
            case "keepalives_interval":
                builder.TcpKeepAliveInterval = ParseInt(key, value, 0, int.MaxValue);
                break;
            case "require_auth":
                builder.RequireAuth = MapRequireAuth(key, value);
                break;
            default:
                ApplyNpgsqlKeyword(builder, key, value);
                break;
        }
    }

    // Npgsql's own keywords (Pooling, Command Timeout, Search Path...) are accepted too, so a URI can
    // say everything a keyword string can; anything else is a typo worth stopping for.
    private static void ApplyNpgsqlKeyword(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        try
        {
            builder[key] = value;
        }
        catch (ArgumentException)
        {
            if (new NpgsqlConnectionStringBuilder().ContainsKey(key))
            {
                throw new ConnectionTextException($"query option '{key}' has an invalid value.");
            }

            throw new ConnectionTextException(
                $"unknown query option '{key}' (accepted: libpq options such as sslmode, connect_timeout, application_name, options, target_session_attrs, and Npgsql connection string keywords).");
        }
    }

    // libpq lists methods as "scram-sha-256,md5" (a leading '!' negates); Npgsql names them ScramSHA256, MD5...
    private static string MapRequireAuth(string key, string value) =>
        string.Join(",", value.Split(',').Select(method =>
        {
            var trimmed = method.Trim();
            var negated = trimmed.StartsWith('!');
            return (negated ? "!" : string.Empty) + Lookup(AuthMethods, key, negated ? trimmed[1..] : trimmed);
        }));

    private static T Lookup<T>(Dictionary<string, T> values, string key, string value) =>
        values.TryGetValue(value, out var result)
            ? result
            : throw new ConnectionTextException($"query option '{key}' must be one of {string.Join(", ", values.Keys)}.");

    private static int ParseInt(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ConnectionTextException(string.Create(CultureInfo.InvariantCulture, $"query option '{key}' must be a whole number from {min} to {max}."));
}
