using System.Globalization;
using System.Text;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The part of <see cref="ServerProbe"/>'s batch that shows schema.sql's objects to the server: the
/// statements that create them (temporary, under the probe's savepoint) and the queries that read back
/// what the server made of them, each row tagged with the item it answers.
/// </summary>
/// <remarks>
/// Expressions are constraints of temporary tables that hold just the columns they name, as many
/// expressions per table as fit (one CREATE for all of them: adding them one ALTER at a time costs a
/// relation cache rebuild each). An index key is a CHECK that holds it ("(key) IS NULL") and a
/// predicate a CHECK of its own, printed by the same code that prints index definitions. Queries are
/// the statements of one BEGIN ATOMIC function per search_path, printed by the same code that prints
/// views; a view with its own column names, or a recursive one, is a temporary view. Functions and
/// domains are temporary ones read with the introspector's own queries.
/// </remarks>
internal static class ObjectBatch
{
    private const int CarrierColumns = 1000;

    /// <summary>
    /// Adds the statements for <paramref name="objects"/>, in sections (expressions, domains,
    /// functions, views), each creating its objects and then reading them back, so that the rows of the
    /// sections before a failing statement are still read; returns how to turn those rows into answers.
    /// </summary>
    public static Layout Add(NpgsqlBatch batch, IReadOnlyList<ObjectProbe> objects, Version version, SearchPath? printPath)
    {
        var layout = new Layout(objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            layout.Kinds[i] = objects[i].Kind;
        }

        var expressions = Section(objects, ObjectProbeKind.Check, ObjectProbeKind.Exclusion, ObjectProbeKind.KeyExpression, ObjectProbeKind.Predicate, ObjectProbeKind.TriggerWhen);
        if (expressions.Count > 0)
        {
            foreach (var group in expressions.GroupBy(i => objects[i].Path))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ServerProbe.PathStatement(group.Key)));
                AddCarriers(batch, objects, group.ToList(), layout);
            }

            Read(batch, layout, printPath, expressions, layout.Constraints.Count > 0 ? ConstraintsSql : null, layout.Triggers.Count > 0 ? TriggersSql : null);
        }

        var domains = Section(objects, ObjectProbeKind.Domain);
        if (domains.Count > 0)
        {
            foreach (var group in domains.GroupBy(i => objects[i].Path))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ServerProbe.PathStatement(group.Key)));
                foreach (var i in group)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateDomain(Name("d", i), objects[i].Domain!)));
                }
            }

            Read(batch, layout, printPath, domains, SchemaIntrospector.TypeQuery(
                "'d', pg_catalog.split_part(t.typname, '_', 3)::integer,",
                "t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typtype = 'd' AND t.typname LIKE 'dbadapter\\_d\\_%'"));
        }

        var functions = Section(objects, ObjectProbeKind.Function);
        if (functions.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL check_function_bodies = off"));
            foreach (var group in functions.GroupBy(i => objects[i].Path))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ServerProbe.PathStatement(group.Key)));
                foreach (var i in group)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE {(objects[i].IsProcedure ? "PROCEDURE" : "FUNCTION")} pg_temp.{Name("f", i)}{objects[i].Text}"));
                }
            }

            Read(batch, layout, printPath, functions, SchemaIntrospector.FunctionQuery(
                version,
                "'f', pg_catalog.split_part(p.proname, '_', 3)::integer,",
                "p.pronamespace = pg_catalog.pg_my_temp_schema() AND p.proname LIKE 'dbadapter\\_f\\_%'"));
        }

        var queries = Section(objects, ObjectProbeKind.Query);
        if (queries.Count > 0)
        {
            var atomic = version.Major >= 14;
            foreach (var group in queries.GroupBy(i => objects[i].Path))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ServerProbe.PathStatement(group.Key)));
                var plain = new List<int>();
                foreach (var i in group)
                {
                    var query = objects[i];
                    if (atomic && query.ColumnNames.Count == 0 && !query.Recursive)
                    {
                        plain.Add(i);
                        continue;
                    }

                    var columns = query.ColumnNames.Count == 0 ? string.Empty : " (" + string.Join(", ", query.ColumnNames.Select(SqlIdentifier.Quote)) + ")";
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE TEMP {(query.Recursive ? "RECURSIVE " : string.Empty)}VIEW {Name("v", i)}{columns} AS {Rendered(query)}"));
                    layout.Views.Add(i);
                }

                if (plain.Count > 0)
                {
                    // Each query is rendered from its tokens (comments dropped), so nothing of one can
                    // reach past the ';' that ends it.
                    var body = string.Join("; ", plain.Select(i => Rendered(objects[i])));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE FUNCTION pg_temp.{Name("q", layout.QueryGroups.Count)}() RETURNS void LANGUAGE sql BEGIN ATOMIC {body}; END"));
                    layout.QueryGroups.Add(plain);
                }
            }

            Read(batch, layout, printPath, queries, layout.QueryGroups.Count > 0 ? QueryGroupsSql : null, layout.Views.Count > 0 ? ViewsSql : null);
        }

        return layout;
    }

    // Readable (pretty) as the introspector prints checks and predicates, and fully parenthesised for an
    // index key held in "(key) IS NULL", whose text must not depend on what surrounds it.
    private const string ConstraintsSql = """
        SELECT 'x', pg_catalog.split_part(k.conname, '_', 3)::integer, pg_catalog.pg_get_constraintdef(k.oid, true), pg_catalog.pg_get_constraintdef(k.oid)
        FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND k.conname LIKE 'dbadapter\_x\_%'
        """;

    private const string TriggersSql = """
        SELECT 'w', pg_catalog.split_part(t.tgname, '_', 3)::integer, pg_catalog.pg_get_triggerdef(t.oid, true)
        FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND t.tgname LIKE 'dbadapter\_w\_%'
        """;

    private const string QueryGroupsSql = """
        SELECT 'q', pg_catalog.split_part(p.proname, '_', 3)::integer, pg_catalog.pg_get_function_sqlbody(p.oid)
        FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = pg_catalog.pg_my_temp_schema() AND p.proname LIKE 'dbadapter\_q\_%'
        """;

    private const string ViewsSql = """
        SELECT 'v', pg_catalog.split_part(c.relname, '_', 3)::integer, pg_catalog.pg_get_viewdef(c.oid)
        FROM pg_catalog.pg_class c
        WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE 'dbadapter\_v\_%'
        """;

    private static List<int> Section(IReadOnlyList<ObjectProbe> objects, params ObjectProbeKind[] kinds) =>
        Enumerable.Range(0, objects.Count).Where(i => kinds.Contains(objects[i].Kind)).ToList();

    /// <summary>Reads a section back under the print path: its queries, and which items it answers once they are read.</summary>
    private static void Read(NpgsqlBatch batch, Layout layout, SearchPath? printPath, List<int> members, params string?[] queries)
    {
        if (printPath is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(printPath.SetLocalStatement));
        }

        var count = 0;
        foreach (var query in queries.OfType<string>())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(query));
            count++;
        }

        layout.Sections.Add((count, members));
    }

    /// <summary>Packs the expressions of one search_path into as few temporary tables as their columns allow.</summary>
    private static void AddCarriers(NpgsqlBatch batch, IReadOnlyList<ObjectProbe> objects, List<int> members, Layout layout)
    {
        var carriers = new List<Carrier>();
        foreach (var i in members)
        {
            var item = objects[i];
            var carrier = carriers.FirstOrDefault(c => c.Fits(item.Columns));
            if (carrier is null)
            {
                carrier = new Carrier(Name("e", layout.Carriers++));
                carriers.Add(carrier);
            }

            carrier.Take(item.Columns);
            if (item.Kind == ObjectProbeKind.TriggerWhen)
            {
                carrier.Triggers.Add(i);
                layout.Triggers.Add(i);
                continue;
            }

            var constraint = item.Kind switch
            {
                ObjectProbeKind.Exclusion => item.Text,
                ObjectProbeKind.KeyExpression => $"CHECK (({item.Text}) IS NULL)",
                _ => $"CHECK ({item.Text})",
            };
            carrier.Constraints.Add($"CONSTRAINT {Name("x", i)} {constraint}");
            layout.Constraints.Add(i);
        }

        foreach (var carrier in carriers)
        {
            var elements = carrier.Columns.Select(c => $"{SqlIdentifier.Quote(c.Name)} {c.Type}").Concat(carrier.Constraints);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"CREATE TEMP TABLE {carrier.Name} ({string.Join(", ", elements)})"));
            foreach (var i in carrier.Triggers)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    $"CREATE TRIGGER {Name("w", i)} {objects[i].TriggerHead} ON pg_temp.{carrier.Name} FOR EACH ROW WHEN ({objects[i].Text}) EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()"));
            }
        }
    }

    private static string CreateDomain(string name, DomainModel domain)
    {
        var text = new StringBuilder($"CREATE DOMAIN pg_temp.{name} AS {domain.BaseType}");
        if (domain.Default is { } @default)
        {
            text.Append(" DEFAULT ").Append(@default);
        }

        if (domain.NotNull)
        {
            text.Append(" NOT NULL");
        }

        foreach (var check in domain.Checks)
        {
            text.Append(" CHECK (").Append(check.Expression).Append(')');
        }

        return text.ToString();
    }

    /// <summary>The probe's own name for item <paramref name="index"/> of a kind: "dbadapter_x_12" (the index is its third part).</summary>
    private static string Name(string kind, int index) => string.Create(CultureInfo.InvariantCulture, $"dbadapter_{kind}_{index}");

    /// <summary>A query as its tokens with single spaces between them: no comment survives.</summary>
    private static string Rendered(ObjectProbe query) => query.Prepared?.Rendered ?? SqlText.Render(query.Text);

    /// <summary>The rows read back, by tag and item.</summary>
    internal sealed class Results
    {
        public Dictionary<int, (string Readable, string Parenthesised)> Constraints { get; } = [];

        public Dictionary<int, string> Triggers { get; } = [];

        public Dictionary<int, string> QueryGroups { get; } = [];

        public Dictionary<int, string> Views { get; } = [];

        public Dictionary<int, FunctionModel> Functions { get; } = [];

        public Dictionary<int, DomainModel> Domains { get; } = [];

        /// <summary>Reads one tagged row.</summary>
        public void Read(NpgsqlDataReader reader)
        {
            var index = reader.GetInt32(1);
            switch (reader.GetString(0))
            {
                case "x":
                    Constraints[index] = (reader.GetString(2), reader.GetString(3));
                    break;
                case "w":
                    Triggers[index] = reader.GetString(2);
                    break;
                case "q":
                    QueryGroups[index] = reader.GetString(2);
                    break;
                case "v":
                    Views[index] = reader.GetString(2);
                    break;
                case "f":
                    Functions[index] = SchemaIntrospector.ReadFunction(reader, 2);
                    break;
                case "d":
                    var model = new SchemaModel();
                    SchemaIntrospector.ReadType(reader, 2, model);
                    Domains[index] = model.Domains[0];
                    break;
            }
        }
    }

    /// <summary>Which items were sent how, so the rows read back become answers.</summary>
    internal sealed class Layout(int count)
    {
        public List<int> Constraints { get; } = [];

        public List<int> Triggers { get; } = [];

        public List<List<int>> QueryGroups { get; } = [];

        public List<int> Views { get; } = [];

        public int Carriers { get; set; }

        /// <summary>Each section's number of queries (result sets) and the items it answers, in batch order.</summary>
        public List<(int Queries, List<int> Members)> Sections { get; } = [];

        /// <summary>The items of the sections whose every query was read, given how many tagged result sets were.</summary>
        public IEnumerable<int> Answered(int resultSetsRead)
        {
            foreach (var (queries, members) in Sections)
            {
                if (resultSetsRead < queries)
                {
                    yield break;
                }

                resultSetsRead -= queries;
                foreach (var member in members)
                {
                    yield return member;
                }
            }
        }

        /// <summary>Fills <paramref name="answers"/> (item order) from <paramref name="results"/>; with <paramref name="only"/>, just those items.</summary>
        public void Answer(Results results, ObjectAnswer?[] answers, IReadOnlySet<int>? only)
        {
            var all = new ObjectAnswer?[answers.Length];
            Fill(results, all);
            for (var i = 0; i < answers.Length; i++)
            {
                if (only is null || only.Contains(i))
                {
                    answers[i] = all[i];
                }
            }
        }

        private void Fill(Results results, ObjectAnswer?[] answers)
        {
            foreach (var i in Constraints)
            {
                answers[i] = results.Constraints.TryGetValue(i, out var text) ? new ObjectAnswer(Unwrap(text, i), null) : Missing();
            }

            foreach (var i in Triggers)
            {
                answers[i] = results.Triggers.TryGetValue(i, out var text) && TriggerDefinition.WhenOf(text) is { } when ? new ObjectAnswer(when, null) : Missing();
            }

            for (var g = 0; g < QueryGroups.Count; g++)
            {
                var members = QueryGroups[g];
                var queries = results.QueryGroups.TryGetValue(g, out var body) ? SplitBody(body) : null;
                for (var k = 0; k < members.Count; k++)
                {
                    answers[members[k]] = queries is not null && queries.Count == members.Count ? new ObjectAnswer(queries[k], null) : Missing();
                }
            }

            foreach (var i in Views)
            {
                answers[i] = results.Views.TryGetValue(i, out var text) ? new ObjectAnswer(text, null) : Missing();
            }

            for (var i = 0; i < count; i++)
            {
                if (results.Functions.TryGetValue(i, out var function))
                {
                    answers[i] = new ObjectAnswer(null, null) { Function = function };
                }

                if (results.Domains.TryGetValue(i, out var domain))
                {
                    answers[i] = new ObjectAnswer(null, null) { Domain = domain };
                }
            }

            // Kinds asked with a statement the server ran but read back nothing of.
            for (var i = 0; i < count; i++)
            {
                answers[i] ??= Missing();
            }

            string Unwrap((string Readable, string Parenthesised) text, int i) => Kinds[i] switch
            {
                ObjectProbeKind.KeyExpression => Strip(text.Parenthesised, "CHECK ((", " IS NULL))"),
                ObjectProbeKind.Predicate => Strip(text.Readable, "CHECK (", ")"),
                _ => text.Readable,
            };
        }

        /// <summary>The kind of each item, set by <see cref="Add"/>.</summary>
        public ObjectProbeKind[] Kinds { get; } = new ObjectProbeKind[count];

        private static ObjectAnswer Missing() => new(null, "the server gave no answer");

        private static string Strip(string text, string prefix, string suffix) =>
            text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(suffix, StringComparison.Ordinal) && text.Length >= prefix.Length + suffix.Length
                ? text[prefix.Length..^suffix.Length]
                : text;

        /// <summary>The statements of a BEGIN ATOMIC body, each as its own text, cut at its top-level ';'.</summary>
        private static List<string>? SplitBody(string body)
        {
            IReadOnlyList<SqlToken> tokens;
            try
            {
                tokens = SqlTokenizer.Tokenize(body);
            }
            catch (Diagnostics.DbAdapterException)
            {
                return null;
            }

            if (tokens.Count < 3 || !tokens[0].IsWord("begin") || !tokens[1].IsWord("atomic") || !tokens[^1].IsWord("end"))
            {
                return null;
            }

            var queries = new List<string>();
            var depth = 0;
            var start = 2;
            for (var i = 2; i < tokens.Count - 1; i++)
            {
                depth += tokens[i].IsSymbol("(") || tokens[i].IsSymbol("[") ? 1 : tokens[i].IsSymbol(")") || tokens[i].IsSymbol("]") ? -1 : 0;
                if (depth == 0 && tokens[i].IsSymbol(";"))
                {
                    queries.Add(body[tokens[start].Start..tokens[i].Start].Trim());
                    start = i + 1;
                }
            }

            return queries;
        }
    }

    /// <summary>A temporary table that holds expressions: its columns and what it holds.</summary>
    private sealed class Carrier(string name)
    {
        private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public List<(string Name, string Type)> Columns { get; } = [];

        public List<string> Constraints { get; } = [];

        public List<int> Triggers { get; } = [];

        /// <summary>True when every column an item names is absent or of the same type here.</summary>
        public bool Fits(IReadOnlyList<(string Name, string Type)> columns) =>
            Columns.Count + columns.Count <= CarrierColumns &&
            columns.All(c => !_types.TryGetValue(c.Name, out var type) || string.Equals(type, SqlFragment.Fold(c.Type), StringComparison.Ordinal));

        public void Take(IReadOnlyList<(string Name, string Type)> columns)
        {
            foreach (var (name, type) in columns)
            {
                if (_types.TryAdd(name, SqlFragment.Fold(type)))
                {
                    Columns.Add((name, type));
                }
            }
        }
    }
}
