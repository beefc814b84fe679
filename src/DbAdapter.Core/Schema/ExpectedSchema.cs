using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The one decision of what a profile's database is compared with: which schema file (a path given
/// for this call, else [schema] file of db.toml), whether connecting validates at all, and the model
/// read from it. Test-DbSchema, Connect-DbProfile's validation and Get-DbFixPlan all come here.
/// </summary>
public static class ExpectedSchema
{
    /// <summary>
    /// The schema file to use: <paramref name="overridePath"/> or [schema] file of db.toml. Throws
    /// SchemaFileNotFound when none is configured or the file does not exist.
    /// </summary>
    public static string ResolveFile(string? overridePath, ResolvedProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var path = overridePath ?? profile.Config?.Schema.File;
        if (path is null)
        {
            var where = profile.Config is null ? "no db.toml was found" : $"'{profile.Config.FilePath}' has no [schema] file";
            throw new DbAdapterException(
                ErrorIds.SchemaFileNotFound,
                DbErrorKind.ObjectNotFound,
                $"No schema file for profile '{profile.DisplayName}': {where}. Name a schema file for this call, or set [schema] file in db.toml.",
                profile.DisplayName);
        }

        if (!File.Exists(path))
        {
            throw new DbAdapterException(
                ErrorIds.SchemaFileNotFound,
                DbErrorKind.ObjectNotFound,
                $"The schema file '{path}' of profile '{profile.DisplayName}' does not exist.",
                path);
        }

        return path;
    }

    /// <summary>
    /// The schema file a connection is validated against, or null when it is not validated: skipped
    /// on request, or no file given and db.toml does not ask for validation on connect.
    /// </summary>
    public static string? FileToValidateOnConnect(string? overridePath, bool skip, ResolvedProfile profile, IOperationReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reporter);
        if (skip)
        {
            reporter.Verbose("Schema validation skipped on request.");
            return null;
        }

        if (overridePath is null && profile.Config?.Schema is not { ValidateOnConnect: true, File: not null })
        {
            reporter.Verbose("No schema validation configured ([schema] file / validate_on_connect).");
            return null;
        }

        // A configured schema file that is missing is an error, not a silent skip.
        return ResolveFile(overridePath, profile);
    }

    /// <summary>Reads the schema file into a model, reporting what the reader skipped.</summary>
    public static async Task<SchemaModel> ReadAsync(string schemaFile, IReadOnlyList<string> schemas, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(reporter);
        var expected = await SchemaSqlReader.ReadFileAsync(schemaFile, schemas[0], cancellationToken).ConfigureAwait(false);
        foreach (var warning in expected.Warnings)
        {
            reporter.Warning($"{Path.GetFileName(schemaFile)}: {warning}");
        }

        return expected;
    }
}
