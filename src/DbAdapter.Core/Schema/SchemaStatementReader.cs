using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads the statements of one schema.sql into a <see cref="SchemaModel"/>. Statement kinds that shape
/// tables are read; known harmless kinds are passed over; anything else, and any statement that
/// cannot be read, becomes a "line N: ..." warning (a warning that repeats is told once, with a
/// count). Nothing unread ever becomes a column.
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
        "extension", "policy", "schema",
        "role", "user", "group", "publication", "subscription", "aggregate", "operator", "cast", "collation",
        "conversion", "default", "event", "rule", "server", "foreign", "statistics", "text", "language",
        "trusted", "procedural", "tablespace", "database", "access", "transform",
    ];

    private readonly SchemaModel _model;
    private readonly ReaderWarnings _warnings = new();

    // The model's lists keep file order (the comparison and repair rely on it); these index the same
    // objects by name so each look-up while reading is O(1) instead of a scan of every earlier table
    // or index, which made reading quadratic in the size of the schema. Every change to the lists
    // below goes through both.
    private readonly Dictionary<(string Schema, string Name), TableModel> _tables = [];
    private readonly Dictionary<(string Schema, string Name), IndexModel> _indexes = [];
    private readonly Dictionary<(string Schema, string Table, string Name), TriggerModel> _triggers = [];
    private readonly Dictionary<(string Schema, string Name, string Arguments), FunctionModel> _functions = [];
    private readonly Dictionary<(string Schema, string Name), SequenceModel> _sequences = [];
    private readonly Dictionary<(string Schema, string Name), ViewModel> _views = [];
    private readonly Dictionary<(string Schema, string Name), EnumModel> _enums = [];
    private readonly Dictionary<(string Schema, string Name), DomainModel> _domains = [];

    // Partitions and inheritance children of each table, so a change to a parent reaches them.
    private readonly Dictionary<TableModel, List<TableModel>> _children = [];

    private readonly string _configuredSchema;
    private readonly string _sourceName;
    private string _defaultSchema;

    // The search_path the file set (null until it sets one): kept with every statement repair reruns
    // and every column whose type and default the server must resolve as the file meant.
    private SearchPath? _searchPath;

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

        model.Warnings.AddRange(reader._warnings.Summarize());
        if (model.Tables.Count == 0)
        {
            var skipped = model.Warnings.Count == 0
                ? string.Empty
                : $" {model.Warnings.Count} warning(s), the first: {model.Warnings[0]}.";
            throw new DbAdapterException(
                ErrorIds.SchemaFileInvalid,
                DbErrorKind.InvalidData,
                $"{sourceName}: no table was read; a schema file must hold at least one CREATE TABLE statement.{skipped} Check that this is the right file.",
                sourceFile);
        }

        return model;
    }

    /// <summary>Records a finding; <paramref name="kind"/> groups the findings that say the same thing.</summary>
    private void Warn(string kind, int line, string message) => _warnings.Add(kind, line, message);

    /// <summary>
    /// A statement whose text the model keeps for repair to run (CREATE TABLE, ALTER TABLE, CREATE
    /// INDEX, CREATE SEQUENCE) must be exactly one statement. The splitter does not end a statement at
    /// a ';' inside parentheses (psql does not either), so "price integer; DROP TABLE x)" would
    /// otherwise reach the model as a column type. That is never a typo to skip over: the whole file
    /// is refused.
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

    /// <summary>The statement as the model keeps it: its text, line and the search_path in effect.</summary>
    private FileStatement Keep(SqlStatement statement, bool attachesPartition = false) =>
        new(statement.Text, statement.Line, _searchPath) { AttachesPartition = attachesPartition };

    /// <summary>Records that the tokens [start, end) of <paramref name="statement"/> name <paramref name="target"/>.</summary>
    private static void Name(FileStatement kept, SqlStatement statement, int start, int end, IQualifiedObject target)
    {
        var origin = statement.Tokens[statement.Start].Start;
        kept.AddName(statement.Tokens[start].Start - origin, statement.Tokens[end - 1].End - origin, target);
    }

    /// <summary>
    /// Names the tables a statement references (REFERENCES t) that the file created, so the statement
    /// still points at them when it is rerun after they were renamed.
    /// </summary>
    private void NameReferences(FileStatement kept, SqlStatement statement)
    {
        for (var i = statement.Start; i < statement.End - 1; i++)
        {
            if (!statement.Tokens[i].IsWord("references"))
            {
                continue;
            }

            var cursor = new TokenCursor(statement.Tokens, i + 1, statement.End);
            if (cursor.Peek() is not { IsName: true })
            {
                continue;
            }

            var (schema, name) = cursor.ReadQualifiedName(_defaultSchema);
            if (FindTable(schema, name) is { } table)
            {
                Name(kept, statement, i + 1, cursor.Position, table);
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
                Warn("unknown", statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
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
                    else if (c.AcceptWord("sequence"))
                    {
                        ReadAlterSequence(statement, c);
                    }
                    else if (c.AcceptWord("type"))
                    {
                        ReadAlterType(statement, c);
                    }
                    else if (c.AcceptWord("domain"))
                    {
                        ReadAlterDomain(statement, c);
                    }
                    else if (c.AcceptWord("view") || c.AcceptWords("materialized", "view"))
                    {
                        ReadAlterView(c);
                    }

                    break;
                case "drop":
                    c.Next();
                    ReadDrop(c);
                    break;
                case "set" or "reset":
                    ReadSearchPath(c);
                    break;
                case "select":
                    ReadSetConfig(c);
                    break;
                case "do":
                    Warn("do", statement.Line, "skipped DO block: code is not run, so tables or columns it would create are not in the expected schema (shadow mode runs it).");
                    break;
                case "copy":
                    Warn("copy", statement.Line, "skipped COPY: data is not part of the expected schema.");
                    break;
                default:
                    if (!HarmlessStatements.Contains(first.Value))
                    {
                        Warn("unknown " + first.Value, statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
                    }

                    break;
            }
        }
        catch (SqlReadException ex)
        {
            var where = ex.Line != statement.Line && ex.Line > 0 ? $" (line {ex.Line})" : string.Empty;
            // The same problem repeated is one warning; different problems are told apart.
            Warn("unreadable " + ex.Message, statement.Line, $"skipped {Describe(statement)}: {ex.Message}{where}.");
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
        else if (c.AcceptWord("sequence"))
        {
            // A temporary sequence lives only in the session that made it: nothing a schema holds.
            if (persistence != "TEMP")
            {
                ReadCreateSequence(statement, c);
            }
        }
        else if (c.IsWord("function") || c.IsWord("procedure"))
        {
            ReadCreateFunction(statement, c);
        }
        else if (c.AcceptWord("trigger"))
        {
            ReadCreateTrigger(statement, c, constraint: false);
        }
        else if (c.AcceptWords("constraint", "trigger"))
        {
            ReadCreateTrigger(statement, c, constraint: true);
        }
        else if (c.AcceptWord("view") || c.AcceptWords("recursive", "view"))
        {
            // A temporary view lives only in the session that made it.
            if (persistence != "TEMP")
            {
                ReadCreateView(statement, c, materialized: false, recursive: c.Tokens[c.Position - 2].IsWord("recursive"));
            }
        }
        else if (c.AcceptWords("materialized", "view"))
        {
            ReadCreateView(statement, c, materialized: true, recursive: false);
        }
        else if (c.AcceptWord("type"))
        {
            ReadCreateType(statement, c);
        }
        else if (c.AcceptWord("domain"))
        {
            ReadCreateDomain(statement, c);
        }
        else if (!(c.Peek() is { Kind: SqlTokenKind.Identifier } kind && HarmlessCreateKinds.Contains(kind.Value)))
        {
            Warn("unknown create " + (c.Peek()?.Value ?? string.Empty), statement.Line, $"skipped '{Describe(statement)}': not a statement this reader understands.");
        }
    }

    private void ReadMetaCommand(SqlToken token)
    {
        // pg_dump 17.6+ brackets its output with \restrict ... \unrestrict; they change nothing.
        if (token.Text.StartsWith("\\restrict", StringComparison.Ordinal) || token.Text.StartsWith("\\unrestrict", StringComparison.Ordinal))
        {
            return;
        }

        Warn("meta", token.Line, $"skipped psql meta-command '{token.Text}': only SQL statements are read.");
    }

    /// <summary>
    /// Follows SET search_path so unqualified names land where the server would create them and
    /// resolve as the server resolved them: the first schema of the path (ignoring "$user",
    /// pg_catalog and pg_temp) replaces the default; RESET or DEFAULT restores it.
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

        if (reset && c.AcceptWord("all"))
        {
            SetSearchPath(null);
            return;
        }

        if (!c.AcceptWord("search_path"))
        {
            return;
        }

        if (reset || c.AcceptWords("from", "current"))
        {
            SetSearchPath(null);
            return;
        }

        if (!c.AcceptWord("to"))
        {
            c.AcceptSymbol("=");
        }

        if (c.AcceptWord("default"))
        {
            SetSearchPath(null);
            return;
        }

        // Each item is one schema name, a string literal included: the server quotes it whole.
        var schemas = new List<string>();
        while (!c.AtEnd)
        {
            var token = c.Next();
            if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String)
            {
                if (token.Value.Length > 0)
                {
                    schemas.Add(token.Value);
                }
            }
            else if (!token.IsSymbol(","))
            {
                throw c.Error($"'{token.Text}' is not a schema name of search_path");
            }
        }

        SetSearchPath(SearchPath.Of(schemas));
    }

    /// <summary>
    /// pg_dump's own way to set the path: SELECT pg_catalog.set_config('search_path', '...', false).
    /// The value is a list of names, unquoted ones folded, as the server splits it.
    /// </summary>
    private void ReadSetConfig(TokenCursor c)
    {
        c.ExpectWord("select");
        if (c.AreWords("pg_catalog") && c.IsSymbol(".", 1))
        {
            c.Position += 2;
        }

        if (!c.AcceptWord("set_config") || !c.IsSymbol("("))
        {
            return;
        }

        var (start, end) = c.ReadParenthesized();
        var arguments = TokenCursor.SplitTopLevel(c.Tokens, start, end);
        if (arguments.Count != 3 || arguments[0].End - arguments[0].Start != 1 || arguments[1].End - arguments[1].Start != 1)
        {
            return;
        }

        var setting = c.Tokens[arguments[0].Start];
        var value = c.Tokens[arguments[1].Start];
        if (setting.Kind != SqlTokenKind.String || !string.Equals(setting.Value, "search_path", StringComparison.OrdinalIgnoreCase) || value.Kind != SqlTokenKind.String)
        {
            return;
        }

        var schemas = new List<string>();
        var list = SqlTokenizer.Tokenize(value.Value);
        foreach (var token in list)
        {
            if (token.IsName && token.Value.Length > 0)
            {
                schemas.Add(token.Value);
            }
            else if (!token.IsSymbol(","))
            {
                throw c.Error($"'{value.Value}' is not a search_path");
            }
        }

        SetSearchPath(SearchPath.Of(schemas));
    }

    private void SetSearchPath(SearchPath? path)
    {
        _searchPath = path;
        _defaultSchema = path?.Schemas.FirstOrDefault(s => s is not ("$user" or "pg_catalog" or "pg_temp")) ?? _configuredSchema;
    }

    private void ReadDrop(TokenCursor c)
    {
        if (c.AcceptWord("table"))
        {
            c.AcceptWords("if", "exists");
            foreach (var (schema, name) in ReadNameList(c))
            {
                if (FindTable(schema, name) is { } table)
                {
                    DropTable(table);
                }
            }
        }
        else if (c.AcceptWord("sequence"))
        {
            c.AcceptWords("if", "exists");
            foreach (var (schema, name) in ReadNameList(c))
            {
                if (_sequences.Remove((schema, name), out var sequence))
                {
                    _model.Sequences.Remove(sequence);
                }
            }
        }
        else if (c.AcceptWord("index"))
        {
            c.AcceptWord("concurrently");
            c.AcceptWords("if", "exists");
            foreach (var (schema, name) in ReadNameList(c))
            {
                if (_indexes.Remove((schema, name), out var index))
                {
                    _model.Indexes.Remove(index);
                }
            }
        }
        else if (c.AcceptWord("view") || c.AcceptWords("materialized", "view"))
        {
            c.AcceptWords("if", "exists");
            foreach (var (schema, name) in ReadNameList(c))
            {
                if (_views.Remove((schema, name), out var view))
                {
                    _model.Views.Remove(view);
                }
            }
        }
        else if (c.AcceptWord("type") || c.AcceptWord("domain"))
        {
            c.AcceptWords("if", "exists");
            foreach (var (schema, name) in ReadNameList(c))
            {
                if (_enums.Remove((schema, name), out var type))
                {
                    _model.Enums.Remove(type);
                }

                if (_domains.Remove((schema, name), out var domain))
                {
                    _model.Domains.Remove(domain);
                }
            }
        }
        else if (c.AcceptWord("trigger"))
        {
            c.AcceptWords("if", "exists");
            var name = c.ReadName("a trigger name");
            c.ExpectWord("on");
            var (schema, table) = c.ReadQualifiedName(_defaultSchema);
            if (_triggers.Remove((schema, table, name), out var trigger))
            {
                _model.Triggers.Remove(trigger);
            }
        }
        else if (c.AcceptWord("function") || c.AcceptWord("procedure"))
        {
            c.AcceptWords("if", "exists");
            foreach (var (start, end) in TokenCursor.SplitTopLevel(c.Tokens, c.Position, c.End))
            {
                var part = new TokenCursor(c.Tokens, start, end);
                var (schema, name) = part.ReadQualifiedName(_defaultSchema, "a function name");
                string? arguments = null;
                if (part.IsSymbol("("))
                {
                    var (argumentsStart, argumentsEnd) = part.ReadParenthesized();
                    arguments = part.Render(argumentsStart, argumentsEnd);
                }

                // Without an argument list the name must be unique, and then that one goes.
                foreach (var function in _model.Functions.Where(f => f.Schema == schema && f.Name == name && (arguments is null || f.Arguments == arguments)).ToList())
                {
                    _functions.Remove((schema, name, function.Arguments));
                    _model.Functions.Remove(function);
                }
            }
        }
    }

    /// <summary>"a, s.b, c [CASCADE | RESTRICT]": the names, resolved against the current default schema.</summary>
    private List<(string Schema, string Name)> ReadNameList(TokenCursor c)
    {
        var names = new List<(string, string)>();
        foreach (var (start, end) in TokenCursor.SplitTopLevel(c.Tokens, c.Position, c.End))
        {
            var part = new TokenCursor(c.Tokens, start, end);
            if (part.Peek() is { IsName: true })
            {
                names.Add(part.ReadQualifiedName(_defaultSchema));
            }
        }

        return names;
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
