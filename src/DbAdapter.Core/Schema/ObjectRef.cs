namespace DbAdapter.Core.Schema;

/// <summary>
/// One schema object a comparison found on one side only: a constraint, an index or a trigger of a
/// table, or a sequence, type, view or function of a schema.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Schema">Its schema (a table's object: the table's).</param>
/// <param name="Table">The table it belongs to, or null for an object of the schema itself.</param>
/// <param name="Name">Its name (a function: "name(arguments)"; an unnamed constraint of schema.sql: the name the server would give it).</param>
/// <param name="Definition">What it is, in the server's words where the server could read it ("FOREIGN KEY (a) REFERENCES t(id)").</param>
public sealed record ObjectRef(ObjectKind Kind, string Schema, string? Table, string Name, string Definition)
{
    /// <summary>The model object of the side it was found on (for repair: what to create).</summary>
    internal object? Source { get; init; }

    /// <inheritdoc />
    public override string ToString() => Table is null ? $"{Kind} {Schema}.{Name}: {Definition}" : $"{Kind} {Schema}.{Table}.{Name}: {Definition}";
}
