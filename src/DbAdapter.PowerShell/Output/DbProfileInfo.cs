namespace DbAdapter;

/// <summary>A profile of db.toml, as Get-DbProfile lists it. Never holds a password.</summary>
public sealed class DbProfileInfo
{
    internal DbProfileInfo()
    {
    }

    /// <summary>Profile name ([profiles.NAME]).</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>"postgres" or "supabase".</summary>
    public string Provider { get; internal init; } = "postgres";

    public string? Description { get; internal init; }

    public string? Host { get; internal init; }

    public int? Port { get; internal init; }

    public string? Database { get; internal init; }

    public string? UserName { get; internal init; }

    /// <summary>True when this is the current profile (DESIGN 4.3).</summary>
    public bool IsCurrent { get; internal init; }

    /// <summary>How it is current: Session, Environment, LockFile, or empty.</summary>
    public string CurrentSource { get; internal init; } = string.Empty;

    /// <summary>The db.toml it came from (lets Get-DbProfile -ConfigPath x | Test-DbSchema find it again).</summary>
    public string ConfigPath { get; internal init; } = string.Empty;

    public override string ToString() => Name;
}
