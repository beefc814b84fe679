namespace DbAdapter.Core.Tests.Corpus;

/// <summary>
/// One schema file of the corpus: its text, the profile's schemas it is compared under, whether the
/// reader can model it, and a drift that a repair must undo, with exactly what the drift must report.
/// </summary>
/// <param name="Name">The file's name (a file under Corpus/, or the generated pg_dump file).</param>
/// <param name="Schemas">The profile's schemas, the first the one unqualified names land in.</param>
/// <param name="ReaderCanModel">False for files only shadow mode can model (migrations with DO blocks).</param>
/// <param name="Drift">SQL that drifts a database loaded from the file: rows, dropped columns, a dropped referenced table, an extra column.</param>
/// <param name="Missing">"schema.table" and "schema.table.column" the drift leaves missing, sorted.</param>
/// <param name="Extra">"schema.table.column" and objects the drift adds (repair leaves them: it never drops).</param>
public sealed record CorpusFile(
    string Name,
    IReadOnlyList<string> Schemas,
    bool ReaderCanModel,
    string Drift,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Extra)
{
    /// <summary>The differences the drift makes (repair reports them and leaves them: it never rewrites).</summary>
    public IReadOnlyList<string> Differences { get; init; } = [];

    /// <summary>Units of the generated pg_dump file in the tests: about 4,800 lines, 81 tables.</summary>
    public const int TestUnits = 15;

    /// <summary>The generated file's units, for the benchmarks (set higher there); null for a file on disk.</summary>
    public int? Units { get; init; }

    /// <summary>The file's text.</summary>
    public string Text() => Units is { } units
        ? PgDumpCorpus.Generate(units)
        : File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", Name));

    public override string ToString() => Name;
}

/// <summary>The corpus: schema files in the forms real projects keep, each with its drift.</summary>
public static class SchemaCorpus
{
    public static CorpusFile PgDump(int units) => new(
        "pg-dump-clean.sql",
        [PgDumpCorpus.Schema],
        ReaderCanModel: true,
        """
        INSERT INTO app.account_1 (code, name) VALUES ('c1', 'One'), ('c2', 'Two');
        INSERT INTO app.entry_1 (account_id, booked) SELECT id, date '2024-03-01' FROM app.account_1;
        ALTER TABLE app.account_1 DROP COLUMN meta;
        ALTER TABLE app.account_2 DROP COLUMN id CASCADE;
        ALTER TABLE app.entry_1 DROP COLUMN memo;
        DROP TABLE app.account_3 CASCADE;
        ALTER TABLE app.account_4 ADD COLUMN extra text;
        DROP INDEX app.entry_1_booked_idx;
        ALTER TABLE app.account_1 DROP CONSTRAINT account_1_code_key;
        CREATE VIEW app.extra_view AS SELECT 1 AS one;
        """,
        [
            "ForeignKey app.entry_2.entry_2_account_fkey", "ForeignKey app.entry_3.entry_3_account_fkey", "ForeignKey app.ledger_2.ledger_2_account_fkey",
            "ForeignKey app.ledger_3.ledger_3_account_fkey", "Index app.entry_1.entry_1_booked_idx", "PrimaryKey app.account_2.account_2_pkey",
            "Unique app.account_1.account_1_code_key", "View app.account_2_open", "View app.account_3_open", "app.account_1.meta", "app.account_2.id", "app.account_3",
            "app.entry_1.memo", "app.entry_1_2024.memo", "app.entry_1_2025.memo",
        ],
        ["View app.extra_view", "app.account_4.extra"])
    {
        Units = units,
    };

    public static CorpusFile Handwritten { get; } = new(
        "handwritten.sql",
        ["public"],
        ReaderCanModel: true,
        """
        INSERT INTO workspaces (slug, name) VALUES ('acme', 'Acme'), ('globex', 'Globex');
        ALTER TABLE workspaces DROP COLUMN settings;
        ALTER TABLE labels DROP COLUMN color;
        ALTER TABLE tasks DROP COLUMN estimate;
        DROP TABLE projects CASCADE;
        ALTER TABLE users ADD COLUMN nickname text;
        DROP INDEX tasks_search_idx;
        DROP TRIGGER tasks_renumber ON tasks;
        ALTER TABLE comments DROP CONSTRAINT comments_body_check;
        ALTER TABLE users DROP CONSTRAINT users_workspace_id_email_key;
        CREATE INDEX users_seen_idx ON users (last_seen_at);
        ALTER TABLE labels ADD CONSTRAINT labels_name_check CHECK (length(name) > 0);
        CREATE OR REPLACE FUNCTION task_count(workspace uuid) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT 0::bigint $$;
        """,
        [
            "Check public.comments.comments_body_check", "ForeignKey public.tasks.tasks_project_id_fkey", "Index public.tasks.tasks_search_idx",
            "Trigger public.tasks.tasks_renumber", "Unique public.users.users_workspace_id_email_key", "View public.open_tasks", "public.labels.color",
            "public.projects", "public.tasks.estimate", "public.workspaces.settings",
        ],
        ["Check public.labels.labels_name_check", "Index public.users.users_seen_idx", "public.users.nickname"])
    {
        Differences = ["public.task_count(workspace uuid) Function: expected body SELECT count(*) FROM tasks t JOIN projects p ON p.id = t.... (102 characters), actual body SELECT 0::bigint (18 characters)"],
    };

    public static CorpusFile OddNames { get; } = new(
        "odd-names.sql",
        ["Sales Dept", "reporting", "ünïcode", "x\"y"],
        ReaderCanModel: true,
        """
        INSERT INTO "Sales Dept"."Customers" ("Full Name") VALUES ('Ann'), ('Bob');
        ALTER TABLE "Sales Dept"."Customers" DROP COLUMN "Group";
        ALTER TABLE "ünïcode"."Straße" DROP COLUMN "日付";
        DROP TABLE "Sales Dept"."Order Items" CASCADE;
        ALTER TABLE "x""y"."a""b" ADD COLUMN "new col" integer;
        ALTER TYPE "Sales Dept"."Order State" RENAME VALUE 'shipped' TO 'sent';
        """,
        [
            "Enum Sales Dept.Order State VALUE 'shipped'", "ForeignKey Sales Dept.invoices.invoices_Order_fkey", "Sales Dept.Customers.Group",
            "Sales Dept.Order Items", "ünïcode.Straße.日付",
        ],
        ["Enum Sales Dept.Order State VALUE 'sent'", "x\"y.a\"b.new col"]);

    public static CorpusFile LegacySearchPath { get; } = new(
        "legacy-search-path.sql",
        ["app", "public"],
        ReaderCanModel: true,
        """
        INSERT INTO app.posts (id, title, score) VALUES (1, 'a', 1.5), (2, 'b', 2.5);
        ALTER TABLE app.posts DROP COLUMN score;
        ALTER TABLE app.measurements DROP COLUMN unitsales;
        ALTER TABLE app.cities DROP COLUMN elevation;
        DROP TABLE app.people CASCADE;
        ALTER TABLE public.schema_migrations ADD COLUMN extra text;
        DROP VIEW app.published_posts;
        ALTER TYPE app.mood ADD VALUE 'angry';
        """,
        [
            "ForeignKey app.posts.fk_rails_posts_person", "View app.published_posts", "app.capitals.elevation", "app.cities.elevation",
            "app.measurements.unitsales", "app.measurements_y2024.unitsales", "app.measurements_y2025.unitsales", "app.people", "app.posts.score",
        ],
        ["Enum app.mood VALUE 'angry'", "public.schema_migrations.extra"]);

    public static CorpusFile Migrations { get; } = new(
        "migrations.sql",
        ["public"],
        ReaderCanModel: false,
        """
        INSERT INTO events (kind, order_id, at) VALUES ('created', 1, '2024-02-01'), ('paid', 1, '2024-05-01');
        ALTER TABLE events DROP COLUMN order_id;
        ALTER TABLE order_lines DROP COLUMN created_by;
        DROP TABLE orders CASCADE;
        ALTER TABLE order_lines ADD COLUMN extra text;
        CREATE INDEX events_kind_idx ON events (kind);
        """,
        [
            "ForeignKey public.order_lines.order_lines_order_id_fkey", "public.events.order_id", "public.events_2024q1.order_id", "public.events_2024q2.order_id",
            "public.events_2024q3.order_id", "public.events_2024q4.order_id", "public.order_lines.created_by", "public.orders",
        ],
        ["Index public.events.events_kind_idx", "public.order_lines.extra"]);

    /// <summary>Every file, the generated pg_dump file at <paramref name="units"/> units.</summary>
    public static IReadOnlyList<CorpusFile> All(int units = CorpusFile.TestUnits) =>
        [PgDump(units), Handwritten, OddNames, LegacySearchPath, Migrations];
}
