using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Profiles;

/// <summary>A profile ready to connect to: its configuration (when db.toml exists) and its target.</summary>
public sealed class ResolvedProfile
{
    private readonly ConnectionTarget? _target;

    internal ResolvedProfile(DbConfig? config, ProfileConfig? profile, ConnectionTarget? target, ProfileSource source, string? directConnectionString = null, DataApiTarget? dataApi = null)
    {
        DirectConnectionString = directConnectionString;
        Config = config;
        Profile = profile;
        _target = target;
        Source = source;
        DataApi = dataApi;
    }

    /// <summary>db.toml, or null in direct mode without a db.toml.</summary>
    public DbConfig? Config { get; }

    /// <summary>The profile, or null in direct mode.</summary>
    public ProfileConfig? Profile { get; }

    /// <summary>
    /// The database. A profile that has only the Data API has none: asking for it is the
    /// DatabaseUrlRequired error, so every command that needs PostgreSQL refuses such a profile
    /// before it does anything.
    /// </summary>
    public ConnectionTarget Target => _target ?? throw DataApi!.DatabaseUrlRequired();

    /// <summary>True when the profile has a database url (the usual case).</summary>
    public bool HasDatabase => _target is not null;

    /// <summary>The profile's Data API (supabase_url), or null.</summary>
    public DataApiTarget? DataApi { get; }

    /// <summary>How the profile was chosen.</summary>
    public ProfileSource Source { get; }

    /// <summary>Profile name, or null in direct mode.</summary>
    public string? Name => Profile?.Name;

    /// <summary>Direct mode: the connection string as given (holds the password; never output).</summary>
    internal string? DirectConnectionString { get; }

    /// <summary>Name for messages (never holds a password).</summary>
    public string DisplayName => _target?.DisplayName ?? Profile!.Name;
}
