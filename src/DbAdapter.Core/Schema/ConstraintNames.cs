using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The names the server gives constraints and indexes that schema.sql leaves unnamed: "t_pkey",
/// "t_a_b_key", "t_a_check" (a check of one column) or "t_check", "t_a_fkey", "t_a_excl",
/// "t_a_idx" (an expression key is named after its function, or "expr"), each part cut so the whole
/// fits in 63 bytes, the longer part first, as the server cuts them. A collision suffix ("t_a_key1")
/// depends on what else exists and is left to the comparison, which matches by meaning anyway.
/// </summary>
internal static class ConstraintNames
{
    private const int MaxBytes = 63;

    public static string PrimaryKey(string table) => Make(table, null, "pkey");

    public static string Unique(string table, IEnumerable<string> columns) => Make(table, Join(columns), "key");

    public static string ForeignKey(string table, IEnumerable<string> columns) => Make(table, Join(columns), "fkey");

    public static string Exclusion(string table, IEnumerable<string> columns) => Make(table, Join(columns), "excl");

    /// <summary>"t_col_check" when the expression names exactly one column of <paramref name="columns"/>, "t_check" otherwise.</summary>
    public static string Check(string table, string expression, IEnumerable<string> columns) => Check(table, ColumnsIn(expression, columns));

    /// <summary>"t_col_check" when <paramref name="named"/> (the columns the expression names) is one column, "t_check" otherwise.</summary>
    public static string Check(string table, IReadOnlyList<string> named) => Make(table, named.Count == 1 ? named[0] : null, "check");

    /// <summary>The sequence a SERIAL column gets: "t_col_seq".</summary>
    public static string Sequence(string table, string column) => Make(table, column, "seq");

    /// <summary>An index: "t_a_b_idx", an expression key named after its function ("t_lower_idx") or "expr".</summary>
    public static string Index(string table, IEnumerable<string> keys) => Make(table, Join(keys), "idx");

    /// <summary>The name part the server gives an expression key of an index: its function's name, or "expr".</summary>
    public static string KeyName(string expression)
    {
        try
        {
            var tokens = SqlTokenizer.Tokenize(expression);
            var i = 0;
            while (i + 2 < tokens.Count && tokens[i].IsName && tokens[i + 1].IsSymbol("."))
            {
                i += 2;
            }

            return i + 1 < tokens.Count && tokens[i].IsName && tokens[i + 1].IsSymbol("(") ? tokens[i].Value : "expr";
        }
        catch (Diagnostics.DbAdapterException)
        {
            return "expr";
        }
    }

    /// <summary>The distinct columns of <paramref name="columns"/> that <paramref name="expression"/> names, in order of appearance.</summary>
    public static List<string> ColumnsIn(string expression, IEnumerable<string> columns)
    {
        var known = columns.ToHashSet(StringComparer.Ordinal);
        return NamesIn(expression).Where(known.Contains).ToList();
    }

    /// <summary>
    /// The distinct names <paramref name="expression"/> uses that could be columns, in order of
    /// appearance: every name but a function's (one followed by '('); t.col counts col (and t).
    /// </summary>
    public static List<string> NamesIn(string expression)
    {
        var found = new List<string>();
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlTokenizer.Tokenize(expression);
        }
        catch (Diagnostics.DbAdapterException)
        {
            return found;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsName && !(i + 1 < tokens.Count && tokens[i + 1].IsSymbol("(")) && !found.Contains(token.Value))
            {
                found.Add(token.Value);
            }
        }

        return found;
    }

    private static string? Join(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count == 0 ? null : string.Join('_', list);
    }

    /// <summary>name1_name2_label, the names cut (the longer first) so the whole fits in 63 bytes.</summary>
    private static string Make(string name1, string? name2, string label)
    {
        var overhead = label.Length + 1 + (name2 is null ? 0 : 1);
        var available = MaxBytes - overhead;
        var bytes1 = Encoding.UTF8.GetByteCount(name1);
        var bytes2 = name2 is null ? 0 : Encoding.UTF8.GetByteCount(name2);
        while (bytes1 + bytes2 > available)
        {
            if (bytes1 > bytes2)
            {
                name1 = Clip(name1, --bytes1);
                bytes1 = Encoding.UTF8.GetByteCount(name1);
            }
            else
            {
                name2 = Clip(name2!, --bytes2);
                bytes2 = Encoding.UTF8.GetByteCount(name2);
            }
        }

        return name2 is null ? $"{name1}_{label}" : $"{name1}_{name2}_{label}";
    }

    /// <summary>The longest prefix of <paramref name="text"/> of at most <paramref name="bytes"/> UTF-8 bytes that cuts no character.</summary>
    private static string Clip(string text, int bytes)
    {
        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > bytes)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
