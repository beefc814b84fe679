using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Operations;

/// <summary>A plan read back from its file, for the profile it is to be applied to.</summary>
/// <param name="Profile">The profile: the plan's own, or the one named instead.</param>
/// <param name="SchemaFile">The schema file found with the plan's SHA-256.</param>
/// <param name="Plan">The plan: exactly the exported steps, its fingerprint, and the expected schema to validate against.</param>
public sealed record FixPlanImport(ResolvedProfile Profile, string SchemaFile, FixPlan Plan);

/// <summary>
/// Import-DbFixPlan's work: read a plan file (refused when its content or its schema.sql is not what
/// was exported), resolve its profile in the current db.toml (or the one named instead, with a
/// warning), and rebuild the plan without planning anything again. Nothing touches the database:
/// the fingerprint is checked by the apply, inside its transaction.
/// </summary>
public static class FixPlanImportOperation
{
    /// <summary>
    /// Reads the plan file <paramref name="path"/>; <paramref name="request"/>'s explicit profile, when
    /// set, replaces the plan's own. A plan made in shadow mode gets its expected schema from a shadow
    /// database again: <paramref name="shadowDatabase"/>, else the profile it recorded, else db.toml's.
    /// </summary>
    /// <exception cref="DbAdapterException">
    /// FixPlanInvalid: not a plan file, changed after export, or its schema file differs from the one it
    /// was made from; SchemaFileNotFound: the schema file is neither beside the plan nor db.toml's;
    /// profile resolution errors as for every cmdlet.
    /// </exception>
    public static async Task<FixPlanImport> RunAsync(string path, ProfileRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken ct, string? shadowDatabase = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reporter);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? fullPath;
        var bytes = await UserFile.ReadBytesAsync(fullPath, UserFileKind.FixPlan, ct).ConfigureAwait(false);
        var document = FixPlanJson.Read(bytes, fullPath);

        var named = request.ExplicitProfile;
        if (named is not null && !string.Equals(named, document.Profile, StringComparison.Ordinal))
        {
            reporter.Warning(
                $"The plan in {fullPath} was made for {(document.Profile is null ? "a direct connection" : $"profile '{document.Profile}'")}; it is used for profile '{named}' as asked. " +
                "It still runs only if the tables it changes there are exactly what its fingerprint records.");
        }

        var resolved = await ProfileResolution.ResolveAsync(request with { ExplicitProfile = named ?? document.Profile }, environment, reporter, ct).ConfigureAwait(false);
        var schemaFile = await FindSchemaFileAsync(document, fullPath, folder, resolved, ct).ConfigureAwait(false);
        var expected = await ExpectedModelAsync(document, fullPath, schemaFile, shadowDatabase, resolved, request, environment, reporter, ct).ConfigureAwait(false);
        if (!string.Equals(expected.SourceSha256, document.SchemaSha256, StringComparison.Ordinal))
        {
            throw SchemaChanged(fullPath, schemaFile, expected.SourceSha256 ?? "?", document.SchemaSha256);
        }

        foreach (var warning in document.Warnings)
        {
            reporter.Warning(warning);
        }

        var origin = new FixPlanOrigin(
            document.CreatedAt,
            document.ColumnDefinitionsFile is { } definitions ? PlanFilePaths.Resolve(definitions, folder) : null,
            document.ColumnDefinitionsSha256,
            document.RecreateTables,
            document.ExpectedFrom,
            document.ShadowDatabase,
            document.ShadowByConnectionString);
        reporter.Verbose($"Plan of {document.CreatedAt:u} read from {fullPath}: {document.Steps.Count} step(s), schema file {schemaFile}.");
        return new FixPlanImport(resolved, schemaFile, new FixPlan(expected, document.Schemas, document.Steps, document.Warnings, origin, document.Fingerprint));
    }

    /// <summary>
    /// The schema the applied plan is validated against, made the way the plan's was: by the reader, or
    /// by running the file in a shadow database again (a file only shadow mode can model must not be
    /// judged by the reader).
    /// </summary>
    private static async Task<SchemaModel> ExpectedModelAsync(
        FixPlanDocument document,
        string planFile,
        string schemaFile,
        string? shadowDatabase,
        ResolvedProfile resolved,
        ProfileRequest request,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        if (document.ExpectedFrom == ExpectedFrom.Reader)
        {
            var read = await ExpectedSchema.ReadAsync(schemaFile, document.Schemas, reporter, ct).ConfigureAwait(false);
            return PlatformObjects.LeaveOut(read, resolved.Target, reporter);
        }

        var shadow = shadowDatabase ?? document.ShadowDatabase;
        if (shadow is null && document.ShadowByConnectionString)
        {
            throw new DbAdapterException(
                ErrorIds.ShadowDatabaseFailed,
                DbErrorKind.InvalidArgument,
                $"The plan in {planFile} was made in shadow mode with a shadow database given as a connection string, which a plan file never records. Name that shadow database again.",
                planFile,
                hint: ErrorHint.NameShadowDatabase);
        }

        reporter.Verbose($"The plan was made in shadow mode: its expected schema is made again in a shadow database{(shadow is null ? " (db.toml's)" : string.Empty)}.");
        var source = await ExpectedSchema.PrepareAsync(resolved, new ExpectedSchemaRequest(schemaFile, shadow, RequireShadow: true), request, environment, reporter, ct).ConfigureAwait(false);
        var result = await source.LoadAsync(ct).ConfigureAwait(false);
        return result.Model;
    }

    /// <summary>
    /// The schema file with the plan's SHA-256: the recorded path beside the plan file first, then
    /// db.toml's [schema] file (a plan copied out of the repository without its schema.sql).
    /// </summary>
    private static async Task<string> FindSchemaFileAsync(FixPlanDocument document, string planFile, string folder, ResolvedProfile profile, CancellationToken ct)
    {
        var candidates = new[] { PlanFilePaths.Resolve(document.SchemaFile, folder), profile.Config?.Schema.File }
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        (string File, string Sha256)? mismatch = null;
        foreach (var candidate in candidates.Where(File.Exists))
        {
            var hash = ContentHash.Sha256(await UserFile.ReadBytesAsync(candidate, UserFileKind.Schema, ct).ConfigureAwait(false));
            if (string.Equals(hash, document.SchemaSha256, StringComparison.Ordinal))
            {
                return candidate;
            }

            mismatch ??= (candidate, hash);
        }

        if (mismatch is { } changed)
        {
            throw SchemaChanged(planFile, changed.File, changed.Sha256, document.SchemaSha256);
        }

        throw new DbAdapterException(
            ErrorIds.SchemaFileNotFound,
            DbErrorKind.ObjectNotFound,
            $"The schema file the plan in {planFile} was made from ({document.SchemaFile}) is not there: looked for {string.Join(" and ", candidates)}. Put that schema.sql beside the plan as it was when exported.",
            candidates[0]);
    }

    private static DbAdapterException SchemaChanged(string planFile, string schemaFile, string actual, string recorded) =>
        new(
            ErrorIds.FixPlanInvalid,
            DbErrorKind.InvalidData,
            $"The plan in {planFile} was made from another version of {schemaFile}: the file's sha256 is {actual}, the plan records {recorded}. " +
            "Make and review a new plan from the current schema file, or put back the schema file the plan was made from.",
            schemaFile,
            hint: ErrorHint.PlanAgain);
}
