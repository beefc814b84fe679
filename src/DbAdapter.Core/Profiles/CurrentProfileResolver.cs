using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Profiles;

/// <summary>Where the current profile came from.</summary>
public enum ProfileSource
{
    /// <summary>-Profile on the command line.</summary>
    Explicit,

    /// <summary>Connect-DbProfile in this session (runspace).</summary>
    Session,

    /// <summary>The env var {prefix}DB_PROFILE.</summary>
    Environment,

    /// <summary>The .db-profile lock file beside db.toml.</summary>
    LockFile,

    /// <summary>The env var {prefix}DATABASE_URL (direct mode).</summary>
    DatabaseUrl,
}

/// <summary>What the session remembers after Connect-DbProfile: a profile name or, in direct mode, a connection string, and the db.toml it belongs to.</summary>
public sealed record SessionCurrent(string? ProfileName, string? DirectConnectionString, string? ConfigPath)
{
    /// <summary>Never the connection string: it may hold a password.</summary>
    public override string ToString() =>
        ProfileName is not null ? $"profile {ProfileName} of {ConfigPath}" : DirectConnectionString is not null ? "a direct connection (connection string hidden)" : "(none)";
}

/// <summary>The outcome of current-profile resolution: a profile name, or a direct connection string.</summary>
public sealed record ProfileSelection(string? ProfileName, string? DirectConnectionString, ProfileSource Source)
{
    /// <summary>True when there is no profile, only a connection string (-ConnectionString, DATABASE_URL).</summary>
    public bool IsDirect => ProfileName is null;

    /// <summary>Never the connection string: it may hold a password.</summary>
    public override string ToString() => ProfileName is not null ? $"profile {ProfileName} ({Source})" : $"a direct connection ({Source}; connection string hidden)";
}

/// <summary>
/// The one resolution order every cmdlet uses (DESIGN 4.3): -Profile, the session's current profile,
/// env {prefix}DB_PROFILE, the .db-profile lock file beside db.toml, env {prefix}DATABASE_URL, else
/// ProfileNotFound.
/// </summary>
public static class CurrentProfileResolver
{
    /// <summary>Name of the env var that names the profile, without its prefix.</summary>
    public const string ProfileVariable = "DB_PROFILE";

    /// <summary>Name of the env var that holds a direct connection string, without its prefix.</summary>
    public const string DatabaseUrlVariable = "DATABASE_URL";

    /// <summary>
    /// Picks the current profile. <paramref name="envPrefix"/> is glued as-is ("MC_" gives
    /// MC_DB_PROFILE); env vars set to an empty string count as unset. Throws
    /// <see cref="DbAdapterException"/> <see cref="ErrorIds.ProfileNotFound"/> listing every place looked at.
    /// </summary>
    public static ProfileSelection Resolve(string? explicitProfile, SessionCurrent? session, string envPrefix, string configDirectory, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        envPrefix ??= string.Empty;

        if (!string.IsNullOrWhiteSpace(explicitProfile))
        {
            return new ProfileSelection(explicitProfile.Trim(), null, ProfileSource.Explicit);
        }

        if (!string.IsNullOrWhiteSpace(session?.ProfileName))
        {
            return new ProfileSelection(session.ProfileName.Trim(), null, ProfileSource.Session);
        }

        if (!string.IsNullOrWhiteSpace(session?.DirectConnectionString))
        {
            return new ProfileSelection(null, session.DirectConnectionString, ProfileSource.Session);
        }

        var profileVariable = envPrefix + ProfileVariable;
        if (environment.Get(profileVariable) is { } fromEnvironment && fromEnvironment.Trim().Length > 0)
        {
            return new ProfileSelection(fromEnvironment.Trim(), null, ProfileSource.Environment);
        }

        var lockPath = string.IsNullOrEmpty(configDirectory) ? null : LockFile.PathIn(configDirectory);
        if (lockPath is not null && LockFile.Read(configDirectory) is { } locked)
        {
            return new ProfileSelection(locked, null, ProfileSource.LockFile);
        }

        var urlVariable = envPrefix + DatabaseUrlVariable;
        if (environment.Get(urlVariable) is { } url && url.Trim().Length > 0)
        {
            return new ProfileSelection(null, url, ProfileSource.DatabaseUrl);
        }

        var lockText = lockPath is null ? "the lock file .db-profile (no db.toml folder known)" : $"the lock file {lockPath} (absent or empty)";
        throw new DbAdapterException(
            ErrorIds.ProfileNotFound,
            DbErrorKind.ObjectNotFound,
            "No database profile selected. Looked at, in order: a profile named for this call (none), this session's current profile (none for this db.toml), "
            + $"env {profileVariable} (unset), {lockText}, env {urlVariable} (unset). "
            + $"Name a profile, make one current, or set {profileVariable} or {urlVariable}.",
            lockPath,
            hint: ErrorHint.NameProfile);
    }

    /// <summary>
    /// The profile <paramref name="selection"/> names, from <paramref name="config"/>. Throws
    /// <see cref="ErrorIds.ProfileNotFound"/> naming the profile, where the name came from, db.toml and
    /// the profiles it defines. A direct selection has no profile: that is a caller bug (ArgumentException).
    /// </summary>
    public static ProfileConfig GetProfile(ProfileSelection selection, DbConfig config, string envPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(config);
        if (selection.ProfileName is null)
        {
            throw new ArgumentException("A direct connection selection has no profile to look up.", nameof(selection));
        }

        return config.FindProfile(selection.ProfileName) ?? throw ProfileNotFound(selection.ProfileName, selection.Source, config, envPrefix);
    }

    /// <summary>The ProfileNotFound error for <paramref name="name"/>: where the name came from, db.toml and the profiles it defines.</summary>
    public static DbAdapterException ProfileNotFound(string name, ProfileSource source, DbConfig config, string envPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        var available = config.Profiles.Count == 0
            ? "it defines no profiles"
            : "available: " + string.Join(", ", config.Profiles.Select(p => p.Name));
        var origin = source switch
        {
            ProfileSource.Explicit => "given by name",
            ProfileSource.Session => "made current in this session",
            ProfileSource.Environment => $"named by the {envPrefix}{ProfileVariable} environment variable",
            ProfileSource.LockFile => $"named by the lock file {LockFile.PathIn(config.Directory)}; connect to another profile or disconnect to replace it",
            _ => "selected",
        };

        return new DbAdapterException(
            ErrorIds.ProfileNotFound,
            DbErrorKind.ObjectNotFound,
            $"Profile '{name}' ({origin}) is not defined in {config.FilePath} ({available}).",
            name,
            hint: ErrorHint.NameProfile);
    }
}
