using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// The sequences a created table or an added column needs and the database lacks: those the expected
/// schema has the table's columns own (OWNED BY: dropping the table or column dropped them), and those
/// its defaults draw from (nextval('s'::regclass)). Each is created once per plan, by the first step
/// that needs it, from its own statements (schema.sql) or its catalog definition (shadow mode).
/// </summary>
internal sealed class StepSequences
{
    private readonly SchemaModel _expected;
    private readonly HashSet<TableName> _existing;
    private readonly HashSet<TableName> _created = [];
    private readonly SearchPath? _catalogPath;

    /// <param name="expected">The expected schema.</param>
    /// <param name="live">The live schema: its sequences exist already.</param>
    /// <param name="catalogPath">The print path of a catalog model (shadow mode), or null for schema.sql.</param>
    public StepSequences(SchemaModel expected, SchemaModel live, SearchPath? catalogPath)
    {
        _expected = expected;
        _existing = live.Sequences.Select(s => s.QualifiedName).ToHashSet();
        _catalogPath = catalogPath;
    }

    /// <summary>Counts <paramref name="names"/> as existing: steps of their own create them before any table needs them.</summary>
    public void Reserve(IEnumerable<TableName> names) => _existing.UnionWith(names);

    /// <summary>
    /// Adds to <paramref name="step"/> the sequences <paramref name="columns"/> of <paramref name="table"/>
    /// need: created before its main statement, owned (OWNED BY) right after it. Sequences named in
    /// <paramref name="vacated"/> count as missing (a recreate renames the old ones away first).
    /// Returns the sequences added.
    /// </summary>
    public List<SequenceModel> AddTo(PlannedStep step, TableModel table, IReadOnlyCollection<ColumnModel> columns, IReadOnlySet<TableName>? vacated = null)
    {
        var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var needed = _expected.Sequences
            .Where(s => s.OwnedBy is { } owner && owner.Schema == table.Schema && owner.Table == table.Name && names.Contains(owner.Column))
            .ToList();
        foreach (var column in columns)
        {
            foreach (var sequence in Referenced(table, column))
            {
                if (!needed.Contains(sequence))
                {
                    needed.Add(sequence);
                }
            }
        }

        var added = new List<SequenceModel>();
        var owning = new List<StepSql>();
        foreach (var sequence in needed)
        {
            var name = sequence.QualifiedName;
            if ((_existing.Contains(name) && vacated?.Contains(name) != true) || _created.Contains(name))
            {
                continue;
            }

            if (_catalogPath is not null)
            {
                step.Before.Add(StepSql.Under(CatalogDdl.CreateSequence(sequence), _catalogPath));
                if (CatalogDdl.OwnedBy(sequence) is { } ownedBy)
                {
                    owning.Add(StepSql.Under(ownedBy, _catalogPath));
                }
            }
            else if (sequence.Create is { } create)
            {
                // CREATE SEQUENCE ... OWNED BY t.c needs the table; without it the sequence comes first,
                // since the table's own defaults may draw from it.
                var created = StepSql.Under(create.Render(), create.SearchPath);
                if (OwnsInline(create))
                {
                    owning.Add(created);
                }
                else
                {
                    step.Before.Add(created);
                }

                owning.AddRange(sequence.AlterStatements.Select(a => StepSql.Under(a.Render(), a.SearchPath)));
            }
            else
            {
                continue;
            }

            _created.Add(name);
            added.Add(sequence);
        }

        // Right after the main statement, before the table's own ALTERs (which may set the default).
        step.Alters.InsertRange(0, owning.Select(o => (o, new List<TableName>())));
        return added;
    }

    /// <summary>The sequences of the expected schema a column's default draws from.</summary>
    public IEnumerable<SequenceModel> Referenced(TableModel table, ColumnModel column)
    {
        if (column.Default is not { } expression || !expression.Contains("nextval", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        var tokens = SqlTokenizer.Tokenize(expression);
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (!tokens[i].IsWord("nextval") || !tokens[i + 1].IsSymbol("(") || tokens[i + 2].Kind != SqlTokenKind.String)
            {
                continue;
            }

            // The literal is a name as SQL spells it: 'app."Seq"' is schema app, sequence Seq.
            var parts = SqlTokenizer.Tokenize(tokens[i + 2].Value).Where(t => t.IsName).Select(t => t.Value).ToList();
            if (parts.Count == 0)
            {
                continue;
            }

            var candidates = parts.Count > 1
                ? [parts[^2]]
                : ((column.SearchPath ?? _catalogPath)?.Schemas ?? []).Where(s => s is not ("$user" or "pg_catalog")).Append(table.Schema);
            var found = candidates.Select(schema => _expected.FindSequence(schema, parts[^1])).FirstOrDefault(s => s is not null);
            if (found is not null)
            {
                yield return found;
            }
        }
    }

    private static bool OwnsInline(FileStatement create)
    {
        var tokens = SqlTokenizer.Tokenize(create.Text);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].IsWord("owned") && tokens[i + 1].IsWord("by") && !(i + 2 < tokens.Count && tokens[i + 2].IsWord("none")))
            {
                return true;
            }
        }

        return false;
    }
}
