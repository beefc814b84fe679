using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Repair;

/// <summary>
/// What a plan was made with besides schema.sql (whose path and SHA-256 the expected model keeps):
/// when, the column definitions file and the tables asked to be rebuilt. A plan file records it for
/// the reviewer; applying never reads those files again, their effect is in the statements.
/// </summary>
/// <param name="CreatedAt">When the plan was made (UTC).</param>
/// <param name="ColumnDefinitionsFile">Absolute path of the column definitions file, or null.</param>
/// <param name="ColumnDefinitionsSha256">SHA-256 of that file when the plan was made, or null.</param>
/// <param name="RecreateTables">The tables named to be rebuilt, as given.</param>
/// <param name="ExpectedFrom">What made the expected schema: the reader, or shadow mode.</param>
/// <param name="ShadowDatabase">In shadow mode, the profile named as the shadow database; null when db.toml chose it or a connection string was given.</param>
/// <param name="ShadowByConnectionString">In shadow mode, true when the shadow database was given as a connection string (never recorded: it may hold a password).</param>
public sealed record FixPlanOrigin(
    DateTimeOffset CreatedAt,
    string? ColumnDefinitionsFile,
    string? ColumnDefinitionsSha256,
    IReadOnlyList<string> RecreateTables,
    ExpectedFrom ExpectedFrom = ExpectedFrom.Reader,
    string? ShadowDatabase = null,
    bool ShadowByConnectionString = false)
{
    /// <summary>The origin of a plan made now with <paramref name="options"/>.</summary>
    public static FixPlanOrigin Of(FixPlanOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new FixPlanOrigin(now, options.ColumnDefinitions?.SourceFile, options.ColumnDefinitions?.SourceSha256, options.RecreateTables?.ToArray() ?? []);
    }
}
