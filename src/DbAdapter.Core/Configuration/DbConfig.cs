namespace DbAdapter.Core.Configuration;

/// <summary>A loaded db.toml (DESIGN 4.1). Paths inside are already absolute (resolved from the file's folder).</summary>
public sealed class DbConfig
{
    /// <summary>Absolute path of the db.toml that was read.</summary>
    public required string FilePath { get; init; }

    /// <summary>Folder of db.toml: relative paths and the .db-profile lock file live here.</summary>
    public string Directory => Path.GetDirectoryName(FilePath)!;

    /// <summary>Profiles in file order.</summary>
    public required IReadOnlyList<ProfileConfig> Profiles { get; init; }

    public SchemaSettings Schema { get; init; } = new();

    /// <summary>[[backup.tables]] entries in file order (empty when absent).</summary>
    public IReadOnlyList<BackupTableConfig> BackupTables { get; init; } = [];

    /// <summary>[sync] tables (empty when absent).</summary>
    public IReadOnlyList<string> SyncTables { get; init; } = [];

    /// <summary>[defaults] user_id_env, or null.</summary>
    public string? UserIdEnv { get; init; }

    /// <summary>Unknown keys and other non-fatal findings, each naming file and line.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public ProfileConfig? FindProfile(string name) =>
        Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>One [profiles.NAME] table.</summary>
public sealed class ProfileConfig
{
    public required string Name { get; init; }

    /// <summary>URI or Npgsql keyword string; may hold [YOUR-PASSWORD]. Never shown unredacted.</summary>
    public required string Url { get; init; }

    public string? Description { get; init; }

    public string? DbPassword { get; init; }

    public string? PasswordEnv { get; init; }

    /// <summary>"postgres" (default) or "supabase".</summary>
    public string Provider { get; init; } = "postgres";

    /// <summary>Schemas compared and backed up; default ["public"].</summary>
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];
}

/// <summary>The [schema] table.</summary>
public sealed class SchemaSettings
{
    /// <summary>Absolute path of schema.sql, or null when not configured.</summary>
    public string? File { get; init; }

    public bool ValidateOnConnect { get; init; } = true;

    /// <summary>Absolute path of the column-defs JSON, or null.</summary>
    public string? ColumnDefs { get; init; }

    /// <summary>Absolute path of backup-schema.json, or null.</summary>
    public string? BackupSchema { get; init; }
}

/// <summary>One [[backup.tables]] entry.</summary>
public sealed class BackupTableConfig
{
    public required string Name { get; init; }

    public string Pk { get; init; } = "id";

    public string SlugField { get; init; } = "slug";

    public string UserField { get; init; } = "user_id";

    public TableFieldRef? Parent { get; init; }

    public IReadOnlyList<TableFieldRef> OptionalRefs { get; init; } = [];
}

/// <summary>A {table, field} pair.</summary>
public sealed record TableFieldRef(string Table, string Field);
