using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>A view or a materialized view.</summary>
public sealed class ViewModel : IQualifiedObject
{
    /// <summary>Schema (settable: schema.sql may move it).</summary>
    public required string Schema { get; set; }

    /// <summary>Name (settable: schema.sql may rename it).</summary>
    public required string Name { get; set; }

    public TableName QualifiedName => new(Schema, Name);

    public bool IsMaterialized { get; set; }

    /// <summary>The query (live: pg_get_viewdef; schema.sql: as written, after AS).</summary>
    public required string Query { get; set; }

    /// <summary>schema.sql only: the column names written after the view's name, or empty.</summary>
    public List<string> ColumnNames { get; } = [];

    /// <summary>schema.sql only: CREATE RECURSIVE VIEW.</summary>
    public bool IsRecursive { get; set; }

    /// <summary>schema.sql only: the CREATE VIEW statement (for repair).</summary>
    public FileStatement? Statement { get; set; }

    /// <summary>schema.sql only: the search_path the query was written under.</summary>
    public SearchPath? SearchPath { get; set; }

    /// <summary>schema.sql only: line of the statement.</summary>
    public int Line { get; set; }

    public override string ToString() => QualifiedName.ToString();
}
