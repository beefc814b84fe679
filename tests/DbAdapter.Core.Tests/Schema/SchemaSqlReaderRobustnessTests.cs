using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// Broken input must end in warnings or a DbAdapterException, never in a crash: every prefix of a
/// schema and every single-token deletion is read.
/// </summary>
public sealed class SchemaSqlReaderRobustnessTests
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS app.parent (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text UNIQUE NOT NULL);
        CREATE TABLE app.child (
            id serial, parent_id bigint REFERENCES app.parent (id) ON DELETE CASCADE,
            span interval DEFAULT make_interval(days => 1, hours => 2),
            status text CHECK (status IN ('a', 'b')), total numeric GENERATED ALWAYS AS (id * 2) STORED,
            CONSTRAINT child_pk PRIMARY KEY (id), UNIQUE (parent_id, status),
            FOREIGN KEY (parent_id) REFERENCES app.parent, EXCLUDE USING gist (span WITH =)
        ) PARTITION BY RANGE (id);
        CREATE TABLE app.child_1 PARTITION OF app.child FOR VALUES FROM (1) TO (10);
        CREATE TABLE app.copy (LIKE app.parent INCLUDING ALL);
        CREATE TABLE app.sub (extra int) INHERITS (app.child);
        ALTER TABLE app.child ADD COLUMN IF NOT EXISTS note text DEFAULT 'x', ALTER COLUMN status SET NOT NULL, DROP COLUMN total;
        ALTER TABLE app.child ADD CONSTRAINT c FOREIGN KEY (id) REFERENCES app.parent (id) NOT VALID;
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY app.child USING btree (lower(status), id DESC) WHERE id > 0;
        CREATE TRIGGER t BEFORE INSERT OR UPDATE OF status ON app.child FOR EACH ROW EXECUTE FUNCTION app.f();
        CREATE FUNCTION app.f(a int DEFAULT 1) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        SET search_path TO app;
        CREATE TABLE last (x int);
        """;

    [Fact]
    public void The_whole_schema_reads_without_warnings()
    {
        var model = SchemaSqlReader.Read(Schema);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "app.parent", "app.child", "app.child_1", "app.copy", "app.sub", "app.last");
        SchemaAssert.Columns(
            model.Tables[1],
            ("id", "serial", true, null),
            ("parent_id", "bigint", false, null),
            ("span", "interval", false, "make_interval(days => 1, hours => 2)"),
            ("status", "text", true, null),
            ("note", "text", false, "'x'"));
        SchemaAssert.Columns(model.Tables[3], ("id", "bigint", true, null), ("code", "text", true, null));
        Assert.Equal("a", model.Tables[3].Columns[0].Identity);
        Assert.Equal(["id"], model.Tables[3].PrimaryKey);
        // The ALTER of the parent reaches the inheritance child, as on the server.
        SchemaAssert.Columns(
            model.Tables[4],
            ("id", "serial", true, null),
            ("parent_id", "bigint", false, null),
            ("span", "interval", false, "make_interval(days => 1, hours => 2)"),
            ("status", "text", true, null),
            ("extra", "int", false, null),
            ("note", "text", false, "'x'"));
    }

    [Fact]
    public void Every_prefix_is_read_or_rejected_cleanly()
    {
        foreach (var token in SqlTokenizer.Tokenize(Schema))
        {
            ReadOrReject(Schema[..token.End]);
        }
    }

    [Fact]
    public void Every_single_token_deletion_is_read_or_rejected_cleanly()
    {
        foreach (var token in SqlTokenizer.Tokenize(Schema))
        {
            ReadOrReject(Schema[..token.Start] + " " + Schema[token.End..]);
        }
    }

    private static void ReadOrReject(string sql)
    {
        try
        {
            var model = SchemaSqlReader.Read(sql, "s.sql");
            Assert.All(model.Warnings, w => Assert.StartsWith("line ", w, StringComparison.Ordinal));
            Assert.All(model.Tables.SelectMany(t => t.Columns), c => Assert.False(string.IsNullOrEmpty(c.Name)));
        }
        catch (DbAdapterException ex)
        {
            Assert.Equal(ErrorIds.SchemaFileInvalid, ex.ErrorId);
        }
    }
}
