using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>CREATE [MATERIALIZED] VIEW and ALTER VIEW: the query kept as written, for the server to read.</summary>
internal sealed partial class SchemaStatementReader
{
    private void ReadCreateView(SqlStatement statement, TokenCursor c, bool materialized, bool recursive)
    {
        RequireOneStatement(statement);
        var ifNotExists = c.AcceptWords("if", "not", "exists");
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a view name");
        var nameEnd = c.Position;
        var columns = c.IsSymbol("(") ? TableElementReader.ReadColumnList(c) : [];
        while (!c.AtEnd && !c.IsWord("as"))
        {
            if (c.AcceptWord("using") || c.AcceptWord("tablespace"))
            {
                c.ReadName("an access method or tablespace");
            }
            else if (c.AcceptWord("with"))
            {
                c.ReadParenthesized();
            }
            else
            {
                throw c.Unexpected("AS, WITH (...), USING or TABLESPACE");
            }
        }

        c.ExpectWord("as");
        var queryStart = c.Position;
        var queryEnd = QueryEnd(c, materialized);
        if (queryEnd <= queryStart)
        {
            throw c.Error("the view has no query");
        }

        var view = new ViewModel
        {
            Schema = schema,
            Name = name,
            IsMaterialized = materialized,
            IsRecursive = recursive,
            Query = c.Render(queryStart, queryEnd),
            SearchPath = _searchPath,
            Line = statement.Line,
        };
        view.ColumnNames.AddRange(columns);
        var kept = Keep(statement);
        Name(kept, statement, nameStart, nameEnd, view);
        view.Statement = kept;

        if (_views.TryGetValue((schema, name), out var earlier))
        {
            // CREATE OR REPLACE VIEW replaces it; a second CREATE would fail (IF NOT EXISTS keeps the first).
            if (ifNotExists)
            {
                return;
            }

            _model.Views.Remove(earlier);
            _views.Remove((schema, name));
        }

        _model.Views.Add(view);
        _views.Add((schema, name), view);
    }

    /// <summary>Where the query ends: before WITH [CASCADED | LOCAL] CHECK OPTION, or a materialized view's WITH [NO] DATA.</summary>
    private static int QueryEnd(TokenCursor c, bool materialized)
    {
        var tokens = c.Tokens;
        var end = c.End;
        if (end - 3 >= c.Position && tokens[end - 2].IsWord("check") && tokens[end - 1].IsWord("option"))
        {
            end -= 2;
            if (tokens[end - 1].IsWord("cascaded") || tokens[end - 1].IsWord("local"))
            {
                end--;
            }

            return tokens[end - 1].IsWord("with") ? end - 1 : c.End;
        }

        if (materialized && end - 2 >= c.Position && tokens[end - 1].IsWord("data"))
        {
            var with = tokens[end - 2].IsWord("no") ? end - 3 : end - 2;
            return with >= c.Position && tokens[with].IsWord("with") ? with : c.End;
        }

        return end;
    }

    /// <summary>ALTER [MATERIALIZED] VIEW ... RENAME TO / SET SCHEMA: the view keeps its identity.</summary>
    private void ReadAlterView(TokenCursor c)
    {
        c.AcceptWords("if", "exists");
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a view name");
        if (!_views.TryGetValue((schema, name), out var view))
        {
            return;
        }

        string? newSchema = null;
        string? newName = null;
        if (c.AcceptWords("rename", "to"))
        {
            newName = c.ReadName("the new view name");
        }
        else if (c.AcceptWords("set", "schema"))
        {
            newSchema = c.ReadName("a schema name");
        }
        else
        {
            return;
        }

        _views.Remove((schema, name));
        view.Schema = newSchema ?? schema;
        view.Name = newName ?? name;
        _views[(view.Schema, view.Name)] = view;
    }
}
