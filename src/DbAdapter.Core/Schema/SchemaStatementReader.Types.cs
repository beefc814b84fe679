using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Enum types and domains: CREATE TYPE ... AS ENUM and ALTER TYPE (labels added, renamed, the type
/// moved), CREATE DOMAIN and ALTER DOMAIN (default, NOT NULL, checks). Other kinds of CREATE TYPE
/// (composite, range, base) shape no table and are passed over.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    private void ReadCreateType(SqlStatement statement, TokenCursor c)
    {
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a type name");
        var nameEnd = c.Position;
        if (!c.AcceptWords("as", "enum"))
        {
            return;
        }

        RequireOneStatement(statement);
        var type = new EnumModel { Schema = schema, Name = name, Line = statement.Line };
        var (start, end) = c.ReadParenthesized();
        foreach (var (partStart, partEnd) in TokenCursor.SplitTopLevel(c.Tokens, start, end))
        {
            var label = c.Tokens[partStart];
            if (partEnd - partStart != 1 || label.Kind != SqlTokenKind.String)
            {
                throw c.Error("an enum label must be a string literal");
            }

            type.Labels.Add(label.Value);
        }

        if (_enums.ContainsKey((schema, name)))
        {
            Warn("duplicate type", statement.Line, $"skipped CREATE TYPE {schema}.{name}: the type is already created earlier in this file.");
            return;
        }

        var kept = Keep(statement);
        Name(kept, statement, nameStart, nameEnd, type);
        type.Statement = kept;
        _model.Enums.Add(type);
        _enums.Add((schema, name), type);
    }

    private void ReadAlterType(SqlStatement statement, TokenCursor c)
    {
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a type name");
        if (!_enums.TryGetValue((schema, name), out var type))
        {
            return;
        }

        if (c.AcceptWords("add", "value"))
        {
            var ifNotExists = c.AcceptWords("if", "not", "exists");
            var label = ReadLabel(c);
            if (type.Labels.Contains(label, StringComparer.Ordinal))
            {
                if (!ifNotExists)
                {
                    Warn("not applied", statement.Line, $"ALTER TYPE {type}: label '{label}' already exists.");
                }

                return;
            }

            var at = type.Labels.Count;
            var before = c.AcceptWord("before");
            if (before || c.AcceptWord("after"))
            {
                var neighbour = ReadLabel(c);
                var position = type.Labels.IndexOf(neighbour);
                if (position < 0)
                {
                    throw c.Error($"'{neighbour}' is not a label of {type}");
                }

                at = before ? position : position + 1;
            }

            type.Labels.Insert(at, label);
        }
        else if (c.AcceptWords("rename", "value"))
        {
            var from = ReadLabel(c);
            c.ExpectWord("to");
            var to = ReadLabel(c);
            var position = type.Labels.IndexOf(from);
            if (position >= 0)
            {
                type.Labels[position] = to;
            }
        }
        else if (c.AcceptWords("rename", "to") || c.AcceptWords("set", "schema"))
        {
            var renamed = c.Tokens[c.Position - 1].IsWord("to");
            var target = c.ReadName("a name");
            _enums.Remove((schema, name));
            type.Schema = renamed ? schema : target;
            type.Name = renamed ? target : name;
            _enums[(type.Schema, type.Name)] = type;
        }

        static string ReadLabel(TokenCursor c)
        {
            var token = c.Next();
            return token.Kind == SqlTokenKind.String ? token.Value : throw c.Error("an enum label must be a string literal");
        }
    }

    private void ReadCreateDomain(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a domain name");
        var nameEnd = c.Position;
        c.AcceptWord("as");
        var typeStart = c.Position;
        while (!c.AtEnd && !TableElementReader.StartsColumnConstraint(c))
        {
            c.SkipItem();
        }

        if (c.Position == typeStart)
        {
            throw c.Error($"domain {name} has no type");
        }

        var domain = new DomainModel { Schema = schema, Name = name, BaseType = c.Render(typeStart, c.Position), SearchPath = _searchPath, Line = statement.Line };
        ReadDomainConstraints(c, domain);
        if (_domains.ContainsKey((schema, name)))
        {
            Warn("duplicate type", statement.Line, $"skipped CREATE DOMAIN {schema}.{name}: the domain is already created earlier in this file.");
            return;
        }

        var kept = Keep(statement);
        Name(kept, statement, nameStart, nameEnd, domain);
        domain.Statement = kept;
        _model.Domains.Add(domain);
        _domains.Add((schema, name), domain);
    }

    /// <summary>DEFAULT, [NOT] NULL, COLLATE and [CONSTRAINT name] CHECK (...) of a domain, to the end of the cursor.</summary>
    private static void ReadDomainConstraints(TokenCursor c, DomainModel domain)
    {
        string? name = null;
        while (!c.AtEnd)
        {
            if (c.AcceptWord("constraint"))
            {
                name = c.ReadName("a constraint name");
                continue;
            }

            if (c.AcceptWord("default"))
            {
                domain.Default = TableElementReader.ReadDefaultExpression(c);
            }
            else if (c.AcceptWords("not", "null"))
            {
                domain.NotNull = true;
            }
            else if (c.AcceptWord("null"))
            {
                domain.NotNull = false;
            }
            else if (c.AcceptWord("collate"))
            {
                c.ReadQualifiedName(string.Empty, "a collation name");
            }
            else if (c.AcceptWord("check"))
            {
                var (start, end) = c.ReadParenthesized();
                domain.Checks.Add(new CheckModel { Name = name, Expression = c.Render(start, end) });
                c.AcceptWords("not", "valid");
            }
            else
            {
                throw c.Unexpected("DEFAULT, NOT NULL, NULL, COLLATE or CHECK");
            }

            name = null;
        }
    }

    private void ReadAlterDomain(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a domain name");
        if (!_domains.TryGetValue((schema, name), out var domain))
        {
            return;
        }

        if (c.AcceptWords("set", "default"))
        {
            domain.Default = c.Render(c.Position, c.End);
        }
        else if (c.AcceptWords("drop", "default"))
        {
            domain.Default = null;
        }
        else if (c.AcceptWords("set", "not", "null"))
        {
            domain.NotNull = true;
        }
        else if (c.AcceptWords("drop", "not", "null"))
        {
            domain.NotNull = false;
        }
        else if (c.AcceptWord("add"))
        {
            ReadDomainConstraints(c, domain);
        }
        else if (c.AcceptWords("drop", "constraint"))
        {
            c.AcceptWords("if", "exists");
            var constraint = c.ReadName("a constraint name");
            domain.Checks.RemoveAll(k => (k.Name ?? ConstraintNames.Check(domain.Name, k.Expression, [])) == constraint);
        }
        else if (c.AcceptWords("rename", "constraint"))
        {
            var from = c.ReadName("a constraint name");
            c.ExpectWord("to");
            var to = c.ReadName("the new constraint name");
            foreach (var check in domain.Checks.Where(k => k.Name == from))
            {
                check.Name = to;
            }
        }
        else if (c.AcceptWords("rename", "to") || c.AcceptWords("set", "schema"))
        {
            var renamed = c.Tokens[c.Position - 1].IsWord("to");
            var target = c.ReadName("a name");
            _domains.Remove((schema, name));
            domain.Schema = renamed ? schema : target;
            domain.Name = renamed ? target : name;
            _domains[(domain.Schema, domain.Name)] = domain;
        }
    }
}
