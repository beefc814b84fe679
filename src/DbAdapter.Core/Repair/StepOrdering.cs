
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Orders steps so that a referenced table exists before the foreign key that points at it: parents
/// before children, whatever order schema.sql lists them in. A cycle (A → B → A) is broken by
/// creating its tables without the foreign keys that point forward and adding those, with ALTER
/// TABLE, at the end of the step that creates the cycle's last table. Self references need nothing.
/// </summary>
internal static class StepOrdering
{
    /// <param name="all">The steps in schema.sql order.</param>
    /// <param name="resolve">The table a foreign key clause of a step points at.</param>
    public static List<PlannedStep> Order(IReadOnlyList<PlannedStep> all, Func<PlannedStep, ForeignKeyClause, TableName> resolve)
    {
        // Types, sequences and functions come first and views and triggers last, each in schema.sql's
        // order; the tables and what belongs to them are ordered by what each needs.
        var before = all.Where(s => s.Phase == 0).OrderBy(s => s.Sequence).ToList();
        var after = all.Where(s => s.Phase == 2).OrderBy(s => s.Operation switch
        {
            FixOperation.CreateFunction => 0,
            FixOperation.CreateView => 1,
            _ => 2,
        }).ThenBy(s => s.Sequence).ToList();
        var steps = all.Where(s => s.Phase == 1).ToList();
        var creates = steps.Where(s => s.Operation is FixOperation.CreateTable or FixOperation.RecreateTable).ToDictionary(s => s.Table);
        var adds = steps.Where(s => s.Operation == FixOperation.AddColumn).ToLookup(s => s.Table);
        var keys = steps.Where(s => s.ProvidesKey).ToLookup(s => s.Table);

        // A step needs every step that builds a table it references: the table's creation, the
        // columns added to it (one of them may be the referenced key), and the key added to it.
        IEnumerable<PlannedStep> Builders(PlannedStep step, TableName referenced)
        {
            if (referenced == step.Table)
            {
                yield break;
            }

            if (creates.TryGetValue(referenced, out var create))
            {
                yield return create;
            }

            foreach (var add in adds[referenced].Concat(keys[referenced]))
            {
                yield return add;
            }
        }

        // A constraint or index of a table needs the table whole first.
        IEnumerable<PlannedStep> OwnBuilders(PlannedStep step)
        {
            if (!step.AfterOwnTable)
            {
                yield break;
            }

            if (creates.TryGetValue(step.Table, out var create))
            {
                yield return create;
            }

            foreach (var add in adds[step.Table])
            {
                yield return add;
            }
        }

        var clauseTargets = steps.ToDictionary(
            s => s,
            s => s.Clauses.Select(c => (Clause: c, Needs: Builders(s, resolve(s, c)).ToList())).ToList());
        var alterTargets = steps.ToDictionary(
            s => s,
            s => s.Alters.Select(a => (Alter: a, Needs: a.References.SelectMany(r => Builders(s, r)).Distinct().ToList())).ToList());
        var dependencies = steps.ToDictionary(
            s => s,
            s => clauseTargets[s].SelectMany(t => t.Needs).Concat(alterTargets[s].SelectMany(t => t.Needs))
                .Concat(s.DependsOn.SelectMany(parent => Builders(s, parent)))
                .Concat(OwnBuilders(s))
                .Where(d => d != s)
                .Distinct().OrderBy(d => d.Sequence).ToList());

        var ordered = new List<PlannedStep>(all.Count);
        ordered.AddRange(before);
        foreach (var component in StronglyConnected(steps.OrderBy(s => s.Sequence).ToList(), dependencies))
        {
            var members = component.OrderBy(s => s.Sequence).ToList();
            if (members.Count > 1)
            {
                BreakCycle(members, clauseTargets, alterTargets);
            }

            ordered.AddRange(members);
        }

        ordered.AddRange(after);
        return ordered;
    }

    private static void BreakCycle(
        List<PlannedStep> members,
        Dictionary<PlannedStep, List<(ForeignKeyClause Clause, List<PlannedStep> Needs)>> clauseTargets,
        Dictionary<PlannedStep, List<((StepSql Sql, List<TableName> References) Alter, List<PlannedStep> Needs)>> alterTargets)
    {
        var position = members.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i);
        var last = members[^1];
        for (var k = 0; k < members.Count; k++)
        {
            var member = members[k];
            bool PointsForward(List<PlannedStep> needs) => needs.Any(n => position.TryGetValue(n, out var p) && p > k);

            var cuts = new List<(int, int)>();
            foreach (var (clause, needs) in clauseTargets[member])
            {
                if (!PointsForward(needs))
                {
                    continue;
                }

                cuts.Add((clause.Start, clause.End));
                var name = clause.ConstraintName is null ? string.Empty : $"CONSTRAINT {SqlIdentifier.Quote(clause.ConstraintName)} ";
                var columns = string.Join(", ", clause.Columns.Select(SqlIdentifier.Quote));
                last.Deferred.Add(member.MainPath with { Sql = $"ALTER TABLE {member.Table.Quoted} ADD {name}FOREIGN KEY ({columns}) {clause.ReferencesText}" });
                last.DeferredNames.Add($"{member.Table.Name}({string.Join(", ", clause.Columns)}) → {clause.ReferencedTable}");
            }

            if (cuts.Count > 0)
            {
                member.Main = SqlText.Cut(member.Main, cuts);
                member.Clauses.Clear();
            }

            foreach (var (alter, needs) in alterTargets[member])
            {
                if (PointsForward(needs))
                {
                    // schema.sql's own ALTER adds the foreign key: it moves, whole, to after the cycle.
                    member.Alters.Remove(alter);
                    last.Deferred.Add(alter.Sql);
                    last.DeferredNames.Add($"{member.Table.Name} (ALTER TABLE of schema.sql)");
                }
            }
        }
    }

    /// <summary>Tarjan's algorithm: components come out dependencies first.</summary>
    private static List<List<PlannedStep>> StronglyConnected(List<PlannedStep> nodes, Dictionary<PlannedStep, List<PlannedStep>> edges)
    {
        var index = new Dictionary<PlannedStep, int>();
        var low = new Dictionary<PlannedStep, int>();
        var onStack = new HashSet<PlannedStep>();
        var stack = new Stack<PlannedStep>();
        var result = new List<List<PlannedStep>>();
        var counter = 0;

        void Visit(PlannedStep node)
        {
            index[node] = low[node] = counter++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges[node])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<PlannedStep>();
                PlannedStep member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (!ReferenceEquals(member, node));
                result.Add(component);
            }
        }

        foreach (var node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }
}
