using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>A domain: a base type with a default, NOT NULL and checks.</summary>
public sealed class DomainModel : IQualifiedObject
{
    public required string Schema { get; set; }

    public required string Name { get; set; }

    public TableName QualifiedName => new(Schema, Name);

    /// <summary>The base type (live: format_type; schema.sql: as written).</summary>
    public required string BaseType { get; set; }

    public string? Default { get; set; }

    public bool NotNull { get; set; }

    /// <summary>The checks (live: pg_get_constraintdef, "CHECK (VALUE > 0)"; schema.sql: the expression as written).</summary>
    public List<CheckModel> Checks { get; } = [];

    /// <summary>Live: the definition the server can run again (CREATE DOMAIN ...), for repair in shadow mode.</summary>
    public string? Definition { get; set; }

    /// <summary>schema.sql only: the CREATE DOMAIN statement.</summary>
    public FileStatement? Statement { get; set; }

    /// <summary>schema.sql only: the ALTER DOMAIN statements that follow it.</summary>
    public List<FileStatement> AlterStatements { get; } = [];

    /// <summary>schema.sql only: the search_path the domain was written under.</summary>
    public SearchPath? SearchPath { get; set; }

    /// <summary>schema.sql only: line of the statement.</summary>
    public int Line { get; set; }

    public override string ToString() => QualifiedName.ToString();
}
