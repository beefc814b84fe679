namespace DbAdapter.Core.Tests.Support;

/// <summary>
/// The Python tool's live-suite scenario, shared by the comparer and the repair tests: the full
/// schema, and the drifted database that lacks five of its columns (items.b, items.e, items.f,
/// products.price, products.active).
/// </summary>
internal static class LiveSuiteSchema
{
    /// <summary>The schema: what schema.sql says, and a database built from it.</summary>
    public const string Full = """
        CREATE TABLE items (A SERIAL PRIMARY KEY, B VARCHAR(100) NOT NULL, C TEXT, D INTEGER DEFAULT 0,
                            E BOOLEAN DEFAULT FALSE, F TIMESTAMP DEFAULT NOW(), G VARCHAR(50));
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                               category_id INTEGER REFERENCES categories(id), price INTEGER DEFAULT 0,
                               active BOOLEAN DEFAULT TRUE, user_id UUID);
        """;

    /// <summary>The drifted database's tables, empty.</summary>
    public const string Drifted = """
        CREATE TABLE items (a SERIAL PRIMARY KEY, c TEXT, d INTEGER DEFAULT 0, g VARCHAR(50));
        CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
        CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                               category_id INTEGER REFERENCES categories(id), user_id UUID);
        """;

    /// <summary>The drifted database with rows in every table, for the repairs that must keep them.</summary>
    public const string DriftedWithRows = Drifted + "\n" + """
        INSERT INTO items (c, d, g) SELECT 'c' || g, g * 10, 'g' || g FROM generate_series(1, 5) AS g;
        INSERT INTO categories (slug, name, user_id) VALUES ('tools', 'Tools', '11111111-1111-1111-1111-111111111111'), ('toys', 'Toys', NULL);
        INSERT INTO products (slug, name, category_id, user_id) VALUES
            ('hammer', 'Hammer', 1, '11111111-1111-1111-1111-111111111111'),
            ('saw', 'Saw', 1, NULL),
            ('ball', 'Ball', 2, '22222222-2222-2222-2222-222222222222');
        """;
}
