using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>
/// Minimal repros of repairs that could not succeed on real schema files (issue 11): each database is
/// built from the file, drifted, planned and repaired, and must then compare identical, strict included.
/// </summary>
public sealed class RealWorldRepairTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] App = ["app"];

    [Fact]
    public async Task A_table_of_a_file_that_sets_its_search_path_is_created_in_that_schema()
    {
        const string File = """
            CREATE SCHEMA app;
            SET search_path = app, pg_catalog;
            CREATE TYPE mood AS ENUM ('a', 'b');
            CREATE TABLE t (id integer NOT NULL, m mood DEFAULT 'a');
            CREATE TABLE t2 (x integer, m mood);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, File + "DROP TABLE app.t2;");
        var expected = SchemaSqlReader.Read(File, defaultSchema: "app");

        var plan = await bed.PlanAsync(expected, App);

        var step = Assert.Single(plan.Steps);
        Assert.Equal(["SET LOCAL search_path TO \"app\", \"pg_catalog\"", "CREATE TABLE \"app\".\"t2\" (x integer, m mood)"], step.Statements);
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(expected, App));
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task A_table_of_a_file_without_search_path_lands_in_the_profiles_first_schema()
    {
        const string File = "CREATE TABLE t2 (x integer);";
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE SCHEMA app;");
        var expected = SchemaSqlReader.Read(File, defaultSchema: "app");

        var plan = await bed.PlanAsync(expected, App);

        Assert.Equal(["CREATE TABLE \"app\".\"t2\" (x integer)"], Assert.Single(plan.Steps).Statements);
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(expected, App));
    }

    [Fact]
    public async Task A_column_missing_from_a_partitioned_table_or_an_inheritance_parent_is_added_to_the_parent_only()
    {
        const string File = """
            CREATE TABLE events (id int NOT NULL, at date NOT NULL, note text DEFAULT 'x') PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE base (id int, c text);
            CREATE TABLE child (extra text) INHERITS (base);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, File + """
            INSERT INTO events VALUES (1, '2024-05-01'), (2, '2025-05-01');
            INSERT INTO child VALUES (1, 'c', 'e');
            ALTER TABLE events DROP COLUMN note;
            ALTER TABLE base DROP COLUMN c;
            """);

        var plan = await bed.PlanAsync(File);

        Assert.Equal(["public.events.note", "public.base.c"], plan.Steps.Select(s => $"{s.Target}.{s.Column}").ToArray());
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(File));
        Assert.Equal(["x", "x"], await bed.QueryAsync("SELECT note FROM events ORDER BY id"));
    }

    [Fact]
    public async Task A_created_table_gets_back_the_sequence_it_owns_in_pg_dump_form()
    {
        const string File = """
            SELECT pg_catalog.set_config('search_path', '', false);
            CREATE TABLE public.p (id integer NOT NULL, name text);
            CREATE SEQUENCE public.p_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
            ALTER SEQUENCE public.p_id_seq OWNED BY public.p.id;
            ALTER TABLE ONLY public.p ALTER COLUMN id SET DEFAULT nextval('public.p_id_seq'::regclass);
            ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id);
            CREATE TABLE public.keep (k integer);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, File + "DROP TABLE public.p;");

        var plan = await bed.PlanAsync(File);

        var step = Assert.Single(plan.Steps);
        Assert.Equal(
            [
                "SET LOCAL search_path TO ''",
                "CREATE SEQUENCE \"public\".\"p_id_seq\" AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1",
                "CREATE TABLE \"public\".\"p\" (id integer NOT NULL, name text)",
                "ALTER SEQUENCE \"public\".\"p_id_seq\" OWNED BY \"public\".\"p\".id",
                "ALTER TABLE ONLY \"public\".\"p\" ALTER COLUMN id SET DEFAULT nextval('public.p_id_seq'::regclass)",
                "ALTER TABLE ONLY \"public\".\"p\" ADD CONSTRAINT p_pkey PRIMARY KEY (id)",
            ],
            step.Statements);
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(File));
        await bed.ExecuteAsync("INSERT INTO p (name) VALUES ('a'), ('b');");
        Assert.Equal(["1", "2"], await bed.QueryAsync("SELECT id FROM p ORDER BY id"));
    }

    [Fact]
    public async Task A_dropped_column_that_owned_its_sequence_is_added_back_with_it_and_every_row_draws_a_value()
    {
        const string File = """
            CREATE TABLE items (name text);
            CREATE SEQUENCE items_id_seq;
            ALTER TABLE items ADD COLUMN id integer NOT NULL DEFAULT nextval('items_id_seq'::regclass);
            ALTER SEQUENCE items_id_seq OWNED BY items.id;
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, File + """
            INSERT INTO items (name) VALUES ('a'), ('b'), ('c');
            ALTER TABLE items DROP COLUMN id;
            """);

        var plan = await bed.PlanAsync(File);

        var step = Assert.Single(plan.Steps);
        Assert.Equal(FixOperation.AddColumn, step.Operation);
        Assert.Equal(
            [
                "CREATE SEQUENCE \"public\".\"items_id_seq\"",
                "ALTER TABLE \"public\".\"items\" ADD COLUMN \"id\" integer NOT NULL DEFAULT nextval('items_id_seq'::regclass)",
                "ALTER SEQUENCE \"public\".\"items_id_seq\" OWNED BY \"public\".\"items\".id",
            ],
            step.Statements);
        var hazard = Assert.Single(step.Hazards);
        Assert.Equal(FixHazardKinds.RewritesTable, hazard.Kind);
        Assert.Contains("draws a value from sequence public.items_id_seq", hazard.Message, StringComparison.Ordinal);

        await bed.ApplyAsync(plan, new FixApplyOptions(Force: true, NoBackup: true, ProfileName: "test"));

        AssertIdentical(await bed.CompareAsync(File));
        Assert.Equal("3", await bed.ScalarAsync("SELECT count(DISTINCT id) FROM items"));
    }

    [Fact]
    public async Task A_renamed_table_is_created_under_its_final_name_with_its_renamed_columns()
    {
        const string File = """
            CREATE TABLE posts (id int PRIMARY KEY, author int, body text);
            CREATE INDEX posts_author_idx ON posts (author);
            ALTER TABLE posts RENAME TO articles;
            ALTER TABLE articles RENAME COLUMN author TO author_id;
            ALTER TABLE articles ADD COLUMN title text;
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, "SELECT 1;");

        var plan = await bed.PlanAsync(File);

        Assert.Equal(
            [
                "CREATE TABLE \"public\".\"articles\" (id int PRIMARY KEY, author int, body text)",
                "CREATE INDEX posts_author_idx ON \"public\".\"articles\" (author)",
                "ALTER TABLE \"public\".\"articles\" RENAME COLUMN author TO author_id",
                "ALTER TABLE \"public\".\"articles\" ADD COLUMN title text",
            ],
            Assert.Single(plan.Steps).Statements);
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(File));
    }

    [Fact]
    public async Task A_failed_revalidation_says_what_is_still_missing_and_where_it_went_without_guessing_that_the_database_changed()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE SCHEMA app; CREATE TABLE app.t (x int);");
        var expected = SchemaSqlReader.Read("CREATE TABLE t (x int); CREATE TABLE t2 (x int);", defaultSchema: "app");
        var planned = await bed.PlanAsync(expected, App);

        // A step that creates the table in the wrong schema, as the reader once planned for such files.
        var wrong = planned.Steps[0];
        var broken = new FixPlan(
            expected,
            App,
            [new FixStep { Order = 1, Operation = wrong.Operation, Schema = "app", Table = "t2", Statements = ["CREATE TABLE public.t2 (x int)"], Hazards = [], Description = "Create table t2" }],
            [],
            fingerprint: planned.Fingerprint);

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(broken));

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.Contains("table t2 is still missing after step 1 (Create table t2); a table t2 exists in schema public instead", error.Message, StringComparison.Ordinal);
        Assert.Contains("The tables the plan changes were as the plan expected before the first step (checked), so the plan's statements do not produce what the schema file declares", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("probably", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 't2'"));
    }
}
