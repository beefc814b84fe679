using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Statements other than CREATE TABLE: ALTER TABLE, indexes, triggers, functions, and what is skipped.</summary>
public sealed class SchemaSqlReaderStatementTests
{
    [Fact]
    public void Alter_table_add_column_later_in_the_file_is_applied()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE items (id int PRIMARY KEY);
            CREATE TABLE tags (id int PRIMARY KEY);
            ALTER TABLE items ADD COLUMN name text NOT NULL DEFAULT 'x';
            ALTER TABLE public.items ADD price numeric(10,2) DEFAULT 0;
            ALTER TABLE ONLY items ADD COLUMN IF NOT EXISTS name text;
            ALTER TABLE IF EXISTS items
                ADD COLUMN tag_id int REFERENCES tags(id) ON DELETE SET NULL,
                ADD COLUMN IF NOT EXISTS note text;
            """);

        SchemaAssert.NoWarnings(model);
        var items = model.Tables[0];
        SchemaAssert.Columns(
            items,
            ("id", "int", true, null),
            ("name", "text", true, "'x'"),
            ("price", "numeric(10,2)", false, "0"),
            ("tag_id", "int", false, null),
            ("note", "text", false, null));
        Assert.Equal("text NOT NULL DEFAULT 'x'", items.Columns[1].Definition);
        Assert.Equal(3, items.Columns[1].Line);
        Assert.Equal(("tag_id", "tags", "SET NULL"), (items.ForeignKeys[0].Columns[0], items.ForeignKeys[0].ReferencedTable, items.ForeignKeys[0].OnDelete));
        Assert.Equal(4, items.AlterStatements.Count);
        Assert.Equal("ALTER TABLE items ADD COLUMN name text NOT NULL DEFAULT 'x'", items.AlterStatements[0].Text);
    }

    [Fact]
    public void Alter_table_add_constraint_is_applied()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE a (id int, code text, b_id int, qty int);
            CREATE TABLE b (id int);
            ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY (id);
            ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id) ON DELETE CASCADE NOT VALID;
            ALTER TABLE a ADD UNIQUE (code), ADD CONSTRAINT qty_ok CHECK (qty >= 0);
            ALTER TABLE b ADD PRIMARY KEY (id);
            """);

        SchemaAssert.NoWarnings(model);
        var a = model.Tables[0];
        SchemaAssert.Columns(a, ("id", "int", true, null), ("code", "text", false, null), ("b_id", "int", false, null), ("qty", "int", false, null));
        Assert.Equal(["id"], a.PrimaryKey);
        Assert.True(a.Columns[0].IsPrimaryKey);
        var fk = Assert.Single(a.ForeignKeys);
        Assert.Equal(("a_b_fk", "b_id", "b", "id", "CASCADE"), (fk.Name, fk.Columns[0], fk.ReferencedTable, fk.ReferencedColumns[0], fk.OnDelete));
        Assert.Equal(["code"], Assert.Single(a.Uniques).Columns);
        Assert.Equal(("qty_ok", "qty >= 0"), (Assert.Single(a.Checks).Name, a.Checks[0].Expression));
        SchemaAssert.Columns(model.Tables[1], ("id", "int", true, null));
    }

    [Fact]
    public void Alter_column_and_drop_column_are_applied()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE t (a int, b text, c text NOT NULL DEFAULT 'x', gone int);
            ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER b SET DEFAULT 'y', ALTER COLUMN c DROP NOT NULL;
            ALTER TABLE t ALTER COLUMN c DROP DEFAULT, ALTER COLUMN b TYPE varchar(20) USING b::varchar(20);
            ALTER TABLE t DROP COLUMN gone, DROP COLUMN IF EXISTS never;
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(model.Tables[0], ("a", "int", true, null), ("b", "varchar(20)", false, "'y'"), ("c", "text", false, null));
    }

    [Fact]
    public void Alter_table_that_changes_nothing_is_passed_over()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE t (a int);
            ALTER TABLE t ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.t FORCE ROW LEVEL SECURITY;
            ALTER TABLE t OWNER TO postgres;
            ALTER TABLE elsewhere ENABLE ROW LEVEL SECURITY;
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(model.Tables[0], ("a", "int", false, null));
    }

    [Fact]
    public void Alter_table_problems_are_warnings_with_line_numbers()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE t (a int);
            ALTER TABLE missing ADD COLUMN x int;
            ALTER TABLE t ADD COLUMN a text;
            ALTER TABLE t RENAME COLUMN a TO b;
            ALTER TABLE t ADD COLUMN;
            """);

        SchemaAssert.Columns(model.Tables[0], ("b", "int", false, null));
        Assert.Equal(
            [
                "line 2: skipped ALTER TABLE public.missing: the table is not created earlier in this file.",
                "line 3: ALTER TABLE public.t: ADD COLUMN a not applied: the column already exists.",
                "line 5: skipped ALTER TABLE t ADD COLUMN: expected a column name but the statement ends.",
            ],
            model.Warnings);
    }

    [Fact]
    public void Create_index_in_all_its_forms()
    {
        const string Partial = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_slug_user\n    ON ONLY app.items USING btree (slug, lower(name) DESC, user_id text_pattern_ops)\n    INCLUDE (id) WHERE deleted_at IS NULL";
        var model = SchemaSqlReader.Read($"""
            CREATE TABLE app.items (id int, slug text, name text, user_id text, deleted_at timestamptz);
            {Partial};
            CREATE INDEX ON app.items (name);
            create index "Items_Expr" on app.items ((id + 1));
            """);

        SchemaAssert.NoWarnings(model);
        Assert.Equal(
            [
                ("app", "items", "items_slug_user", true, "slug|lower(name)|user_id", "deleted_at IS NULL"),
                ("app", "items", "items_name_idx", false, "name", null),
                ("app", "items", "Items_Expr", false, "id + 1", null),
            ],
            model.Indexes.Select(i => (i.Schema, i.Table, i.Name, i.IsUnique, string.Join('|', i.Columns), i.Predicate)));

        // Each key: its column (none for an expression) and its options in the server's words; the
        // method, INCLUDE columns and whether the file named the index.
        var partial = model.Indexes[0];
        Assert.Equal([new IndexKey("slug", string.Empty), new IndexKey(null, "DESC"), new IndexKey("user_id", "text_pattern_ops")], partial.Keys);
        Assert.Equal(("btree", "id", false), (partial.Method, string.Join('|', partial.Include), partial.NameGenerated));
        Assert.True(model.Indexes[1].NameGenerated);
        Assert.Equal(Partial, model.Indexes[0].Definition);
    }

    [Fact]
    public void Create_trigger_is_recorded_with_every_event()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE t (a int, b int);
            CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE OF a, b OR DELETE ON public.t
                FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION util.touch();
            CREATE OR REPLACE TRIGGER t_audit AFTER TRUNCATE ON t EXECUTE PROCEDURE audit('t');
            """);

        SchemaAssert.NoWarnings(model);
        Assert.Equal(
            [
                ("public", "t", "t_touch", "BEFORE", "INSERT,UPDATE,DELETE", "util.touch"),
                ("public", "t", "t_audit", "AFTER", "TRUNCATE", "audit"),
            ],
            model.Triggers.Select(x => (x.Schema, x.Table, x.Name, x.Timing, string.Join(',', x.Events), x.Function)));
    }

    [Fact]
    public void Function_bodies_are_skipped_and_functions_recorded()
    {
        var model = SchemaSqlReader.Read("""
            CREATE OR REPLACE FUNCTION public.make_table(name text, n int DEFAULT 1)
            RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
                EXECUTE 'CREATE TABLE ' || name || ' (id int)';
                CREATE TABLE inner_table (x int);
            END;
            $body$;
            CREATE FUNCTION add(a integer, b integer) RETURNS integer
                LANGUAGE sql IMMUTABLE
                BEGIN ATOMIC
                    SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
                    SELECT 1;
                END;
            CREATE FUNCTION rows_of() RETURNS TABLE (id int, label text) AS 'SELECT 1, ''a''; ' LANGUAGE sql;
            CREATE TABLE real_one (id int);
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.real_one");
        Assert.Equal(
            [
                ("public", "make_table", "name text, n int DEFAULT 1", "void"),
                ("public", "add", "a integer, b integer", "integer"),
                ("public", "rows_of", "", "TABLE (id int, label text)"),
            ],
            model.Functions.Select(f => (f.Schema, f.Name, f.Arguments, f.ReturnType)));
    }

    [Fact]
    public void Harmless_statements_are_ignored_silently()
    {
        var model = SchemaSqlReader.Read("""
            \restrict abc123
            BEGIN;
            SET statement_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);
            CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
            CREATE SCHEMA IF NOT EXISTS app;
            CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE SEQUENCE s START 1;
            CREATE TABLE t (id int);
            CREATE VIEW v AS SELECT id FROM t;
            CREATE MATERIALIZED VIEW mv AS SELECT 1;
            CREATE POLICY p ON t FOR SELECT USING (true);
            GRANT SELECT ON t TO anon;
            REVOKE ALL ON t FROM public;
            COMMENT ON TABLE t IS 'a; table';
            INSERT INTO t VALUES (1), (2);
            ALTER SEQUENCE s OWNED BY t.id;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO postgres;
            DROP POLICY IF EXISTS p ON t;
            COMMIT;
            \unrestrict abc123
            ;;
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.t");
    }

    [Fact]
    public void Unreadable_statements_are_warnings_with_line_numbers_and_never_columns()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE good (id int);

            CREATE TABLE broken (id int,, name text);
            CREATE TABLE no_type (id);
            CREATE TABLE twice (a int, a text);
            CREATE TABLE bad_pk (a int, PRIMARY KEY (b));
            CREATE TABLE copy AS SELECT * FROM good;
            FROBNICATE everything;
            DO $$ BEGIN CREATE TABLE hidden (x int); END $$;
            CREATE TABLE trailing (a int) garbage;
            \i other.sql
            CREATE TABLE good (other int);
            CREATE TABLE after_all (b int);
            """);

        SchemaAssert.Tables(model, "public.good", "public.after_all");
        SchemaAssert.Columns(model.Tables[0], ("id", "int", false, null));
        Assert.Equal(
            [
                "line 3: skipped CREATE TABLE broken: empty entry in the column list (two commas in a row, or a comma before ')').",
                "line 4: skipped CREATE TABLE no_type: column id has no type.",
                "line 5: skipped CREATE TABLE twice: column a is declared twice.",
                "line 6: skipped CREATE TABLE bad_pk: the primary key names column b, which the table does not have.",
                "line 7: skipped CREATE TABLE copy AS SELECT * FROM good: CREATE TABLE ... AS takes its columns from a query, which is not run.",
                "line 8: skipped 'FROBNICATE everything': not a statement this reader understands.",
                "line 9: skipped DO block: code is not run, so tables or columns it would create are not in the expected schema (shadow mode runs it).",
                "line 10: skipped CREATE TABLE trailing: expected the end of CREATE TABLE (or INHERITS, PARTITION BY, WITH, TABLESPACE...) but found 'garbage'.",
                "line 11: skipped psql meta-command '\\i other.sql': only SQL statements are read.",
                "line 12: skipped CREATE TABLE public.good: the table is already created on line 1.",
            ],
            model.Warnings);
    }

    [Fact]
    public void An_unclosed_parenthesis_does_not_swallow_the_rest_of_the_file()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE a (id int;
            CREATE TABLE b (id int);
            CREATE TABLE c (id int);
            """);

        SchemaAssert.Tables(model, "public.b", "public.c");
        var warning = Assert.Single(model.Warnings);
        Assert.StartsWith("line 1: skipped CREATE TABLE a", warning, StringComparison.Ordinal);
        Assert.Contains("never closed", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Drop_table_removes_a_table_defined_earlier()
    {
        var model = SchemaSqlReader.Read("""
            DROP TABLE IF EXISTS t CASCADE;
            CREATE TABLE t (a int);
            CREATE TABLE scratch (a int);
            CREATE INDEX ON scratch (a);
            DROP TABLE scratch;
            """);

        SchemaAssert.Tables(model, "public.t");
        Assert.Empty(model.Indexes);
    }

    [Fact]
    public void Pg_dump_style_schema_with_constraints_added_afterwards()
    {
        var model = SchemaSqlReader.Read("""
            SET default_tablespace = '';
            CREATE TABLE public.items (
                id integer NOT NULL,
                name text,
                created_at timestamp without time zone DEFAULT now()
            );
            ALTER TABLE public.items OWNER TO postgres;
            CREATE SEQUENCE public.items_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
            ALTER SEQUENCE public.items_id_seq OWNED BY public.items.id;
            ALTER TABLE ONLY public.items ALTER COLUMN id SET DEFAULT nextval('public.items_id_seq'::regclass);
            ALTER TABLE ONLY public.items
                ADD CONSTRAINT items_pkey PRIMARY KEY (id);
            CREATE TABLE public.logs (id bigint NOT NULL, item_id integer);
            ALTER TABLE public.logs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
                SEQUENCE NAME public.logs_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1
            );
            ALTER TABLE ONLY public.logs
                ADD CONSTRAINT logs_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.items(id) ON DELETE CASCADE;
            CREATE INDEX logs_item_idx ON public.logs USING btree (item_id);
            """);

        SchemaAssert.NoWarnings(model);
        var items = model.Tables[0];
        SchemaAssert.Columns(
            items,
            ("id", "integer", true, "nextval('public.items_id_seq'::regclass)"),
            ("name", "text", false, null),
            ("created_at", "timestamp without time zone", false, "now()"));
        Assert.Equal(["id"], items.PrimaryKey);
        var logs = model.Tables[1];
        SchemaAssert.Columns(logs, ("id", "bigint", true, null), ("item_id", "integer", false, null));
        Assert.Equal("a", logs.Columns[0].Identity);
        Assert.Equal(("logs_item_id_fkey", "items", "CASCADE"), (logs.ForeignKeys[0].Name, logs.ForeignKeys[0].ReferencedTable, logs.ForeignKeys[0].OnDelete));
    }

    [Fact]
    public void Table_options_after_the_column_list()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE a(x int)WITH(fillfactor=70) TABLESPACE pg_default;
            CREATE TABLE b (x int) PARTITION BY LIST (x);
            CREATE TEMP TABLE c (x int) ON COMMIT DELETE ROWS;
            CREATE TABLE d () ;
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.a", "public.b", "public.c", "public.d");
        Assert.Empty(model.Tables[3].Columns);
    }
}
