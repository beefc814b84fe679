using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// Reads libpq connection URIs: postgres[ql]://[user[:password]@][host[:port][,host[:port]...]][/dbname][?key=value&amp;...].
/// Every part is percent-decoded after the URI is split, so decoded characters (@ : / ? &amp;) never
/// move a boundary. Unlike libpq, the user info ends at the LAST '@' before the query, so an
/// unencoded '@', ':' or '/' in a password still reads right; '?' and a stray '%' must be encoded.
/// </summary>
internal static partial class PostgresUri
{
    /// <summary>True when <paramref name="text"/> starts with a URI scheme (any: unsupported ones get a clear error).</summary>
    public static bool LooksLikeUri(string text) => Scheme().IsMatch(text);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ConnectionTextException"/> naming the bad part.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        var scheme = Scheme().Match(text);
        if (!scheme.Success)
        {
            throw new ConnectionTextException("it is not a URI (expected postgres:// or postgresql://).");
        }

        var name = scheme.Groups["scheme"].Value;
        if (!name.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !name.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectionTextException($"the URI scheme '{name}' is not supported (use postgres:// or postgresql://).");
        }

        var rest = text[scheme.Length..];
        var builder = new NpgsqlConnectionStringBuilder();

        var firstQuery = rest.IndexOf('?', StringComparison.Ordinal);
        var at = (firstQuery < 0 ? rest : rest[..firstQuery]).LastIndexOf('@');
        if (at >= 0)
        {
            ReadUserInfo(builder, rest[..at]);
            rest = rest[(at + 1)..];
        }

        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var hostAndPath = query < 0 ? rest : rest[..query];
        var slash = hostAndPath.IndexOf('/', StringComparison.Ordinal);
        ReadHosts(builder, slash < 0 ? hostAndPath : hostAndPath[..slash]);

        if (slash >= 0)
        {
            var database = Decode(hostAndPath[(slash + 1)..], "database name");
            if (database.Length > 0)
            {
                builder.Database = database;
            }
        }

        if (query >= 0)
        {
            ReadQuery(builder, rest[(query + 1)..]);
        }

        return builder;
    }

    private static void ReadUserInfo(NpgsqlConnectionStringBuilder builder, string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Decode(colon < 0 ? userInfo : userInfo[..colon], "user name");
        if (user.Length > 0)
        {
            builder.Username = user;
        }

        if (colon >= 0)
        {
            var password = Decode(userInfo[(colon + 1)..], "password");
            if (password.Length > 0)
            {
                builder.Password = password;
            }
        }
    }

    private static void ReadHosts(NpgsqlConnectionStringBuilder builder, string hostSpec)
    {
        if (hostSpec.Length == 0)
        {
            return;
        }

        var entries = hostSpec.Split(',');
        var hosts = new List<(string Host, int? Port)>(entries.Length);
        foreach (var entry in entries)
        {
            hosts.Add(ReadHost(entry));
        }

        if (hosts.Count == 1)
        {
            if (hosts[0].Host.Length > 0)
            {
                builder.Host = hosts[0].Host;
            }

            if (hosts[0].Port is { } port)
            {
                builder.Port = port;
            }

            return;
        }

        // Npgsql takes several hosts as one comma-separated Host with per-host ports.
        builder.Host = string.Join(",", hosts.Select(h => h.Port is { } p ? string.Create(CultureInfo.InvariantCulture, $"{FormatHost(h.Host)}:{p}") : FormatHost(h.Host)));
    }

    private static (string Host, int? Port) ReadHost(string entry)
    {
        string host;
        string? port = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ConnectionTextException("an IPv6 host address lacks its closing ']'.");
            }

            host = entry[1..close];
            var after = entry[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw new ConnectionTextException("unexpected text after an IPv6 host address.");
            }
        }
        else
        {
            var colon = entry.LastIndexOf(':');
            host = colon < 0 ? entry : entry[..colon];
            port = colon < 0 ? null : entry[(colon + 1)..];
            host = Decode(host, "host");
        }

        if (port is null || port.Length == 0)
        {
            return (host, null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? (host, number)
            : throw new ConnectionTextException("the port must be a whole number from 1 to 65535.");
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;

    private static void ReadQuery(NpgsqlConnectionStringBuilder builder, string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ConnectionTextException("every query option must read key=value.");
            }

            var key = Decode(pair[..equals], "a query option name");
            LibpqQueryOptions.Apply(builder, key, Decode(pair[(equals + 1)..], $"query option '{key}'"));
        }
    }

    /// <summary>Strict percent-decoding (UTF-8), as libpq does; '+' stays '+'.</summary>
    private static string Decode(string text, string part)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                continue;
            }

            // Literal runs are encoded whole so surrogate pairs stay intact.
            bytes.AddRange(Encoding.UTF8.GetBytes(text[run..i]));
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                throw new ConnectionTextException($"the {part} holds a '%' that does not start a %XX escape (write a literal % as %25).");
            }

            bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 2;
            run = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text[run..]));

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new ConnectionTextException($"the {part} is not valid UTF-8 once percent-decoded.");
        }
    }

    [GeneratedRegex("^(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://")]
    private static partial Regex Scheme();
}
