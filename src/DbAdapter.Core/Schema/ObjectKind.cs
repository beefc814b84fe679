namespace DbAdapter.Core.Schema;

/// <summary>The kinds of schema objects beyond tables and columns that are compared and repaired.</summary>
public enum ObjectKind
{
    /// <summary>A table's primary key.</summary>
    PrimaryKey,

    /// <summary>A unique constraint.</summary>
    Unique,

    /// <summary>A check constraint.</summary>
    Check,

    /// <summary>A foreign key.</summary>
    ForeignKey,

    /// <summary>An exclusion constraint.</summary>
    Exclusion,

    /// <summary>An index that no constraint makes.</summary>
    Index,

    /// <summary>A sequence (those behind identity columns belong to their column and are not listed).</summary>
    Sequence,

    /// <summary>An enum type, or one of its labels.</summary>
    Enum,

    /// <summary>A domain.</summary>
    Domain,

    /// <summary>A view or a materialized view.</summary>
    View,

    /// <summary>A function or a procedure.</summary>
    Function,

    /// <summary>A trigger.</summary>
    Trigger,
}
