namespace DbAdapter.Core.Schema;

/// <summary>What differs between an expected column (or object) and the live one.</summary>
public enum DifferenceKind
{
    /// <summary>The data type (compared in the server's canonical spelling).</summary>
    Type,

    /// <summary>NOT NULL on one side only.</summary>
    Nullability,

    /// <summary>The default expression (or identity / generated status).</summary>
    Default,

    /// <summary>A constraint of the same name (or the same meaning) whose definition differs.</summary>
    Constraint,

    /// <summary>An index whose definition differs.</summary>
    Index,

    /// <summary>A view whose query differs (or that is materialized on one side only).</summary>
    View,

    /// <summary>A function whose body, result or attributes differ.</summary>
    Function,

    /// <summary>A trigger whose timing, events, condition or function differ.</summary>
    Trigger,

    /// <summary>An enum whose labels are in another order.</summary>
    Enum,

    /// <summary>A domain whose base type, default, NOT NULL or checks differ.</summary>
    Domain,

    /// <summary>A sequence whose type, increment or owning column differs.</summary>
    Sequence,
}
