using System.Runtime.CompilerServices;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Compares the objects beyond columns: constraints, indexes and triggers of the tables both sides
/// have, and the sequences, enums, domains, views and functions of the compared schemas. Every
/// definition is compared in one spelling (<see cref="ObjectText"/>), with the server's text for
/// whatever holds an expression: a catalog model has it already, and for schema.sql's model the
/// comparer lists what the server must read (<see cref="Probes"/>, <see cref="TypeProbes"/>), which the
/// caller sends to the server (the view queries first, see <see cref="QueryProbes"/>).
/// </summary>
/// <remarks>
/// <para>Objects a table has because its parent has them (a partition's copies of its parent's keys,
/// indexes, foreign keys and triggers; an inheritance child's checks) are compared on the parent
/// only, on both sides alike, so it does not matter whether a file wrote them out (pg_dump does) or
/// left them to the server.</para>
/// <para>Constraints and indexes are matched by meaning where names are the server's choice: first
/// the same name and definition, then the same definition under another name (an unnamed UNIQUE (a)
/// of the file is the server's t_a_key), then the same name with another definition, which is a
/// difference. Views, functions (name and argument types), types and triggers are matched by name.</para>
/// </remarks>
internal sealed class ObjectComparer
{
    private readonly SchemaModel _expected;
    private readonly SchemaModel _live;
    private readonly HashSet<string> _compared;
    private readonly IReadOnlyList<(TableModel Expected, TableModel Live)> _tables;
    private readonly bool _probe;

    // Which probe reads which object of schema.sql (objects by reference).
    private readonly Dictionary<object, int> _probeOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(IndexModel Index, int Key), int> _keyProbe = [];
    private readonly Dictionary<SequenceModel, int> _typeProbe = new(ReferenceEqualityComparer.Instance);
    private readonly ILookup<TableName, IndexModel> _expectedIndexes;
    private readonly ILookup<TableName, TriggerModel> _expectedTriggers;
    private readonly Dictionary<TableName, TableModel> _expectedTables;
    private readonly Dictionary<TableName, TableModel> _liveTables;

    // The names each expression uses, tokenized once per distinct text (a schema repeats its checks and keys).
    private readonly Dictionary<string, List<string>> _names = new(StringComparer.Ordinal);

    // Schema.sql's table entries built ahead (PrepareExpected), and the places still waiting for answers.
    private Dictionary<TableModel, TableEntrySet>? _expectedSets;
    private List<(List<Entry> List, int Index, Func<Entry> Make)>? _deferred;

    private IReadOnlyList<ObjectAnswer> _answers = [];
    private LiveEntries? _liveSide;
    private IReadOnlyList<ProbeAnswer> _typeAnswers = [];
    private SchemaComparison? _result;

    /// <param name="expected">The expected model.</param>
    /// <param name="live">The live model.</param>
    /// <param name="schemas">The compared schemas.</param>
    /// <param name="tables">The tables both sides have, expected with live.</param>
    /// <param name="queries">The view probes made by <see cref="QueryProbes"/> for the same models, or null to make them here.</param>
    public ObjectComparer(
        SchemaModel expected,
        SchemaModel live,
        IReadOnlyList<string> schemas,
        IReadOnlyList<(TableModel Expected, TableModel Live)> tables,
        IReadOnlyList<(ViewModel View, ObjectProbe Probe)>? queries = null)
    {
        _expected = expected;
        _live = live;
        _compared = new HashSet<string>(schemas, StringComparer.Ordinal);
        _tables = tables;
        _probe = !expected.FromCatalog;
        _expectedIndexes = expected.Indexes.ToLookup(i => new TableName(i.Schema, i.Table));
        _expectedTriggers = expected.Triggers.ToLookup(t => new TableName(t.Schema, t.Table));
        _expectedTables = ByName(expected);
        _liveTables = ByName(live);
        if (_probe)
        {
            CollectProbes(queries ?? QueryProbes(expected, live, schemas));
        }
    }

    /// <summary>
    /// The probes of schema.sql's view queries (none for a catalog model): of the views the database has,
    /// since one it lacks is reported as written, and a lacking view's tables are often gone too
    /// (dropped with CASCADE), which the server would refuse. They need nothing of the comparison but
    /// both models, so the caller can send them before the rest is known.
    /// </summary>
    public static List<(ViewModel View, ObjectProbe Probe)> QueryProbes(
        SchemaModel expected,
        SchemaModel live,
        IReadOnlyList<string> schemas,
        IReadOnlyList<ObjectProbe?>? prepared = null)
    {
        if (expected.FromCatalog)
        {
            return [];
        }

        var compared = new HashSet<string>(schemas, StringComparer.Ordinal);
        var liveViews = live.Views.Select(v => v.QualifiedName).ToHashSet();
        var probes = new List<(ViewModel View, ObjectProbe Probe)>();
        for (var i = 0; i < expected.Views.Count; i++)
        {
            var view = expected.Views[i];
            if (compared.Contains(view.Schema) && liveViews.Contains(view.QualifiedName))
            {
                probes.Add((view, (prepared is not null && i < prepared.Count ? prepared[i] : null) ?? QueryProbe(view)));
            }
        }

        return probes;
    }

    /// <summary>
    /// The probes of schema.sql's view queries in <paramref name="schemas"/> (by position in the
    /// model's views; null for one outside them), each checked, rendered and keyed already: what
    /// <see cref="QueryProbes"/> sends once the catalog says which views the database has. Needs only
    /// the file's model, so the thread that read the file makes them while the server reads the catalog.
    /// They are kept with the model (read only, and shared when the file is read again unchanged, see
    /// <see cref="SchemaFileCache"/>) for the next call on the same schemas.
    /// </summary>
    public static ObjectProbe?[] PrepareQueries(SchemaModel expected, IReadOnlyList<string> schemas)
    {
        if (expected.FromCatalog)
        {
            return [];
        }

        if (PreparedByModel.TryGetValue(expected, out var known) && known.Schemas.SequenceEqual(schemas, StringComparer.Ordinal))
        {
            return known.Probes;
        }

        var compared = new HashSet<string>(schemas, StringComparer.Ordinal);
        var prepared = new ObjectProbe?[expected.Views.Count];
        for (var i = 0; i < prepared.Length; i++)
        {
            var view = expected.Views[i];
            if (compared.Contains(view.Schema))
            {
                var probe = QueryProbe(view) with { Prepared = new PreparedQuery(view.Query) };
                ServerProbe.Key(probe);
                prepared[i] = probe;
            }
        }

        PreparedByModel.AddOrUpdate(expected, new PreparedQueries([.. schemas], prepared));
        return prepared;
    }

    private static ObjectProbe QueryProbe(ViewModel view) =>
        new(ObjectProbeKind.Query, view.Query, view.SearchPath) { ColumnNames = view.ColumnNames, Recursive = view.IsRecursive };

    // The view probes of a model, by the schemas they were made for (see PrepareQueries).
    private static readonly ConditionalWeakTable<SchemaModel, PreparedQueries> PreparedByModel = new();

    /// <summary>What the server must read of schema.sql's objects (empty for a catalog model).</summary>
    public List<ObjectProbe> Probes { get; } = [];

    /// <summary>The sequence types the server must spell (empty for a catalog model).</summary>
    public List<ProbeItem> TypeProbes { get; } = [];

    /// <summary>Compares, with the server's answers to <see cref="Probes"/> and <see cref="TypeProbes"/>, into <paramref name="result"/>.</summary>
    public void Compare(IReadOnlyList<ObjectAnswer> answers, IReadOnlyList<ProbeAnswer> typeAnswers, SchemaComparison result)
    {
        _answers = answers;
        _typeAnswers = typeAnswers;
        _result = result;
        var liveSide = _liveSide ?? LiveSide();
        var expectedEntries = _expectedSets is { } prepared ? FinishExpected(prepared) : TableEntries(_expected, expectedSide: true);
        var liveEntries = liveSide.Tables;
        foreach (var (expected, live) in _tables)
        {
            var e = expectedEntries.GetValueOrDefault(expected) ?? Empty;
            var l = liveEntries.GetValueOrDefault(live) ?? Empty;
            Match(e.Constraints, l.Constraints, DifferenceKind.Constraint, byMeaning: true);
            Match(e.Indexes, l.Indexes, DifferenceKind.Index, byMeaning: true);
            Match(e.Triggers, l.Triggers, DifferenceKind.Trigger, byMeaning: false);
        }

        CompareSequences();
        Match(Enums(_expected), liveSide.Enums, DifferenceKind.Enum, byMeaning: false, labels: true);
        Match(Domains(_expected, expectedSide: true), liveSide.Domains, DifferenceKind.Domain, byMeaning: false);
        Match(Views(_expected, expectedSide: true), liveSide.Views, DifferenceKind.View, byMeaning: false);
        Match(Functions(_expected, expectedSide: true), liveSide.Functions, DifferenceKind.Function, byMeaning: false);
    }

    /// <summary>
    /// Builds what it can of schema.sql's table entries ahead of <see cref="Compare"/>: every entry that
    /// needs no answer of the probe (keys, foreign keys, plain indexes, triggers without WHEN), with a
    /// place kept for each one that does, which Compare fills in the same order. The caller runs it
    /// while the server answers; it may run beside <see cref="PrepareLive"/>, never beside Compare.
    /// </summary>
    public void PrepareExpected()
    {
        if (!_probe)
        {
            return;
        }

        _deferred = [];
        _expectedSets = BuildEntries(_expected, expectedSide: true);
    }

    private Dictionary<TableModel, TableEntrySet> FinishExpected(Dictionary<TableModel, TableEntrySet> sets)
    {
        foreach (var (list, index, make) in _deferred!)
        {
            list[index] = make();
        }

        RemoveInherited(_expected, sets);
        return sets;
    }

    /// <summary>
    /// Builds the live side's entries ahead of <see cref="Compare"/>: they need no answer of the probe,
    /// so the caller builds them while the server answers it. Call it at most once, before Compare, and
    /// nothing else of this comparer meanwhile but the probe's lists.
    /// </summary>
    public void PrepareLive() => _liveSide = LiveSide();

    private LiveEntries LiveSide() => new(
        TableEntries(_live, expectedSide: false),
        Enums(_live),
        Domains(_live, expectedSide: false),
        Views(_live, expectedSide: false),
        Functions(_live, expectedSide: false));

    private sealed record LiveEntries(
        Dictionary<TableModel, TableEntrySet> Tables,
        List<Entry> Enums,
        List<Entry> Domains,
        List<Entry> Views,
        List<Entry> Functions);

    private static readonly TableEntrySet Empty = new([], [], []);

    private static Dictionary<TableName, TableModel> ByName(SchemaModel model)
    {
        var tables = new Dictionary<TableName, TableModel>();
        foreach (var table in model.Tables)
        {
            tables.TryAdd(table.QualifiedName, table);
        }

        return tables;
    }

    private SchemaComparison Result => _result ?? throw new InvalidOperationException("Compare has not run.");

    // ---- probes -----------------------------------------------------------------------------------

    private void CollectProbes(IReadOnlyList<(ViewModel View, ObjectProbe Probe)> queries)
    {
        foreach (var (table, _) in _tables)
        {
            var types = table.Columns.ToDictionary(c => c.Name, c => TypeText.SerialBase(c.Type) ?? c.Type, StringComparer.Ordinal);
            foreach (var check in table.Checks)
            {
                Add(check, ObjectProbeKind.Check, check.Expression, check.SearchPath, Columns(check.Expression, types));
            }

            foreach (var exclusion in table.Exclusions)
            {
                Add(exclusion, ObjectProbeKind.Exclusion, exclusion.Definition, exclusion.SearchPath, Columns(exclusion.Definition, types));
            }

            foreach (var index in _expectedIndexes[table.QualifiedName])
            {
                var path = index.Statement?.SearchPath;
                for (var k = 0; k < index.Columns.Count; k++)
                {
                    if (KeyColumn(index, k) is null)
                    {
                        _keyProbe[(index, k)] = Probes.Count;
                        Probes.Add(new ObjectProbe(ObjectProbeKind.KeyExpression, index.Columns[k], path) { Columns = Columns(index.Columns[k], types) });
                    }
                }

                if (index.Predicate is { } predicate)
                {
                    Add(index, ObjectProbeKind.Predicate, predicate, path, Columns(predicate, types));
                }
            }

            foreach (var trigger in _expectedTriggers[table.QualifiedName])
            {
                // A table cannot have an INSTEAD OF trigger, and a statement trigger has no WHEN.
                if (trigger.When is { } when && trigger.ForEachRow && trigger.Timing != "INSTEAD OF")
                {
                    var head = trigger.Timing + " " + string.Join(" OR ", trigger.Events.Select(e =>
                        e == "UPDATE" && trigger.UpdateColumns.Count > 0 ? $"UPDATE OF {string.Join(", ", trigger.UpdateColumns.Select(SqlIdentifier.Quote))}" : e));
                    Probes.Add(new ObjectProbe(ObjectProbeKind.TriggerWhen, when, trigger.SearchPath) { Columns = Columns(when, types), TriggerHead = head });
                    _probeOf[trigger] = Probes.Count - 1;
                }
            }
        }

        foreach (var (view, probe) in queries)
        {
            Probes.Add(probe);
            _probeOf[view] = Probes.Count - 1;
        }

        // Only in languages whose creation runs nothing of the function (a C function loads its library).
        foreach (var function in _expected.Functions.Where(f => _compared.Contains(f.Schema) && f.Statement is not null && f.Language is "sql" or "plpgsql"))
        {
            Probes.Add(new ObjectProbe(ObjectProbeKind.Function, function.Statement!.Text[function.RestOffset..], function.Statement.SearchPath) { IsProcedure = function.IsProcedure });
            _probeOf[function] = Probes.Count - 1;
        }

        foreach (var domain in _expected.Domains.Where(d => _compared.Contains(d.Schema)))
        {
            Probes.Add(new ObjectProbe(ObjectProbeKind.Domain, domain.BaseType, domain.SearchPath) { Domain = domain });
            _probeOf[domain] = Probes.Count - 1;
        }

        foreach (var sequence in _expected.Sequences.Where(s => _compared.Contains(s.Schema) && s.DataType is not null))
        {
            _typeProbe[sequence] = TypeProbes.Count;
            TypeProbes.Add(new ProbeItem(sequence.DataType!, null, Path: sequence.Create?.SearchPath));
        }

        void Add(object source, ObjectProbeKind kind, string text, SearchPath? path, IReadOnlyList<(string, string)> columns)
        {
            _probeOf[source] = Probes.Count;
            Probes.Add(new ObjectProbe(kind, text, path) { Columns = columns });
        }

        List<(string Name, string Type)> Columns(string text, Dictionary<string, string> types) =>
            NamesIn(text).Where(types.ContainsKey).Select(c => (c, types[c])).ToList();
    }

    private List<string> NamesIn(string text)
    {
        // PrepareExpected and PrepareLive may ask at the same time.
        lock (_names)
        {
            if (!_names.TryGetValue(text, out var names))
            {
                _names[text] = names = ConstraintNames.NamesIn(text);
            }

            return names;
        }
    }

    /// <summary>The server's text for <paramref name="source"/>, or null (and a warning when it was needed) when it could not read it.</summary>
    private string? Answer(object source) => _probeOf.TryGetValue(source, out var i) ? Answer(i) : null;

    private string? Answer(int probe) => probe < _answers.Count && _answers[probe] is { Error: null, Text: { } text } ? text : null;

    private string? Problem(object source) =>
        _probeOf.TryGetValue(source, out var i) && i < _answers.Count ? _answers[i].Error : null;

    // ---- tables' objects ------------------------------------------------------------------------------

    private sealed record TableEntrySet(List<Entry> Constraints, List<Entry> Indexes, List<Entry> Triggers);

    /// <summary>Each table's constraints, indexes and triggers, less those it has because its parent has them.</summary>
    private Dictionary<TableModel, TableEntrySet> TableEntries(SchemaModel model, bool expectedSide)
    {
        var sets = BuildEntries(model, expectedSide);
        RemoveInherited(model, sets);
        return sets;
    }

    private Dictionary<TableModel, TableEntrySet> BuildEntries(SchemaModel model, bool expectedSide)
    {
        var indexes = expectedSide ? _expectedIndexes : model.Indexes.ToLookup(i => new TableName(i.Schema, i.Table));
        var triggers = expectedSide ? _expectedTriggers : model.Triggers.ToLookup(t => new TableName(t.Schema, t.Table));
        var sets = new Dictionary<TableModel, TableEntrySet>(ReferenceEqualityComparer.Instance);
        foreach (var table in model.Tables)
        {
            if (!_compared.Contains(table.Schema))
            {
                continue;
            }

            var constraints = new List<Entry>();
            AddConstraints(constraints, table, expectedSide);
            var indexEntries = new List<Entry>();
            foreach (var index in indexes[table.QualifiedName])
            {
                if (!index.IsConstraint)
                {
                    var answered = expectedSide && _probe && (index.Predicate is not null || Enumerable.Range(0, index.Columns.Count).Any(k => KeyColumn(index, k) is null));
                    Add(indexEntries, answered, () => IndexEntry(table, index, expectedSide));
                }
            }

            var triggerEntries = new List<Entry>();
            foreach (var trigger in triggers[table.QualifiedName])
            {
                Add(triggerEntries, expectedSide && _probe && trigger.When is not null, () => TriggerEntry(table, trigger, expectedSide));
            }

            sets[table] = new TableEntrySet(constraints, indexEntries, triggerEntries);
        }

        return sets;
    }

    /// <summary>Drops from each table the entries it has because a parent has them (needs every entry's meaning).</summary>
    private static void RemoveInherited(SchemaModel model, Dictionary<TableModel, TableEntrySet> sets)
    {
        Dictionary<TableName, TableModel>? byName = null;
        foreach (var table in model.Tables)
        {
            if (table.Parents.Count == 0 || !sets.TryGetValue(table, out var own))
            {
                continue;
            }

            byName ??= ByName(model);
            var inherited = table.Parents
                .Select(p => byName.GetValueOrDefault(p))
                .OfType<TableModel>()
                .Select(p => sets.GetValueOrDefault(p))
                .OfType<TableEntrySet>()
                .ToList();
            if (table.IsPartition)
            {
                own.Constraints.RemoveAll(e => inherited.Any(p => p.Constraints.Any(x => x.Meaning == e.Meaning)));
                own.Indexes.RemoveAll(e => inherited.Any(p => p.Indexes.Any(x => x.Meaning == e.Meaning)));
                own.Triggers.RemoveAll(e => inherited.Any(p => p.Triggers.Any(x => x.Name == e.Name && x.Meaning == e.Meaning)));
            }
            else
            {
                own.Constraints.RemoveAll(e => e.Kind == ObjectKind.Check && inherited.Any(p => p.Constraints.Any(x => x.Meaning == e.Meaning)));
            }
        }
    }

    /// <summary>
    /// Adds the entry <paramref name="make"/> builds: at once, or, when it needs the probe's answers
    /// (<paramref name="answered"/>) while <see cref="PrepareExpected"/> runs, as a place that
    /// <see cref="Compare"/> fills (in the order they were added, so warnings come out as they would have).
    /// </summary>
    private void Add(List<Entry> list, bool answered, Func<Entry> make)
    {
        if (answered && _deferred is { } deferred && _expectedSets is null)
        {
            deferred.Add((list, list.Count, make));
            list.Add(null!);
            return;
        }

        list.Add(make());
    }

    private void AddConstraints(List<Entry> list, TableModel table, bool expectedSide)
    {
        if (table.PrimaryKey.Count > 0)
        {
            var text = ObjectText.PrimaryKey(table.PrimaryKey, table.PrimaryKeyTiming);
            list.Add(new Entry(ObjectKind.PrimaryKey, table.Schema, table.Name, table.PrimaryKeyName ?? ConstraintNames.PrimaryKey(table.Name), text, text, table));
        }

        foreach (var unique in table.Uniques)
        {
            var text = ObjectText.Unique(unique);
            list.Add(new Entry(ObjectKind.Unique, table.Schema, table.Name, Named(table, unique), text, text, unique));
        }

        var answered = expectedSide && _probe;
        foreach (var check in table.Checks)
        {
            // The name needs no answer: made now, even when the text waits for one.
            var name = Named(table, check);
            Add(list, answered, () =>
            {
                var text = answered ? Server(check, $"CHECK ({check.Expression})", table, "check constraint") + (check.NoInherit ? " NO INHERIT" : string.Empty) : check.Expression;
                return new Entry(ObjectKind.Check, table.Schema, table.Name, name, text, text, check);
            });
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            var text = ObjectText.ForeignKey(foreignKey, ReferencedColumns(table, foreignKey), table.Schema);
            list.Add(new Entry(ObjectKind.ForeignKey, table.Schema, table.Name, Named(table, foreignKey), text, text, foreignKey));
        }

        foreach (var exclusion in table.Exclusions)
        {
            // The name needs no answer: made now, even when the text waits for one.
            var name = Named(table, exclusion);
            Add(list, answered, () =>
            {
                var text = answered ? Server(exclusion, exclusion.Definition, table, "exclusion constraint") + exclusion.Timing.Suffix : exclusion.Definition;
                return new Entry(ObjectKind.Exclusion, table.Schema, table.Name, name, text, text, exclusion);
            });
        }
    }

    /// <summary>A constraint's name: its own, or the one the server gave it (see <see cref="SchemaStatementReader.NameOf"/>).</summary>
    private string Named(TableModel table, ConstraintModel constraint) =>
        constraint is CheckModel { Name: null } check
            ? ConstraintNames.Check(table.Name, NamesIn(check.Expression).Where(n => table.FindColumn(n) is not null).ToList())
            : SchemaStatementReader.NameOf(table, constraint);

    /// <summary>
    /// The server's text of an expected object, or <paramref name="asWritten"/> with a warning when the
    /// server could not read it (then only an identical live text compares equal).
    /// </summary>
    private string Server(object source, string asWritten, TableModel table, string what)
    {
        if (Answer(source) is { } text)
        {
            return text;
        }

        if (Problem(source) is { } problem && _tables.Any(p => ReferenceEquals(p.Expected, table)))
        {
            Result.Warnings.Add($"{Result.Display(table.QualifiedName)}: the server could not read the {what} '{asWritten}' ({problem}); compared as text.");
        }

        return asWritten;
    }

    /// <summary>A foreign key's referenced columns: as written, else the referenced table's primary key (schema.sql's, else the live one's).</summary>
    private IReadOnlyList<string> ReferencedColumns(TableModel table, ForeignKeyModel foreignKey)
    {
        if (foreignKey.ReferencedColumns.Count > 0)
        {
            return foreignKey.ReferencedColumns;
        }

        var name = new TableName(foreignKey.ReferencedSchema, foreignKey.ReferencedTable);
        var referenced = _expectedTables.GetValueOrDefault(name) ?? _liveTables.GetValueOrDefault(name);
        if (referenced is { PrimaryKey.Count: > 0 })
        {
            return referenced.PrimaryKey;
        }

        // A table outside the compared schemas (Supabase's auth.users): its key is what the live key names.
        var live = _liveTables.GetValueOrDefault(table.QualifiedName)?.ForeignKeys.FirstOrDefault(f =>
            f.Columns.SequenceEqual(foreignKey.Columns) && f.ReferencedSchema == foreignKey.ReferencedSchema && f.ReferencedTable == foreignKey.ReferencedTable);
        return live?.ReferencedColumns ?? foreignKey.ReferencedColumns;
    }

    private Entry IndexEntry(TableModel table, IndexModel index, bool expectedSide)
    {
        var keys = new List<string>(index.Columns.Count);
        for (var k = 0; k < index.Columns.Count; k++)
        {
            if (KeyColumn(index, k) is { } column)
            {
                keys.Add(ObjectText.Name(column));
            }
            else if (expectedSide && _probe)
            {
                keys.Add(_keyProbe.TryGetValue((index, k), out var probe) && Answer(probe) is { } text ? text : index.Columns[k]);
            }
            else
            {
                keys.Add(ObjectText.UnwrapKey(index.Columns[k]));
            }
        }

        var predicate = index.Predicate is null ? null : expectedSide && _probe ? Answer(index) ?? index.Predicate : index.Predicate;
        var meaning = ObjectText.Index(index, keys, predicate);
        return new Entry(ObjectKind.Index, table.Schema, table.Name, index.Name, meaning, meaning, index);
    }

    /// <summary>The column of key <paramref name="k"/>, or null for an expression.</summary>
    private static string? KeyColumn(IndexModel index, int k)
    {
        if (k < index.Keys.Count)
        {
            return index.Keys[k].Column;
        }

        // A model made by hand gives only the key texts: a plain name is a column.
        var text = index.Columns[k];
        return text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '_' or '$') ? text : null;
    }

    private Entry TriggerEntry(TableModel table, TriggerModel trigger, bool expectedSide)
    {
        var when = trigger.When is null ? null : expectedSide && _probe ? Answer(trigger) ?? trigger.When : trigger.When;
        var function = expectedSide && _probe ? ResolveFunction(trigger, table) : trigger.Function;
        var meaning = TriggerDefinition.Comparable(trigger, function, when);
        return new Entry(ObjectKind.Trigger, table.Schema, table.Name, trigger.Name, meaning, meaning, trigger);
    }

    /// <summary>
    /// The schema-qualified function an expected trigger runs: as written when qualified, else the
    /// first schema of the path it was written under (the compared schemas when it set none) that has
    /// a function of that name in schema.sql or in the database.
    /// </summary>
    private string? ResolveFunction(TriggerModel trigger, TableModel table)
    {
        if (trigger.Function is not { } function || function.Contains('.', StringComparison.Ordinal))
        {
            return trigger.Function;
        }

        var path = (trigger.SearchPath?.Schemas ?? [.. _compared.Prepend(table.Schema)])
            .Where(s => s is not ("$user" or "pg_temp"))
            .ToList();
        var schema = path.FirstOrDefault(s => _expected.Functions.Concat(_live.Functions).Any(f => f.Schema == s && f.Name == function))
            ?? path.FirstOrDefault(s => s != "pg_catalog")
            ?? table.Schema;
        return $"{schema}.{function}";
    }

    // ---- schema objects ---------------------------------------------------------------------------

    private void CompareSequences()
    {
        var expected = new List<Entry>();
        var owned = new HashSet<ColumnRef>();
        foreach (var sequence in _expected.Sequences.Where(s => _compared.Contains(s.Schema)))
        {
            if (sequence.OwnedBy is { } owner)
            {
                owned.Add(owner);
                if (!LiveColumnExists(owner))
                {
                    // Made again by the step that makes its table or column.
                    continue;
                }
            }

            var type = _probe && _typeProbe.TryGetValue(sequence, out var i) && i < _typeAnswers.Count && _typeAnswers[i].Type is { } server ? server : sequence.DataType ?? "bigint";
            expected.Add(SequenceEntry(sequence, type));
        }

        // A SERIAL column of schema.sql makes a sequence the file does not write out.
        foreach (var (table, _) in _tables)
        {
            foreach (var column in table.Columns)
            {
                var owner = new ColumnRef(table.Schema, table.Name, column.Name);
                if (TypeText.SerialBase(column.Type) is { } type && owned.Add(owner) && LiveColumnExists(owner))
                {
                    var sequence = new SequenceModel { Schema = table.Schema, Name = ConstraintNames.Sequence(table.Name, column.Name), OwnedBy = owner, DataType = type, IsImplicit = true };
                    expected.Add(SequenceEntry(sequence, type));
                }
            }
        }

        // A live sequence owned by a table or column schema.sql does not declare is part of that extra item.
        var live = _live.Sequences
            .Where(s => _compared.Contains(s.Schema) && (s.OwnedBy is null || ExpectedColumnExists(s.OwnedBy)))
            .Select(s => SequenceEntry(s, s.DataType ?? "bigint"))
            .ToList();

        // Owned sequences are matched by their column (the name is the server's choice), the rest by name.
        var liveByOwner = new Dictionary<ColumnRef, Entry>();
        foreach (var entry in live)
        {
            if (((SequenceModel)entry.Source).OwnedBy is { } owner)
            {
                liveByOwner.TryAdd(owner, entry);
            }
        }

        var paired = new HashSet<Entry>(ReferenceEqualityComparer.Instance);
        foreach (var entry in expected)
        {
            if (((SequenceModel)entry.Source).OwnedBy is { } owner && liveByOwner.Remove(owner, out var match))
            {
                Pair(entry, match, DifferenceKind.Sequence);
                paired.Add(entry);
                paired.Add(match);
            }
        }

        Match(expected.Where(e => !paired.Contains(e)).ToList(), live.Where(l => !paired.Contains(l)).ToList(), DifferenceKind.Sequence, byMeaning: false);
    }

    private static Entry SequenceEntry(SequenceModel sequence, string type)
    {
        var text = ObjectText.Sequence(type, sequence.Increment, sequence.OwnedBy, sequence.Schema);
        return new Entry(ObjectKind.Sequence, sequence.Schema, null, sequence.Name, text, text, sequence);
    }

    private bool LiveColumnExists(ColumnRef column) => _liveTables.GetValueOrDefault(new TableName(column.Schema, column.Table))?.FindColumn(column.Column) is not null;

    private bool ExpectedColumnExists(ColumnRef column) => _expectedTables.GetValueOrDefault(new TableName(column.Schema, column.Table))?.FindColumn(column.Column) is not null;

    private List<Entry> Enums(SchemaModel model) =>
        model.Enums.Where(e => _compared.Contains(e.Schema))
            .Select(e =>
            {
                var text = ObjectText.Enum(e.Labels);
                return new Entry(ObjectKind.Enum, e.Schema, null, e.Name, text, text, e);
            })
            .ToList();

    private List<Entry> Domains(SchemaModel model, bool expectedSide) =>
        model.Domains.Where(d => _compared.Contains(d.Schema))
            .Select(d =>
            {
                var server = expectedSide && _probe ? Read(d) : d;
                var text = ObjectText.Domain(server.BaseType, server.Default, server.NotNull, server.Checks.Select(c => c.Expression).Order(StringComparer.Ordinal));
                return new Entry(ObjectKind.Domain, d.Schema, null, d.Name, text, text, d);
            })
            .ToList();

    /// <summary>The domain as the server made it, or as written (checks as CHECK (...)) when it could not.</summary>
    private DomainModel Read(DomainModel domain)
    {
        if (_probeOf.TryGetValue(domain, out var i) && i < _answers.Count && _answers[i].Domain is { } server)
        {
            return server;
        }

        var written = new DomainModel { Schema = domain.Schema, Name = domain.Name, BaseType = domain.BaseType, Default = domain.Default, NotNull = domain.NotNull };
        written.Checks.AddRange(domain.Checks.Select(c => new CheckModel { Name = c.Name, Expression = $"CHECK ({c.Expression})" }));
        WarnIfLive(domain.Schema, domain.Name, _live.Domains.Any(d => d.Schema == domain.Schema && d.Name == domain.Name), "domain", Problem(domain));
        return written;
    }

    private List<Entry> Views(SchemaModel model, bool expectedSide) =>
        model.Views.Where(v => _compared.Contains(v.Schema))
            .Select(v =>
            {
                var query = v.Query;
                if (expectedSide && _probe)
                {
                    query = Answer(v) ?? v.Query;
                    if (Answer(v) is null)
                    {
                        WarnIfLive(v.Schema, v.Name, _live.Views.Any(l => l.Schema == v.Schema && l.Name == v.Name), "view", Problem(v));
                    }
                }

                var kind = v.IsMaterialized ? "MATERIALIZED VIEW AS " : "VIEW AS ";
                var oneLine = ObjectText.OneLine(query);
                return new Entry(ObjectKind.View, v.Schema, null, v.Name, kind + oneLine, kind + oneLine, v);
            })
            .ToList();

    private List<Entry> Functions(SchemaModel model, bool expectedSide) =>
        model.Functions.Where(f => _compared.Contains(f.Schema))
            .Select(f =>
            {
                var server = f;
                if (expectedSide && _probe)
                {
                    if (_probeOf.TryGetValue(f, out var i) && i < _answers.Count && _answers[i].Function is { } read)
                    {
                        server = read;
                    }
                    else
                    {
                        WarnIfLive(f.Schema, f.Signature, _live.Functions.Any(l => l.Schema == f.Schema && l.Name == f.Name), "function", Problem(f) ?? $"it is in language {f.Language ?? "(none)"}, which is not shown to the server");
                    }
                }

                var header = ObjectText.Function(new FunctionModel
                {
                    Schema = f.Schema,
                    Name = f.Name,
                    Arguments = server.Arguments,
                    ReturnType = server.ReturnType,
                    IsProcedure = server.IsProcedure,
                    Language = server.Language,
                    Attributes = server.Attributes,
                });
                return new Entry(ObjectKind.Function, f.Schema, null, $"{f.Name}({server.Arguments})", header + "\n" + server.Body, header, f) { Body = server.Body };
            })
            .ToList();

    private void WarnIfLive(string schema, string name, bool live, string what, string? problem)
    {
        if (live && problem is not null)
        {
            Result.Warnings.Add($"{Result.Display(new TableName(schema, name))}: the server could not read the {what} ({problem}); compared as text.");
        }
    }

    // ---- matching ---------------------------------------------------------------------------------

    /// <summary>
    /// Pairs expected with live entries: same name and meaning, then (when <paramref name="byMeaning"/>)
    /// same meaning under another name, then same name (a difference); the rest are missing or extra.
    /// </summary>
    private void Match(List<Entry> expected, List<Entry> live, DifferenceKind kind, bool byMeaning, bool labels = false)
    {
        if (expected.Count == 0 && live.Count == 0)
        {
            return;
        }

        // A matched live entry is marked by its position, not removed. Called three times per table:
        // no sets, delegates or iterators per call (they were a tenth of a comparison's garbage), and a
        // table has a handful of constraints, so a scan beats building look-ups for them.
        var matched = new bool[live.Count];
        var byName = live.Count <= 16 ? null : Positions(live, l => l.Name);
        var byMeaningText = live.Count <= 16 || !byMeaning ? null : Positions(live, l => (l.Kind, l.Meaning));
        List<Entry>? rest = null;
        foreach (var entry in expected)
        {
            if (TakeNamed(live, matched, byName, entry, sameMeaning: true, anyKind: false) is null)
            {
                (rest ??= []).Add(entry);
            }
        }

        if (rest is not null && byMeaning)
        {
            rest.RemoveAll(entry => TakeMeaning(live, matched, byMeaningText, entry) is not null);
        }

        foreach (var entry in rest ?? Enumerable.Empty<Entry>())
        {
            // Same name only: a difference of definition (by meaning: of any kind).
            var match = TakeNamed(live, matched, byName, entry, sameMeaning: false, anyKind: byMeaning);
            if (match is null)
            {
                Result.MissingObjects.Add(entry.Ref());
            }
            else if (labels)
            {
                CompareLabels(entry, match);
            }
            else
            {
                Pair(entry, match, kind);
            }
        }

        for (var i = 0; i < live.Count; i++)
        {
            if (!matched[i])
            {
                Result.ExtraObjects.Add(live[i].Ref());
            }
        }
    }

    private static Dictionary<TKey, List<int>> Positions<TKey>(List<Entry> live, Func<Entry, TKey> key)
        where TKey : notnull
    {
        var positions = new Dictionary<TKey, List<int>>();
        for (var i = 0; i < live.Count; i++)
        {
            var k = key(live[i]);
            if (!positions.TryGetValue(k, out var list))
            {
                positions[k] = list = [];
            }

            list.Add(i);
        }

        return positions;
    }

    /// <summary>The first unmatched live entry of <paramref name="entry"/>'s name (and kind and meaning, when asked), marked matched.</summary>
    private static Entry? TakeNamed(List<Entry> live, bool[] matched, Dictionary<string, List<int>>? byName, Entry entry, bool sameMeaning, bool anyKind)
    {
        List<int>? positions = null;
        if (byName is not null && !byName.TryGetValue(entry.Name, out positions))
        {
            return null;
        }

        // Without a look-up every live entry is a candidate; with one, the entries of that name.
        var count = positions?.Count ?? live.Count;
        for (var n = 0; n < count; n++)
        {
            var i = positions?[n] ?? n;
            var candidate = live[i];
            if (!matched[i] && candidate.Name == entry.Name && (sameMeaning
                ? candidate.Kind == entry.Kind && candidate.Meaning == entry.Meaning
                : anyKind || candidate.Kind == entry.Kind))
            {
                matched[i] = true;
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The first unmatched live entry of <paramref name="entry"/>'s kind and meaning, under any name, marked matched.</summary>
    private static Entry? TakeMeaning(List<Entry> live, bool[] matched, Dictionary<(ObjectKind, string), List<int>>? byMeaning, Entry entry)
    {
        List<int>? positions = null;
        if (byMeaning is not null && !byMeaning.TryGetValue((entry.Kind, entry.Meaning), out positions))
        {
            return null;
        }

        var count = positions?.Count ?? live.Count;
        for (var n = 0; n < count; n++)
        {
            var i = positions?[n] ?? n;
            if (!matched[i] && live[i].Kind == entry.Kind && live[i].Meaning == entry.Meaning)
            {
                matched[i] = true;
                return live[i];
            }
        }

        return null;
    }

    /// <summary>Two entries that are the same object: a difference when their definitions differ.</summary>
    private void Pair(Entry expected, Entry live, DifferenceKind kind)
    {
        if (expected.Meaning == live.Meaning)
        {
            return;
        }

        var (e, a) = kind == DifferenceKind.Function && expected.Definition == live.Definition
            ? (ObjectText.Body(expected.Body), ObjectText.Body(live.Body))
            : (expected.Definition, live.Definition);
        Result.Differences.Add(new ColumnDifference(expected.Schema, expected.Table ?? string.Empty, expected.Name, kind, e, a));
    }

    /// <summary>An enum on both sides: each label it lacks is missing, each it has beyond them extra, and another order a difference.</summary>
    private void CompareLabels(Entry expected, Entry live)
    {
        var want = ((EnumModel)expected.Source).Labels;
        var have = ((EnumModel)live.Source).Labels;
        foreach (var label in want.Where(l => !have.Contains(l, StringComparer.Ordinal)))
        {
            Result.MissingObjects.Add(new ObjectRef(ObjectKind.Enum, expected.Schema, null, expected.Name, $"VALUE {ObjectText.Literal(label)}") { Source = expected.Source });
        }

        foreach (var label in have.Where(l => !want.Contains(l, StringComparer.Ordinal)))
        {
            Result.ExtraObjects.Add(new ObjectRef(ObjectKind.Enum, live.Schema, null, live.Name, $"VALUE {ObjectText.Literal(label)}") { Source = live.Source });
        }

        var common = want.Where(l => have.Contains(l, StringComparer.Ordinal)).ToList();
        if (!common.SequenceEqual(have.Where(l => want.Contains(l, StringComparer.Ordinal)), StringComparer.Ordinal))
        {
            Result.Differences.Add(new ColumnDifference(expected.Schema, string.Empty, expected.Name, DifferenceKind.Enum, expected.Definition, live.Definition));
        }
    }

    /// <summary>One object as compared: its identity, the text it is compared by, and what it came from.</summary>
    private sealed record Entry(ObjectKind Kind, string Schema, string? Table, string Name, string Meaning, string Definition, object Source)
    {
        /// <summary>A function's body, shown when only the body differs.</summary>
        public string? Body { get; init; }

        public ObjectRef Ref() => new(Kind, Schema, Table, Name, Definition) { Source = Source };
    }
}

/// <summary>A model's view probes (<see cref="ObjectComparer.PrepareQueries"/>) and the schemas they were made for.</summary>
internal sealed record PreparedQueries(string[] Schemas, ObjectProbe?[] Probes);
