using DbAdapter.Core.Schema;
using DbAdapter.TestSupport;
using Npgsql;
using static DbAdapter.Core.Tests.Schema.SchemaTestHelpers;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Every object kind the introspector reads, from a database built with real DDL.</summary>
public sealed class IntrospectionTests(IntrospectionTests.Fixture database) : IClassFixture<IntrospectionTests.Fixture>
{
    private const string Ddl = """
        CREATE SCHEMA other;
        CREATE TABLE public.accounts (
            region  text NOT NULL,
            number  integer NOT NULL,
            name    varchar(50) NOT NULL DEFAULT 'x',
            balance numeric(10,2) DEFAULT 0,
            tags    text[],
            created timestamptz NOT NULL DEFAULT now(),
            code    integer GENERATED ALWAYS AS IDENTITY,
            doubled numeric GENERATED ALWAYS AS (balance * 2) STORED,
            PRIMARY KEY (number, region),
            CONSTRAINT accounts_name_key UNIQUE (name),
            CONSTRAINT accounts_pair_key UNIQUE (region, name),
            CONSTRAINT balance_positive CHECK (balance >= 0)
        );
        CREATE TABLE public.transfers (
            id        bigserial PRIMARY KEY,
            to_region text,
            to_number integer,
            amount    numeric(10,2) NOT NULL,
            CONSTRAINT transfers_account_fk FOREIGN KEY (to_number, to_region)
                REFERENCES public.accounts (number, region) ON DELETE CASCADE ON UPDATE SET NULL
        );
        ALTER TABLE public.transfers DROP COLUMN amount;
        ALTER TABLE public.transfers ADD COLUMN amount numeric(12,4);
        CREATE INDEX transfers_lower_idx ON public.transfers (lower(to_region), to_number);
        CREATE INDEX transfers_big_idx ON public.transfers (amount) WHERE amount > 1000;
        CREATE VIEW public.big_transfers AS SELECT * FROM public.transfers WHERE amount > 1000;
        CREATE TABLE "Mixed Case" ("Id" int PRIMARY KEY, "Name" text, CONSTRAINT never CHECK (false) NO INHERIT);
        CREATE TABLE other.notes (id int PRIMARY KEY, account_number int, account_region text,
            FOREIGN KEY (account_number, account_region) REFERENCES public.accounts (number, region));
        CREATE TABLE public.events (id int, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER accounts_touch BEFORE INSERT OR UPDATE OR DELETE ON public.accounts
            FOR EACH ROW EXECUTE FUNCTION public.touch();
        CREATE TRIGGER transfers_audit AFTER TRUNCATE ON public.transfers
            FOR EACH STATEMENT EXECUTE FUNCTION public.touch();
        CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
        CREATE FUNCTION public.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a + b';
        CREATE FUNCTION other.hidden() RETURNS int LANGUAGE sql AS 'SELECT 1';
        """;

    [Fact]
    public async Task Reads_tables_but_not_views_with_partitioned_ones_and_only_the_requested_schemas()
    {
        var model = await ReadAsync(database.ConnectionString);

        Assert.Equal(["Mixed Case", "accounts", "events", "transfers"], model.Tables.Select(t => t.Name).ToArray());
        Assert.All(model.Tables, t => Assert.Equal("public", t.Schema));
        Assert.DoesNotContain(model.Functions, f => f.Name == "hidden");
    }

    [Fact]
    public async Task Reads_columns_in_attnum_order_when_the_catalog_returns_them_out_of_order()
    {
        // SET DEFAULT rewrites column a's pg_attribute row after b's and c's, and a plan that scans
        // pg_attribute in its physical order then returns b, c, a: the reader puts them back in order.
        await database.ExecuteAsync("""
            CREATE SCHEMA reordered;
            CREATE TABLE reordered.t (a int, b text, c int);
            ALTER TABLE reordered.t ALTER COLUMN a SET DEFAULT 1;
            """);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var plan = new NpgsqlCommand("SET enable_indexscan = off; SET enable_bitmapscan = off", connection))
        {
            await plan.ExecuteNonQueryAsync();
        }

        await using (var raw = new NpgsqlCommand("SELECT string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = 'reordered.t'::regclass AND a.attnum > 0", connection))
        {
            Assert.Equal("b,c,a", await raw.ExecuteScalarAsync());
        }

        var model = await SchemaIntrospector.ReadAsync(connection, ["reordered"], forRepair: false, statistics: null, CancellationToken.None);

        var table = Assert.Single(model.Tables);
        Assert.Equal(["a", "b", "c"], table.Columns.Select(c => c.Name).ToArray());
        Assert.Equal("1", table.FindColumn("a")!.Default);
        Assert.Equal("text", table.FindColumn("b")!.Type);
    }

    [Fact]
    public async Task Reads_columns_in_order_with_formatted_types_defaults_identity_and_generated()
    {
        var model = await ReadAsync(database.ConnectionString);
        var accounts = model.FindTable("public", "accounts")!;

        Assert.Equal(["region", "number", "name", "balance", "tags", "created", "code", "doubled"], accounts.Columns.Select(c => c.Name).ToArray());
        var name = accounts.FindColumn("name")!;
        Assert.Equal("character varying(50)", name.Type);
        Assert.True(name.NotNull);
        Assert.Equal("'x'::character varying", name.Default);
        Assert.Equal("numeric(10,2)", accounts.FindColumn("balance")!.Type);
        Assert.Equal("text[]", accounts.FindColumn("tags")!.Type);
        Assert.Equal("timestamp with time zone", accounts.FindColumn("created")!.Type);
        Assert.Equal("now()", accounts.FindColumn("created")!.Default);
        Assert.False(accounts.FindColumn("balance")!.NotNull);

        var code = accounts.FindColumn("code")!;
        Assert.Equal("a", code.Identity);
        Assert.Null(code.Default);
        Assert.True(code.NotNull);

        var doubled = accounts.FindColumn("doubled")!;
        Assert.Equal("(balance * (2)::numeric)", doubled.Generated);
        Assert.Null(doubled.Default);
        Assert.Null(accounts.FindColumn("name")!.Generated);

        // A dropped column leaves a hole in attnum: it must not appear, and order must hold.
        var transfers = model.FindTable("public", "transfers")!;
        Assert.Equal(["id", "to_region", "to_number", "amount"], transfers.Columns.Select(c => c.Name).ToArray());
        Assert.Equal("numeric(12,4)", transfers.FindColumn("amount")!.Type);
        Assert.StartsWith("nextval('transfers_id_seq'", transfers.FindColumn("id")!.Default, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_primary_key_in_key_order_uniques_and_checks()
    {
        var accounts = (await ReadAsync(database.ConnectionString)).FindTable("public", "accounts")!;

        Assert.Equal(["number", "region"], accounts.PrimaryKey);
        Assert.True(accounts.FindColumn("number")!.IsPrimaryKey);
        Assert.False(accounts.FindColumn("name")!.IsPrimaryKey);
        Assert.Equal(2, accounts.Uniques.Count);
        Assert.Equal(["name"], accounts.Uniques.Single(u => u.Name == "accounts_name_key").Columns);
        Assert.Equal(["region", "name"], accounts.Uniques.Single(u => u.Name == "accounts_pair_key").Columns);
        Assert.True(accounts.FindColumn("name")!.IsUnique);
        Assert.False(accounts.FindColumn("region")!.IsUnique);
        var check = Assert.Single(accounts.Checks);
        Assert.Equal("balance_positive", check.Name);
        Assert.Equal("CHECK (balance >= 0::numeric)", check.Expression);

        var columnless = Assert.Single((await ReadAsync(database.ConnectionString)).FindTable("public", "Mixed Case")!.Checks);
        Assert.Equal("CHECK (false) NO INHERIT", columnless.Expression);
    }

    [Fact]
    public async Task Reads_composite_foreign_keys_with_every_column_in_order_and_actions_as_words()
    {
        var model = await ReadAsync(database.ConnectionString, ["public", "other"]);

        var fk = Assert.Single(model.FindTable("public", "transfers")!.ForeignKeys);
        Assert.Equal("transfers_account_fk", fk.Name);
        Assert.Equal(["to_number", "to_region"], fk.Columns);
        Assert.Equal("public", fk.ReferencedSchema);
        Assert.Equal("accounts", fk.ReferencedTable);
        Assert.Equal(["number", "region"], fk.ReferencedColumns);
        Assert.Equal("CASCADE", fk.OnDelete);
        Assert.Equal("SET NULL", fk.OnUpdate);

        var crossSchema = Assert.Single(model.FindTable("other", "notes")!.ForeignKeys);
        Assert.Equal("NO ACTION", crossSchema.OnDelete);
        Assert.Equal("NO ACTION", crossSchema.OnUpdate);
        Assert.Equal(["account_number", "account_region"], crossSchema.Columns);

        // The referenced table is outside the schemas read (as Supabase's auth.users is): still named.
        var outside = Assert.Single((await ReadAsync(database.ConnectionString, ["other"])).Tables.Single().ForeignKeys);
        Assert.Equal(("public", "accounts"), (outside.ReferencedSchema, outside.ReferencedTable));
        Assert.Equal(["number", "region"], outside.ReferencedColumns);
    }

    [Fact]
    public async Task Reads_indexes_with_expressions_predicates_and_constraint_backing()
    {
        var indexes = (await ReadAsync(database.ConnectionString, forRepair: true)).Indexes;

        var expression = indexes.Single(i => i.Name == "transfers_lower_idx");
        Assert.Equal("transfers", expression.Table);
        Assert.Equal(["lower(to_region)", "to_number"], expression.Columns);
        Assert.False(expression.IsConstraint);
        Assert.False(expression.IsUnique);
        Assert.Null(expression.Predicate);
        Assert.Equal("CREATE INDEX transfers_lower_idx ON public.transfers USING btree (lower(to_region), to_number)", expression.Definition);

        var partial = indexes.Single(i => i.Name == "transfers_big_idx");
        Assert.Equal("amount > 1000::numeric", partial.Predicate);
        Assert.Contains("WHERE", partial.Definition, StringComparison.Ordinal);

        var primary = indexes.Single(i => i.Name == "accounts_pkey");
        Assert.True(primary.IsConstraint);
        Assert.True(primary.IsUnique);
        Assert.Equal(["number", "region"], primary.Columns);
        Assert.True(indexes.Single(i => i.Name == "accounts_name_key").IsConstraint);

        // Quoted names come back exactly as stored.
        Assert.Equal("Mixed Case_pkey", indexes.Single(i => i.Table == "Mixed Case").Name);

        // A comparison needs the parts, not the server's whole text: only a model repair builds from has it.
        var compared = (await ReadAsync(database.ConnectionString)).Indexes.Single(i => i.Name == "transfers_lower_idx");
        Assert.Equal((string.Empty, "btree", "lower(to_region)|to_number"), (compared.Definition, compared.Method, string.Join('|', expression.Columns)));
    }

    [Fact]
    public async Task Reads_every_event_of_a_trigger_and_no_internal_foreign_key_triggers()
    {
        var triggers = (await ReadAsync(database.ConnectionString)).Triggers;

        Assert.Equal(["accounts_touch", "transfers_audit"], triggers.Select(t => t.Name).ToArray());
        var touch = triggers[0];
        Assert.Equal("accounts", touch.Table);
        Assert.Equal("BEFORE", touch.Timing);
        Assert.Equal(["INSERT", "UPDATE", "DELETE"], touch.Events);
        Assert.Equal("public.touch", touch.Function);
        Assert.Equal("AFTER", triggers[1].Timing);
        Assert.Equal(["TRUNCATE"], triggers[1].Events);
    }

    [Fact]
    public async Task Keeps_function_overloads_apart()
    {
        var functions = (await ReadAsync(database.ConnectionString)).Functions;

        var adds = functions.Where(f => f.Name == "add").ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal(["a integer, b integer", "a numeric, b numeric"], adds.Select(f => f.Arguments).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("integer", adds.Single(f => f.Arguments == "a integer, b integer").ReturnType);
        Assert.Contains(functions, f => f.Name == "touch" && f.ReturnType == "trigger" && f.Arguments.Length == 0);
    }

    [Fact]
    public async Task Works_inside_the_callers_transaction_and_leaves_it_open()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE uncommitted (id int)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var statistics = new SchemaQueryStatistics();
        var model = await SchemaIntrospector.ReadAsync(connection, Public, statistics, CancellationToken.None);

        // It sees the transaction's own work, and the transaction is still usable afterwards.
        Assert.NotNull(model.FindTable("public", "uncommitted"));
        await transaction.RollbackAsync();
        Assert.Equal(1, statistics.RoundTrips);
        Assert.Null((await ReadAsync(database.ConnectionString)).FindTable("public", "uncommitted"));
    }

    [Fact]
    public async Task An_empty_schema_list_reads_nothing_and_an_unknown_schema_reads_empty()
    {
        Assert.Empty((await ReadAsync(database.ConnectionString, [])).Tables);
        Assert.Empty((await ReadAsync(database.ConnectionString, ["no_such_schema"])).Tables);
    }

    /// <summary>The test database with the DDL above applied once for the class.</summary>
    public sealed class Fixture : TestDatabase
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await ExecuteAsync(Ddl);
        }
    }
}
