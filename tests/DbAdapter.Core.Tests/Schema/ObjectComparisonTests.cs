using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Repair;
using DbAdapter.TestSupport;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Objects beyond columns, compared on a real server: each kind missing (an error), extra (reported)
/// and with another definition (a difference, an error only when strict), in the server's spelling
/// whatever the file's, and matched by meaning where the server chooses the name.
/// </summary>
public sealed class ObjectComparisonTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // One of every kind, spelled as people write them (aliases, IN lists, unnamed constraints).
    internal const string Schema = """
        CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad');
        CREATE DOMAIN positive AS int CHECK (VALUE > 0);
        CREATE SEQUENCE invoice_no AS bigint INCREMENT BY 10;
        CREATE TABLE customers (
            id serial PRIMARY KEY,
            email varchar(200) NOT NULL UNIQUE,
            mood mood DEFAULT 'meh',
            score positive,
            CONSTRAINT customers_email_check CHECK (email LIKE '%@%')
        );
        CREATE TABLE orders (
            id bigserial PRIMARY KEY,
            customer_id int REFERENCES customers (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid')),
            during tsrange,
            total numeric(10, 2),
            no bigint DEFAULT nextval('invoice_no'),
            EXCLUDE USING gist (during WITH &&)
        );
        CREATE INDEX orders_recent_idx ON orders (customer_id, id DESC) INCLUDE (total) WHERE total > 100;
        CREATE INDEX ON customers (lower(email));
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE FUNCTION order_count(c int) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM orders WHERE customer_id = c $$;
        CREATE TRIGGER orders_touch BEFORE UPDATE OF total ON orders
            FOR EACH ROW WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION touch();
        CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;
        CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
        """;

    [Fact]
    public async Task A_database_built_from_the_file_has_no_object_missing_extra_or_different()
    {
        var comparison = await CompareAsync(Schema, drift: string.Empty);

        AssertIdentical(comparison);
        Assert.Empty(comparison.MissingObjects);
        Assert.Empty(comparison.ExtraObjects);
        Assert.Empty(comparison.Warnings);
    }

    [Fact]
    public async Task Each_kind_missing_is_reported_with_its_definition_and_makes_the_schema_invalid()
    {
        // Definitions in the server's words, but a missing view's as written: it is not shown to the
        // server (its tables may be gone too), since there is nothing to compare it with.
        var comparison = await CompareAsync(Schema, """
            ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
            ALTER TABLE customers DROP CONSTRAINT customers_pkey;
            ALTER TABLE customers DROP CONSTRAINT customers_email_key;
            ALTER TABLE customers DROP CONSTRAINT customers_email_check;
            ALTER TABLE orders DROP CONSTRAINT orders_during_excl;
            DROP INDEX orders_recent_idx;
            DROP TRIGGER orders_touch ON orders;
            DROP VIEW big_orders;
            DROP MATERIALIZED VIEW order_totals;
            DROP FUNCTION order_count(integer);
            ALTER TABLE orders ALTER COLUMN no DROP DEFAULT;
            DROP SEQUENCE invoice_no;
            ALTER TABLE customers ALTER COLUMN score TYPE integer;
            DROP DOMAIN positive;
            """);

        Assert.Equal(
            string.Join('\n',
            [
                "Check public.customers.customers_email_check: CHECK (email::text ~~ '%@%'::text)",
                "Domain public.positive: AS integer CHECK (VALUE > 0)",
                "Exclusion public.orders.orders_during_excl: EXCLUDE USING gist (during WITH &&)",
                "ForeignKey public.orders.orders_customer_id_fkey: FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
                "Function public.order_count(c integer): FUNCTION order_count(c integer) RETURNS bigint LANGUAGE sql STABLE PARALLEL UNSAFE",
                "Index public.orders.orders_recent_idx: USING btree (customer_id, id DESC) INCLUDE (total) WHERE total > 100::numeric",
                "PrimaryKey public.customers.customers_pkey: PRIMARY KEY (id)",
                "Sequence public.invoice_no: AS bigint INCREMENT BY 10",
                "Trigger public.orders.orders_touch: BEFORE UPDATE OF total FOR EACH ROW WHEN (old.total IS DISTINCT FROM new.total) EXECUTE FUNCTION public.touch()",
                "Unique public.customers.customers_email_key: UNIQUE (email)",
                "View public.big_orders: VIEW AS SELECT id, total FROM orders WHERE total > 1000",
                "View public.order_totals: MATERIALIZED VIEW AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id",
            ]),
            string.Join('\n', comparison.MissingObjects.Select(o => $"{o.Kind} {o.Schema}.{(o.Table is null ? string.Empty : o.Table + ".")}{o.Name}: {o.Definition}").Order(StringComparer.Ordinal)));
        Assert.Equal(12, comparison.ErrorCount(strict: false));
        Assert.False(comparison.IsValid(strict: false));
        Assert.Contains(comparison.MissingItems(), m => m.StartsWith("foreign key orders.orders_customer_id_fkey is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_kind_extra_is_reported_but_is_no_error()
    {
        var comparison = await CompareAsync(Schema, """
            ALTER TYPE mood ADD VALUE 'angry';
            CREATE TYPE size AS ENUM ('s', 'm');
            CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10);
            CREATE SEQUENCE spare;
            ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
            ALTER TABLE orders ADD UNIQUE (no);
            ALTER TABLE orders ADD CONSTRAINT orders_self_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
            CREATE INDEX orders_status_idx ON orders (status);
            CREATE FUNCTION spare_fn() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';
            CREATE TRIGGER customers_touch BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE VIEW spare_view AS SELECT 1 AS one;
            """);

        Assert.Equal(
            [
                "Check public.orders.orders_total_check", "Domain public.short_text", "Enum public.mood", "Enum public.size", "ForeignKey public.orders.orders_self_fkey",
                "Function public.spare_fn()", "Index public.orders.orders_status_idx", "Sequence public.spare", "Trigger public.customers.customers_touch",
                "Unique public.orders.orders_no_key", "View public.spare_view",
            ],
            comparison.ExtraObjects.Select(o => $"{o.Kind} {o.Schema}.{(o.Table is null ? string.Empty : o.Table + ".")}{o.Name}").Order(StringComparer.Ordinal));
        Assert.Contains(comparison.ExtraObjects, o => o.Kind == ObjectKind.Enum && o.Name == "mood" && o.Definition == "VALUE 'angry'");
        Assert.Empty(comparison.MissingObjects);
        Assert.True(comparison.IsValid(strict: true));
    }

    [Fact]
    public async Task Each_kind_with_another_definition_is_a_difference_that_counts_only_when_strict()
    {
        // The database built from a changed file: same names, other definitions.
        var changed = Schema
            .Replace("CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad')", "CREATE TYPE mood AS ENUM ('meh', 'happy', 'sad')", StringComparison.Ordinal)
            .Replace("CHECK (VALUE > 0)", "CHECK (VALUE >= 0)", StringComparison.Ordinal)
            .Replace("INCREMENT BY 10", "INCREMENT BY 5", StringComparison.Ordinal)
            .Replace("CHECK (email LIKE '%@%')", "CHECK (email LIKE '%@%.%')", StringComparison.Ordinal)
            .Replace("ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED", "ON DELETE SET NULL", StringComparison.Ordinal)
            .Replace("WHERE total > 100", "WHERE total > 500", StringComparison.Ordinal)
            .Replace("LANGUAGE sql STABLE", "LANGUAGE sql VOLATILE", StringComparison.Ordinal)
            .Replace("BEFORE UPDATE OF total ON orders", "AFTER UPDATE OF total ON orders", StringComparison.Ordinal)
            .Replace("WHERE total > 1000", "WHERE total > 2000", StringComparison.Ordinal);
        var comparison = await CompareLiveAsync(Schema, changed);

        Assert.Equal(
            [
                "Constraint public.customers.customers_email_check",
                "Constraint public.orders.orders_customer_id_fkey",
                "Domain public.positive",
                "Enum public.mood",
                "Function public.order_count(c integer)",
                "Index public.orders.orders_recent_idx",
                "Sequence public.invoice_no",
                "Trigger public.orders.orders_touch",
                "View public.big_orders",
            ],
            comparison.Differences.Select(d => $"{d.Kind} {d.Schema}.{(d.Table.Length == 0 ? string.Empty : d.Table + ".")}{d.Column}").Order(StringComparer.Ordinal));
        var check = comparison.Differences.Single(d => d.Column == "customers_email_check");
        Assert.Equal(("CHECK (email::text ~~ '%@%'::text)", "CHECK (email::text ~~ '%@%.%'::text)"), (check.Expected, check.Actual));
        Assert.Equal(
            ("FUNCTION order_count(c integer) RETURNS bigint LANGUAGE sql STABLE PARALLEL UNSAFE", "FUNCTION order_count(c integer) RETURNS bigint LANGUAGE sql VOLATILE PARALLEL UNSAFE"),
            (comparison.Differences.Single(d => d.Kind == DifferenceKind.Function).Expected, comparison.Differences.Single(d => d.Kind == DifferenceKind.Function).Actual));
        Assert.Empty(comparison.MissingObjects);
        Assert.Empty(comparison.ExtraObjects);
        Assert.True(comparison.IsValid(strict: false));
        Assert.Equal(9, comparison.ErrorCount(strict: true));
    }

    [Fact]
    public async Task Unnamed_constraints_and_indexes_match_whatever_name_the_server_gave_them()
    {
        // A 70-character table name: the server cuts generated names to 63 bytes.
        var longName = "invoice_lines_of_the_accounting_department_of_the_northern_subsidiary";
        var expected = $"""
            CREATE TABLE parents (id int PRIMARY KEY);
            CREATE TABLE {longName} (
                id int PRIMARY KEY, parent_id int REFERENCES parents, code text UNIQUE, qty int CHECK (qty > 0), UNIQUE (parent_id, code));
            CREATE INDEX ON {longName} (lower(code));
            """;
        var live = $"""
            CREATE TABLE parents (id int CONSTRAINT parents_key PRIMARY KEY);
            CREATE TABLE {longName} (
                id int CONSTRAINT pk PRIMARY KEY, parent_id int CONSTRAINT to_parent REFERENCES parents (id), code text CONSTRAINT one_code UNIQUE,
                qty int CONSTRAINT positive_qty CHECK (qty > 0), CONSTRAINT one_code_per_parent UNIQUE (parent_id, code));
            CREATE INDEX lower_code ON {longName} (lower(code));
            """;

        AssertIdentical(await CompareLiveAsync(expected, live));
        AssertIdentical(await CompareAsync(expected, drift: string.Empty));

        // The names the file leaves to the server are the server's own, cut to 63 bytes as it cuts
        // them: a dropped one is reported by the name the server had given it.
        await using var bed = await RepairTestBed.CreateAsync(database, expected);
        var name = await bed.ScalarAsync("SELECT conname FROM pg_constraint WHERE contype = 'c' AND conrelid::regclass::text LIKE 'invoice_lines%'");
        await bed.ExecuteAsync($"ALTER TABLE {longName} DROP CONSTRAINT {name};");
        var dropped = await bed.CompareAsync(expected);
        Assert.Equal(name, Assert.Single(dropped.MissingObjects).Name);
        Assert.Equal(63, name.Length);
    }

    [Fact]
    public async Task A_foreign_key_to_a_table_outside_the_compared_schemas_is_compared_and_the_table_is_not_missing()
    {
        // Supabase: profiles reference auth.users, a schema the profile does not compare.
        const string Expected = """
            CREATE SCHEMA auth;
            CREATE TABLE auth.users (id uuid PRIMARY KEY);
            CREATE TABLE profiles (id uuid PRIMARY KEY REFERENCES auth.users ON DELETE CASCADE, name text);
            """;

        var loaded = await CompareAsync(Expected, drift: string.Empty);
        AssertIdentical(loaded);
        Assert.StartsWith("Table auth.users of the schema file is in schema 'auth', which is not among the compared schemas", Assert.Single(loaded.Warnings), StringComparison.Ordinal);

        var dropped = await CompareAsync(Expected, "ALTER TABLE profiles DROP CONSTRAINT profiles_id_fkey;");
        var missing = Assert.Single(dropped.MissingObjects);
        Assert.Equal("FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE", missing.Definition);
        Assert.Empty(dropped.MissingTables);
    }

    [Fact]
    public async Task An_enum_lacking_a_label_misses_it_one_with_another_label_has_it_extra_and_another_order_differs()
    {
        const string Expected = "CREATE TYPE state AS ENUM ('draft', 'sent', 'paid'); CREATE TABLE t (s state);";

        var comparison = await CompareLiveAsync(Expected, "CREATE TYPE state AS ENUM ('draft', 'paid', 'void'); CREATE TABLE t (s state);");
        Assert.Equal(["public.state VALUE 'sent'"], comparison.MissingObjects.Select(o => $"{o.Schema}.{o.Name} {o.Definition}"));
        Assert.Equal(["public.state VALUE 'void'"], comparison.ExtraObjects.Select(o => $"{o.Schema}.{o.Name} {o.Definition}"));
        Assert.Empty(comparison.Differences);

        var reordered = await CompareLiveAsync(Expected, "CREATE TYPE state AS ENUM ('sent', 'draft', 'paid'); CREATE TABLE t (s state);");
        Assert.Equal(("ENUM ('draft', 'sent', 'paid')", "ENUM ('sent', 'draft', 'paid')"), (reordered.Differences.Single().Expected, reordered.Differences.Single().Actual));
        Assert.True(reordered.IsValid(strict: false));
    }

    [Fact]
    public async Task A_partition_and_its_parent_are_compared_once_however_the_file_writes_the_partition()
    {
        // pg_dump writes the partition's key and index and attaches them; a hand-written file leaves
        // them to the server. Both are the same database.
        const string Dumped = """
            CREATE TABLE m (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
            CREATE TABLE m_2024 (id int NOT NULL, at date NOT NULL, v int);
            ALTER TABLE ONLY m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            ALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);
            ALTER TABLE ONLY m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, at);
            CREATE INDEX m_v_idx ON ONLY m (v);
            CREATE INDEX m_2024_v_idx ON m_2024 (v);
            ALTER INDEX m_pkey ATTACH PARTITION m_2024_pkey;
            ALTER INDEX m_v_idx ATTACH PARTITION m_2024_v_idx;
            """;
        const string Written = """
            CREATE TABLE m (id int, at date, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE INDEX m_v_idx ON m (v);
            CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            """;

        AssertIdentical(await CompareLiveAsync(Dumped, Written));
        AssertIdentical(await CompareLiveAsync(Written, Dumped));
        var dropped = await CompareAsync(Written, "DROP INDEX m_v_idx;");
        Assert.Equal(["m.m_v_idx"], dropped.MissingObjects.Select(o => $"{o.Table}.{o.Name}"));
    }

    /// <summary>A database built from <paramref name="schema"/>, then <paramref name="drift"/>, compared with the file.</summary>
    private async Task<SchemaComparison> CompareAsync(string schema, string drift)
    {
        await using var bed = await RepairTestBed.CreateAsync(database, schema);
        if (drift.Length > 0)
        {
            await bed.ExecuteAsync(drift);
        }

        return await bed.CompareAsync(schema);
    }

    /// <summary>A database built from <paramref name="live"/>, compared with the file <paramref name="expected"/>.</summary>
    private async Task<SchemaComparison> CompareLiveAsync(string expected, string live)
    {
        await using var bed = await RepairTestBed.CreateAsync(database, live);
        return await bed.CompareAsync(expected);
    }
}
