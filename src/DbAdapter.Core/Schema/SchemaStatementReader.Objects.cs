using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>CREATE INDEX, CREATE TRIGGER and CREATE FUNCTION / PROCEDURE: recorded with their statements, bodies never parsed.</summary>
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
        var method = "btree";
        if (c.AcceptWord("using"))
        {
            method = c.ReadName("an index method");
        }

        var (start, end) = c.ReadParenthesized();
        var keys = new List<string>();
        var keyNames = new List<string>();
        var keyModels = new List<IndexKey>();
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            if (partStart == partEnd)
            {
                throw c.Error("empty entry in the index key list");
            }

            var (key, column, options) = ReadIndexKey(new TokenCursor(c.Tokens, partStart, partEnd));
            keys.Add(key);
            keyNames.Add(column ?? ConstraintNames.KeyName(key));
            keyModels.Add(new IndexKey(column, options));
        }

        var include = new List<string>();
        var nullsNotDistinct = false;
        string? predicate = null;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("include"))
            {
                include.AddRange(TableElementReader.ReadColumnList(c));
            }
            else if (c.AcceptWord("with"))
            {
                c.ReadParenthesized();
            }
            else if (c.AcceptWords("nulls", "not", "distinct"))
            {
                nullsNotDistinct = true;
            }
            else if (c.AcceptWords("nulls", "distinct"))
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
        var generated = name is null;
        name ??= ConstraintNames.Index(table, keyNames);
        if (_indexes.ContainsKey((schema, name)))
        {
            if (!ifNotExists && !generated)
            {
                Warn("duplicate index", statement.Line, $"skipped CREATE INDEX {name}: an index of that name is already created earlier in this file.");
            }

            if (!generated)
            {
                return;
            }

            // Two unnamed indexes of the same shape: the server names the second with a suffix.
            var suffix = 1;
            while (_indexes.ContainsKey((schema, name + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                suffix++;
            }

            name += suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
            NameGenerated = generated,
            IsUnique = unique,
            Method = method.ToLowerInvariant(),
            NullsNotDistinct = nullsNotDistinct,
            Predicate = predicate,
            Definition = statement.Text,
            Statement = kept,
        };
        index.Columns.AddRange(keys);
        index.Keys.AddRange(keyModels);
        index.Include.AddRange(include);
        _model.Indexes.Add(index);
        _indexes.Add((schema, name), index);
    }

    /// <summary>
    /// One key of CREATE INDEX: a column or an expression ("lower(name)", "(a + b)": the parentheses
    /// around an expression are not part of it), then its options in the server's words: a
    /// collation is passed over, an operator class kept, ordering written only where not the default.
    /// </summary>
    private static (string Key, string? Column, string Options) ReadIndexKey(TokenCursor c)
    {
        string key;
        string? column = null;
        if (c.IsSymbol("("))
        {
            var (start, end) = c.ReadParenthesized();
            key = c.Render(start, end);
        }
        else if (c.Peek(1) is { } next && (next.IsSymbol("(") || next.IsSymbol(".")))
        {
            // A function call, possibly schema-qualified.
            var start = c.Position;
            while (c.IsSymbol(".", 1))
            {
                c.Position += 2;
            }

            c.ReadName("a function name");
            c.ReadParenthesized();
            key = c.Render(start, c.Position);
        }
        else
        {
            column = c.ReadName("a column name");
            key = column;
        }

        string? operatorClass = null;
        bool? descending = null;
        bool? nullsFirst = null;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("collate"))
            {
                c.ReadQualifiedName(string.Empty, "a collation name");
            }
            else if (c.AcceptWord("asc"))
            {
                descending = false;
            }
            else if (c.AcceptWord("desc"))
            {
                descending = true;
            }
            else if (c.AcceptWords("nulls", "first"))
            {
                nullsFirst = true;
            }
            else if (c.AcceptWords("nulls", "last"))
            {
                nullsFirst = false;
            }
            else if (c.Peek() is { IsName: true })
            {
                operatorClass = c.ReadQualifiedName(string.Empty, "an operator class").Name;
                if (c.IsSymbol("("))
                {
                    c.ReadParenthesized();
                }
            }
            else
            {
                throw c.Unexpected("COLLATE, an operator class, ASC, DESC or NULLS FIRST / LAST");
            }
        }

        var desc = descending == true;
        var bits = (short)((desc ? 1 : 0) | ((nullsFirst ?? desc) ? 2 : 0));
        return (key, column, SchemaIntrospector.IndexKeyOptions(operatorClass ?? string.Empty, bits));
    }

    private void ReadCreateTrigger(SqlStatement statement, TokenCursor c, bool constraint)
    {
        RequireOneStatement(statement);
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
        var updateColumns = new List<string>();
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
                do
                {
                    updateColumns.Add(c.ReadName("a column name"));
                }
                while (c.AcceptSymbol(","));
            }
        }
        while (c.AcceptWord("or"));

        c.ExpectWord("on");
        var tableStart = c.Position;
        var (schema, table) = c.ReadQualifiedName(_defaultSchema);
        var tableEnd = c.Position;
        var trigger = new TriggerModel
        {
            Schema = schema,
            Table = table,
            Name = name,
            Timing = timing,
            IsConstraint = constraint,
            Definition = statement.Text,
            SearchPath = _searchPath,
            Line = statement.Line,
        };
        trigger.Events.AddRange(events);
        trigger.UpdateColumns.AddRange(updateColumns);
        var deferral = default(ConstraintTiming);
        while (!c.AtEnd && !c.IsWord("execute"))
        {
            if (c.AcceptWord("from"))
            {
                c.ReadQualifiedName(_defaultSchema, "the referenced table");
            }
            else if (c.AcceptWords("not", "deferrable"))
            {
                deferral = default;
            }
            else if (c.AcceptWord("deferrable"))
            {
                deferral = deferral with { Deferrable = true };
            }
            else if (c.AcceptWords("initially", "deferred"))
            {
                deferral = new ConstraintTiming(true, true);
            }
            else if (c.AcceptWords("initially", "immediate"))
            {
                deferral = deferral with { InitiallyDeferred = false };
            }
            else if (c.AcceptWord("referencing"))
            {
                while (c.IsWord("old") || c.IsWord("new"))
                {
                    var old = c.AcceptWord("old");
                    if (!old)
                    {
                        c.ExpectWord("new");
                    }

                    if (!c.AcceptWord("table"))
                    {
                        c.ExpectWord("row");
                    }

                    c.AcceptWord("as");
                    var transition = c.ReadName("a transition table name");
                    if (old)
                    {
                        trigger.OldTable = transition;
                    }
                    else
                    {
                        trigger.NewTable = transition;
                    }
                }
            }
            else if (c.AcceptWords("for", "each", "row") || c.AcceptWords("for", "row"))
            {
                trigger.ForEachRow = true;
            }
            else if (c.AcceptWords("for", "each", "statement") || c.AcceptWords("for", "statement"))
            {
                trigger.ForEachRow = false;
            }
            else if (c.AcceptWord("when"))
            {
                var (whenStart, whenEnd) = c.ReadParenthesized();
                trigger.When = c.Render(whenStart, whenEnd);
            }
            else
            {
                throw c.Unexpected("FOR EACH ROW, WHEN, REFERENCING or EXECUTE FUNCTION");
            }
        }

        trigger.Deferral = deferral;
        c.ExpectWord("execute");
        if (!c.AcceptWord("function"))
        {
            c.ExpectWord("procedure");
        }

        var (functionSchema, functionName) = c.ReadQualifiedName(string.Empty, "a function name");
        trigger.Function = functionSchema.Length == 0 ? functionName : $"{functionSchema}.{functionName}";
        var (argumentsStart, argumentsEnd) = c.ReadParenthesized();
        foreach (var (partStart, partEnd) in argumentsStart == argumentsEnd ? [] : TokenCursor.SplitTopLevel(c.Tokens, argumentsStart, argumentsEnd))
        {
            // Each argument is a literal the function receives as text: a string, a number or a word.
            var token = c.Tokens[partStart];
            trigger.Arguments.Add(token.Kind == SqlTokenKind.String ? token.Value : SqlText.Render(c.Tokens, partStart, partEnd));
        }

        var kept = Keep(statement);
        if (FindTable(schema, table) is { } owner)
        {
            Name(kept, statement, tableStart, tableEnd, owner);
        }

        trigger.Statement = kept;

        // CREATE OR REPLACE TRIGGER replaces the earlier definition on the same table.
        // The replaced one leaves its place in the list and the new one goes last, as before.
        if (_triggers.Remove((schema, table, name), out var replaced))
        {
            _model.Triggers.Remove(replaced);
        }

        _model.Triggers.Add(trigger);
        _triggers.Add((schema, table, name), trigger);
    }

    private void ReadCreateFunction(SqlStatement statement, TokenCursor c)
    {
        var isProcedure = c.AcceptWord("procedure");
        if (!isProcedure)
        {
            c.ExpectWord("function");
        }

        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a function name");
        var restStart = c.Position;
        var (start, end) = c.ReadParenthesized();
        var arguments = c.Render(start, end);
        string? returnType = null;
        string? language = null;
        string? body = null;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("returns"))
            {
                var typeStart = c.Position;
                while (!c.AtEnd && !(c.Current.Kind == SqlTokenKind.Identifier && FunctionOptionWords.Contains(c.Current.Value)))
                {
                    c.SkipItem();
                }

                returnType = c.Render(typeStart, c.Position);
            }
            else if (c.AcceptWord("language"))
            {
                var token = c.Next();
                language = token.Kind == SqlTokenKind.String ? token.Value.ToLowerInvariant() : token.Value;
            }
            else if (c.AcceptWord("as"))
            {
                // The body: a string (or dollar-quoted) literal, as the function receives it.
                var token = c.Next();
                body = token.Kind is SqlTokenKind.String or SqlTokenKind.DollarString ? token.Value : token.Text;
                if (c.AcceptSymbol(","))
                {
                    c.Next();
                }
            }
            else if (c.IsWord("begin") || c.IsWord("return"))
            {
                // A SQL-standard body (BEGIN ATOMIC ... END, RETURN expression) runs to the end.
                body = c.Render(c.Position, c.End);
                language ??= "sql";
                c.Position = c.End;
            }
            else
            {
                c.SkipItem();
            }
        }

        // CREATE OR REPLACE: the replaced overload leaves its place and the new one goes last.
        if (_functions.Remove((schema, name, arguments), out var replaced))
        {
            _model.Functions.Remove(replaced);
        }

        var origin = statement.Tokens[statement.Start].Start;
        var function = new FunctionModel
        {
            Schema = schema,
            Name = name,
            Arguments = arguments,
            ReturnType = returnType,
            IsProcedure = isProcedure,
            Language = language,
            Body = body,
            Statement = Keep(statement),
            RestOffset = statement.Tokens[restStart].Start - origin,
            Line = statement.Line,
        };
        _model.Functions.Add(function);
        _functions.Add((schema, name, arguments), function);
    }
}
