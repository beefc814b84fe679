using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>What a clause of a column definition sets.</summary>
internal enum ColumnClauseKind
{
    Other,
    NotNull,
    Null,
    Default,
    Generated,
}

/// <summary>One clause of a column definition, as a token range (its CONSTRAINT name included).</summary>
internal readonly record struct ColumnClause(ColumnClauseKind Kind, int Start, int End);

/// <summary>
/// Edits a column definition ("varchar(20) NOT NULL DEFAULT 'x' REFERENCES t") clause by clause, read
/// with the reader's own column grammar: a later ALTER COLUMN of schema.sql (SET DEFAULT, TYPE, SET
/// NOT NULL...) changes the definition repair adds the column with, so an added column gets the shape
/// the file ends up declaring, not the one its CREATE TABLE started with. Every other clause
/// (REFERENCES, CHECK, UNIQUE, COLLATE) stays exactly as written.
/// </summary>
internal static class ColumnDefinitionText
{
    /// <summary>The definition with <paramref name="type"/> in place of its type.</summary>
    public static string WithType(string definition, string type) => Edit(definition, type, _ => false, null);

    /// <summary>The definition with its DEFAULT replaced by <paramref name="expression"/> (removed when null).</summary>
    public static string WithDefault(string definition, string? expression) =>
        Edit(definition, null, k => k == ColumnClauseKind.Default, expression is null ? null : "DEFAULT " + expression);

    /// <summary>The definition with NOT NULL (or without any NULL / NOT NULL clause).</summary>
    public static string WithNotNull(string definition, bool notNull) =>
        Edit(definition, null, k => k is ColumnClauseKind.NotNull or ColumnClauseKind.Null, notNull ? "NOT NULL" : null);

    /// <summary>The definition with its GENERATED clause (identity or expression) replaced by <paramref name="generated"/>.</summary>
    public static string WithGenerated(string definition, string? generated) =>
        Edit(definition, null, k => k == ColumnClauseKind.Generated, generated);

    private static string Edit(string definition, string? type, Func<ColumnClauseKind, bool> remove, string? append)
    {
        var tokens = SqlTokenizer.Tokenize("x " + definition);
        var cursor = new TokenCursor(tokens, 1, tokens.Count);
        while (!cursor.AtEnd && !TableElementReader.StartsColumnConstraint(cursor))
        {
            cursor.SkipItem();
        }

        var typeEnd = cursor.Position;
        var clauses = new List<ColumnClause>();
        var scratch = new TableModel { Schema = "s", Name = "t" };
        TableElementReader.ReadColumnConstraints(cursor, scratch, new ColumnModel { Name = "x", Type = string.Empty }, "s", clauses);

        var text = new StringBuilder(type ?? SqlText.Render(tokens, 1, typeEnd));
        foreach (var clause in clauses)
        {
            if (!remove(clause.Kind))
            {
                text.Append(' ').Append(SqlText.Render(tokens, clause.Start, clause.End));
            }
        }

        if (append is not null)
        {
            text.Append(' ').Append(append);
        }

        return text.ToString();
    }
}
