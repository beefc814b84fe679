namespace DbAdapter.Core.Sql;

/// <summary>
/// A search_path: the schemas in which the server looks up unqualified type, function, sequence and
/// table names. A schema file's statements mean what they mean under the path they were written
/// under, and text the server prints (format_type, pg_get_expr) is qualified exactly where a name is
/// not found first on the path in effect, so a path is part of what a piece of SQL text means.
/// </summary>
public sealed class SearchPath : IEquatable<SearchPath>
{
    /// <summary>Restores the session's own path for the rest of the transaction.</summary>
    public const string SetLocalDefaultStatement = "SET LOCAL search_path TO DEFAULT";

    private SearchPath(IReadOnlyList<string> schemas)
    {
        Schemas = schemas;
        Text = string.Join(", ", schemas.Select(SqlIdentifier.Quote));
    }

    /// <summary>The schema names in order, exactly as stored ("$user" included when written).</summary>
    public IReadOnlyList<string> Schemas { get; }

    /// <summary>
    /// The path as the value of the search_path setting, every name quoted ("app", "pg_catalog"); an
    /// empty path is the empty string.
    /// </summary>
    public string Text { get; }

    /// <summary>SET LOCAL search_path TO the path: lasts until the end of the transaction.</summary>
    public string SetLocalStatement => $"SET LOCAL search_path TO {(Schemas.Count == 0 ? "''" : Text)}";

    /// <summary>A path of these schemas, in this order.</summary>
    public static SearchPath Of(IEnumerable<string> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        var list = schemas.ToArray();
        foreach (var schema in list)
        {
            ArgumentException.ThrowIfNullOrEmpty(schema, nameof(schemas));
        }

        return new SearchPath(list);
    }

    /// <inheritdoc />
    public bool Equals(SearchPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SearchPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc />
    public override string ToString() => Schemas.Count == 0 ? "''" : Text;
}
