using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Everything a plan file holds: the plan as it was reviewed, with what it was made from and for.
/// Paths are as recorded in the file: relative to the plan file's folder whenever they can be.
/// </summary>
/// <param name="Profile">The profile the plan was made for; null in direct mode.</param>
/// <param name="CreatedAt">When the plan was made (UTC, whole seconds).</param>
/// <param name="SchemaFile">schema.sql's path as recorded.</param>
/// <param name="SchemaSha256">SHA-256 of schema.sql when the plan was made.</param>
/// <param name="Schemas">The schemas compared, first one first.</param>
/// <param name="ColumnDefinitionsFile">The column definitions file's path as recorded, or null.</param>
/// <param name="ColumnDefinitionsSha256">Its SHA-256 when the plan was made, or null.</param>
/// <param name="RecreateTables">The tables asked to be rebuilt.</param>
/// <param name="Steps">The steps, each with exactly the statements that run.</param>
/// <param name="Warnings">Findings about the plan as a whole.</param>
/// <param name="Fingerprint">The live catalog objects the plan depends on.</param>
/// <param name="ExpectedFrom">What made the expected schema the plan is validated against: the reader, or shadow mode.</param>
/// <param name="ShadowDatabase">In shadow mode: the profile named as the shadow database, or null (db.toml's choice, or a connection string).</param>
/// <param name="ShadowByConnectionString">In shadow mode: the shadow database was a connection string, which the file never records.</param>
public sealed record FixPlanDocument(
    string? Profile,
    DateTimeOffset CreatedAt,
    string SchemaFile,
    string SchemaSha256,
    IReadOnlyList<string> Schemas,
    string? ColumnDefinitionsFile,
    string? ColumnDefinitionsSha256,
    IReadOnlyList<string> RecreateTables,
    IReadOnlyList<FixStep> Steps,
    IReadOnlyList<string> Warnings,
    CatalogFingerprint Fingerprint,
    ExpectedFrom ExpectedFrom = ExpectedFrom.Reader,
    string? ShadowDatabase = null,
    bool ShadowByConnectionString = false);
