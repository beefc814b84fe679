namespace DbAdapter.Core.Schema;

/// <summary>What produced an expected schema.</summary>
public enum ExpectedFrom
{
    /// <summary>The schema file read by the reader: fast, nothing run anywhere.</summary>
    Reader,

    /// <summary>The schema file run in a throwaway database and read back by the introspector.</summary>
    Shadow,
}
