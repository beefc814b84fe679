namespace DbAdapter.Core.Sql;

/// <summary>Identifier quoting: every table and column name that reaches SQL goes through here.</summary>
public static class SqlIdentifier
{
    /// <summary>Quotes <paramref name="name"/> as a PostgreSQL identifier ("a""b").</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0'))
        {
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"") + "\"";
    }
}
