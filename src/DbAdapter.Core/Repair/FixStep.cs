namespace DbAdapter.Core.Repair;

/// <summary>One step of a <see cref="FixPlan"/>: the SQL that runs, on which table, and its risks.</summary>
public sealed class FixStep
{
    /// <summary>1-based position in the plan; steps run in this order.</summary>
    public required int Order { get; init; }

    /// <summary>What the step does.</summary>
    public required FixOperation Operation { get; init; }

    /// <summary>Schema of the table.</summary>
    public required string Schema { get; init; }

    /// <summary>The table (as stored, case kept).</summary>
    public required string Table { get; init; }

    /// <summary>The added column of an <see cref="FixOperation.AddColumn"/> step; null otherwise.</summary>
    public string? Column { get; init; }

    /// <summary>
    /// The statements of the step, in order: exactly what runs, each as its own command, so the server
    /// refuses any text that would hold a second statement.
    /// </summary>
    public required IReadOnlyList<string> Statements { get; init; }

    /// <summary>The statements for display, each ended by ';' on its own line(s).</summary>
    public string Sql => string.Join("\n", Statements.Select(s => s + ";"));

    /// <summary>Risks of the step (empty when none).</summary>
    public required IReadOnlyList<FixHazard> Hazards { get; init; }

    /// <summary>A sentence a person understands ("Add column price INTEGER DEFAULT 0").</summary>
    public required string Description { get; init; }

    /// <summary>"schema.table", the item the step changes.</summary>
    public string Target => $"{Schema}.{Table}";

    /// <summary>True when a hazard of the step is blocking.</summary>
    public bool HasBlockingHazards => Hazards.Any(h => h.Blocking);

    /// <inheritdoc />
    public override string ToString() => $"{Order}. {Operation} {Target}: {Description}";
}
