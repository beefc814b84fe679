using System.Text;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;

namespace DbAdapter.Core.Operations;

/// <summary>
/// Export-DbFixPlan's work: a plan as a file a reviewer reads and a runbook applies later, JSON (what
/// Import-DbFixPlan reads back) or one SQL script for psql. Paths in the file are relative to the
/// file's own folder, so a plan committed beside schema.sql finds it again on any machine.
/// </summary>
public static class FixPlanExportOperation
{
    /// <summary>Writes <paramref name="plan"/>, made for <paramref name="profile"/>, to <paramref name="path"/> (replacing it atomically); returns its full path.</summary>
    /// <exception cref="DbAdapterException">
    /// FixPlanInvalid: the plan was not made from a schema file or carries no fingerprint;
    /// FixPlanNotWritten: the file cannot be written (nothing is left half written).
    /// </exception>
    public static async Task<string> RunAsync(FixPlan plan, ResolvedProfile profile, string path, bool asSql, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var document = Document(plan, profile.Name, Path.GetDirectoryName(fullPath) ?? fullPath);
        var bytes = asSql
            ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(FixPlanScript.Write(document, profile.Target.LockTimeout))
            : FixPlanJson.Write(document);
        try
        {
            await UserFile.WriteAtomicallyAsync(fullPath, bytes, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw UserFile.WriteFailure(ex, fullPath, ErrorIds.FixPlanNotWritten, $"The plan file {fullPath} could not be written: {ex.Message}");
        }

        return fullPath;
    }

    /// <summary>What a plan file written into <paramref name="folder"/> holds for <paramref name="plan"/>.</summary>
    public static FixPlanDocument Document(FixPlan plan, string? profileName, string folder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Expected.SourceFile is not { } schemaFile || plan.Expected.SourceSha256 is not { } schemaHash || plan.Fingerprint is not { } fingerprint)
        {
            throw new DbAdapterException(
                ErrorIds.FixPlanInvalid,
                DbErrorKind.InvalidOperation,
                "This plan cannot be written to a file: it was not made from a schema file, or without reading the tables it changes. Make the plan again from the database and schema.sql.",
                plan.SchemaFile);
        }

        var origin = plan.Origin ?? new FixPlanOrigin(DateTimeOffset.UtcNow, null, null, []);
        return new FixPlanDocument(
            profileName,
            DateTimeOffset.FromUnixTimeSeconds(origin.CreatedAt.ToUnixTimeSeconds()),
            PlanFilePaths.Record(schemaFile, folder),
            schemaHash,
            plan.Schemas,
            origin.ColumnDefinitionsFile is { } definitions ? PlanFilePaths.Record(definitions, folder) : null,
            origin.ColumnDefinitionsSha256,
            origin.RecreateTables,
            plan.Steps,
            plan.Warnings,
            fingerprint,
            origin.ExpectedFrom,
            origin.ShadowDatabase,
            origin.ShadowByConnectionString);
    }
}
