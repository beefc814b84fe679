
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Backup;

/// <summary>One table to write into a backup file.</summary>
/// <param name="Key">The key of the table's row array in the file (and of its "&lt;key&gt;_count").</param>
/// <param name="Table">The table.</param>
/// <param name="Where">
/// Optional filter, SQL text after WHERE with positional parameters ($1...) in <paramref name="Parameters"/>;
/// identifiers in it must come from <see cref="SqlIdentifier.Quote"/>. Null backs up every row.
/// </param>
/// <param name="OrderBy">A column to order the rows by (the key: a backup of the same rows is the same file), or null.</param>
/// <param name="Count">The rows the filter selects, when the caller has counted them in the same snapshot (the writer then does not).</param>
/// <param name="Parameters">Values of the filter's parameters (an NpgsqlParameter is used as given, e.g. typed for its column).</param>
public sealed record BackupTableSource(string Key, TableName Table, string? Where = null, IReadOnlyList<object?>? Parameters = null, string? OrderBy = null, long? Count = null)
{
    /// <summary>The table's columns, when the caller read them in the same snapshot (the writer then does not).</summary>
    internal Client.TableColumns? Columns { get; init; }
}
