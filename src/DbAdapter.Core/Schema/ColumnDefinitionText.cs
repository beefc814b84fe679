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
/// the file ends up declaring, not the one its CREATE TABLE started with. Whatever is not edited
/// (REFERENCES, CHECK, UNIQUE, COLLATE, comments) stays exactly as written: edits cut clauses out by
/// their place in the text and append the new one.
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

    /// <summary>The definition without its NOT NULL constraint (and the CONSTRAINT name that labels it); an explicit NULL stays.</summary>
    public static string WithoutNotNull(string definition) => Edit(definition, null, k => k == ColumnClauseKind.NotNull, null);

    /// <summary>True when the definition spells NOT NULL as a constraint.</summary>
    public static bool HasNotNull(string definition) => Clauses(definition).Clauses.Exists(c => c.Kind == ColumnClauseKind.NotNull);

    /// <summary>The definition with its GENERATED clause (identity or expression) replaced by <paramref name="generated"/>.</summary>
    public static string WithGenerated(string definition, string? generated) =>
        Edit(definition, null, k => k == ColumnClauseKind.Generated, generated);

    private static string Edit(string definition, string? type, Func<ColumnClauseKind, bool> remove, string? append)
    {
        var (tokens, typeEnd, clauses) = Clauses(definition);

        // Offsets are of "x " + definition: the name the grammar needs is two characters long.
        var cuts = clauses.Where(c => remove(c.Kind)).Select(c => (tokens[c.Start].Start - 2, tokens[c.End - 1].End - 2)).ToList();
        if (type is not null && typeEnd > 1)
        {
            cuts.Add((tokens[1].Start - 2, tokens[typeEnd - 1].End - 2));
        }

        var text = SqlText.Cut(definition, cuts);
        if (type is not null)
        {
            text = text.Length == 0 ? type : type + " " + text;
        }

        return append is null ? text : text.Length == 0 ? append : text + " " + append;
    }

    private static (IReadOnlyList<SqlToken> Tokens, int TypeEnd, List<ColumnClause> Clauses) Clauses(string definition)
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
        return (tokens, typeEnd, clauses);
    }
}
