using Npgsql;

namespace DbAdapter.Core.Rows;

/// <summary>
/// Which server errors belong to a row (its values or the constraints it breaks), so that a bulk
/// statement that fails can be split until the failing row is found, rather than failing the restore
/// for a reason no single row holds (a lost connection, a cancelled statement, a bug).
/// </summary>
internal static class RowIsolation
{
    private static readonly string[] RowClasses = ["22", "23", "P0", "2F", "38", "39", "44"];

    /// <summary>True when <paramref name="exception"/> is the server refusing some row of a statement.</summary>
    public static bool IsRowFailure(Exception exception) =>
        exception is PostgresException pg && RowClasses.Any(c => pg.SqlState.StartsWith(c, StringComparison.Ordinal));

    /// <summary>The server's message for a refused row, with its detail when the server gave one.</summary>
    public static string Message(Exception exception)
    {
        if (exception is not PostgresException pg)
        {
            return exception.Message;
        }

        // Without Include Error Detail, Npgsql puts a placeholder sentence in Detail: not worth showing.
        var detail = string.IsNullOrEmpty(pg.Detail) || pg.Detail.Contains("Include Error Detail", StringComparison.Ordinal) ? string.Empty : " " + pg.Detail;
        return $"{pg.MessageText} (SQLSTATE {pg.SqlState}).{detail}";
    }
}
