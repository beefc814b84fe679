using Npgsql;

namespace DbAdapter.Core.Connections;

/// <summary>
/// A fully resolved connection: where to connect, as whom, and which schemas the profile covers.
/// The password lives only inside <see cref="Builder"/>; every public text shows it redacted.
/// </summary>
public sealed class ConnectionTarget
{
    internal ConnectionTarget(NpgsqlConnectionStringBuilder builder, string? profileName, string provider, string? description, IReadOnlyList<string> schemas)
    {
        Builder = builder;
        ProfileName = profileName;
        Provider = provider;
        Description = description;
        Schemas = schemas.Count == 0 ? ["public"] : schemas;
    }

    /// <summary>Profile name, or null in direct mode (-ConnectionString / DATABASE_URL).</summary>
    public string? ProfileName { get; }

    /// <summary>Name shown in messages: the profile name, or the redacted target in direct mode.</summary>
    public string DisplayName => ProfileName ?? $"{UserName}@{Host}:{Port}/{Database}";

    public string Provider { get; }

    public string? Description { get; }

    public string Host => Builder.Host ?? "localhost";

    public int Port => Builder.Port;

    public string Database => Builder.Database ?? Builder.Username ?? string.Empty;

    public string? UserName => Builder.Username;

    public IReadOnlyList<string> Schemas { get; }

    public bool HasPassword => !string.IsNullOrEmpty(Builder.Password);

    /// <summary>The connection string with the password replaced by "***".</summary>
    public string RedactedConnectionString
    {
        get
        {
            var copy = new NpgsqlConnectionStringBuilder(Builder.ConnectionString);
            var secrets = new[] { copy.Password, copy.SslPassword };
            if (!string.IsNullOrEmpty(copy.Password))
            {
                copy.Password = "***";
            }

            if (!string.IsNullOrEmpty(copy.SslPassword))
            {
                copy.SslPassword = "***";
            }

            // A [YOUR-PASSWORD] placeholder outside the password slot (options, application name...)
            // was filled with the password too: mask it wherever it landed.
            return Diagnostics.SecretRedactor.Scrub(copy.ConnectionString, secrets);
        }
    }

    /// <summary>The real settings, password included. Internal: only the engine opens connections.</summary>
    internal NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>The password, for redaction checks only (never to print).</summary>
    internal string? Password => Builder.Password;

    public override string ToString() => RedactedConnectionString;
}
