namespace DbAdapter.TestSupport;

/// <summary>Reads the few keys the test bed needs from an Npgsql keyword string or a postgres URI.</summary>
internal static class ConnectionStringParts
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(text);
            var userInfo = uri.UserInfo.Split(':', 2);
            result["host"] = uri.Host;
            if (uri.Port > 0)
            {
                result["port"] = uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (userInfo[0].Length > 0)
            {
                result["username"] = Uri.UnescapeDataString(userInfo[0]);
            }

            if (userInfo.Length > 1)
            {
                result["password"] = Uri.UnescapeDataString(userInfo[1]);
            }

            var db = uri.AbsolutePath.TrimStart('/');
            if (db.Length > 0)
            {
                result["database"] = Uri.UnescapeDataString(db);
            }

            return result;
        }

        foreach (var pair in SplitPairs(text))
        {
            var key = pair.Key.Trim().ToLowerInvariant() switch
            {
                "server" or "host" => "host",
                "user id" or "userid" or "user" or "username" or "user name" => "username",
                "pwd" or "password" => "password",
                "db" or "database" => "database",
                "port" => "port",
                var other => other,
            };
            result[key] = pair.Value;
        }

        return result;
    }

    private static IEnumerable<KeyValuePair<string, string>> SplitPairs(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                yield break;
            }

            var key = text[i..eq].Trim(' ', ';');
            i = eq + 1;
            string value;
            if (i < text.Length && (text[i] == '\'' || text[i] == '"'))
            {
                var q = text[i];
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < text.Length)
                {
                    if (text[i] == q)
                    {
                        if (i + 1 < text.Length && text[i + 1] == q)
                        {
                            sb.Append(q);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(text[i++]);
                }

                value = sb.ToString();
                var semi = text.IndexOf(';', i);
                i = semi < 0 ? text.Length : semi + 1;
            }
            else
            {
                var semi = text.IndexOf(';', i);
                value = (semi < 0 ? text[i..] : text[i..semi]).Trim();
                i = semi < 0 ? text.Length : semi + 1;
            }

            yield return new(key, value);
        }
    }
}
