using Npgsql;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// A fully resolved connection: where to connect, as whom, and which schemas the profile covers.
/// The password lives only inside <see cref="Builder"/>; every public text shows it redacted.
/// </summary>
public sealed class ConnectionTarget
{
    /// <summary>How long work waits for a lock when neither the profile nor the call says otherwise.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    internal ConnectionTarget(
        NpgsqlConnectionStringBuilder builder, string? profileName, string provider, string? description, IReadOnlyList<string> schemas, string? pooling = null, TimeSpan? lockTimeout = null)
    {
        Builder = builder;
        ProfileName = profileName;
        Provider = provider;
        Description = description;
        Schemas = schemas.Count == 0 ? ["public"] : schemas;
        Pooling = PoolerDetection.ModeOf(builder, pooling);
        PoolingConfigured = pooling is not null;
        LockTimeout = lockTimeout ?? DefaultLockTimeout;
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

    /// <summary>Whether a transaction-mode pooler sits in front of the server (db.toml's pooling, or the host and port).</summary>
    public PoolingMode Pooling { get; }

    /// <summary>True when db.toml's pooling decided <see cref="Pooling"/>, false when the host and port did.</summary>
    public bool PoolingConfigured { get; }

    /// <summary>
    /// How long any work on this connection waits for a lock before it gives up (the profile's
    /// lock_timeout, else <see cref="DefaultLockTimeout"/>); zero waits without limit.
    /// </summary>
    public TimeSpan LockTimeout { get; }

    public bool HasPassword => !string.IsNullOrEmpty(Builder.Password);

    /// <summary>The connection string with every secret (password, SSL key password) replaced by "***".</summary>
    public string RedactedConnectionString
    {
        get
        {
            var copy = new NpgsqlConnectionStringBuilder(Builder.ConnectionString);
            foreach (var property in Diagnostics.SecretRedactor.SecretProperties)
            {
                if (property.GetValue(copy) is string { Length: > 0 })
                {
                    property.SetValue(copy, Diagnostics.SecretRedactor.Mask);
                }
            }

            // A [YOUR-PASSWORD] placeholder outside the password slot (options, application name...)
            // was filled with the password too: mask it wherever it landed.
            return Redact(copy.ConnectionString);
        }
    }

    /// <summary>The secret values of this connection (password, SSL key password), for redaction only.</summary>
    internal IReadOnlyList<string> Secrets =>
        Diagnostics.SecretRedactor.SecretProperties.Select(p => p.GetValue(Builder) as string).OfType<string>().Where(v => v.Length > 0).ToList();

    /// <summary><paramref name="text"/> with every secret of this connection masked: the one redaction of texts meant for people.</summary>
    public string Redact(string text) => Diagnostics.SecretRedactor.Scrub(text, Secrets);

    /// <summary>The resolved password (tests check the precedence rules with it; never printed).</summary>
    internal string? Password => Builder.Password;

    /// <summary>The real settings, password included. Internal: only the engine opens connections.</summary>
    internal NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>
    /// True when <paramref name="other"/> reaches the same database on the same server, as far as the
    /// settings tell: the same database name on the same port of the same host, the loopback names
    /// (localhost, 127.0.0.1, ::1) counting as one host.
    /// </summary>
    public bool IsSameDatabase(ConnectionTarget other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Port == other.Port &&
            string.Equals(Database, other.Database, StringComparison.Ordinal) &&
            string.Equals(HostIdentity(Host), HostIdentity(other.Host), StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => RedactedConnectionString;

    private static string HostIdentity(string host) =>
        host.Trim('[', ']').ToUpperInvariant() is "LOCALHOST" or "127.0.0.1" or "::1" ? "LOCALHOST" : host.TrimEnd('.');
}
