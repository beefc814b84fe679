using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads the statements of one schema.sql into a <see cref="SchemaModel"/>. Statement kinds that shape
/// tables are read; known harmless kinds are passed over; anything else, and any statement that
/// cannot be read, becomes a "line N: ..." warning. Nothing unread ever becomes a column.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    // Statements that cannot change a table's columns or constraints.
    private static readonly HashSet<string> HarmlessStatements =
    [
        "grant", "revoke", "comment", "insert", "update", "delete", "merge", "select", "values", "with", "set",
        "reset", "show", "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",
        "analyze", "analyse", "vacuum", "notify", "listen", "unlisten", "security", "refresh", "reindex",
        "cluster", "truncate", "lock", "discard", "checkpoint", "call", "prepare", "execute", "deallocate",
        "explain", "load", "import", "fetch", "close", "declare", "move",
    ];

    private static readonly HashSet<string> HarmlessCreateKinds =
    [
        "extension", "sequence", "type", "view", "materialized", "recursive", "policy", "schema", "domain",
        "role", "user", "group", "publication", "subscription", "aggregate", "operator", "cast", "collation",
        "conversion", "default", "event", "rule", "server", "foreign", "statistics", "text", "language",
        "trusted", "procedural", "tablespace", "database", "access", "transform",
    ];

    private readonly SchemaModel _model;

    // The model's lists keep file order (the comparison and repair rely on it); these index the same
    // objects by name so each look-up while reading is O(1) instead of a scan of every earlier table
    // or index, which made reading quadratic in the size of the schema. Every change to the lists
    // below goes through both.
    private readonly Dictionary<(string Schema, string Name), TableModel> _tables = [];
    private readonly Dictionary<(string Schema, string Name), IndexModel> _indexes = [];
    private readonly Dictionary<(string Schema, string Table, string Name), TriggerModel> _triggers = [];
    private readonly Dictionary<(string Schema, string Name, string Arguments), FunctionModel> _functions = [];
    private readonly string _configuredSchema;
    private readonly string _sourceName;
    private string _defaultSchema;

    private SchemaStatementReader(SchemaModel model, string defaultSchema, string sourceName)
    {
        _model = model;
        _configuredSchema = defaultSchema;
        _defaultSchema = defaultSchema;
        _sourceName = sourceName;
    }

    public static SchemaModel Read(string sql, string? sourceFile, string defaultSchema)
    {
        var sourceName = sourceFile ?? "schema SQL";
        var tokens = SqlTokenizer.Tokenize(sql, sourceName);
        var model = new SchemaModel { SourceFile = sourceFile };
        var reader = new SchemaStatementReader(model, defaultSchema, sourceName);
        foreach (var statement in SqlStatementSplitter.Split(sql, tokens))
        {
            reader.ReadStatement(statement);
        }

        if (model.Tables.Count == 0)
        {
            var skipped = model.Warnings.Count == 0
                ? string.Empty
                : $" {model.Warnings.Count} statement(s) were skipped, the first: {model.Warnings[0]}.";
            throw new DbAdapterException(
                ErrorIds.SchemaFileInvalid,
                DbErrorKind.InvalidData,
                $"{sourceName}: no table was read; a schema file must hold at least one CREATE TABLE statement.{skipped} Check that this is the right file.",
                sourceFile);
        }

        return model;
    }

    private void Warn(int line, string message) => _model.Warnings.Add($"line {line}: {message}");

    /// <summary>
    /// A statement whose text the model keeps for repair to run (CREATE TABLE, ALTER TABLE, CREATE
    /// INDEX) must be exactly one statement. The splitter does not end a statement at a ';' inside
    /// parentheses (psql does not either), so "price integer; DROP TABLE x)" would otherwise reach the
    /// model as a column type. That is never a typo to skip over: the whole file is refused.
    /// </summary>
    private void RequireOneStatement(SqlStatement statement)
    {
        for (var i = statement.Start; i < statement.End; i++)
        {
            if (statement.Tokens[i].IsSymbol(";"))
            {
                throw new DbAdapterException(
                    ErrorIds.SchemaFileInvalid,
                    DbErrorKind.InvalidData,
                    $"{_sourceName}: line {statement.Tokens[i].Line}: {Describe(statement)} (line {statement.Line}) holds a ';' inside its parentheses, which would end the statement there. " +
                    "A statement of the schema file must be exactly one statement; nothing was compared or planned. Fix the file.",
                    _model.SourceFile ?? _sourceName);
            }
        }
    }

    /// <summary>The table created earlier in the file, as <see cref="SchemaModel.FindTable"/> would find it.</summary>
    private TableModel? FindTable(string schema, string name) => _tables.GetValueOrDefault((schema, name));

    private void ReadStatement(SqlStatement statement)
    {
        var first = statement.First;
        try
        {
            if (first.Kind == SqlTokenKind.MetaCommand)
            {
                ReadMetaCommand(first);
                return;
            }

            var c = statement.Cursor();
            if (first.Kind != SqlTokenKind.Identifier)
            {
                Warn(statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
                return;
            }

            switch (first.Value)
            {
                case "create":
                    c.Next();
                    ReadCreate(statement, c);
                    break;
                case "alter":
                    c.Next();
                    if (c.AcceptWord("table"))
                    {
                        ReadAlterTable(statement, c);
                    }

                    break;
                case "drop":
                    c.Next();
                    if (c.AcceptWord("table"))
                    {
                        ReadDropTable(c);
                    }

                    break;
                case "set" or "reset":
                    ReadSearchPath(c);
                    break;
                case "do":
                    Warn(statement.Line, "skipped DO block: code is not run, so tables or columns it would create are not in the expected schema.");
                    break;
                case "copy":
                    Warn(statement.Line, "skipped COPY: data is not part of the expected schema.");
                    break;
                default:
                    if (!HarmlessStatements.Contains(first.Value))
                    {
                        Warn(statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
                    }

                    break;
            }
        }
        catch (SqlReadException ex)
        {
            var where = ex.Line != statement.Line && ex.Line > 0 ? $" (line {ex.Line})" : string.Empty;
            Warn(statement.Line, $"skipped {Describe(statement)}: {ex.Message}{where}.");
        }
    }

    private void ReadCreate(SqlStatement statement, TokenCursor c)
    {
        c.AcceptWords("or", "replace");
        if (c.AcceptWord("unique"))
        {
            c.ExpectWord("index");
            ReadCreateIndex(statement, c, unique: true);
            return;
        }

        string? persistence = null;
        if (!c.AcceptWord("global"))
        {
            c.AcceptWord("local");
        }

        if (c.AcceptWord("temp") || c.AcceptWord("temporary"))
        {
            persistence = "TEMP";
        }
        else if (c.AcceptWord("unlogged"))
        {
            persistence = "UNLOGGED";
        }

        if (c.AcceptWord("table"))
        {
            ReadCreateTable(statement, c, persistence);
        }
        else if (c.AcceptWord("index"))
        {
            ReadCreateIndex(statement, c, unique: false);
        }
        else if (c.AcceptWord("function") || c.AcceptWord("procedure"))
        {
            ReadCreateFunction(c);
        }
        else if (c.AcceptWord("trigger") || c.AcceptWords("constraint", "trigger"))
        {
            ReadCreateTrigger(c);
        }
        else if (!(c.Peek() is { Kind: SqlTokenKind.Identifier } kind && HarmlessCreateKinds.Contains(kind.Value)))
        {
            Warn(statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
        }
    }

    private void ReadMetaCommand(SqlToken token)
    {
        // pg_dump 17.6+ brackets its output with \restrict ... \unrestrict; they change nothing.
        if (token.Text.StartsWith("\\restrict", StringComparison.Ordinal) || token.Text.StartsWith("\\unrestrict", StringComparison.Ordinal))
        {
            return;
        }

        Warn(token.Line, $"skipped psql meta-command '{token.Text}': only SQL statements are read.");
    }

    /// <summary>
    /// Follows SET search_path so unqualified names land where the server would create them: the first
    /// schema of the path (ignoring "$user" and pg_catalog) replaces the default; RESET or DEFAULT restores it.
    /// </summary>
    private void ReadSearchPath(TokenCursor c)
    {
        var reset = c.AcceptWord("reset");
        if (!reset)
        {
            c.ExpectWord("set");
            if (!c.AcceptWord("session"))
            {
                c.AcceptWord("local");
            }
        }

        if (!c.AcceptWord("search_path"))
        {
            return;
        }

        if (reset || c.AcceptWords("from", "current"))
        {
            _defaultSchema = _configuredSchema;
            return;
        }

        if (!c.AcceptWord("to"))
        {
            c.AcceptSymbol("=");
        }

        if (c.AcceptWord("default"))
        {
            _defaultSchema = _configuredSchema;
            return;
        }

        while (!c.AtEnd)
        {
            var token = c.Next();
            if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String
                && token.Value.Length > 0 && token.Value != "$user" && token.Value != "pg_catalog")
            {
                _defaultSchema = token.Kind == SqlTokenKind.String ? token.Value.Trim() : token.Value;
                return;
            }
        }
    }

    private void ReadDropTable(TokenCursor c)
    {
        c.AcceptWords("if", "exists");
        foreach (var (start, end) in TokenCursor.SplitTopLevel(c.Tokens, c.Position, c.End))
        {
            var part = new TokenCursor(c.Tokens, start, end);
            var (schema, name) = part.ReadQualifiedName(_defaultSchema);
            if (_tables.Remove((schema, name), out var table))
            {
                // Rare (a file seldom drops what it creates), so scanning the lists here is fine.
                _model.Tables.Remove(table);
                _model.Indexes.RemoveAll(i =>
                {
                    var dropped = i.Schema == schema && i.Table == name;
                    if (dropped)
                    {
                        _indexes.Remove((i.Schema, i.Name));
                    }

                    return dropped;
                });
                _model.Triggers.RemoveAll(t =>
                {
                    var dropped = t.Schema == schema && t.Table == name;
                    if (dropped)
                    {
                        _triggers.Remove((t.Schema, t.Table, t.Name));
                    }

                    return dropped;
                });
            }
        }
    }

    /// <summary>
    /// The first words of a statement, for messages ("CREATE TABLE public.items"). Built only when a
    /// message needs it: most statements are read without one.
    /// </summary>
    private static string Describe(SqlStatement statement)
    {
        var count = 0;
        var end = statement.Start;
        while (end < statement.End && count < 8 && !statement.Tokens[end].IsSymbol("("))
        {
            if (statement.Tokens[end].IsName)
            {
                count++;
            }

            end++;
        }

        var text = SqlText.Render(statement.Tokens, statement.Start, Math.Max(end, statement.Start + 1));
        return text.Length > 80 ? text[..80] + "..." : text;
    }
}
