namespace DbAdapter.Core.Connections;

/// <summary>Where the current profile came from.</summary>
public enum ProfileSource
{
    Explicit,
    Session,
    Environment,
    LockFile,
    DatabaseUrl,
}

/// <summary>What the session remembers after Connect-DbProfile: a profile name or, in direct mode, a connection string.</summary>
public sealed record SessionCurrent(string? ProfileName, string? DirectConnectionString, string? ConfigPath);

/// <summary>The outcome of current-profile resolution: a profile name, or a direct connection string.</summary>
public sealed record ProfileSelection(string? ProfileName, string? DirectConnectionString, ProfileSource Source);

/// <summary>
/// The one resolution order every cmdlet uses (DESIGN 4.3): -Profile, the session's current profile,
/// env {prefix}DB_PROFILE, the .db-profile lock file beside db.toml, env {prefix}DATABASE_URL, else
/// ProfileNotFound.
/// </summary>
public static class CurrentProfileResolver
{
    public static ProfileSelection Resolve(string? explicitProfile, SessionCurrent? session, string envPrefix, string configDirectory, IEnvironment environment) =>
        throw new NotImplementedException();
}
