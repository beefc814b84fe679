using DbAdapter.Core.Schema;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Minimal repros of what real schema files showed (issue 11): each file is loaded into a fresh
/// database as psql would load it, read by the reader, and must compare identical, strict included.
/// </summary>
public sealed class RealWorldReaderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_search_path_set_by_the_file_resolves_types_and_sequences_like_the_server_did()
    {
        const string File = """
            CREATE SCHEMA app;
            SET search_path = app, pg_catalog;
            CREATE TYPE mood AS ENUM ('a','b');
            CREATE TABLE t (id integer NOT NULL, m mood);
            CREATE SEQUENCE t_id_seq;
            ALTER TABLE ONLY t ALTER COLUMN id SET DEFAULT nextval('t_id_seq'::regclass);
            """;

        var comparison = await LoadAndCompareAsync(File, ["app"]);

        AssertIdentical(comparison);
    }

    [Fact]
    public async Task A_column_added_to_a_parent_reaches_its_partitions_and_inheritance_children()
    {
        const string File = """
            CREATE TABLE events (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE base (id int);
            CREATE TABLE child (extra text) INHERITS (base);
            CREATE TABLE grandchild () INHERITS (child);
            ALTER TABLE events ADD COLUMN note text DEFAULT 'x';
            ALTER TABLE base ADD COLUMN c text;
            ALTER TABLE base ALTER COLUMN c TYPE varchar(20);
            """;

        var comparison = await LoadAndCompareAsync(File);

        AssertIdentical(comparison);
    }

    [Fact]
    public async Task Defaults_of_null_and_dollar_quoted_defaults_are_no_difference()
    {
        const string File = """
            CREATE TABLE t (
                a varchar(15) DEFAULT NULL,
                b integer DEFAULT NULL,
                c text DEFAULT $q$a, 'b'; c$q$,
                d numeric DEFAULT NULL::numeric
            );
            """;

        var comparison = await LoadAndCompareAsync(File);

        AssertIdentical(comparison);
    }

    [Fact]
    public async Task Renamed_columns_and_tables_are_applied_to_the_expected_schema()
    {
        const string File = """
            CREATE SCHEMA archive;
            CREATE TABLE users (id int PRIMARY KEY, nm text, mail text);
            CREATE TABLE posts (id int, author int REFERENCES users(id));
            ALTER TABLE users RENAME COLUMN nm TO name;
            ALTER TABLE users RENAME mail TO email;
            ALTER TABLE posts RENAME TO articles;
            ALTER TABLE IF EXISTS articles RENAME COLUMN author TO author_id;
            CREATE TABLE old_logs (id int);
            ALTER TABLE old_logs SET SCHEMA archive;
            CREATE TABLE base (id int, v int);
            CREATE TABLE child () INHERITS (base);
            ALTER TABLE base RENAME COLUMN v TO value;
            """;

        var (comparison, model) = await LoadReadAndCompareAsync(File, ["public", "archive"]);

        AssertIdentical(comparison);
        Assert.Empty(model.Warnings);
        Assert.Equal(["articles", "author_id"], [model.Tables[1].Name, model.Tables[1].ForeignKeys[0].Columns[0]]);
    }

    [Fact]
    public async Task A_pg_dump_clean_prelude_and_attach_partition_give_no_warning()
    {
        const string File = """
            SELECT pg_catalog.set_config('search_path', '', false);
            ALTER TABLE IF EXISTS ONLY public.events DROP CONSTRAINT IF EXISTS events_pkey;
            ALTER TABLE IF EXISTS public.items ALTER COLUMN id DROP DEFAULT;
            DROP SEQUENCE IF EXISTS public.items_id_seq;
            DROP TABLE IF EXISTS public.events_2024;
            DROP TABLE IF EXISTS public.events;
            DROP TABLE IF EXISTS public.items;
            CREATE TABLE public.items (id integer NOT NULL);
            CREATE SEQUENCE public.items_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
            ALTER SEQUENCE public.items_id_seq OWNED BY public.items.id;
            CREATE TABLE public.events (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE public.events_2024 (id integer NOT NULL, at date NOT NULL);
            ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            ALTER TABLE ONLY public.items ALTER COLUMN id SET DEFAULT nextval('public.items_id_seq'::regclass);
            ALTER TABLE ONLY public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, at);
            ALTER TABLE ONLY public.events_2024 ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, at);
            ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;
            """;

        var (comparison, model) = await LoadReadAndCompareAsync(File, ["public"]);

        AssertIdentical(comparison);
        Assert.Empty(model.Warnings);
        var partition = model.FindTable("public", "events_2024")!;
        Assert.Equal([new Core.Sql.TableName("public", "events")], partition.Parents);
        Assert.True(partition.IsPartition);
    }

    [Fact]
    public void A_later_alter_column_changes_the_definition_an_added_column_gets_and_keeps_its_other_clauses()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE t (a int REFERENCES parent (id) DEFAULT 1 NULL, b text NOT NULL DEFAULT 'x');
            ALTER TABLE t ALTER COLUMN a SET DEFAULT 5, ALTER COLUMN a SET NOT NULL, ALTER COLUMN a TYPE bigint;
            ALTER TABLE t ALTER COLUMN b DROP NOT NULL, ALTER COLUMN b DROP DEFAULT;
            """);

        var t = model.FindTable("public", "t")!;
        Assert.Equal("bigint REFERENCES parent (id) DEFAULT 5 NOT NULL", t.Columns[0].Definition);
        Assert.Equal("text", t.Columns[1].Definition);
    }

    [Fact]
    public void A_warning_that_repeats_is_one_warning_with_a_count_and_the_first_lines()
    {
        var lines = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"ALTER TABLE nope{i} ADD COLUMN x int;"));
        var model = SchemaSqlReader.Read("CREATE TABLE t (id int);\n" + lines + "\nCREATE FOO bar;");

        Assert.Equal(2, model.Warnings.Count);
        Assert.Contains("40 statements", model.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("lines 2, 3, 4", model.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("line 42:", model.Warnings[1], StringComparison.Ordinal);
    }

    private async Task<SchemaComparison> LoadAndCompareAsync(string file, IReadOnlyList<string>? schemas = null) =>
        (await LoadReadAndCompareAsync(file, schemas ?? Public)).Comparison;

    private async Task<(SchemaComparison Comparison, SchemaModel Model)> LoadReadAndCompareAsync(string file, IReadOnlyList<string> schemas)
    {
        var name = await database.CreateSiblingAsync("realworld");
        await database.Server.ExecuteAsync(name, file);
        var model = SchemaSqlReader.Read(file, defaultSchema: schemas[0]);
        return (await CompareAsync(database.Server.ConnectionString(name), model, schemas), model);
    }
}
