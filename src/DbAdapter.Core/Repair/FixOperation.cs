namespace DbAdapter.Core.Repair;

/// <summary>What a step of a fix plan does to one table.</summary>
public enum FixOperation
{
    /// <summary>Creates a table schema.sql declares and the database lacks (with its indexes and ALTERs).</summary>
    CreateTable,

    /// <summary>Adds one column to an existing table with ALTER TABLE ... ADD COLUMN.</summary>
    AddColumn,

    /// <summary>Rebuilds an existing table in schema.sql's shape, copying its rows (only on request).</summary>
    RecreateTable,
}
