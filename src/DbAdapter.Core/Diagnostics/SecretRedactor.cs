using System.Text.RegularExpressions;

namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// Keeps passwords and API keys out of messages. Three tools: <see cref="Scrub"/> replaces known secret
/// texts, <see cref="RedactConnectionText"/> masks the password parts of a URI or keyword string that
/// could not be parsed (so the secret is not known as a value yet), and <see cref="RedactApiKeys"/>
/// masks whatever has the shape of a Supabase key (a JWT, an sb_secret_/sb_publishable_ key) in text
/// that may quote one the engine was never told about.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Mask = "***";

    // Supabase's keys are long (a JWT, or sb_secret_ and 32 more characters); a short odd value is a typo, not a key.
    private const int MinimumKeyLength = 20;

    /// <summary>
    /// The settings of a connection string that hold secrets: what Npgsql marks as password text, and
    /// the password of the SSL client key, which it does not mark.
    /// </summary>
    public static IReadOnlyList<System.Reflection.PropertyInfo> SecretProperties { get; } =
        typeof(Npgsql.NpgsqlConnectionStringBuilder).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 &&
                        (p.GetCustomAttributes(typeof(System.ComponentModel.PasswordPropertyTextAttribute), inherit: true)
                             .Cast<System.ComponentModel.PasswordPropertyTextAttribute>().Any(a => a.Password) ||
                         p.Name == nameof(Npgsql.NpgsqlConnectionStringBuilder.SslPassword)))
            .ToList();

    /// <summary>
    /// Replaces every occurrence of every secret in <paramref name="text"/> by <see cref="Mask"/>,
    /// longest first so that a secret containing a shorter one is masked whole.
    /// </summary>
    public static string Scrub(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).OrderByDescending(s => s!.Length))
        {
            text = text.Replace(secret!, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Masks the password of a connection text: the userinfo password of a URI, any password=...
    /// query option, and Password / SSL Password values of a keyword string.
    /// </summary>
    public static string RedactConnectionText(string text)
    {
        // Options first: the URI rule masks up to the last '@', which may sit inside an option's value
        // (sslpassword=p@ss) and would leave the rest of that value in the text.
        text = PasswordOption().Replace(text, m => m.Groups["key"].Value + Mask);
        return UriPassword().Replace(text, m => m.Groups["pre"].Value + Mask + "@");
    }

    /// <summary>
    /// <paramref name="text"/> with every known secret and every key-shaped token masked: for texts
    /// from the Data API's side (HTTP errors, response bodies) that could echo a key.
    /// </summary>
    public static string RedactApiKeys(string text, IEnumerable<string?> secrets) =>
        ApiKeyShape().Replace(Scrub(text, secrets), Mask);

    /// <summary>True when <paramref name="value"/> can be an environment variable's name, so it is no secret.</summary>
    public static bool IsVariableName(string value) => VariableName().IsMatch(value);

    /// <summary>
    /// Password texts that a TOML file may hold, found without parsing it (used when the file does not
    /// parse, so that an error message quoting the offending line cannot leak them).
    /// </summary>
    public static IReadOnlyList<string> FindSecretsInToml(string toml)
    {
        var secrets = new List<string>();
        foreach (Match m in TomlPasswordLine().Matches(toml))
        {
            var raw = m.Groups["value"].Value.Trim();
            secrets.Add(raw);
            if (raw.Length > 1 && raw[0] is '"' or '\'' && raw.IndexOf(raw[0], 1) is var close and > 0)
            {
                // A quoted value may be followed by a comment: the secret is what the quotes enclose.
                secrets.Add(raw[1..close]);
            }
        }

        foreach (Match m in UriPassword().Matches(toml))
        {
            var raw = m.Groups["pw"].Value;
            secrets.Add(raw);
            try
            {
                secrets.Add(Uri.UnescapeDataString(raw));
            }
            catch (UriFormatException)
            {
                // The raw text is already in the list; nothing more to add.
            }
        }

        foreach (Match m in PasswordOption().Matches(toml))
        {
            secrets.Add(m.Groups["value"].Value.Trim('"', '\''));
        }

        foreach (Match m in TomlKeyEnvLine().Matches(toml))
        {
            // supabase_key_env holds a variable's name; a long string that is none is likely the key itself.
            var raw = m.Groups["value"].Value.Trim();
            var value = raw.Trim('"', '\'');
            if (raw.Length > 0 && raw[0] is '"' or '\'' && value.Length >= MinimumKeyLength && !IsVariableName(value))
            {
                secrets.Add(raw);
                secrets.Add(value);
            }
        }

        secrets.RemoveAll(s => s.Length == 0 || s == "[YOUR-PASSWORD]");
        return secrets;
    }

    // Greedy up to the last '@' on the line: an unencoded password may itself hold '@'.
    [GeneratedRegex(@"(?<pre>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s""']*:)(?<pw>[^\r\n""']+)@")]
    private static partial Regex UriPassword();

    // An unclosed quote (perhaps the very error being reported) masks everything after it; an unquoted
    // value runs to the next ';' or '&' (a password may hold spaces).
    [GeneratedRegex(@"(?<key>(?<![a-zA-Z_])(?:ssl\s?password|password|pwd)\s*=\s*)(?<value>""[^""]*""?|'[^']*'?|[^;&""'\r\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordOption();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^[ \t]*[""']?supabase_key_env[""']?[ \t]*=[ \t]*(?<value>[^\r\n#]*?)[ \t]*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex TomlKeyEnvLine();

    // A JWT (three base64url parts, the first a JSON header: "eyJ") and Supabase's newer key formats.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+|sb_(?:secret|publishable)_[A-Za-z0-9_-]+")]
    private static partial Regex ApiKeyShape();

    [GeneratedRegex(@"^[ \t]*[""']?(?:db_password|sslpassword)[""']?[ \t]*=[ \t]*(?<value>[^\r\n]*?)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex TomlPasswordLine();
}
