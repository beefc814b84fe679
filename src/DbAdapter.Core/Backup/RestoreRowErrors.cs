using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Backup;

/// <summary>A restore's words for a row it cannot write: the row's index in the file's array, RestoreFailed, BackupFileInvalid.</summary>
internal sealed class RestoreRowErrors : RowErrors
{
    public static RestoreRowErrors Instance { get; } = new();

    public override string Work => "restore";

    protected override string FailedId => ErrorIds.RestoreFailed;

    public override string Row(string table, long ord, string key) => $"{table}[{ord}]";

    public override DbAdapterException RowFailed(RowFailure failure, string action, string message, Exception? inner) => new(
        ErrorIds.RestoreFailed,
        DbErrorKind.InvalidData,
        $"Restore failed at {failure.Table}[{failure.RowIndex}] (key {failure.Key}), {action}: {message} Nothing was committed.",
        failure,
        inner,
        ErrorHint.SkipFailedRows);

    public override DbAdapterException Ambiguous(string table, string problem) =>
        new(ErrorIds.BackupFileInvalid, DbErrorKind.InvalidData, $"The backup's {table} rows cannot be restored: {problem} Nothing was restored.", table);
}
