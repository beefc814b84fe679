using DbAdapter.Core.Repair;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>Edits by tokens: look-alikes in strings, comments and expressions are never touched.</summary>
public sealed class DdlTextTests
{
    [Theory]
    [InlineData("VARCHAR(100) NOT NULL", "VARCHAR(100)")]
    [InlineData("TEXT CONSTRAINT must_have NOT NULL CHECK (x IS NOT NULL)", "TEXT CHECK (x IS NOT NULL)")]
    [InlineData("TEXT DEFAULT 'NOT NULL' NOT NULL", "TEXT DEFAULT 'NOT NULL'")]
    [InlineData("TEXT /* NOT NULL */ NULL", "TEXT /* NOT NULL */ NULL")]
    public void Only_the_NOT_NULL_constraint_is_removed(string definition, string expected) =>
        Assert.Equal(expected, DdlText.RemoveNotNull(definition));

    [Fact]
    public void Foreign_keys_of_a_create_statement_are_found_by_tokens()
    {
        const string sql = """
            CREATE TABLE a (id INT PRIMARY KEY, note TEXT DEFAULT 'REFERENCES b(id)', -- REFERENCES c(id)
                            b_id INT CONSTRAINT a_b REFERENCES s.b (id) ON DELETE SET NULL DEFERRABLE,
                            FOREIGN KEY (id) REFERENCES "C" MATCH FULL)
            """;

        var clauses = DdlText.FindCreateTableForeignKeys(sql);

        Assert.Equal(
            [("a_b", "s", "b", "REFERENCES s.b (id) ON DELETE SET NULL DEFERRABLE"), (null, null, "C", "REFERENCES \"C\" MATCH FULL")],
            clauses.Select(c => (c.ConstraintName, c.ReferencedSchema, c.ReferencedTable, c.ReferencesText)).ToArray());
        Assert.Equal(
            "CREATE TABLE a (id INT PRIMARY KEY, note TEXT DEFAULT 'REFERENCES b(id)', -- REFERENCES c(id)\n                b_id INT)",
            SqlText.Cut(sql, clauses.Select(c => (c.Start, c.End))));
    }
}
