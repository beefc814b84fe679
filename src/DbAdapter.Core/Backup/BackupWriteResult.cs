namespace DbAdapter.Core.Backup;

/// <summary>What <see cref="BackupJsonWriter.WriteAsync"/> wrote.</summary>
/// <param name="Path">Full path of the backup file.</param>
/// <param name="Tables">Rows written per table key, in file order.</param>
/// <param name="Bytes">Size of the file.</param>
public sealed record BackupWriteResult(string Path, IReadOnlyList<KeyValuePair<string, long>> Tables, long Bytes);
