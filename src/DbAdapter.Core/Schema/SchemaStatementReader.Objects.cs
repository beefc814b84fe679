using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>CREATE INDEX, CREATE TRIGGER and CREATE FUNCTION / PROCEDURE: recorded, never parsed for bodies.</summary>
internal sealed partial class SchemaStatementReader
{
    // Words that end a function's RETURNS type: the options that may follow it.
    private static readonly HashSet<string> FunctionOptionWords =
    [
        "language", "as", "immutable", "stable", "volatile", "strict", "called", "returns", "security", "external",
        "set", "parallel", "cost", "rows", "leakproof", "not", "window", "support", "transform", "begin", "return",
    ];

    private void ReadCreateIndex(SqlStatement statement, TokenCursor c, bool unique)
    {
        RequireOneStatement(statement);
        c.AcceptWord("concurrently");
        var ifNotExists = c.AcceptWords("if", "not", "exists");
        string? name = null;
        if (!c.IsWord("on"))
        {
            name = c.ReadName("an index name");
        }

        c.ExpectWord("on");
        c.AcceptWord("only");
        var tableStart = c.Position;
        var (schema, table) = c.ReadQualifiedName(_defaultSchema);
        var tableEnd = c.Position;
        if (c.AcceptWord("using"))
        {
            c.ReadName("an index method");
        }

        var (start, end) = c.ReadParenthesized();
        var keys = new List<string>();
        var keyNames = new List<string>();
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            if (partStart == partEnd)
            {
                throw c.Error("empty entry in the index key list");
            }

            // "col", "col DESC", "col text_pattern_ops" key on a column; anything else is an expression.
            var first = c.Tokens[partStart];
            var isColumn = first.IsName && (partEnd - partStart == 1 || c.Tokens[partStart + 1].Kind == SqlTokenKind.Identifier);
            keys.Add(isColumn ? first.Value : SqlText.Render(c.Tokens, partStart, partEnd));
            keyNames.Add(isColumn ? first.Value : "expr");
        }

        string? predicate = null;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("include") || c.AcceptWord("with"))
            {
                c.ReadParenthesized();
            }
            else if (c.AcceptWords("nulls", "not", "distinct") || c.AcceptWords("nulls", "distinct"))
            {
                continue;
            }
            else if (c.AcceptWord("tablespace"))
            {
                c.ReadName("a tablespace name");
            }
            else if (c.AcceptWord("where"))
            {
                predicate = c.Render(c.Position, c.End);
                c.Position = c.End;
            }
            else
            {
                throw c.Unexpected("INCLUDE, WITH, TABLESPACE, WHERE or the end of CREATE INDEX");
            }
        }

        // The server's own choice for an unnamed index (without its collision suffix).
        name ??= $"{table}_{string.Join('_', keyNames)}_idx";
        if (_indexes.ContainsKey((schema, name)))
        {
            if (!ifNotExists)
            {
                Warn("duplicate index", statement.Line, $"skipped CREATE INDEX {name}: an index of that name is already created earlier in this file.");
            }

            return;
        }

        var kept = Keep(statement);
        if (FindTable(schema, table) is { } indexed)
        {
            Name(kept, statement, tableStart, tableEnd, indexed);
        }

        var index = new IndexModel
        {
            Schema = schema,
            Table = table,
            Name = name,
            IsUnique = unique,
            Predicate = predicate,
            Definition = statement.Text,
            Statement = kept,
        };
        index.Columns.AddRange(keys);
        _model.Indexes.Add(index);
        _indexes.Add((schema, name), index);
    }

    private void ReadCreateTrigger(TokenCursor c)
    {
        var name = c.ReadName("a trigger name");
        string timing;
        if (c.AcceptWord("before"))
        {
            timing = "BEFORE";
        }
        else if (c.AcceptWord("after"))
        {
            timing = "AFTER";
        }
        else if (c.AcceptWords("instead", "of"))
        {
            timing = "INSTEAD OF";
        }
        else
        {
            throw c.Unexpected("BEFORE, AFTER or INSTEAD OF");
        }

        var events = new List<string>();
        do
        {
            var word = c.ReadName("INSERT, UPDATE, DELETE or TRUNCATE");
            if (word is not ("insert" or "update" or "delete" or "truncate"))
            {
                throw c.Error($"'{word}' is not a trigger event");
            }

            events.Add(word.ToUpperInvariant());
            if (word == "update" && c.AcceptWord("of"))
            {
                // UPDATE OF a, b: the column list ends at OR or ON.
                while (!c.AtEnd && !c.IsWord("or") && !c.IsWord("on"))
                {
                    c.Next();
                }
            }
        }
        while (c.AcceptWord("or"));

        c.ExpectWord("on");
        var (schema, table) = c.ReadQualifiedName(_defaultSchema);
        while (!c.AtEnd && !c.IsWord("execute"))
        {
            c.SkipItem();
        }

        c.ExpectWord("execute");
        if (!c.AcceptWord("function"))
        {
            c.ExpectWord("procedure");
        }

        var (functionSchema, functionName) = c.ReadQualifiedName(string.Empty, "a function name");
        var trigger = new TriggerModel
        {
            Schema = schema,
            Table = table,
            Name = name,
            Timing = timing,
            Function = functionSchema.Length == 0 ? functionName : $"{functionSchema}.{functionName}",
        };
        trigger.Events.AddRange(events);

        // CREATE OR REPLACE TRIGGER replaces the earlier definition on the same table.
        // The replaced one leaves its place in the list and the new one goes last, as before.
        if (_triggers.Remove((schema, table, name), out var replaced))
        {
            _model.Triggers.Remove(replaced);
        }

        _model.Triggers.Add(trigger);
        _triggers.Add((schema, table, name), trigger);
    }

    private void ReadCreateFunction(TokenCursor c)
    {
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a function name");
        var (start, end) = c.ReadParenthesized();
        var arguments = c.Render(start, end);
        string? returnType = null;
        if (c.AcceptWord("returns"))
        {
            var typeStart = c.Position;
            while (!c.AtEnd && !(c.Current.Kind == SqlTokenKind.Identifier && FunctionOptionWords.Contains(c.Current.Value)))
            {
                c.SkipItem();
            }

            returnType = c.Render(typeStart, c.Position);
        }

        // The body (a dollar-quoted string or BEGIN ATOMIC ... END) is one token run that is never parsed.
        // CREATE OR REPLACE: the replaced overload leaves its place and the new one goes last.
        if (_functions.Remove((schema, name, arguments), out var replaced))
        {
            _model.Functions.Remove(replaced);
        }

        var function = new FunctionModel { Schema = schema, Name = name, Arguments = arguments, ReturnType = returnType };
        _model.Functions.Add(function);
        _functions.Add((schema, name, arguments), function);
    }
}
