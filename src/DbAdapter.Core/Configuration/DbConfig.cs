namespace DbAdapter.Core.Configuration;

/// <summary>A loaded db.toml (DESIGN 4.1). Paths inside are already absolute (resolved from the file's folder).</summary>
public sealed class DbConfig
{
    /// <summary>Absolute path of the db.toml that was read.</summary>
    public required string FilePath { get; init; }

    /// <summary>Folder of db.toml: relative paths and the .db-profile lock file live here.</summary>
    public string Directory => ConfigPaths.DirectoryOf(FilePath);

    /// <summary>Profiles in file order.</summary>
    public required IReadOnlyList<ProfileConfig> Profiles { get; init; }

    /// <summary>The [schema] table (defaults when absent).</summary>
    public SchemaSettings Schema { get; init; } = new();

    /// <summary>[[backup.tables]] entries in file order (empty when absent).</summary>
    public IReadOnlyList<BackupTableConfig> BackupTables { get; init; } = [];

    /// <summary>[sync] tables (empty when absent).</summary>
    public IReadOnlyList<string> SyncTables { get; init; } = [];

    /// <summary>[defaults] user_id_env, or null.</summary>
    public string? UserIdEnv { get; init; }

    /// <summary>Unknown keys and other non-fatal findings, each naming file and line.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The profile named exactly <paramref name="name"/> (TOML keys are case-sensitive), or null.</summary>
    public ProfileConfig? FindProfile(string name) =>
        Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>One [profiles.NAME] table.</summary>
public sealed class ProfileConfig
{
    /// <summary>pooling = "transaction": a transaction-mode pooler (PgBouncer, Supabase's port 6543).</summary>
    public const string TransactionPooling = "transaction";

    /// <summary>pooling = "session": a pooler that keeps one server connection per client session; the same as "none".</summary>
    public const string SessionPooling = "session";

    /// <summary>pooling = "none": no pooler in between (also when the host and port look like one).</summary>
    public const string NoPooling = "none";

    /// <summary>The values pooling accepts, in the order messages list them.</summary>
    public static IReadOnlyList<string> PoolingValues { get; } = [TransactionPooling, SessionPooling, NoPooling];

    /// <summary>The NAME of [profiles.NAME].</summary>
    public required string Name { get; init; }

    /// <summary>
    /// URI or Npgsql keyword string; may hold [YOUR-PASSWORD]. Never shown unredacted. Empty only for a
    /// profile that reaches its project through the Data API alone (<see cref="SupabaseUrl"/>).
    /// </summary>
    public required string Url { get; init; }

    /// <summary>True when the profile has a database url (every command needs one, except reading a user's rows).</summary>
    public bool HasDatabaseUrl => Url.Length > 0;

    /// <summary>supabase_url: the project's base URL (https://&lt;ref&gt;.supabase.co), whose /rest/v1/ is the Data API; or null.</summary>
    public Uri? SupabaseUrl { get; init; }

    /// <summary>supabase_key_env: the name (never the value) of the environment variable holding the service-role key; or null.</summary>
    public string? SupabaseKeyEnv { get; init; }

    /// <summary>Free text shown by Get-DbProfile.</summary>
    public string? Description { get; init; }

    /// <summary>db_password: fills [YOUR-PASSWORD] (and a URL without password). Never shown.</summary>
    public string? DbPassword { get; init; }

    /// <summary>password_env: name of the environment variable holding the password (lowest precedence).</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>"postgres" (default) or "supabase".</summary>
    public string Provider { get; init; } = "postgres";

    /// <summary>Schemas compared and backed up; default ["public"].</summary>
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];

    /// <summary>
    /// pooling: one of <see cref="PoolingValues"/> (lower case), or null when absent: then the host and
    /// port decide (a Supabase pooler host on port 6543 is a transaction pooler).
    /// </summary>
    public string? Pooling { get; init; }

    /// <summary>lock_timeout: how long every cmdlet of this profile waits for a lock, or null for the default.</summary>
    public TimeSpan? LockTimeout { get; init; }
}

/// <summary>The [schema] table.</summary>
public sealed class SchemaSettings
{
    /// <summary>Absolute path of schema.sql, or null when not configured.</summary>
    public string? File { get; init; }

    /// <summary>validate_on_connect (default true): Connect-DbProfile compares the schema before making the profile current.</summary>
    public bool ValidateOnConnect { get; init; } = true;

    /// <summary>Absolute path of the column-defs JSON, or null.</summary>
    public string? ColumnDefs { get; init; }

    /// <summary>Absolute path of backup-schema.json, or null.</summary>
    public string? BackupSchema { get; init; }

    /// <summary>
    /// shadow_database: a postgres:// URL (or keyword string) or the name of a profile of this db.toml,
    /// on whose server shadow mode builds the expected schema in a throwaway database; null when unset.
    /// </summary>
    public string? ShadowDatabase { get; init; }

    /// <summary>shadow = true: shadow mode on the profile's own server (the role needs CREATEDB).</summary>
    public bool Shadow { get; init; }
}

/// <summary>One [[backup.tables]] entry, or one entry of a backup-schema JSON file (same keys, same defaults).</summary>
public sealed class BackupTableConfig
{
    /// <summary>Table name.</summary>
    public required string Name { get; init; }

    /// <summary>Primary key column (default "id").</summary>
    public string Pk { get; init; } = "id";

    /// <summary>Natural-key column used to match rows across databases (default "slug").</summary>
    public string SlugField { get; init; } = "slug";

    /// <summary>Column holding the owning user's id (default "user_id").</summary>
    public string UserField { get; init; } = "user_id";

    /// <summary>The table this one hangs off, and the column here that references it.</summary>
    public TableFieldRef? Parent { get; init; }

    /// <summary>Nullable references to other backed-up tables, remapped when present.</summary>
    public IReadOnlyList<TableFieldRef> OptionalRefs { get; init; } = [];

    /// <summary>Where the entry is written, for messages: "db.toml(12,1): backup.tables[1]", "backup-schema.json: tables[1]".</summary>
    public string Origin { get; init; } = string.Empty;
}

/// <summary>A {table, field} pair.</summary>
public sealed record TableFieldRef(string Table, string Field);
