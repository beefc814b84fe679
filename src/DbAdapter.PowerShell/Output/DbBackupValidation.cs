namespace DbAdapter;

/// <summary>What Test-DbBackup found in a backup file.</summary>
public sealed class DbBackupValidation
{
    internal DbBackupValidation()
    {
    }

    /// <summary>Full path of the file checked.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>No errors (warnings allowed): Restore-Database will accept the file.</summary>
    public bool IsValid { get; internal init; }

    /// <summary>Problems that make a restore refuse the file, each naming table, row index (0-based) and field.</summary>
    public string[] Errors { get; internal init; } = [];

    /// <summary>Findings that do not stop a restore (orphans, counts that disagree, tables outside the schema).</summary>
    public string[] Warnings { get; internal init; } = [];

    public override string ToString() => IsValid ? $"{Path}: valid" : $"{Path}: {Errors.Length} error(s)";
}
