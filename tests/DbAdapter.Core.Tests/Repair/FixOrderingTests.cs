using DbAdapter.Core.Repair;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>Steps ordered by foreign keys: parents first, cycles closed by ALTERs at the end.</summary>
public sealed class FixOrderingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_child_listed_before_its_parent_is_created_after_it()
    {
        const string schema = """
            CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE);
            CREATE INDEX orders_customer_idx ON orders (customer_id);
            CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, "SELECT 1;");

        var plan = await bed.PlanAsync(schema);

        Assert.Equal(["public.customers", "public.orders"], plan.Steps.Select(s => s.Target).ToArray());
        Assert.Equal(
            "CREATE TABLE \"public\".\"orders\" (id SERIAL PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE);\n" +
            "CREATE INDEX orders_customer_idx ON \"public\".\"orders\" (customer_id);",
            plan.Steps[1].Sql);
        await bed.ApplyAsync(plan);
        Assert.True((await bed.CompareAsync(schema)).IsValid(strict: true));
        Assert.Equal("orders_customer_idx", await bed.ScalarAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'orders' AND indexname LIKE '%customer%'"));
    }

    [Fact]
    public async Task A_two_table_cycle_is_created_without_the_forward_key_which_is_added_at_the_end()
    {
        const string schema = """
            CREATE TABLE teams (id SERIAL PRIMARY KEY, captain_id INTEGER, CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players(id) ON DELETE SET NULL);
            CREATE TABLE players (id SERIAL PRIMARY KEY, team_id INTEGER REFERENCES teams(id), mentor_id INTEGER REFERENCES players(id));
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, "SELECT 1;");

        var plan = await bed.PlanAsync(schema);

        Assert.Equal(["public.teams", "public.players"], plan.Steps.Select(s => s.Target).ToArray());
        Assert.Equal("CREATE TABLE \"public\".\"teams\" (id SERIAL PRIMARY KEY, captain_id INTEGER);", plan.Steps[0].Sql);
        Assert.Equal(
            "CREATE TABLE \"public\".\"players\" (id SERIAL PRIMARY KEY, team_id INTEGER REFERENCES \"public\".\"teams\"(id), mentor_id INTEGER REFERENCES \"public\".\"players\"(id));\n" +
            "ALTER TABLE \"public\".\"teams\" ADD CONSTRAINT \"teams_captain_fk\" FOREIGN KEY (\"captain_id\") REFERENCES players(id) ON DELETE SET NULL;",
            plan.Steps[1].Sql);
        Assert.Equal("Create table players, then add the foreign keys that close a cycle: teams(captain_id) → players", plan.Steps[1].Description);

        await bed.ApplyAsync(plan);

        Assert.Equal(
            ["players|players_mentor_id_fkey|players", "players|players_team_id_fkey|teams", "teams|teams_captain_fk|players"],
            await bed.QueryAsync("""
                SELECT conrelid::regclass::text, conname, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2
                """));
        Assert.Equal("n", await bed.ScalarAsync("SELECT confdeltype FROM pg_constraint WHERE conname = 'teams_captain_fk'"));
    }

    [Fact]
    public async Task An_added_column_that_references_a_created_table_comes_after_it()
    {
        const string schema = """
            CREATE TABLE products (id SERIAL PRIMARY KEY, brand_id INTEGER REFERENCES brands(id));
            CREATE TABLE brands (id SERIAL PRIMARY KEY, name TEXT);
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, "CREATE TABLE products (id SERIAL PRIMARY KEY); INSERT INTO products DEFAULT VALUES;");

        var plan = await bed.PlanAsync(schema);

        Assert.Equal([FixOperation.CreateTable, FixOperation.AddColumn], plan.Steps.Select(s => s.Operation).ToArray());
        Assert.Equal("public.brands", plan.Steps[0].Target);
        await bed.ApplyAsync(plan);
        Assert.Equal("brands", await bed.ScalarAsync("SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'products_brand_id_fkey'"));
    }

    [Fact]
    public async Task A_created_table_gets_the_columns_and_settings_of_later_alter_statements()
    {
        const string schema = """
            CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT);
            ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'me';
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            """;
        await using var bed = await RepairTestBed.CreateAsync(database, "SELECT 1;");

        var plan = await bed.PlanAsync(schema);

        var step = Assert.Single(plan.Steps);
        Assert.Equal(
            "CREATE TABLE \"public\".\"notes\" (id SERIAL PRIMARY KEY, body TEXT);\nALTER TABLE \"public\".\"notes\" ADD COLUMN author TEXT NOT NULL DEFAULT 'me';\nALTER TABLE \"public\".\"notes\" ENABLE ROW LEVEL SECURITY;",
            step.Sql);
        await bed.ApplyAsync(plan);
        Assert.True((await bed.CompareAsync(schema)).IsValid(strict: true));
        Assert.Equal("t", await bed.ScalarAsync("SELECT relrowsecurity FROM pg_class WHERE relname = 'notes'"));
    }
}
