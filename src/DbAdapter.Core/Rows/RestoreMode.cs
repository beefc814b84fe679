namespace DbAdapter.Core.Rows;

/// <summary>What a restore does with a row whose natural key matches an existing row.</summary>
public enum RestoreMode
{
    /// <summary>Leaves the existing row alone (its key still maps the backup's children onto it).</summary>
    Skip,

    /// <summary>Updates the existing row's non-key columns, keeping its key.</summary>
    Overwrite,

    /// <summary>Stops at the first match with RestoreConflict; nothing is committed.</summary>
    Fail,
}
