namespace DbAdapter.Core.Sync;

/// <summary>What a sync does with a source row whose natural key the destination has already.</summary>
public enum SyncMode
{
    /// <summary>Leaves the destination's row as it is (its key still maps the source's children onto it).</summary>
    Skip,

    /// <summary>Updates the destination row's non-key columns to the source's values, keeping its key.</summary>
    Overwrite,
}
