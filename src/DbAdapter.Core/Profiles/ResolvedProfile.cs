using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Profiles;

/// <summary>A profile ready to connect to: its configuration (when db.toml exists) and its target.</summary>
public sealed class ResolvedProfile
{
    internal ResolvedProfile(DbConfig? config, ProfileConfig? profile, ConnectionTarget target, ProfileSource source, string? directConnectionString = null)
    {
        DirectConnectionString = directConnectionString;
        Config = config;
        Profile = profile;
        Target = target;
        Source = source;
    }

    /// <summary>db.toml, or null in direct mode without a db.toml.</summary>
    public DbConfig? Config { get; }

    /// <summary>The profile, or null in direct mode.</summary>
    public ProfileConfig? Profile { get; }

    public ConnectionTarget Target { get; }

    /// <summary>How the profile was chosen.</summary>
    public ProfileSource Source { get; }

    /// <summary>Profile name, or null in direct mode.</summary>
    public string? Name => Profile?.Name;

    /// <summary>Direct mode: the connection string as given (holds the password; never output).</summary>
    internal string? DirectConnectionString { get; }

    /// <summary>Name for messages (never holds a password).</summary>
    public string DisplayName => Target.DisplayName;
}
