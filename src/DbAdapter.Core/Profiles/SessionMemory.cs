using System.Collections.Immutable;
using System.Net;
using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// What one PowerShell session (runspace) remembers after Connect-DbProfile: its current profile and the
/// credentials given for profiles. Everything is remembered per db.toml: the current profile of one
/// db.toml is never the current profile of another, and a credential belongs to one profile of one
/// db.toml that still points at the server it was given for. A profile of the same name in another
/// db.toml (perhaps another host) never receives it. Immutable: each change makes a new memory.
/// </summary>
public sealed class SessionMemory
{
    private readonly ImmutableDictionary<(string ConfigPath, string? Profile), Remembered> _credentials;

    private SessionMemory(SessionCurrent? current, ImmutableDictionary<(string ConfigPath, string? Profile), Remembered> credentials)
    {
        Current = current;
        _credentials = credentials;
    }

    /// <summary>Nothing remembered.</summary>
    public static SessionMemory Empty { get; } = new(null, ImmutableDictionary.Create<(string, string?), Remembered>(new KeyComparer()));

    /// <summary>The profile (or direct connection) made current last, with the db.toml it belongs to.</summary>
    public SessionCurrent? Current { get; }

    /// <summary>
    /// The memory after a successful connection to <paramref name="resolved"/> (read through
    /// <paramref name="configPath"/>) that becomes current. <paramref name="credential"/> is the one given
    /// for it (-Credential), or null to keep any remembered one (which that connection then used).
    /// </summary>
    public SessionMemory Connected(string configPath, ResolvedProfile resolved, NetworkCredential? credential)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ArgumentNullException.ThrowIfNull(resolved);
        var path = ConfigPaths.Normalize(configPath);
        var current = new SessionCurrent(resolved.Name, resolved.Name is null ? resolved.DirectConnectionString : null, path);
        var credentials = credential is null
            ? _credentials
            : _credentials.SetItem((path, resolved.Name), new Remembered(credential, Where(resolved.Target)));
        return new SessionMemory(current, credentials);
    }

    /// <summary>The current profile if it belongs to <paramref name="configPath"/>'s db.toml; otherwise null.</summary>
    public SessionCurrent? CurrentFor(string configPath) =>
        Current is { ConfigPath: { } path } && ConfigPaths.Comparer.Equals(path, ConfigPaths.Normalize(configPath)) ? Current : null;

    /// <summary>
    /// The credential remembered for what resolution chose: the named profile of this db.toml, or
    /// (only when the session's own direct connection was chosen) that connection. Null when none.
    /// </summary>
    internal NetworkCredential? CredentialFor(string configPath, ProfileSelection selection)
    {
        if (selection.ProfileName is null && selection.Source != ProfileSource.Session)
        {
            // A DATABASE_URL is not the session's direct connection: nothing remembered applies to it.
            return null;
        }

        return _credentials.TryGetValue((ConfigPaths.Normalize(configPath), selection.ProfileName), out var remembered)
            ? remembered.Credential
            : null;
    }

    /// <summary>True when a credential remembered for this profile was given for <paramref name="target"/>'s server and database.</summary>
    internal bool IsFor(string configPath, string? profile, ConnectionTarget target) =>
        _credentials.TryGetValue((ConfigPaths.Normalize(configPath), profile), out var remembered) &&
        string.Equals(remembered.Where, Where(target), StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"Current: {Current?.ToString() ?? "(none)"}; {_credentials.Count} remembered credential(s)";

    private static string Where(ConnectionTarget target) => $"{target.Host}:{target.Port}/{target.Database}";

    private sealed record Remembered(NetworkCredential Credential, string Where)
    {
        public override string ToString() => $"credential for {Where}";
    }

    private sealed class KeyComparer : IEqualityComparer<(string ConfigPath, string? Profile)>
    {
        public bool Equals((string ConfigPath, string? Profile) x, (string ConfigPath, string? Profile) y) =>
            ConfigPaths.Comparer.Equals(x.ConfigPath, y.ConfigPath) && string.Equals(x.Profile, y.Profile, StringComparison.Ordinal);

        public int GetHashCode((string ConfigPath, string? Profile) key) =>
            HashCode.Combine(ConfigPaths.Comparer.GetHashCode(key.ConfigPath), key.Profile is null ? 0 : StringComparer.Ordinal.GetHashCode(key.Profile));
    }
}
