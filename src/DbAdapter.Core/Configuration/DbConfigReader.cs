namespace DbAdapter.Core.Configuration;

/// <summary>Maps the parsed TOML document of db.toml onto <see cref="DbConfig"/> (DESIGN 4.1), key by key.</summary>
internal static class DbConfigReader
{
    private static readonly string[] ValidProviders = ["postgres", "supabase"];

    public static DbConfig Read(TomlNode root, TomlConfigContext context)
    {
        root.WarnUnknownKeys("profiles", "schema", "backup", "sync", "defaults");

        var profiles = root.GetTable("profiles")?.GetNamedTables().Select(p => ReadProfile(p.Name, p.Node, context)).ToList() ?? [];
        var schema = root.GetTable("schema") is { } schemaNode ? ReadSchema(schemaNode) : new SchemaSettings();

        var backupTables = new List<BackupTableConfig>();
        if (root.GetTable("backup") is { } backup)
        {
            backup.WarnUnknownKeys("tables");
            foreach (var entry in backup.GetTableList("tables") ?? [])
            {
                backupTables.Add(ReadBackupTable(entry));
            }
        }

        IReadOnlyList<string> syncTables = [];
        if (root.GetTable("sync") is { } sync)
        {
            sync.WarnUnknownKeys("tables");
            syncTables = sync.GetStringList("tables") ?? [];
        }

        string? userIdEnv = null;
        if (root.GetTable("defaults") is { } defaults)
        {
            defaults.WarnUnknownKeys("user_id_env");
            userIdEnv = defaults.GetString("user_id_env");
        }

        return new DbConfig
        {
            FilePath = context.FilePath,
            Profiles = profiles,
            Schema = schema,
            BackupTables = backupTables,
            SyncTables = syncTables,
            UserIdEnv = userIdEnv,
            Warnings = context.Warnings.ToList(),
        };
    }

    private static ProfileConfig ReadProfile(string name, TomlNode node, TomlConfigContext context)
    {
        var dbPassword = node.GetString("db_password", allowEmpty: true);
        context.AddSecret(dbPassword);
        node.WarnUnknownKeys("url", "description", "db_password", "password_env", "provider", "schemas", "pooling", "lock_timeout", "supabase_url", "supabase_key_env");

        var provider = node.GetString("provider")?.Trim().ToLowerInvariant() ?? "postgres";
        if (!ValidProviders.Contains(provider, StringComparer.Ordinal))
        {
            throw node.Invalid("provider", $"must be \"postgres\" or \"supabase\", found \"{provider}\".");
        }

        var pooling = node.GetString("pooling")?.Trim().ToLowerInvariant();
        if (pooling is not null && !ProfileConfig.PoolingValues.Contains(pooling, StringComparer.Ordinal))
        {
            throw node.Invalid(
                "pooling",
                $"must be {string.Join(", ", ProfileConfig.PoolingValues.Select(v => $"\"{v}\""))}, found \"{pooling}\"" +
                (pooling == "statement" ? " (statement pooling cannot run the transactions every command needs; use a transaction or session pooler)." : "."));
        }

        var schemas = node.GetStringList("schemas");
        if (schemas is { Count: 0 })
        {
            throw node.Invalid("schemas", "must list at least one schema (leave the key out for [\"public\"]).");
        }

        TimeSpan? lockTimeout = null;
        if (node.GetString("lock_timeout") is { } lockText)
        {
            lockTimeout = PostgresDuration.TryParse(lockText, out var parsed)
                ? parsed
                : throw node.Invalid("lock_timeout", "expected a duration in PostgreSQL's syntax, such as \"2s\", \"500ms\" or \"1min\" (0 waits without limit).");
        }

        var (supabaseUrl, supabaseKeyEnv) = DataApiKeys.Read(node, provider);
        var url = supabaseUrl is null ? node.GetRequiredString("url").Trim() : node.GetString("url")?.Trim() ?? string.Empty;

        return new ProfileConfig
        {
            Name = name,
            Url = url,
            SupabaseUrl = supabaseUrl,
            SupabaseKeyEnv = supabaseKeyEnv,
            Description = node.GetString("description", allowEmpty: true),

            // An empty db_password is a real (if odd) password: it is kept as written.
            DbPassword = dbPassword,
            PasswordEnv = node.GetString("password_env")?.Trim(),
            Provider = provider,
            Schemas = schemas ?? ["public"],
            Pooling = pooling,
            LockTimeout = lockTimeout,
        };
    }

    private static SchemaSettings ReadSchema(TomlNode node)
    {
        node.WarnUnknownKeys("file", "validate_on_connect", "column_defs", "backup_schema", "shadow_database", "shadow");
        var shadowDatabase = node.GetString("shadow_database")?.Trim();
        var shadow = node.GetBoolean("shadow") ?? false;
        if (shadow && shadowDatabase is not null)
        {
            throw node.Invalid("shadow", "and shadow_database are both set: set shadow = true to use the profile's own server, or shadow_database to name another one, not both.");
        }

        return new SchemaSettings
        {
            File = node.GetPath("file"),
            ValidateOnConnect = node.GetBoolean("validate_on_connect") ?? true,
            ColumnDefs = node.GetPath("column_defs"),
            BackupSchema = node.GetPath("backup_schema"),
            ShadowDatabase = shadowDatabase,
            Shadow = shadow,
        };
    }

    private static BackupTableConfig ReadBackupTable(TomlNode node)
    {
        node.WarnUnknownKeys("name", "pk", "slug_field", "user_field", "parent", "optional_refs");

        var optionalRefs = new List<TableFieldRef>();
        foreach (var reference in node.GetTableList("optional_refs") ?? [])
        {
            optionalRefs.Add(ReadTableFieldRef(reference));
        }

        return new BackupTableConfig
        {
            Name = node.GetRequiredString("name"),
            Pk = node.GetString("pk") ?? "id",
            SlugField = node.GetString("slug_field") ?? "slug",
            UserField = node.GetString("user_field") ?? "user_id",
            Parent = node.GetTable("parent") is { } parent ? ReadTableFieldRef(parent) : null,
            OptionalRefs = optionalRefs,
            Origin = $"{node.Location}: {node.Path}",
        };
    }

    private static TableFieldRef ReadTableFieldRef(TomlNode node)
    {
        node.WarnUnknownKeys("table", "field");
        return new TableFieldRef(node.GetRequiredString("table"), node.GetRequiredString("field"));
    }
}
