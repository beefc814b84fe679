namespace DbAdapter;

/// <summary>A real connection made by Connect-DbProfile. Never holds a password.</summary>
public sealed class DbConnectionInfo
{
    internal DbConnectionInfo()
    {
    }

    /// <summary>Profile name; empty in direct mode (-ConnectionString, DATABASE_URL).</summary>
    public string Profile { get; internal init; } = string.Empty;

    public string Provider { get; internal init; } = "postgres";

    public string? Description { get; internal init; }

    public string Host { get; internal init; } = string.Empty;

    public int Port { get; internal init; }

    public string Database { get; internal init; } = string.Empty;

    public string? UserName { get; internal init; }

    /// <summary>Server version as the server reports it.</summary>
    public string ServerVersion { get; internal init; } = string.Empty;

    /// <summary>True or false after validation; null when validation was skipped or not configured.</summary>
    public bool? SchemaValidated { get; internal init; }

    /// <summary>The validation report, or null when validation did not run.</summary>
    public DbSchemaReport? SchemaReport { get; internal init; }

    /// <summary>Exact row counts of every table of the profile's schemas.</summary>
    public DbTableCount[] Tables { get; internal init; } = [];

    public override string ToString() => string.IsNullOrEmpty(Profile) ? $"{UserName}@{Host}:{Port}/{Database}" : Profile;
}
