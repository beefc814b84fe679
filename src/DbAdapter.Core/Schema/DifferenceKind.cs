namespace DbAdapter.Core.Schema;

/// <summary>What differs between an expected column and the live one.</summary>
public enum DifferenceKind
{
    /// <summary>The data type (compared in the server's canonical spelling).</summary>
    Type,

    /// <summary>NOT NULL on one side only.</summary>
    Nullability,

    /// <summary>The default expression (or identity / generated status).</summary>
    Default,
}
