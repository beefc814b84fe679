using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Schema;

/// <summary>A comparison of a live database with schema.sql, with what it was made from.</summary>
public sealed record SchemaValidationResult(string SchemaFile, SchemaModel Expected, SchemaComparison Comparison);

/// <summary>
/// Reads schema.sql and compares it with the live database: the one path used by Test-DbSchema,
/// Connect-DbProfile's validation and the repair planner.
/// </summary>
public static class SchemaValidator
{
    /// <summary>
    /// The schema file to use: <paramref name="overridePath"/> (-SchemaFile) or [schema] file of db.toml.
    /// Throws SchemaFileNotFound when none is configured or the file does not exist.
    /// </summary>
    public static string ResolveSchemaFile(string? overridePath, ResolvedProfile profile)
    {
        var path = overridePath ?? profile.Config?.Schema.File;
        if (path is null)
        {
            var where = profile.Config is null ? "no db.toml was found" : $"'{profile.Config.FilePath}' has no [schema] file";
            throw new DbAdapterException(
                ErrorIds.SchemaFileNotFound,
                DbErrorKind.ObjectNotFound,
                $"No schema file for profile '{profile.DisplayName}': {where}. Pass -SchemaFile or set [schema] file in db.toml.",
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

    /// <summary>Reads schema.sql into a model, reporting what the reader skipped.</summary>
    public static async Task<SchemaModel> ReadExpectedAsync(string schemaFile, IReadOnlyList<string> schemas, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var expected = await SchemaSqlReader.ReadFileAsync(schemaFile, schemas[0], cancellationToken).ConfigureAwait(false);
        foreach (var warning in expected.Warnings)
        {
            reporter.Warning($"{Path.GetFileName(schemaFile)}: {warning}");
        }

        return expected;
    }

    /// <summary>Reads schema.sql, introspects the database (inside the client's transaction, if one is open) and compares.</summary>
    public static async Task<SchemaValidationResult> ValidateAsync(DbClient client, string schemaFile, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var schemas = client.Target.Schemas;
        var expected = await ReadExpectedAsync(schemaFile, schemas, reporter, cancellationToken).ConfigureAwait(false);
        var comparison = await CompareAsync(client, expected, cancellationToken).ConfigureAwait(false);
        foreach (var warning in comparison.Warnings)
        {
            reporter.Warning(warning);
        }

        reporter.Verbose($"Compared {client.Target.DisplayName} with '{schemaFile}': {comparison.ErrorCount(strict: false)} error(s), {comparison.Differences.Count} difference(s).");
        return new SchemaValidationResult(schemaFile, expected, comparison);
    }

    /// <summary>Introspects the profile's schemas and compares them with an already read model.</summary>
    public static Task<SchemaComparison> CompareAsync(DbClient client, SchemaModel expected, CancellationToken cancellationToken) =>
        CompareAsync(client, expected, client.Target.Schemas, cancellationToken);

    /// <summary>
    /// Introspects <paramref name="schemas"/> and compares them with <paramref name="expected"/>, on the
    /// client's open transaction when there is one (repair re-validates inside its own transaction).
    /// </summary>
    public static Task<SchemaComparison> CompareAsync(DbClient client, SchemaModel expected, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        return client.UseRolledBackTransactionAsync(
            async (connection, token) =>
            {
                var live = await SchemaIntrospector.ReadAsync(connection, schemas, token).ConfigureAwait(false);
                return await SchemaComparer.CompareAsync(expected, live, connection, schemas, token).ConfigureAwait(false);
            },
            cancellationToken);
    }
}
