using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The one spelling of an object's definition that a comparison compares and a report shows, built the
/// same way from a model read from schema.sql and one read from a catalog: names as the server prints
/// them (bare unless they need quotes), clauses in the server's order, and every expression in the
/// server's own text (the catalog's, or what the probe got the server to print for schema.sql's).
/// </summary>
internal static class ObjectText
{
    /// <summary>A name as the server prints it.</summary>
    public static string Name(string name) => SqlIdentifier.QuoteIfNeeded(name);

    /// <summary>A string literal.</summary>
    public static string Literal(string value) => SqlLiteral.Quote(value);

    /// <summary>"(a, b)".</summary>
    public static string Columns(IEnumerable<string> names) => "(" + string.Join(", ", names.Select(Name)) + ")";

    /// <summary>"t" when <paramref name="schema"/> is <paramref name="home"/>, "s.t" otherwise.</summary>
    public static string Qualified(string schema, string name, string? home) =>
        string.Equals(schema, home, StringComparison.Ordinal) ? Name(name) : $"{Name(schema)}.{Name(name)}";

    /// <summary>The kind in words, for messages ("foreign key", "index").</summary>
    public static string KindWords(ObjectKind kind) => kind switch
    {
        ObjectKind.PrimaryKey => "primary key",
        ObjectKind.Unique => "unique constraint",
        ObjectKind.Check => "check constraint",
        ObjectKind.ForeignKey => "foreign key",
        ObjectKind.Exclusion => "exclusion constraint",
        ObjectKind.Index => "index",
        ObjectKind.Sequence => "sequence",
        ObjectKind.Enum => "enum",
        ObjectKind.Domain => "domain",
        ObjectKind.View => "view",
        ObjectKind.Function => "function",
        _ => "trigger",
    };

    public static string PrimaryKey(IEnumerable<string> columns, ConstraintTiming timing) => $"PRIMARY KEY {Columns(columns)}{timing.Suffix}";

    public static string Unique(UniqueModel unique) =>
        $"UNIQUE {(unique.NullsNotDistinct ? "NULLS NOT DISTINCT " : string.Empty)}{Columns(unique.Columns)}{unique.Timing.Suffix}";

    /// <summary>
    /// "FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE", the referenced table qualified unless it
    /// is in <paramref name="home"/>; NO ACTION and MATCH SIMPLE, the defaults, are not written.
    /// </summary>
    public static string ForeignKey(ForeignKeyModel key, IReadOnlyList<string> referencedColumns, string home)
    {
        var text = new StringBuilder("FOREIGN KEY ").Append(Columns(key.Columns)).Append(" REFERENCES ")
            .Append(Qualified(key.ReferencedSchema, key.ReferencedTable, home));
        if (referencedColumns.Count > 0)
        {
            text.Append(Columns(referencedColumns));
        }

        if (key.Match != "SIMPLE")
        {
            text.Append(" MATCH ").Append(key.Match);
        }

        if (key.OnUpdate != "NO ACTION")
        {
            text.Append(" ON UPDATE ").Append(key.OnUpdate);
        }

        if (key.OnDelete != "NO ACTION")
        {
            text.Append(" ON DELETE ").Append(key.OnDelete);
        }

        return text.Append(key.Timing.Suffix).ToString();
    }

    /// <summary>
    /// "UNIQUE USING btree (a DESC, lower(b)) INCLUDE (c) WHERE (...)": an index by what it indexes, whatever its name.
    /// </summary>
    /// <param name="index">The index.</param>
    /// <param name="keys">Each key's text (a column name, or the server's text of the expression), parallel to its keys.</param>
    /// <param name="predicate">The server's text of the predicate, or null.</param>
    public static string Index(IndexModel index, IReadOnlyList<string> keys, string? predicate)
    {
        var text = new StringBuilder(index.IsUnique ? "UNIQUE " : string.Empty).Append("USING ").Append(index.Method).Append(" (");
        for (var k = 0; k < keys.Count; k++)
        {
            if (k > 0)
            {
                text.Append(", ");
            }

            var options = k < index.Keys.Count ? index.Keys[k].Options : string.Empty;
            text.Append(keys[k]).Append(options.Length > 0 ? " " + options : string.Empty);
        }

        text.Append(')');
        if (index.Include.Count > 0)
        {
            text.Append(" INCLUDE ").Append(Columns(index.Include));
        }

        if (index.NullsNotDistinct)
        {
            text.Append(" NULLS NOT DISTINCT");
        }

        if (predicate is not null)
        {
            text.Append(" WHERE ").Append(predicate);
        }

        return text.ToString();
    }

    /// <summary>"AS bigint INCREMENT BY 1 OWNED BY t.id".</summary>
    public static string Sequence(string type, long increment, ColumnRef? owner, string home)
    {
        var text = $"AS {type} INCREMENT BY {increment.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return owner is null ? text : $"{text} OWNED BY {Qualified(owner.Schema, owner.Table, home)}.{Name(owner.Column)}";
    }

    /// <summary>"ENUM ('a', 'b')".</summary>
    public static string Enum(IEnumerable<string> labels) => "ENUM (" + string.Join(", ", labels.Select(Literal)) + ")";

    /// <summary>"AS numeric(5,2) DEFAULT 0 NOT NULL CHECK (...)", the checks in the order given.</summary>
    public static string Domain(string baseType, string? @default, bool notNull, IEnumerable<string> checks)
    {
        var text = new StringBuilder("AS ").Append(baseType);
        if (@default is not null)
        {
            text.Append(" DEFAULT ").Append(@default);
        }

        if (notNull)
        {
            text.Append(" NOT NULL");
        }

        foreach (var check in checks)
        {
            text.Append(' ').Append(check);
        }

        return text.ToString();
    }

    /// <summary>"FUNCTION f(a integer) RETURNS trigger LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE": the header of a function.</summary>
    public static string Function(FunctionModel function)
    {
        var text = new StringBuilder(function.IsProcedure ? "PROCEDURE " : "FUNCTION ")
            .Append(Name(function.Name)).Append('(').Append(function.Arguments).Append(')');
        if (!function.IsProcedure && function.ReturnType is { } result)
        {
            text.Append(" RETURNS ").Append(result);
        }

        if (function.Language is { } language)
        {
            text.Append(" LANGUAGE ").Append(language);
        }

        if (!string.IsNullOrEmpty(function.Attributes))
        {
            text.Append(' ').Append(function.Attributes);
        }

        return text.ToString();
    }

    /// <summary>
    /// A body for a report: its first line, shortened, and its length, so two bodies that differ can be
    /// told apart without printing either whole.
    /// </summary>
    public static string Body(string? body)
    {
        if (body is null)
        {
            return "(no body)";
        }

        var lines = body.Trim().Split('\n');
        var first = lines[0].Trim();
        if (first.Length > 60)
        {
            first = first[..57] + "...";
        }

        return $"body {first}{(lines.Length > 1 ? " ..." : string.Empty)} ({body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} characters)";
    }

    /// <summary>
    /// An index key as a catalog prints it alone (pg_get_indexdef of one key) without the parentheses
    /// the server puts around a key that is not a function call, so it compares with the probe's text.
    /// </summary>
    public static string UnwrapKey(string key)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(key);
        }
        catch (Diagnostics.DbAdapterException)
        {
            return key;
        }

        if (tokens.Count < 2 || !tokens[0].IsSymbol("(") || !tokens[^1].IsSymbol(")"))
        {
            return key;
        }

        // Only when the first parenthesis closes at the very end: "(a)::text" stays.
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
            if (depth == 0 && i < tokens.Count - 1)
            {
                return key;
            }
        }

        return key[tokens[1].Start..tokens[^2].End];
    }

    /// <summary>
    /// A query as the server prints it, on one line and without its closing ';': every run of white
    /// space outside quotes becomes one space, so the server's texts of one query compare equal however
    /// indented (a view's text and a function body's differ only there). Inside a string or a quoted
    /// name nothing changes.
    /// </summary>
    public static string OneLine(string query)
    {
        var text = new StringBuilder(query.Length);
        var quote = '\0';
        var space = false;
        foreach (var c in query)
        {
            if (quote == '\0' && char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
            if (quote == '\0' && c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == quote)
            {
                // A doubled quote closes and reopens: the state ends up the same.
                quote = '\0';
            }
        }

        return text.ToString().TrimEnd(';').TrimEnd();
    }
}
