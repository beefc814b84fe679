using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Tables and columns: each case of the reader with the exact tables and columns expected.</summary>
public sealed class SchemaSqlReaderTests
{
    [Fact]
    public void Python_tool_live_suite_schema()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE items(A SERIAL PRIMARY KEY, B VARCHAR(100) NOT NULL, C TEXT, D INTEGER DEFAULT 0, E BOOLEAN DEFAULT FALSE, F TIMESTAMP DEFAULT NOW(), G VARCHAR(50));
            CREATE TABLE categories(id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
            CREATE TABLE products(id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), price INTEGER DEFAULT 0, active BOOLEAN DEFAULT TRUE, user_id UUID);
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.items", "public.categories", "public.products");
        var items = model.Tables[0];
        SchemaAssert.Columns(
            items,
            ("a", "SERIAL", true, null),
            ("b", "VARCHAR(100)", true, null),
            ("c", "TEXT", false, null),
            ("d", "INTEGER", false, "0"),
            ("e", "BOOLEAN", false, "FALSE"),
            ("f", "TIMESTAMP", false, "NOW()"),
            ("g", "VARCHAR(50)", false, null));
        Assert.Equal(["a"], items.PrimaryKey);
        Assert.True(items.Columns[0].IsPrimaryKey);
        Assert.Equal("SERIAL PRIMARY KEY", items.Columns[0].Definition);
        Assert.Equal("TIMESTAMP DEFAULT NOW()", items.Columns[5].Definition);
        Assert.Equal(1, items.Line);
        Assert.StartsWith("CREATE TABLE items(A SERIAL", items.CreateStatement, StringComparison.Ordinal);
        Assert.EndsWith("G VARCHAR(50))", items.CreateStatement, StringComparison.Ordinal);

        var categories = model.Tables[1];
        SchemaAssert.Columns(
            categories,
            ("id", "SERIAL", true, null),
            ("slug", "TEXT", false, null),
            ("name", "TEXT", false, null),
            ("user_id", "UUID", false, null));
        Assert.True(categories.Columns[1].IsUnique);
        Assert.Equal(["slug"], Assert.Single(categories.Uniques).Columns);

        var products = model.Tables[2];
        SchemaAssert.Columns(
            products,
            ("id", "SERIAL", true, null),
            ("slug", "TEXT", false, null),
            ("name", "TEXT", false, null),
            ("category_id", "INTEGER", false, null),
            ("price", "INTEGER", false, "0"),
            ("active", "BOOLEAN", false, "TRUE"),
            ("user_id", "UUID", false, null));
        Assert.Equal("INTEGER REFERENCES categories(id)", products.Columns[3].Definition);
        var fk = Assert.Single(products.ForeignKeys);
        Assert.Equal(["category_id"], fk.Columns);
        Assert.Equal(("public", "categories"), (fk.ReferencedSchema, fk.ReferencedTable));
        Assert.Equal(["id"], fk.ReferencedColumns);
        Assert.Equal(3, products.Line);
    }

    [Fact]
    public void Comments_of_every_kind_including_inside_the_column_list()
    {
        var model = SchemaSqlReader.Read("""
            -- CREATE TABLE commented_out (x int);
            /* CREATE TABLE also_out (y int); /* nested CREATE TABLE deeper (z int); */ still comment; */
            CREATE TABLE notes ( -- trailing comment, with a comma
                id integer, /* between, columns */
                -- body text, not a column
                body text /* inline */ NOT NULL,
                /* whole line */ tag text -- last
            );
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.notes");
        SchemaAssert.Columns(
            model.Tables[0],
            ("id", "integer", false, null),
            ("body", "text", true, null),
            ("tag", "text", false, null));
        Assert.Equal("text NOT NULL", model.Tables[0].Columns[1].Definition);
        Assert.Equal(6, model.Tables[0].Columns[1].Line);
        Assert.Equal(3, model.Tables[0].Line);
    }

    [Fact]
    public void String_literals_with_doubled_quotes_hold_commas_parentheses_and_semicolons()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE quotes (
                said text DEFAULT 'it''s, (really); -- fine',
                mood text DEFAULT E'don\'t, stop' NOT NULL,
                n int
            );
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("said", "text", false, "'it''s, (really); -- fine'"),
            ("mood", "text", true, @"E'don\'t, stop'"),
            ("n", "int", false, null));
    }

    [Fact]
    public void Quoted_identifiers_keep_case_and_unquoted_fold()
    {
        var model = SchemaSqlReader.Read(""""
            CREATE TABLE "Items" ("Name" text, Other TEXT, "with ""quote""" int);
            CREATE TABLE Items (ID int);
            """");

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.Items", "public.items");
        SchemaAssert.Columns(model.Tables[0], ("Name", "text", false, null), ("other", "TEXT", false, null), ("with \"quote\"", "int", false, null));
        SchemaAssert.Columns(model.Tables[1], ("id", "int", false, null));
    }

    [Fact]
    public void Schema_qualified_names_and_default_schema()
    {
        var model = SchemaSqlReader.Read(
            """
            CREATE TABLE app.items (id int);
            CREATE TABLE "App"."Items" (id int);
            CREATE TABLE plain (id int);
            CREATE TABLE mydb.Sales.Orders (id int);
            """,
            defaultSchema: "tenant");

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "app.items", "App.Items", "tenant.plain", "sales.orders");
    }

    [Fact]
    public void If_not_exists_and_persistence_words()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE IF NOT EXISTS a (x int);
            CREATE UNLOGGED TABLE b (x int);
            CREATE TEMP TABLE c (x int);
            CREATE TEMPORARY TABLE IF NOT EXISTS d (x int);
            CREATE GLOBAL TEMPORARY TABLE e (x int);
            CREATE TABLE IF NOT EXISTS a (y int, z int);
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.a", "public.b", "public.c", "public.d", "public.e");
        Assert.Equal([null, "UNLOGGED", "TEMP", "TEMP", "TEMP"], model.Tables.Select(t => t.Persistence));
        SchemaAssert.Columns(model.Tables[0], ("x", "int", false, null));
    }

    [Fact]
    public void One_line_table_with_several_columns()
    {
        var model = SchemaSqlReader.Read("create table t (a int not null, b text default 'x', c numeric(10,2), d date);");

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("a", "int", true, null),
            ("b", "text", false, "'x'"),
            ("c", "numeric(10,2)", false, null),
            ("d", "date", false, null));
    }

    [Fact]
    public void Multi_line_check_is_a_constraint_not_a_column()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE orders (
                id bigint PRIMARY KEY,
                status text NOT NULL CHECK (
                    status IN ('new',
                               'paid')
                ),
                kind text,
                CONSTRAINT kind_ok CHECK (kind IN ('a','b')
                    OR kind IS NULL)
            );
            """);

        SchemaAssert.NoWarnings(model);
        var table = model.Tables[0];
        SchemaAssert.Columns(table, ("id", "bigint", true, null), ("status", "text", true, null), ("kind", "text", false, null));
        Assert.Equal(
            [(null, "status IN ('new', 'paid')"), ("kind_ok", "kind IN ('a','b') OR kind IS NULL")],
            table.Checks.Select(k => (k.Name, k.Expression)));
        Assert.Equal("text NOT NULL CHECK ( status IN ('new', 'paid') )", table.Columns[1].Definition);
    }

    [Fact]
    public void Defaults_with_commas_parentheses_and_casts()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE d (
                span interval DEFAULT make_interval(days => 1, hours => 2) NOT NULL,
                tags text[] DEFAULT ARRAY['a', 'b']::text[],
                ok boolean DEFAULT (1 > 0) CHECK (ok),
                at timestamptz DEFAULT now() AT TIME ZONE 'utc',
                maybe text DEFAULT NULL,
                note text DEFAULT 'x' CONSTRAINT note_len CHECK (length(note) < 10)
            );
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("span", "interval", true, "make_interval(days => 1, hours => 2)"),
            ("tags", "text[]", false, "ARRAY['a', 'b']::text[]"),
            ("ok", "boolean", false, "(1 > 0)"),
            ("at", "timestamptz", false, "now() AT TIME ZONE 'utc'"),
            ("maybe", "text", false, "NULL"),
            ("note", "text", false, "'x'"));
        Assert.Equal(["ok", "length(note) < 10"], model.Tables[0].Checks.Select(c => c.Expression));
        Assert.Equal("note_len", model.Tables[0].Checks[1].Name);
    }

    [Fact]
    public void Multi_word_and_array_types_as_written()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE types (
                a double precision NOT NULL,
                b timestamp with time zone DEFAULT now(),
                c character varying(50),
                d text[],
                e int ARRAY,
                f integer[][] NOT NULL,
                g timestamp(3) without time zone,
                h interval day to second,
                i bit varying(8),
                j public.my_enum,
                k text COLLATE "C" NOT NULL,
                l numeric(12, 2) DEFAULT 0.00
            );
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("a", "double precision", true, null),
            ("b", "timestamp with time zone", false, "now()"),
            ("c", "character varying(50)", false, null),
            ("d", "text[]", false, null),
            ("e", "int ARRAY", false, null),
            ("f", "integer[][]", true, null),
            ("g", "timestamp(3) without time zone", false, null),
            ("h", "interval day to second", false, null),
            ("i", "bit varying(8)", false, null),
            ("j", "public.my_enum", false, null),
            ("k", "text", true, null),
            ("l", "numeric(12, 2)", false, "0.00"));
        Assert.Equal("text COLLATE \"C\" NOT NULL", model.Tables[0].Columns[10].Definition);
    }

    [Fact]
    public void Identity_and_generated_columns()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE g (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                n int GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5),
                price numeric,
                qty int,
                total numeric GENERATED ALWAYS AS (price * qty) STORED
            );
            """);

        SchemaAssert.NoWarnings(model);
        var table = model.Tables[0];
        SchemaAssert.Columns(
            table,
            ("id", "bigint", true, null),
            ("n", "int", true, null),
            ("price", "numeric", false, null),
            ("qty", "int", false, null),
            ("total", "numeric", false, null));
        Assert.Equal(["a", "d", null, null, null], table.Columns.Select(c => c.Identity));
        Assert.Equal([null, null, null, null, "price * qty"], table.Columns.Select(c => c.Generated));
        Assert.Equal("int GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5)", table.Columns[1].Definition);
    }

    [Fact]
    public void Serial_types_keep_their_written_type_and_are_not_null()
    {
        var model = SchemaSqlReader.Read("CREATE TABLE s (a serial, b BIGSERIAL, c smallserial, d serial4);");

        SchemaAssert.Columns(
            model.Tables[0],
            ("a", "serial", true, null),
            ("b", "BIGSERIAL", true, null),
            ("c", "smallserial", true, null),
            ("d", "serial4", true, null));
    }

    [Fact]
    public void Explicit_null_and_column_options()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE o (
                a text NULL,
                b text STORAGE EXTERNAL COMPRESSION pglz NOT NULL,
                c int UNIQUE NULLS NOT DISTINCT,
                d int REFERENCES o (c) DEFERRABLE INITIALLY DEFERRED
            );
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("a", "text", false, null),
            ("b", "text", true, null),
            ("c", "int", false, null),
            ("d", "int", false, null));
        Assert.True(model.Tables[0].Columns[2].IsUnique);
    }

    [Fact]
    public void Quoted_key_words_are_column_names()
    {
        var model = SchemaSqlReader.Read("""CREATE TABLE k ("check" text, "primary" int, "constraint" int, "like" text);""");

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(
            model.Tables[0],
            ("check", "text", false, null),
            ("primary", "int", false, null),
            ("constraint", "int", false, null),
            ("like", "text", false, null));
    }

    [Fact]
    public void Create_statement_is_the_whole_statement_as_written_without_semicolon()
    {
        const string Create = "CREATE TABLE IF NOT EXISTS app.t (\n    a int, -- note\n    b text\n)";
        var model = SchemaSqlReader.Read($"SELECT 1;\n\n{Create};\nSELECT 2;");

        var table = model.Tables[0];
        Assert.Equal(Create, table.CreateStatement);
        Assert.Equal(3, table.Line);
        Assert.Equal([4, 5], table.Columns.Select(c => c.Line));
    }

    [Fact]
    public void Last_statement_without_semicolon_is_read()
    {
        var model = SchemaSqlReader.Read("CREATE TABLE a (x int);\nCREATE TABLE b (y int)\n");

        SchemaAssert.Tables(model, "public.a", "public.b");
    }

    [Fact]
    public void Search_path_sets_the_schema_of_unqualified_names()
    {
        var model = SchemaSqlReader.Read("""
            SET search_path TO app, public;
            CREATE TABLE a (x int REFERENCES b);
            SET search_path = '$user', "Sales";
            CREATE TABLE b (x int);
            RESET search_path;
            CREATE TABLE c (x int);
            """);

        SchemaAssert.Tables(model, "app.a", "Sales.b", "public.c");
        Assert.Equal("app", model.Tables[0].ForeignKeys[0].ReferencedSchema);
    }
}
