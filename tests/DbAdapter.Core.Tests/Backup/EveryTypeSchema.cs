namespace DbAdapter.Core.Tests.Backup;

/// <summary>
/// Four tables that hold every type the backup format lists (and a few more), hanging together the
/// ways backup schemas allow: a parent chain (categories → products → notes), a self-reference
/// (categories.parent_category_id), an optional reference to an earlier table (notes.related_category_id),
/// keys drawn from a sequence, an identity, gen_random_uuid(), and a key without default (tags.code).
/// </summary>
internal static class EveryTypeSchema
{
    public const string Sql = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
        CREATE TABLE categories (
            id serial PRIMARY KEY,
            slug text NOT NULL,
            name text,
            user_id uuid NOT NULL,
            parent_category_id integer REFERENCES categories(id),
            UNIQUE (user_id, slug));
        CREATE TABLE products (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            slug text NOT NULL,
            user_id uuid NOT NULL,
            category_id integer REFERENCES categories(id),
            price numeric(14,4),
            huge numeric,
            ratio double precision,
            ratio4 real,
            qty smallint,
            big bigint,
            active boolean,
            created timestamptz,
            local_ts timestamp,
            day date,
            at_time time,
            tz_time timetz,
            span interval,
            ext_id uuid,
            doc jsonb,
            doc_json json,
            raw bytea,
            tags text[],
            scores integer[],
            matrix integer[][],
            docs jsonb[],
            feeling mood,
            amount positive_int,
            ip inet,
            note varchar(20),
            total numeric GENERATED ALWAYS AS (price * qty) STORED,
            UNIQUE (user_id, slug));
        CREATE TABLE notes (
            id uuid DEFAULT gen_random_uuid() PRIMARY KEY,
            slug text,
            user_id uuid,
            product_id bigint REFERENCES products(id),
            related_category_id integer REFERENCES categories(id),
            body text);
        CREATE TABLE tags (code text PRIMARY KEY, slug text, user_id uuid, label text);
        """;

    public const string BackupSchemaJson = """
        {
          "tables": [
            { "name": "categories", "optional_refs": [ { "table": "categories", "field": "parent_category_id" } ] },
            { "name": "products", "parent": { "table": "categories", "field": "category_id" } },
            { "name": "notes", "parent": { "table": "products", "field": "product_id" },
              "optional_refs": [ { "table": "categories", "field": "related_category_id" } ] },
            { "name": "tags", "pk": "code" }
          ]
        }
        """;

    /// <summary>Rows of <paramref name="user"/>, slugs prefixed by <paramref name="prefix"/>: edge values of every type.</summary>
    public static string Seed(string user, string prefix) => $$"""
        INSERT INTO categories (slug, name, user_id) VALUES ('{{prefix}}tools', 'Tools', '{{user}}'), ('{{prefix}}garden', 'Gärten "quoted" \ back', '{{user}}');
        INSERT INTO categories (slug, name, user_id, parent_category_id)
            SELECT '{{prefix}}hammers', NULL, '{{user}}', id FROM categories WHERE slug = '{{prefix}}tools';
        INSERT INTO products (slug, user_id, category_id, price, huge, ratio, ratio4, qty, big, active, created, local_ts, day, at_time, tz_time, span,
                              ext_id, doc, doc_json, raw, tags, scores, matrix, docs, feeling, amount, ip, note)
        VALUES ('{{prefix}}hammer', '{{user}}', (SELECT id FROM categories WHERE slug = '{{prefix}}hammers'),
               12.3456, 123456789012345678901234567890.123456789, 0.1, 0.1, 32767, 9007199254740993, true,
               '2024-02-29 23:59:59.123456+05:30', '2024-02-29 12:00:00.000001', '2024-02-29', '24:00:00', '13:14:15.5+02', '1 year 2 mons 3 days 04:05:06.7',
               'c0ffee00-0000-4000-8000-000000000001', '{"a": [1, 2.50, "x", null, {"b": true}], "n": 1e400}', '{ "keep" :  "spacing" , "dup": 1, "dup": 2 }',
               '\x00ff10'::bytea, ARRAY['a,b', 'quote"d', 'back\slash', NULL, 'NULL', '', '{brace}'], ARRAY[1, NULL, 3], ARRAY[[1, 2], [3, 4]],
               ARRAY['{"k": 1}'::jsonb, '[1, 2]'::jsonb, '"s"'::jsonb], 'happy', 7, '192.168.0.1/24', 'ünïcødé ✓'),
        ('{{prefix}}nulls', '{{user}}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        ('{{prefix}}edges', '{{user}}', (SELECT id FROM categories WHERE slug = '{{prefix}}garden'),
               -0.0001, 'NaN', 'Infinity', '-Infinity', -32768, -9223372036854775808, false,
               'infinity', '-infinity', '2000-01-01', '00:00:00', '00:00:00+00', '-00:00:01',
               'c0ffee00-0000-4000-8000-000000000002', '[]', '"just a string"',
               ''::bytea, ARRAY[]::text[], ARRAY[]::integer[], NULL, ARRAY[]::jsonb[], 'sad', 1, '::1', E'tab\there\nnewline'),
        ('{{prefix}}numbers', '{{user}}', (SELECT id FROM categories WHERE slug = '{{prefix}}garden'),
               0, 0.000000000000000000001, 1.7976931348623157e308, 3.4028235e38, 0, 0, NULL,
               '1970-01-01 00:00:00+00', '1970-01-01 00:00:00', '1970-01-01', '12:34:56.000001', NULL, '0',
               NULL, '123', '{"nested": {"deep": [[[]]]} }', '\xdeadbeef'::bytea, ARRAY['x'], ARRAY[-1], ARRAY[[NULL, 1]]::integer[], NULL, 'ok', 2147483647, NULL, '');
        INSERT INTO notes (slug, user_id, product_id, related_category_id, body) VALUES
            ('{{prefix}}n1', '{{user}}', (SELECT id FROM products WHERE slug = '{{prefix}}hammer'), (SELECT id FROM categories WHERE slug = '{{prefix}}garden'), 'first'),
            (NULL, '{{user}}', (SELECT id FROM products WHERE slug = '{{prefix}}hammer'), NULL, 'no slug'),
            ('{{prefix}}loose', '{{user}}', NULL, NULL, 'no parent');
        INSERT INTO tags (code, slug, user_id, label) VALUES ('{{prefix}}T1', '{{prefix}}t1', '{{user}}', 'one'), ('{{prefix}}T2', '{{prefix}}t2', '{{user}}', NULL);
        """;

    /// <summary>Every value of every column of <paramref name="user"/>'s rows, keys replaced by the natural keys they point at.</summary>
    public static string Dump(string user) => $"""
        SELECT 'c|' || c.slug || '|' || coalesce(c.name, '<null>') || '|' || coalesce(p.slug, '<null>')
          FROM categories c LEFT JOIN categories p ON p.id = c.parent_category_id WHERE c.user_id = '{user}'
        UNION ALL
        SELECT 'p|' || x.slug || '|' || coalesce(c.slug, '<null>') || '|' || (to_jsonb(x) - 'id' - 'category_id')::text
          || '|' || coalesce(x.doc_json::text, '<null>') || '|' || coalesce(x.docs::text, '<null>') || '|' || coalesce(x.price::text, '<null>')
          || '|' || coalesce(x.huge::text, '<null>') || '|' || coalesce(x.span::text, '<null>') || '|' || coalesce(x.total::text, '<null>')
          FROM products x LEFT JOIN categories c ON c.id = x.category_id WHERE x.user_id = '{user}'
        UNION ALL
        SELECT 'n|' || coalesce(n.slug, '<null>') || '|' || coalesce(p.slug, '<null>') || '|' || coalesce(c.slug, '<null>') || '|' || n.body
          FROM notes n LEFT JOIN products p ON p.id = n.product_id LEFT JOIN categories c ON c.id = n.related_category_id WHERE n.user_id = '{user}'
        UNION ALL
        SELECT 't|' || t.code || '|' || t.slug || '|' || coalesce(t.label, '<null>') FROM tags t WHERE t.user_id = '{user}'
        ORDER BY 1
        """;

    /// <summary>Every row of <paramref name="user"/> with its keys, as the server prints it: for rows that must not change at all.</summary>
    public static string Exact(string user) => $"""
        SELECT 'c' || to_jsonb(c)::text FROM categories c WHERE user_id = '{user}'
        UNION ALL SELECT 'p' || to_jsonb(p)::text FROM products p WHERE user_id = '{user}'
        UNION ALL SELECT 'n' || to_jsonb(n)::text FROM notes n WHERE user_id = '{user}'
        UNION ALL SELECT 't' || to_jsonb(t)::text FROM tags t WHERE user_id = '{user}'
        ORDER BY 1
        """;

    public static string DeleteUser(string user) => $"""
        DELETE FROM notes WHERE user_id = '{user}';
        DELETE FROM products WHERE user_id = '{user}';
        UPDATE categories SET parent_category_id = NULL WHERE user_id = '{user}';
        DELETE FROM categories WHERE user_id = '{user}';
        DELETE FROM tags WHERE user_id = '{user}';
        """;
}
