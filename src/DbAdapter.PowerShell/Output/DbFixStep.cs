using System.Management.Automation;

namespace DbAdapter;

/// <summary>One step of a repair plan, with the exact SQL it runs.</summary>
public sealed class DbFixStep
{
    internal DbFixStep()
    {
    }

    /// <summary>Position in the plan (1-based); steps run in this order.</summary>
    public int Order { get; internal init; }

    /// <summary>
    /// CreateTable, AddColumn or RecreateTable; for objects beyond columns CreateType, CreateSequence,
    /// AddConstraint, CreateIndex, CreateView, CreateFunction or CreateTrigger.
    /// </summary>
    public string Operation { get; internal init; } = string.Empty;

    public string Schema { get; internal init; } = string.Empty;

    /// <summary>The table the step changes; for a type, sequence, view or function it creates, that object's name.</summary>
    public string Table { get; internal init; } = string.Empty;

    /// <summary>The column added (AddColumn), else null.</summary>
    public string? Column { get; internal init; }

    /// <summary>Every statement the step runs, for display (each ended by ';').</summary>
    public string Sql { get; internal init; } = string.Empty;

    /// <summary>The statements the step runs, in order, each sent as its own command.</summary>
    public string[] Statements { get; internal init; } = [];

    /// <summary>What the step may do to existing data or to other sessions.</summary>
    public DbFixHazard[] Hazards { get; internal init; } = [];

    /// <summary>The step in words ("Add column price INTEGER DEFAULT 0").</summary>
    public string Description { get; internal init; } = string.Empty;

    /// <summary>The table (or object) as the views show it: bare in the profile's first schema.</summary>
    [Hidden]
    public string TableDisplay { get; internal init; } = string.Empty;

    public override string ToString() => $"{Order}. {Description} on {Schema}.{Table}";
}
