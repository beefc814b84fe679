using DbAdapter.TestSupport;

namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>
/// A test database with a login role whose password holds every character that breaks naive URL
/// handling, a few tables with known row counts, and a folder holding a db.toml that points at it.
/// </summary>
public class ProfileDatabase : TestDatabase
{
    /// <summary>The password the redaction tests look for in every stream and property.</summary>
    public const string Password = "Pw@:/%# s3cr3t-DbA";

    public string Role { get; private set; } = string.Empty;

    /// <summary>A fresh folder per fixture; db.toml files are written here.</summary>
    public string Folder { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Role = "app_" + Guid.NewGuid().ToString("N")[..10];
        Folder = Directory.CreateTempSubdirectory("dbadapter-ps-").FullName;
        await ExecuteAsync($"""
            CREATE ROLE {Role} LOGIN PASSWORD '{Password.Replace("'", "''")}';
            GRANT ALL ON DATABASE "{Name}" TO {Role};
            ALTER DATABASE "{Name}" OWNER TO {Role};
            SET ROLE {Role};
            CREATE TABLE categories (id serial PRIMARY KEY, slug text UNIQUE, name text, user_id uuid);
            CREATE TABLE products (id serial PRIMARY KEY, slug text UNIQUE, name text, category_id int REFERENCES categories(id), price int DEFAULT 0, user_id uuid);
            CREATE TABLE "MixedCase" (id int);
            INSERT INTO categories (slug, name) SELECT 'c' || g, 'Category ' || g FROM generate_series(1, 3) g;
            INSERT INTO products (slug, name, category_id) SELECT 'p' || g, 'Product ' || g, 1 + g % 3 FROM generate_series(1, 7) g;
            """);
    }

    /// <summary>
    /// db.toml's pooling line for the profiles that reach the test server: "transaction" when the run
    /// goes through the pooler (so those runs use the pooled settings as a user who declares the pooler
    /// would), nothing otherwise.
    /// </summary>
    public string PoolingLine => Server.ThroughPooler ? "pooling = \"transaction\"" : string.Empty;

    /// <summary>A URL for the role with the [YOUR-PASSWORD] placeholder.</summary>
    public string PlaceholderUrl => $"postgresql://{Role}:[YOUR-PASSWORD]@{Server.Host}:{Server.Port}/{Name}?sslmode=disable";

    /// <summary>Writes db.toml into <see cref="Folder"/> (or <paramref name="folder"/>) and returns its path.</summary>
    public string WriteConfig(string toml, string? folder = null)
    {
        var dir = folder ?? Folder;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "db.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    /// <summary>A db.toml with a working profile "local" (password via db_password) and a few others.</summary>
    public string StandardToml(string extra = "") => $"""
        [profiles.local]
        url = "{PlaceholderUrl}"
        {PoolingLine}
        description = "Local test database"
        db_password = "{Password.Replace("\\", "\\\\").Replace("\"", "\\\"")}"

        [profiles.other]
        url = "{PlaceholderUrl}"
        {PoolingLine}
        description = "Same database, second name"
        db_password = "{Password.Replace("\\", "\\\\").Replace("\"", "\\\"")}"

        [profiles.refused]
        url = "postgresql://{Role}:[YOUR-PASSWORD]@127.0.0.1:{ClosedPort}/{Name}"
        db_password = "{Password.Replace("\\", "\\\\").Replace("\"", "\\\"")}"

        [profiles.wrongpw]
        url = "postgresql://{Role}:[YOUR-PASSWORD]@{Server.Host}:{Server.Port}/{Name}"
        {PoolingLine}
        db_password = "not-the-{Password.Replace("\\", "\\\\").Replace("\"", "\\\"")}"

        [profiles.nohost]
        url = "postgresql://{Role}:[YOUR-PASSWORD]@no-such-host.invalid:5432/{Name}"
        db_password = "{Password.Replace("\\", "\\\\").Replace("\"", "\\\"")}"
        {extra}
        """;

    /// <summary>A loopback port nobody listens on.</summary>
    public static int ClosedPort { get; } = FreePort();

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
            await Server.ExecuteAsync(Server.MaintenanceDatabase, $"DROP OWNED BY {Role} CASCADE; DROP ROLE IF EXISTS {Role}");
        }
        catch (Exception)
        {
            // Cleanup only: the cluster is thrown away after the run anyway.
        }
        finally
        {
            // The folder (db.toml files, lock files, backups) must not outlive the run, whatever the server said.
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
