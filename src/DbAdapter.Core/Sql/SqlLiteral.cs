namespace DbAdapter.Core.Sql;

/// <summary>String literals for DDL text that cannot take parameters (a setval argument, a trigger's argument).</summary>
public static class SqlLiteral
{
    /// <summary>'<paramref name="value"/>' with every quote doubled ('it''s').</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A string literal cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
