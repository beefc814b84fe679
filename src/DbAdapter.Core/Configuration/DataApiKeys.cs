using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Configuration;

/// <summary>
/// The Data API keys of a [profiles.NAME] table: supabase_url (the project's base URL) and
/// supabase_key_env (the NAME of the environment variable holding the service-role key; the key
/// itself never belongs in db.toml). Both or neither, and only on a provider = "supabase" profile.
/// </summary>
internal static class DataApiKeys
{
    public const string UrlKey = "supabase_url";
    public const string KeyEnvKey = "supabase_key_env";

    /// <summary>The two values, validated; (null, null) when the profile has neither.</summary>
    public static (Uri? Url, string? KeyEnv) Read(TomlNode node, string provider)
    {
        var urlText = node.GetString(UrlKey)?.Trim();
        var keyEnv = node.GetString(KeyEnvKey)?.Trim();
        if (urlText is null && keyEnv is null)
        {
            return (null, null);
        }

        if (provider != "supabase")
        {
            var key = urlText is not null ? UrlKey : KeyEnvKey;
            throw node.Invalid(key, $"belongs to a provider = \"supabase\" profile (the Data API is Supabase's); this profile's provider is \"{provider}\".");
        }

        if (urlText is null)
        {
            throw node.Invalid(KeyEnvKey, $"is set without {UrlKey}: add {UrlKey} = \"https://<project-ref>.supabase.co\", or remove {KeyEnvKey}.");
        }

        if (keyEnv is null)
        {
            throw node.Invalid(UrlKey, $"needs {KeyEnvKey}, the name of the environment variable that holds the project's service-role key (the key itself never goes into db.toml).");
        }

        if (!SecretRedactor.IsVariableName(keyEnv))
        {
            // Never quoted: a value that is no variable name is most likely the key pasted in by mistake.
            throw node.Invalid(KeyEnvKey, "must be the NAME of an environment variable (letters, digits and underscores, such as SUPABASE_SERVICE_KEY), not the key itself: put the key in that variable and its name here.");
        }

        return (ParseUrl(node, urlText), keyEnv);
    }

    private static Uri ParseUrl(TomlNode node, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw node.Invalid(UrlKey, "must be an https:// (or http://) URL, the project's base URL such as \"https://<project-ref>.supabase.co\".");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw node.Invalid(UrlKey, "must be the project's base URL alone, without user name, password, query or fragment (the key comes from supabase_key_env).");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/rest/v1", StringComparison.OrdinalIgnoreCase))
        {
            throw node.Invalid(UrlKey, "must be the project's base URL without /rest/v1 (the Data API's path is added to it).");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            node.Warn(UrlKey, "is an http:// URL of another machine: the key would travel unencrypted; use https://.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + path + "/");
    }
}
