using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Table constraints are told apart from columns and recorded where they belong.</summary>
public sealed class SchemaSqlReaderConstraintTests
{
    [Fact]
    public void Table_constraints_are_recorded_and_never_become_columns()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE parent (a int, b int, PRIMARY KEY (a, b));
            CREATE TABLE child (
                id int,
                pa int,
                pb int,
                code text,
                other_id int,
                during tsrange,
                CONSTRAINT child_pk PRIMARY KEY (id) INCLUDE (code),
                CONSTRAINT child_parent_fk FOREIGN KEY (pa, pb) REFERENCES parent (a, b) ON DELETE CASCADE ON UPDATE SET NULL,
                FOREIGN KEY (other_id) REFERENCES app.other MATCH FULL ON DELETE SET DEFAULT DEFERRABLE,
                UNIQUE (code, pa),
                CONSTRAINT code_once UNIQUE NULLS NOT DISTINCT (code) WITH (fillfactor = 90),
                CHECK (pa > 0),
                CONSTRAINT no_overlap EXCLUDE USING gist (id WITH =, during WITH &&) WHERE (id > 0)
            );
            """);

        SchemaAssert.NoWarnings(model);
        var parent = model.Tables[0];
        SchemaAssert.Columns(parent, ("a", "int", true, null), ("b", "int", true, null));
        Assert.Equal(["a", "b"], parent.PrimaryKey);
        Assert.All(parent.Columns, c => Assert.True(c.IsPrimaryKey));

        var child = model.Tables[1];
        SchemaAssert.Columns(
            child,
            ("id", "int", true, null),
            ("pa", "int", false, null),
            ("pb", "int", false, null),
            ("code", "text", false, null),
            ("other_id", "int", false, null),
            ("during", "tsrange", false, null));
        Assert.Equal(["id"], child.PrimaryKey);
        Assert.True(child.Columns[0].IsPrimaryKey);

        Assert.Equal(2, child.ForeignKeys.Count);
        var first = child.ForeignKeys[0];
        Assert.Equal("child_parent_fk", first.Name);
        Assert.Equal(["pa", "pb"], first.Columns);
        Assert.Equal(("public", "parent"), (first.ReferencedSchema, first.ReferencedTable));
        Assert.Equal(["a", "b"], first.ReferencedColumns);
        Assert.Equal(("CASCADE", "SET NULL"), (first.OnDelete, first.OnUpdate));
        var second = child.ForeignKeys[1];
        Assert.Null(second.Name);
        Assert.Equal(["other_id"], second.Columns);
        Assert.Equal(("app", "other"), (second.ReferencedSchema, second.ReferencedTable));
        Assert.Empty(second.ReferencedColumns);
        Assert.Equal(("SET DEFAULT", "NO ACTION"), (second.OnDelete, second.OnUpdate));

        Assert.Equal([(null, "code,pa"), ("code_once", "code")], child.Uniques.Select(u => (u.Name, string.Join(',', u.Columns))));
        Assert.False(child.Columns[3].IsUnique);
        Assert.Equal((null, "pa > 0"), (Assert.Single(child.Checks).Name, child.Checks[0].Expression));
        var exclusion = Assert.Single(child.Exclusions);
        Assert.Equal("no_overlap", exclusion.Name);
        Assert.Equal("EXCLUDE USING gist (id WITH =, during WITH &&) WHERE (id > 0)", exclusion.Definition);
    }

    [Fact]
    public void Inline_references_with_actions_and_without_column_list()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE users (id uuid PRIMARY KEY);
            CREATE TABLE posts (
                id bigserial PRIMARY KEY,
                author uuid NOT NULL REFERENCES users ON DELETE CASCADE,
                editor uuid CONSTRAINT posts_editor_fk REFERENCES public.users(id) ON UPDATE RESTRICT ON DELETE SET NULL,
                parent_id bigint REFERENCES posts (id) ON DELETE NO ACTION
            );
            """);

        SchemaAssert.NoWarnings(model);
        var posts = model.Tables[1];
        SchemaAssert.Columns(
            posts,
            ("id", "bigserial", true, null),
            ("author", "uuid", true, null),
            ("editor", "uuid", false, null),
            ("parent_id", "bigint", false, null));
        Assert.Equal(
            [
                (null, "author", "users", "", "CASCADE", "NO ACTION"),
                ("posts_editor_fk", "editor", "users", "id", "SET NULL", "RESTRICT"),
                (null, "parent_id", "posts", "id", "NO ACTION", "NO ACTION"),
            ],
            posts.ForeignKeys.Select(f => (f.Name, string.Join(',', f.Columns), f.ReferencedTable, string.Join(',', f.ReferencedColumns), f.OnDelete, f.OnUpdate)));
        Assert.Equal("uuid NOT NULL REFERENCES users ON DELETE CASCADE", posts.Columns[1].Definition);
    }

    [Fact]
    public void Like_copies_columns_of_a_table_defined_earlier()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE base (id int PRIMARY KEY, name text NOT NULL DEFAULT 'n', CHECK (length(name) > 0));
            CREATE TABLE plain_copy (LIKE base, extra int);
            CREATE TABLE full_copy (LIKE base INCLUDING ALL EXCLUDING CONSTRAINTS);
            """);

        SchemaAssert.NoWarnings(model);
        var plain = model.Tables[1];
        SchemaAssert.Columns(plain, ("id", "int", true, null), ("name", "text", true, null), ("extra", "int", false, null));
        Assert.Empty(plain.PrimaryKey);
        Assert.Empty(plain.Checks);
        Assert.Equal("int NOT NULL", plain.Columns[0].Definition);

        var full = model.Tables[2];
        SchemaAssert.Columns(full, ("id", "int", true, null), ("name", "text", true, "'n'"));
        Assert.Equal(["id"], full.PrimaryKey);
        Assert.True(full.Columns[0].IsPrimaryKey);
        Assert.Empty(full.Checks);
    }

    [Fact]
    public void Like_of_an_unknown_table_is_a_warning_and_the_other_columns_stay()
    {
        var model = SchemaSqlReader.Read("CREATE TABLE t (\n  LIKE somewhere.else INCLUDING DEFAULTS,\n  extra int\n);");

        SchemaAssert.Columns(model.Tables[0], ("extra", "int", false, null));
        Assert.Equal(
            ["line 2: CREATE TABLE public.t: LIKE somewhere.else names a table not created earlier in this file; its columns are not in the expected schema."],
            model.Warnings);
    }

    [Fact]
    public void Partition_of_copies_the_parent_columns()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, body text DEFAULT '', PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events (body WITH OPTIONS NOT NULL) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_other PARTITION OF events DEFAULT;
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Tables(model, "public.events", "public.events_2024", "public.events_other");
        SchemaAssert.Columns(model.Tables[1], ("id", "bigint", true, null), ("at", "date", true, null), ("body", "text", true, "''"));
        SchemaAssert.Columns(model.Tables[2], ("id", "bigint", true, null), ("at", "date", true, null), ("body", "text", false, "''"));
        Assert.Equal(["id", "at"], model.Tables[2].PrimaryKey);
        Assert.Equal("text DEFAULT ''", model.Tables[2].Columns[2].Definition);
    }

    [Fact]
    public void Partition_of_an_unknown_parent_is_a_warning_and_the_table_is_kept()
    {
        var model = SchemaSqlReader.Read("CREATE TABLE p1 PARTITION OF elsewhere FOR VALUES IN (1);");

        SchemaAssert.Tables(model, "public.p1");
        Assert.Empty(model.Tables[0].Columns);
        Assert.Equal(
            ["line 1: CREATE TABLE public.p1: PARTITION OF public.elsewhere names a table not created earlier in this file; the partition's columns are not in the expected schema."],
            model.Warnings);
    }

    [Fact]
    public void Inherits_puts_parent_columns_first()
    {
        var model = SchemaSqlReader.Read("""
            CREATE TABLE animal (id int NOT NULL, name text);
            CREATE TABLE dog (bark text, name text NOT NULL) INHERITS (animal);
            """);

        SchemaAssert.NoWarnings(model);
        SchemaAssert.Columns(model.Tables[1], ("id", "int", true, null), ("name", "text", true, null), ("bark", "text", false, null));
    }
}
