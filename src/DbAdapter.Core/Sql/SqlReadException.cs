namespace DbAdapter.Core.Sql;

/// <summary>
/// A statement the reader cannot read. Caught per statement and turned into a "line N: ..." warning:
/// one broken statement must not hide the rest of the file.
/// </summary>
internal sealed class SqlReadException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
