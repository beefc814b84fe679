using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// One statement of a step while the plan is built. Text repair writes itself names everything
/// qualified and runs under any search_path; text from the schema file, or printed from a catalog,
/// means what it means only under the path it was written or printed under, so it carries that path
/// and the step sets it (SET LOCAL) before running it.
/// </summary>
/// <param name="Sql">The statement.</param>
/// <param name="NeedsPath">True when the statement must run under <paramref name="Path"/>.</param>
/// <param name="Path">The path; null with <paramref name="NeedsPath"/> means the session's own path.</param>
internal readonly record struct StepSql(string Sql, bool NeedsPath = false, SearchPath? Path = null)
{
    /// <summary>Text repair wrote itself: every name qualified, runs under any path.</summary>
    public static implicit operator StepSql(string sql) => new(sql);

    /// <summary>Text that must run under <paramref name="path"/> (null: the session's own path).</summary>
    public static StepSql Under(string sql, SearchPath? path) => new(sql, NeedsPath: true, path);
}
