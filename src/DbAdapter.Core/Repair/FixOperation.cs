namespace DbAdapter.Core.Repair;

/// <summary>What a step of a fix plan does. Scripts match on these names: never rename one.</summary>
public enum FixOperation
{
    /// <summary>Creates a table schema.sql declares and the database lacks (with its indexes and ALTERs).</summary>
    CreateTable,

    /// <summary>Adds one column to an existing table with ALTER TABLE ... ADD COLUMN.</summary>
    AddColumn,

    /// <summary>Rebuilds an existing table in schema.sql's shape, copying its rows (only on request).</summary>
    RecreateTable,

    /// <summary>Creates an enum type or a domain, or adds the labels an enum lacks.</summary>
    CreateType,

    /// <summary>Creates a sequence that no created table or added column makes.</summary>
    CreateSequence,

    /// <summary>Adds a primary key, unique, check, foreign key or exclusion constraint to an existing table.</summary>
    AddConstraint,

    /// <summary>Creates an index of an existing table.</summary>
    CreateIndex,

    /// <summary>Creates a view or a materialized view.</summary>
    CreateView,

    /// <summary>Creates a function or a procedure.</summary>
    CreateFunction,

    /// <summary>Creates a trigger.</summary>
    CreateTrigger,
}
