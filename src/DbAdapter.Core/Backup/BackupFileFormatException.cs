namespace DbAdapter.Core.Backup;

/// <summary>
/// A backup file that is not JSON, or not one JSON object: Test-DbBackup reports it as a finding,
/// a restore as BackupFileInvalid. <see cref="Exception.Message"/> is the problem alone, without the path.
/// </summary>
internal sealed class BackupFileFormatException(string problem, Exception? inner = null) : Exception(problem, inner);
