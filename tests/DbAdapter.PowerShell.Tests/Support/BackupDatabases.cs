namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>
/// Two databases owned by the test role (whose password the redaction checks look for): "source"
/// with two users' categories and products, and an empty "target" of the same schema; a folder
/// with db.toml (profiles source and target, the backup schema, user_id_env) per test.
/// </summary>
public sealed class BackupDatabases : ProfileDatabase
{
    public const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    public const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    /// <summary>
    /// The variable [defaults] user_id_env names: one per fixture, since the process's environment is
    /// shared by the test classes that run in parallel (one class clearing it failed another's sync).
    /// </summary>
    public string UserEnv { get; } = "DBADAPTER_TEST_BACKUP_USER_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public const string SchemaSql = """
        CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
        CREATE TABLE products (
            id serial PRIMARY KEY, slug text NOT NULL, name text, category_id integer REFERENCES categories(id),
            price numeric(10,2), active boolean DEFAULT true, created_at timestamptz, attrs jsonb, user_id uuid NOT NULL,
            UNIQUE (user_id, category_id, slug));
        """;

    public const string BackupSchemaJson = """
        {"tables": [
          {"name": "categories"},
          {"name": "products", "parent": {"table": "categories", "field": "category_id"}}
        ]}
        """;

    public const string ProductsDump = "SELECT c.slug || '/' || p.slug || '|' || p.name || '|' || p.price || '|' || p.active || '|' || p.created_at || '|' || p.attrs FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '" + UserA + "' ORDER BY 1";

    public string Source { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Source = await CreateAsync("bk_source", 40);
    }

    /// <summary>A database of the schema owned by the role; <paramref name="products"/> products per user in two categories.</summary>
    public async Task<string> CreateAsync(string prefix, int products)
    {
        var name = await CreateSiblingAsync(prefix);
        await Server.ExecuteAsync(name, $$"""
            ALTER DATABASE "{{name}}" OWNER TO {{Role}};
            SET ROLE {{Role}};
            {{SchemaSql}}
            INSERT INTO categories (slug, name, user_id) SELECT s, initcap(s), u::uuid FROM unnest(ARRAY['tools', 'garden']) s, unnest(ARRAY['{{UserB}}', '{{UserA}}']) u WHERE {{products}} > 0;
            INSERT INTO products (slug, name, category_id, price, created_at, attrs, user_id)
            SELECT 'p' || g, 'Product ' || g, c.id, g * 1.25, '2025-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)), c.user_id
              FROM generate_series(1, {{products}}) g JOIN categories c ON c.slug = CASE WHEN g % 2 = 0 THEN 'tools' ELSE 'garden' END ORDER BY g, c.user_id;
            """);
        return name;
    }

    public string Url(string database) => $"postgresql://{Role}:[YOUR-PASSWORD]@{Server.Host}:{Server.Port}/{database}?sslmode=disable";

    /// <summary>A folder with db.toml (profiles source and <paramref name="target"/>) and backup-schema.json.</summary>
    public string NewFolder(string target, string? extraToml = null)
    {
        Environment.SetEnvironmentVariable("DBADAPTER_TEST_BACKUP_PW", Password);
        var folder = Path.Combine(Folder, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "backup-schema.json"), BackupSchemaJson);
        WriteConfig(
            $"""
            [profiles.source]
            url = "{Url(Source)}"
            password_env = "DBADAPTER_TEST_BACKUP_PW"

            [profiles.target]
            url = "{Url(target)}"
            password_env = "DBADAPTER_TEST_BACKUP_PW"

            {extraToml ?? "[schema]\nbackup_schema = \"backup-schema.json\"\n\n[defaults]\nuser_id_env = \"" + UserEnv + "\""}
            """,
            folder);
        return folder;
    }

    public override async Task DisposeAsync()
    {
        if (Source.Length > 0)
        {
            await Server.DropDatabaseAsync(Source);
        }

        await base.DisposeAsync();
    }
}
