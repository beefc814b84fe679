namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>
/// The Python tool's live-suite scenario: schema.sql, a database built from it ("full") and a drifted
/// one whose items lacks b, e, f and whose products lacks price and active.
/// </summary>
public sealed class SchemaDatabases : ProfileDatabase
{
    public const string SchemaSql = """
        CREATE TABLE items (A SERIAL PRIMARY KEY, B VARCHAR(100) NOT NULL, C TEXT, D INTEGER DEFAULT 0, E BOOLEAN DEFAULT FALSE, F TIMESTAMP DEFAULT NOW(), G VARCHAR(50));
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (
            id SERIAL PRIMARY KEY,
            slug TEXT UNIQUE,
            name TEXT,
            category_id INTEGER REFERENCES categories(id),
            price INTEGER DEFAULT 0,
            active BOOLEAN DEFAULT TRUE,
            user_id UUID
        );
        """;

    public const string DriftedSql = """
        CREATE TABLE items (A SERIAL PRIMARY KEY, C TEXT, D INTEGER DEFAULT 0, G VARCHAR(50));
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), user_id UUID);
        INSERT INTO items (c, d, g) SELECT 'item ' || g, g, 'g' || g FROM generate_series(1, 5) g;
        INSERT INTO categories (slug, name) VALUES ('c1', 'One'), ('c2', 'Two');
        INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', 2), ('p3', 'P3', 1);
        """;

    public string Full { get; private set; } = string.Empty;

    public string Drifted { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Full = await CreateOwnedAsync("full", SchemaSql);
        Drifted = await CreateOwnedAsync("drifted", DriftedSql);
        File.WriteAllText(Path.Combine(Folder, "schema.sql"), SchemaSql);
    }

    /// <summary>A fresh database owned by the test role and built from <paramref name="sql"/>.</summary>
    public async Task<string> CreateOwnedAsync(string prefix, string sql)
    {
        var name = await CreateSiblingAsync(prefix);
        await Server.ExecuteAsync(name, $"ALTER DATABASE \"{name}\" OWNER TO {Role}; SET ROLE {Role}; {sql}");
        return name;
    }

    public string Url(string database) => $"postgresql://{Role}:[YOUR-PASSWORD]@{Server.Host}:{Server.Port}/{database}?sslmode=disable";

    /// <summary>db.toml with profiles full, drifted and refused, schema.sql configured.</summary>
    public string SchemaToml(bool validateOnConnect = true, string schemaFile = "schema.sql") => $"""
        [profiles.full]
        url = "{Url(Full)}"
        {PoolingLine}
        password_env = "DBADAPTER_TEST_SCHEMA_PW"

        [profiles.drifted]
        url = "{Url(Drifted)}"
        {PoolingLine}
        password_env = "DBADAPTER_TEST_SCHEMA_PW"

        [profiles.refused]
        url = "postgresql://{Role}:[YOUR-PASSWORD]@127.0.0.1:{ClosedPort}/x"
        password_env = "DBADAPTER_TEST_SCHEMA_PW"

        [schema]
        file = "{schemaFile}"
        validate_on_connect = {(validateOnConnect ? "true" : "false")}
        """;

    /// <summary>A folder with schema.sql and db.toml.</summary>
    public string NewFolder(string? toml = null)
    {
        Environment.SetEnvironmentVariable("DBADAPTER_TEST_SCHEMA_PW", Password);
        var folder = Path.Combine(Folder, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "schema.sql"), SchemaSql);
        WriteConfig(toml ?? SchemaToml(), folder);
        return folder;
    }

    public override async Task DisposeAsync()
    {
        foreach (var db in new[] { Full, Drifted })
        {
            if (db.Length > 0)
            {
                await Server.DropDatabaseAsync(db);
            }
        }

        await base.DisposeAsync();
    }
}
