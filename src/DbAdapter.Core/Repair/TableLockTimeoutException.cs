using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>A lock the fix takes up front was not granted within the lock timeout: which table, in which mode.</summary>
internal sealed class TableLockTimeoutException(TableName table, TableLockMode mode, Exception inner)
    : Exception($"The {mode} lock on {table} was not granted within the lock timeout.", inner)
{
    public TableName Table { get; } = table;

    public TableLockMode Mode { get; } = mode;
}
