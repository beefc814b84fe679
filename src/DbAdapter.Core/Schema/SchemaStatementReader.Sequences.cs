using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// CREATE SEQUENCE and ALTER SEQUENCE: kept with their statements, and with the column that owns each
/// sequence, because pg_dump writes a serial column as an integer column, a CREATE SEQUENCE, an ALTER
/// SEQUENCE ... OWNED BY and a default; a table or column repair creates needs its sequence back.
/// </summary>
internal sealed partial class SchemaStatementReader
{
    private void ReadCreateSequence(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        var ifNotExists = c.AcceptWords("if", "not", "exists");
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a sequence name");
        var nameEnd = c.Position;
        if (_sequences.TryGetValue((schema, name), out var earlier))
        {
            if (!ifNotExists)
            {
                Warn("duplicate sequence", statement.Line, $"skipped CREATE SEQUENCE {schema}.{name}: the sequence is already created on line {earlier.Line}.");
            }

            return;
        }

        var kept = Keep(statement);
        var sequence = new SequenceModel { Schema = schema, Name = name, Create = kept, Line = statement.Line };
        Name(kept, statement, nameStart, nameEnd, sequence);
        ReadOwnedBy(statement, kept, c, sequence);
        _model.Sequences.Add(sequence);
        _sequences.Add((schema, name), sequence);
    }

    private void ReadAlterSequence(SqlStatement statement, TokenCursor c)
    {
        RequireOneStatement(statement);
        c.AcceptWords("if", "exists");
        var nameStart = c.Position;
        var (schema, name) = c.ReadQualifiedName(_defaultSchema, "a sequence name");
        var nameEnd = c.Position;
        if (!_sequences.TryGetValue((schema, name), out var sequence))
        {
            return;
        }

        if (c.AcceptWords("rename", "to") || c.AcceptWords("set", "schema"))
        {
            // Repair creates the sequence under its final name: the move itself is not rerun.
            var target = c.ReadName("a name");
            var renamed = c.Tokens[c.Position - 2].IsWord("to");
            _sequences.Remove((schema, name));
            sequence.Schema = renamed ? schema : target;
            sequence.Name = renamed ? target : name;
            _sequences[(sequence.Schema, sequence.Name)] = sequence;
            return;
        }

        if (c.AreWords("owner", "to"))
        {
            return;
        }

        var kept = Keep(statement);
        Name(kept, statement, nameStart, nameEnd, sequence);
        ReadOwnedBy(statement, kept, c, sequence);
        sequence.AlterStatements.Add(kept);
    }

    /// <summary>
    /// Reads the options: AS type, INCREMENT [BY] n, and OWNED BY [schema.]table.column (or NONE),
    /// which records the owner; the others are kept only in the statement.
    /// </summary>
    private void ReadOwnedBy(SqlStatement statement, FileStatement kept, TokenCursor c, SequenceModel sequence)
    {
        while (!c.AtEnd)
        {
            if (c.AcceptWord("as"))
            {
                var typeStart = c.Position;
                c.ReadQualifiedName(string.Empty, "a type");
                sequence.DataType = c.Render(typeStart, c.Position);
                continue;
            }

            if (c.AcceptWord("increment"))
            {
                c.AcceptWord("by");
                var negative = c.AcceptSymbol("-");
                if (c.Peek() is { Kind: SqlTokenKind.Number } number && long.TryParse(number.Text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var increment))
                {
                    c.Next();
                    sequence.Increment = negative ? -increment : increment;
                }

                continue;
            }

            if (!c.AcceptWords("owned", "by"))
            {
                c.SkipItem();
                continue;
            }

            if (c.AcceptWord("none"))
            {
                sequence.OwnedBy = null;
                continue;
            }

            var start = c.Position;
            var parts = new List<string> { c.ReadName("a column") };
            while (c.IsSymbol(".") && c.Peek(1) is { IsName: true })
            {
                c.Position++;
                parts.Add(c.ReadName("a column"));
            }

            if (parts.Count < 2)
            {
                throw c.Error("OWNED BY needs table.column");
            }

            var schema = parts.Count >= 3 ? parts[^3] : _defaultSchema;
            sequence.OwnedBy = new ColumnRef(schema, parts[^2], parts[^1]);
            if (FindTable(schema, parts[^2]) is { } owner)
            {
                // The table part only (the tokens before ".column"): a renamed owner is written by its final name.
                Name(kept, statement, start, c.Position - 2, owner);
            }
        }
    }
}
