namespace DbAdapter.Core.Tests.Backup;

/// <summary>The Python tool's own example shape: categories and their products, keyed by serials, owned by a uuid.</summary>
internal static class ShopSchema
{
    public const string Sql = """
        CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
        CREATE TABLE products (
            id serial PRIMARY KEY,
            slug text NOT NULL,
            name text,
            category_id integer REFERENCES categories(id),
            price numeric(10,2),
            active boolean DEFAULT true,
            created_at timestamptz,
            released date,
            attrs jsonb,
            user_id uuid NOT NULL,
            CHECK (price >= 0),
            UNIQUE (user_id, category_id, slug));
        """;

    public const string BackupSchemaJson = """
        {"tables": [
          {"name": "categories", "pk": "id", "slug_field": "slug", "user_field": "user_id"},
          {"name": "products", "pk": "id", "slug_field": "slug", "user_field": "user_id", "parent": {"table": "categories", "field": "category_id"}}
        ]}
        """;

    /// <summary>Two categories and five products of <paramref name="user"/>.</summary>
    public static string Seed(string user) => $"""
        INSERT INTO categories (slug, name, user_id) VALUES ('tools', 'Tools', '{user}'), ('garden', 'Garden', '{user}');
        INSERT INTO products (slug, name, category_id, price, created_at, released, attrs, user_id)
        SELECT 'p' || g, 'Product ' || g, CASE WHEN g <= 3 THEN 1 ELSE 2 END, g * 1.5, '2025-01-01 00:00:00+00'::timestamptz + g * interval '1 hour', '2025-01-01'::date + g,
               jsonb_build_object('n', g), '{user}'
          FROM generate_series(1, 5) g;
        """;

    public const string Dump = "SELECT c.slug || '|' || p.slug || '|' || p.name || '|' || p.price || '|' || p.active || '|' || p.created_at || '|' || p.released || '|' || p.attrs || '|' || p.user_id FROM products p JOIN categories c ON c.id = p.category_id ORDER BY 1";
}
