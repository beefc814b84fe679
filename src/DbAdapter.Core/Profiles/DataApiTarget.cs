using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// Where a supabase profile's Data API (PostgREST) is and which key reaches it. The key is read from
/// the environment variable that supabase_key_env names; it lives only here, internal, and is never
/// part of a message, an object or <see cref="ToString"/>.
/// </summary>
public sealed class DataApiTarget
{
    private DataApiTarget(string profileName, Uri projectUrl, string keyVariable, string? key, IReadOnlyList<string> schemas)
    {
        ProfileName = profileName;
        ProjectUrl = projectUrl;
        KeyVariable = keyVariable;
        Key = key;
        Schemas = schemas;
    }

    public string ProfileName { get; }

    /// <summary>supabase_url, ending in '/'.</summary>
    public Uri ProjectUrl { get; }

    /// <summary>The Data API's root: the project URL's /rest/v1/.</summary>
    public Uri RestUrl => new(ProjectUrl, "rest/v1/");

    /// <summary>The name of the variable holding the key (shown in messages; the value never is).</summary>
    public string KeyVariable { get; }

    /// <summary>The profile's schemas: a bare table name is looked for in them, in order.</summary>
    public IReadOnlyList<string> Schemas { get; }

    /// <summary>The key, or null when the variable is unset or empty (an error once the Data API is used).</summary>
    internal string? Key { get; }

    /// <summary>The Data API of <paramref name="profile"/>, or null when it has none.</summary>
    public static DataApiTarget? For(ProfileConfig profile, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(environment);
        return profile.SupabaseUrl is { } url && profile.SupabaseKeyEnv is { } variable
            ? new DataApiTarget(profile.Name, url, variable, environment.Get(variable)?.Trim(), profile.Schemas)
            : null;
    }

    /// <summary>The key, or ConfigInvalid naming the profile and the variable (never a value) when it is unset or empty.</summary>
    internal string RequireKey() => string.IsNullOrEmpty(Key)
        ? throw new DbAdapterException(
            ErrorIds.ConfigInvalid,
            DbErrorKind.AuthenticationError,
            $"Profile '{ProfileName}': the environment variable {KeyVariable} (its supabase_key_env) is not set or empty, so the Data API at {ProjectUrl} cannot be reached. Set it to the project's service-role key.",
            ProfileName,
            hint: ErrorHint.SetDataApiKey)
        : Key;

    /// <summary><paramref name="text"/> without the key, nor anything shaped like a Supabase key.</summary>
    public string Redact(string text) => SecretRedactor.RedactApiKeys(text, [Key]);

    /// <summary>The DatabaseUrlRequired error for this profile: the work asked for needs a database connection.</summary>
    internal DbAdapterException DatabaseUrlRequired() => new(
        ErrorIds.DatabaseUrlRequired,
        DbErrorKind.InvalidOperation,
        $"Profile '{ProfileName}' reaches its project only through the Data API ({ProjectUrl}), and this needs a database connection (a url in db.toml): " +
        "schema validation and repair run on PostgreSQL itself, and rows are written only inside one database transaction, which the Data API cannot give (every request stands alone, so a restore or sync could stop half-way). " +
        "Nothing was read or written.",
        ProfileName,
        hint: ErrorHint.AddDatabaseUrl);

    /// <summary>
    /// True when <paramref name="database"/> is this Supabase project's own database: the direct host
    /// db.&lt;ref&gt;.supabase.co, or a pooler's user postgres.&lt;ref&gt; (a sync from one to the other
    /// would copy the rows onto themselves).
    /// </summary>
    public bool IsProjectOf(ConnectionTarget database)
    {
        ArgumentNullException.ThrowIfNull(database);
        const string Suffix = ".supabase.co";
        var host = ProjectUrl.Host;
        if (!host.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) || host.Count(c => c == '.') != 2)
        {
            return false;
        }

        var reference = host[..host.IndexOf('.', StringComparison.Ordinal)];
        return string.Equals(database.Host, $"db.{reference}{Suffix}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(database.UserName, $"postgres.{reference}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Never the key.</summary>
    public override string ToString() => $"{ProfileName}: Data API {RestUrl} (key from {KeyVariable})";
}
