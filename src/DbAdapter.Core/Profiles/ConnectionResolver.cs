using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using Npgsql;

namespace DbAdapter.Core.Profiles;

/// <summary>Turns a profile (or a direct connection string) into a <see cref="ConnectionTarget"/> (DESIGN 4.2).</summary>
public static class ConnectionResolver
{
    /// <summary>The placeholder that db_password replaces, every occurrence.</summary>
    public const string PasswordPlaceholder = "[YOUR-PASSWORD]";

    /// <summary>
    /// Resolves a profile. Password sources, highest first: <paramref name="credential"/>, the password in
    /// the URL, db_password (placeholder), password_env. Accepts postgres:// and postgresql:// URIs with
    /// query options, and Npgsql keyword strings. Throws DbAdapterException ConfigInvalid naming the
    /// profile (never the password) when the URL cannot be read.
    /// </summary>
    public static ConnectionTarget Resolve(ProfileConfig profile, NetworkCredential? credential, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(environment);

        var envPassword = profile.PasswordEnv is { } variable ? environment.Get(variable) : null;
        var request = new Request(
            Subject: $"Profile '{profile.Name}'",
            Target: profile.Name,
            Text: profile.Url,
            Credential: credential,
            DbPassword: profile.DbPassword,
            EnvPassword: envPassword,
            PasswordSourcesHint: PasswordSourcesHint(profile));

        var builder = Build(request);
        return new ConnectionTarget(builder, profile.Name, profile.Provider, profile.Description, profile.Schemas, profile.Pooling, profile.LockTimeout);
    }

    /// <summary>Direct mode: -ConnectionString or {prefix}DATABASE_URL.</summary>
    public static ConnectionTarget ResolveDirect(string connectionString, NetworkCredential? credential, IReadOnlyList<string>? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var request = new Request(
            Subject: "The connection string",
            Target: null,
            Text: connectionString,
            Credential: credential,
            DbPassword: null,
            EnvPassword: null,
            PasswordSourcesHint: "give a credential, or put the (percent-encoded) password in the connection string");

        var builder = Build(request);
        return new ConnectionTarget(builder, null, GuessProvider(builder), null, schemas ?? ["public"]);
    }

    /// <summary>
    /// Where a profile points (host, port, database, user), read from its URL alone: no password is
    /// looked up or needed, so listing profiles works before any password is set. Throws ConfigInvalid
    /// (naming the profile, never a password) when the URL cannot be read.
    /// </summary>
    public static ProfileDescription Describe(ProfileConfig profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!profile.HasDatabaseUrl && profile.SupabaseUrl is { } api)
        {
            // Only the Data API: its host and port are where the profile points.
            return new ProfileDescription(api.Host, api.Port, null, null);
        }

        var request = new Request(
            Subject: $"Profile '{profile.Name}'",
            Target: profile.Name,
            Text: profile.Url,
            Credential: null,
            DbPassword: profile.DbPassword,
            EnvPassword: null,
            PasswordSourcesHint: PasswordSourcesHint(profile));
        var target = new ConnectionTarget(Parse(request, [profile.DbPassword]), profile.Name, profile.Provider, profile.Description, profile.Schemas);
        return new ProfileDescription(target.Host, target.Port, target.Database, target.UserName);
    }

    private static NpgsqlConnectionStringBuilder Build(Request request)
    {
        var credentialPassword = string.IsNullOrEmpty(request.Credential?.Password) ? null : request.Credential!.Password;
        var knownSecrets = new[] { credentialPassword, request.DbPassword, request.EnvPassword };

        var builder = Parse(request, knownSecrets);

        var placeholderKeys = builder.Keys.Cast<string>()
            .Where(k => builder[k] is string value && value.Contains(PasswordPlaceholder, StringComparison.Ordinal))
            .ToList();
        var urlPassword = string.IsNullOrEmpty(builder.Password) || builder.Password.Contains(PasswordPlaceholder, StringComparison.Ordinal)
            ? null
            : builder.Password;

        // DESIGN 4.2 precedence. db_password also fills a URL that has no password at all, not only
        // the placeholder: a profile that sets it clearly means it to be used.
        var password = credentialPassword ?? urlPassword ?? NullIfEmpty(request.DbPassword) ?? request.EnvPassword;

        if (placeholderKeys.Count > 0 && password is null)
        {
            throw new DbAdapterException(
                ErrorIds.ConfigInvalid,
                DbErrorKind.AuthenticationError,
                $"{request.Subject}: the connection URL holds the {PasswordPlaceholder} placeholder but no password was supplied: {request.PasswordSourcesHint}.",
                request.Target,
                hint: ErrorHint.GiveCredential);
        }

        // Every occurrence is replaced in the parsed values, never in the text: the password may hold
        // characters (@ : / % # ; ' and spaces) that would change how the text parses.
        foreach (var key in placeholderKeys)
        {
            builder[key] = ((string)builder[key]).Replace(PasswordPlaceholder, password, StringComparison.Ordinal);
        }

        if (password is not null)
        {
            builder.Password = password;
        }

        if (!string.IsNullOrEmpty(request.Credential?.UserName))
        {
            builder.Username = request.Credential.UserName;
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder Parse(Request request, IEnumerable<string?> knownSecrets)
    {
        var text = request.Text.Trim();
        if (text.Length == 0)
        {
            throw Unreadable(request, "it is empty.", knownSecrets);
        }

        try
        {
            if (PostgresUri.LooksLikeUri(text))
            {
                return PostgresUri.Parse(text);
            }

            return ParseKeywords(text);
        }
        catch (ConnectionTextException ex)
        {
            throw Unreadable(request, ex.Message, knownSecrets);
        }
    }

    private static NpgsqlConnectionStringBuilder ParseKeywords(string text)
    {
        // Validate the syntax generically first: Npgsql's message for a bad keyword names it, but a
        // bad syntax message only gives an index, so say what is expected instead.
        System.Data.Common.DbConnectionStringBuilder raw;
        try
        {
            raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException)
        {
            throw new ConnectionTextException("it is neither a postgres:// URI nor a keyword string (Host=...;Database=...;Username=...).");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        foreach (string key in raw.Keys)
        {
            try
            {
                builder[key] = raw[key];
            }
            catch (ArgumentException)
            {
                throw new ConnectionTextException(new NpgsqlConnectionStringBuilder().ContainsKey(key)
                    ? $"the keyword '{key}' has an invalid value."
                    : $"unknown keyword '{key}' (see Npgsql's connection string parameters).");
            }
        }

        return builder;
    }

    private static DbAdapterException Unreadable(Request request, string reason, IEnumerable<string?> knownSecrets)
    {
        var shown = SecretRedactor.Scrub(SecretRedactor.RedactConnectionText(request.Text.Trim()), knownSecrets);
        var message = SecretRedactor.Scrub($"{request.Subject}: the connection URL cannot be read: {reason} URL (password hidden): {shown}", knownSecrets);
        return new DbAdapterException(ErrorIds.ConfigInvalid, DbErrorKind.InvalidData, message, request.Target);
    }

    private static string PasswordSourcesHint(ProfileConfig profile)
    {
        var envHint = profile.PasswordEnv is { } variable
            ? $"set the environment variable {variable} (named by password_env; it is unset or empty)"
            : "set password_env to the name of an environment variable holding it";
        return $"set db_password in [profiles.{profile.Name}], {envHint}, or give a credential";
    }

    private static string GuessProvider(NpgsqlConnectionStringBuilder builder) =>
        builder.Host is { } host && (host.Contains(".supabase.co", StringComparison.OrdinalIgnoreCase) || host.Contains(".supabase.com", StringComparison.OrdinalIgnoreCase))
            ? PlatformSchemas.SupabaseProvider
            : "postgres";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record Request(
        string Subject,
        string? Target,
        string Text,
        NetworkCredential? Credential,
        string? DbPassword,
        string? EnvPassword,
        string PasswordSourcesHint);
}
