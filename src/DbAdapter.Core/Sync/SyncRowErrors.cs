using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Rows;

namespace DbAdapter.Core.Sync;

/// <summary>A sync's words for a row it cannot write: the row's key in the source, SyncFailed, nothing committed.</summary>
internal sealed class SyncRowErrors(string source, string destination) : RowErrors
{
    public override string Work => "sync";

    protected override string FailedId => ErrorIds.SyncFailed;

    public override string Row(string table, long ord, string key) => $"the {table} row with key {key}";

    public override DbAdapterException RowFailed(RowFailure failure, string action, string message, Exception? inner) => new(
        ErrorIds.SyncFailed,
        DbErrorKind.InvalidData,
        $"Sync into '{destination}' failed at the {failure.Table} row with key {failure.Key} of '{source}', {action}: {message} Nothing was committed.",
        failure,
        inner);

    public override DbAdapterException Ambiguous(string table, string problem) =>
        new(ErrorIds.SyncFailed, DbErrorKind.InvalidData, $"The {table} rows of '{source}' cannot be synced: {problem} Nothing was committed.", table);
}
