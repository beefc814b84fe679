using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Client;
using DbAdapter.Core.Tests.Schema;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>
/// Repair of objects beyond columns on a real server: every missing kind comes back in dependency
/// order, on tables with rows checks and foreign keys are validated and a row that breaks one rolls
/// the fix back naming the row, a table dropped with CASCADE comes back with everything that pointed
/// at it, and nothing extra or different is dropped or rewritten.
/// </summary>
public sealed class FixObjectTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Schema = ObjectComparisonTests.Schema;

    // Every object of the schema gone (with what a dropped sequence and domain take along).
    private const string DropEverything = """
        ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
        ALTER TABLE customers DROP CONSTRAINT customers_pkey;
        ALTER TABLE customers DROP CONSTRAINT customers_email_key;
        ALTER TABLE customers DROP CONSTRAINT customers_email_check;
        ALTER TABLE orders DROP CONSTRAINT orders_during_excl;
        ALTER TABLE orders DROP CONSTRAINT orders_status_check;
        DROP INDEX orders_recent_idx;
        DROP INDEX customers_lower_idx;
        DROP TRIGGER orders_touch ON orders;
        DROP VIEW big_orders;
        DROP MATERIALIZED VIEW order_totals;
        DROP FUNCTION order_count(integer);
        DROP FUNCTION touch();
        ALTER TABLE orders ALTER COLUMN no DROP DEFAULT;
        DROP SEQUENCE invoice_no;
        """;

    [Fact]
    public async Task Every_missing_kind_comes_back_in_dependency_order_and_the_fix_validates_it()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync(DropEverything);

        var plan = await bed.PlanAsync(Schema);

        Assert.Equal(
            [
                (FixOperation.CreateSequence, "invoice_no"), (FixOperation.CreateFunction, "touch"), (FixOperation.CreateFunction, "order_count"),
                (FixOperation.AddConstraint, "customers"), (FixOperation.AddConstraint, "customers"), (FixOperation.AddConstraint, "customers"),
                (FixOperation.CreateIndex, "customers"),
                (FixOperation.AddConstraint, "orders"), (FixOperation.AddConstraint, "orders"), (FixOperation.AddConstraint, "orders"),
                (FixOperation.CreateIndex, "orders"),
                (FixOperation.CreateView, "big_orders"), (FixOperation.CreateView, "order_totals"), (FixOperation.CreateTrigger, "orders"),
            ],
            plan.Steps.Select(s => (s.Operation, s.Table)));

        // The foreign key comes after the key it references; no step has a hazard (no rows).
        var steps = plan.Steps.ToList();
        Assert.True(
            steps.FindIndex(s => s.Description.StartsWith("Add primary key customers_pkey", StringComparison.Ordinal)) <
            steps.FindIndex(s => s.Description.StartsWith("Add foreign key orders_customer_id_fkey", StringComparison.Ordinal)));
        Assert.All(plan.Steps, s => Assert.Empty(s.Hazards));
        Assert.Contains("ALTER TABLE \"public\".\"orders\" ADD CONSTRAINT \"orders_customer_id_fkey\" FOREIGN KEY (\"customer_id\") REFERENCES \"public\".\"customers\" (\"id\") ON UPDATE NO ACTION ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED", plan.Steps.SelectMany(s => s.Statements));

        var result = await bed.ApplyAsync(plan);

        Assert.Equal(14, result.ObjectsCreated);

        // Every object is back; the default the drift took off a column is a difference, and repair
        // does not rewrite what exists.
        var after = await bed.CompareAsync(Schema);
        Assert.True(after.IsValid(strict: false), Describe(after));
        Assert.Empty(after.ExtraObjects);
        Assert.Equal("public.orders.no Default: expected nextval('invoice_no'::regclass), actual (none)", Assert.Single(after.Differences).ToString());
    }

    [Fact]
    public async Task On_tables_with_rows_checks_and_foreign_keys_are_validated_and_keys_and_indexes_warn_of_the_lock()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync("""
            INSERT INTO customers (email) VALUES ('a@x'), ('b@x');
            INSERT INTO orders (customer_id, total) VALUES (1, 5), (2, 500), (2, 7);
            ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
            ALTER TABLE customers DROP CONSTRAINT customers_email_check;
            ALTER TABLE customers DROP CONSTRAINT customers_email_key;
            DROP INDEX orders_recent_idx;
            """);

        var plan = await bed.PlanAsync(Schema);

        var hazards = plan.Steps.ToDictionary(s => s.Description.Split(':')[0], s => s.Hazards.Select(h => h.Kind).Single());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Add check constraint customers_email_check to customers"] = FixHazardKinds.ValidatesExistingRows,
                ["Add unique constraint customers_email_key to customers"] = FixHazardKinds.LocksTable,
                ["Add foreign key orders_customer_id_fkey to orders"] = FixHazardKinds.ValidatesExistingRows,
                ["Create index orders_recent_idx on orders"] = FixHazardKinds.LocksTable,
            },
            hazards);
        var foreignKey = plan.Steps.Single(s => s.Description.StartsWith("Add foreign key", StringComparison.Ordinal));
        Assert.EndsWith(" NOT VALID", foreignKey.Statements[0], StringComparison.Ordinal);
        Assert.Equal("ALTER TABLE \"public\".\"orders\" VALIDATE CONSTRAINT \"orders_customer_id_fkey\"", foreignKey.Statements[1]);
        Assert.Contains("all 3 row(s) of orders", foreignKey.Hazards[0].Message, StringComparison.Ordinal);
        Assert.False(plan.HasBlockingHazards);

        await bed.ApplyAsync(plan);

        AssertIdentical(await bed.CompareAsync(Schema));
        Assert.Equal("t", await bed.ScalarAsync("SELECT convalidated FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'"));
    }

    [Fact]
    public async Task A_row_that_breaks_a_check_rolls_the_whole_fix_back_and_the_error_names_the_constraint_and_the_row()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync("""
            ALTER TABLE customers DROP CONSTRAINT customers_email_check;
            INSERT INTO customers (email) VALUES ('a@x'), ('no-at-sign'), ('c@x');
            DROP INDEX customers_lower_idx;
            """);
        var plan = await bed.PlanAsync(Schema);
        Assert.Equal([FixOperation.AddConstraint, FixOperation.CreateIndex], plan.Steps.Select(s => s.Operation));

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Equal(ErrorIds.FixFailed, error.ErrorId);
        Assert.Contains("existing rows of public.customers break constraint customers_email_check: the row with id = 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("The whole fix was rolled back", error.Message, StringComparison.Ordinal);

        // Nothing of the fix is left: not the constraint, not the index of the other step.
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_constraint WHERE conname = 'customers_email_check'"));
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'customers_lower_idx'"));
    }

    [Fact]
    public async Task A_row_that_breaks_a_foreign_key_is_named_with_the_value_the_referenced_table_lacks()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync("""
            INSERT INTO customers (email) VALUES ('a@x');
            ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
            INSERT INTO orders (customer_id) VALUES (1), (NULL), (42);
            """);
        var plan = await bed.PlanAsync(Schema);

        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Contains("break constraint orders_customer_id_fkey: the row with id = 3 has customer_id = 42, not in public.customers", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'"));
    }

    [Fact]
    public async Task A_table_dropped_with_cascade_comes_back_with_every_foreign_key_trigger_and_view_that_pointed_at_it()
    {
        const string Shop = """
            CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
            CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, updated_at timestamptz);
            CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id));
            CREATE TABLE invoices (id serial PRIMARY KEY, customer_id int);
            ALTER TABLE invoices ADD CONSTRAINT invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL;
            CREATE TABLE notes (customer_id int REFERENCES customers ON DELETE CASCADE, body text);
            CREATE TRIGGER customers_stamp BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION stamp();
            CREATE VIEW customer_orders AS SELECT c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name;
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, Shop);
        await bed.ExecuteAsync("INSERT INTO invoices (customer_id) VALUES (NULL); DROP TABLE customers CASCADE;");
        var report = await bed.CompareAsync(Shop);
        Assert.Equal(
            ["ForeignKey invoices.invoices_customer", "ForeignKey notes.notes_customer_id_fkey", "ForeignKey orders.orders_customer_id_fkey", "View .customer_orders"],
            report.MissingObjects.Select(o => $"{o.Kind} {o.Table}.{o.Name}").Order(StringComparer.Ordinal));

        var plan = await bed.PlanAsync(Shop);

        Assert.Equal(
            [FixOperation.CreateTable, FixOperation.AddConstraint, FixOperation.AddConstraint, FixOperation.AddConstraint, FixOperation.CreateView, FixOperation.CreateTrigger],
            plan.Steps.Select(s => s.Operation));
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(Shop));
        Assert.Equal(
            ["invoices_customer", "notes_customer_id_fkey", "orders_customer_id_fkey"],
            await bed.QueryAsync("SELECT conname FROM pg_constraint WHERE contype = 'f' AND confrelid = 'customers'::regclass ORDER BY 1"));
        Assert.Equal("customers_stamp", await bed.ScalarAsync("SELECT tgname FROM pg_trigger WHERE tgrelid = 'customers'::regclass AND NOT tgisinternal"));
    }

    [Fact]
    public async Task An_added_column_gets_back_the_primary_key_a_later_alter_gave_it_and_the_foreign_keys_into_it()
    {
        const string Notes = """
            CREATE TABLE notes (body text);
            ALTER TABLE notes ADD COLUMN id integer;
            ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY (id);
            CREATE TABLE tags (note_id integer, tag text);
            ALTER TABLE tags ADD FOREIGN KEY (note_id) REFERENCES notes (id);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, Notes);
        await bed.ExecuteAsync("ALTER TABLE notes DROP COLUMN id CASCADE;");

        var plan = await bed.PlanAsync(Notes);

        Assert.Equal(
            [(FixOperation.AddColumn, "notes"), (FixOperation.AddConstraint, "notes"), (FixOperation.AddConstraint, "tags")],
            plan.Steps.Select(s => (s.Operation, s.Table)));
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(Notes));
        Assert.Equal(["notes_pkey p", "tags_note_id_fkey f"], await bed.QueryAsync("SELECT conname || ' ' || contype::text FROM pg_constraint WHERE conrelid IN ('notes'::regclass, 'tags'::regclass) ORDER BY 1"));
    }

    [Fact]
    public async Task A_rebuilt_table_keeps_the_foreign_keys_into_it_and_gets_its_triggers_back()
    {
        const string Shop = """
            CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TABLE customers (id serial PRIMARY KEY, name text, city text);
            CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers (id) ON DELETE CASCADE);
            CREATE TRIGGER customers_stamp BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION stamp();
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, Shop.Replace("name text, city text", "city text, name text", StringComparison.Ordinal));
        await bed.ExecuteAsync("INSERT INTO customers (name, city) VALUES ('Ann', 'Oslo'); INSERT INTO orders (customer_id) VALUES (1);");

        var plan = await bed.PlanAsync(Shop, new FixPlanOptions(RecreateTables: ["customers"]));
        Assert.Equal([FixOperation.RecreateTable, FixOperation.CreateTrigger], plan.Steps.Select(s => s.Operation));
        await bed.ApplyAsync(plan, new FixApplyOptions(Force: true, NoBackup: true, ProfileName: "test"));

        AssertIdentical(await bed.CompareAsync(Shop));
        Assert.Equal(["1|1"], await bed.QueryAsync("SELECT o.id || '|' || c.id FROM orders o JOIN customers c ON c.id = o.customer_id"));
    }

    [Fact]
    public async Task Extra_objects_are_never_dropped_and_a_changed_definition_is_reported_not_rewritten()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync("""
            CREATE INDEX orders_status_idx ON orders (status);
            CREATE VIEW spare AS SELECT 1 AS one;
            CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 5000;
            DROP INDEX orders_recent_idx;
            """);

        var plan = await bed.PlanAsync(Schema);
        Assert.Equal([FixOperation.CreateIndex], plan.Steps.Select(s => s.Operation));
        await bed.ApplyAsync(plan);

        var after = await bed.CompareAsync(Schema);
        Assert.True(after.IsValid(strict: false));
        Assert.Equal(["Index orders_status_idx", "View spare"], after.ExtraObjects.Select(o => $"{o.Kind} {o.Name}").Order(StringComparer.Ordinal));
        Assert.Equal("big_orders", Assert.Single(after.Differences).Column);
    }

    [Fact]
    public async Task A_missing_enum_label_enum_and_domain_come_back_before_the_tables_that_use_them_enums_first()
    {
        const string Types = """
            CREATE TYPE state AS ENUM ('draft', 'sent', 'paid');
            CREATE DOMAIN money_amount AS numeric(12, 2) DEFAULT 0 CHECK (VALUE >= 0);
            CREATE TYPE size AS ENUM ('s', 'm', 'l');
            CREATE TABLE invoices (id int PRIMARY KEY, state state, amount money_amount, size size);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, """
            CREATE TYPE state AS ENUM ('draft', 'paid');
            CREATE TABLE invoices (id int PRIMARY KEY, state state);
            """);

        var plan = await bed.PlanAsync(Types);

        Assert.Equal(
            ["CreateType public.state", "CreateType public.size", "CreateType public.money_amount", "AddColumn public.invoices", "AddColumn public.invoices"],
            plan.Steps.Select(s => $"{s.Operation} {s.Schema}.{s.Table}"));
        Assert.Equal(["ALTER TYPE \"public\".\"state\" ADD VALUE 'sent' AFTER 'draft'"], plan.Steps[0].Statements);
        Assert.Contains(plan.Warnings, w => w.StartsWith("Labels added to enum state ('sent')", StringComparison.Ordinal));
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(Types));
    }

    [Fact]
    public async Task Shadow_mode_makes_the_missing_objects_from_the_throwaway_catalog_exclusion_constraints_included()
    {
        using var folder = new TempFolder();
        var file = folder.Write("schema.sql", Schema);
        var shadow = await ShadowDatabase.BuildAsync(TestTargets.For(database.Server.DirectConnectionString(database.Name)), file, Public, NullReporter.Instance, CancellationToken.None);
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync(DropEverything + "DROP TABLE orders;");

        var plan = await bed.PlanAsync(shadow, Public);

        Assert.Contains(plan.Steps.Single(s => s.Operation == FixOperation.CreateTable).Statements, s => s.Contains("EXCLUDE USING gist (during WITH &&)", StringComparison.Ordinal));
        await bed.ApplyAsync(plan);
        AssertIdentical(await bed.CompareAsync(shadow, Public));
        AssertIdentical(await bed.CompareAsync(Schema));
    }

    [Fact]
    public async Task After_the_last_step_the_fix_validates_objects_too_and_rolls_back_when_one_is_still_missing()
    {
        await using var bed = await RepairTestBed.CreateAsync(database, Schema);
        await bed.ExecuteAsync("DROP INDEX orders_recent_idx; DROP TRIGGER orders_touch ON orders;");
        var planned = await bed.PlanAsync(Schema);

        // A plan whose trigger step was left out (by hand, or by a plan file edited before import).
        var plan = new FixPlan(planned.Expected, planned.Schemas, [planned.Steps[0]], planned.Warnings);
        var error = await Assert.ThrowsAsync<DbAdapterException>(() => bed.ApplyAsync(plan));

        Assert.Contains("trigger orders.orders_touch (BEFORE UPDATE OF total", error.Message, StringComparison.Ordinal);
        Assert.Contains("is still missing", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await bed.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname = 'orders_recent_idx'"));
    }
}
