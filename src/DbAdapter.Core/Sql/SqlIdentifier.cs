namespace DbAdapter.Core.Sql;

/// <summary>Identifier quoting: every table and column name that reaches SQL goes through here.</summary>
public static class SqlIdentifier
{
    // Key words the server's quote_ident quotes (reserved, and those that cannot be a column or type
    // name): a name spelled as one of them must be quoted to mean the name.
    private static readonly HashSet<string> KeyWords = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between", "bigint",
        "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce", "collate", "collation",
        "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
        "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable",
        "desc", "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign",
        "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner",
        "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading", "least",
        "left", "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not",
        "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
        "placing", "position", "precision", "primary", "real", "references", "returning", "right", "row", "select",
        "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user", "table",
        "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user",
        "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
        "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
        "xmlserialize", "xmltable",
    };

    /// <summary>Quotes <paramref name="name"/> as a PostgreSQL identifier ("a""b").</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0'))
        {
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// <paramref name="name"/> as the server prints it: bare when it reads back as itself (lower-case
    /// letters, digits, '_' and '$', not a key word), quoted otherwise. For text people read, and for
    /// texts compared with each other; SQL the engine runs names everything with <see cref="Quote"/>.
    /// </summary>
    public static string QuoteIfNeeded(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var plain = name[0] is (>= 'a' and <= 'z') or '_' && !KeyWords.Contains(name);
        for (var i = 1; plain && i < name.Length; i++)
        {
            plain = name[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '$';
        }

        return plain ? name : Quote(name);
    }
}
