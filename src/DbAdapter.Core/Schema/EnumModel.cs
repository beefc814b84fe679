using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>An enum type and its labels in order.</summary>
public sealed class EnumModel : IQualifiedObject
{
    public required string Schema { get; set; }

    public required string Name { get; set; }

    public TableName QualifiedName => new(Schema, Name);

    public List<string> Labels { get; } = [];

    /// <summary>schema.sql only: the CREATE TYPE statement (its ALTER TYPE ... ADD VALUE are in <see cref="Labels"/>).</summary>
    public FileStatement? Statement { get; set; }

    /// <summary>schema.sql only: line of the CREATE TYPE statement.</summary>
    public int Line { get; set; }

    public override string ToString() => QualifiedName.ToString();
}
