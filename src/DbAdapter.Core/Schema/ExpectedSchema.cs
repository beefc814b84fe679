using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Schema;

/// <summary>What one call asks of the expected schema: a schema file and a shadow database for this call only.</summary>
/// <param name="SchemaFile">The schema file instead of [schema] file of db.toml; null for db.toml's.</param>
/// <param name="ShadowDatabase">
/// Shadow mode on this server instead of db.toml's choice: a postgres:// URL (or keyword string) or the
/// name of a profile of the same db.toml; null for db.toml's ([schema] shadow_database / shadow).
/// </param>
/// <param name="RequireShadow">Shadow mode is required (a plan made in shadow mode is applied): no shadow database is an error, never the reader.</param>
public sealed record ExpectedSchemaRequest(string? SchemaFile = null, string? ShadowDatabase = null, bool RequireShadow = false);

/// <summary>The expected schema of a profile, the file it comes from and what produced it.</summary>
public sealed record ExpectedSchemaResult(string SchemaFile, SchemaModel Model, ExpectedFrom From);

/// <summary>
/// The one decision of what a profile's database is compared with: which schema file (a path given
/// for this call, else [schema] file of db.toml), whether connecting validates at all, and the model
/// made of it: read by the reader, or, in shadow mode (a shadow database given for this call, else
/// [schema] shadow_database or shadow = true of db.toml), run in a throwaway database and read back by
/// the introspector. Test-DbSchema, Connect-DbProfile's validation and Get-DbFixPlan all come here.
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

    /// <summary>
    /// Decides where <paramref name="profile"/>'s expected schema comes from (the file, and the reader or
    /// a shadow database) without reading it yet, so that a caller can read it while the live catalog is
    /// read (<see cref="ExpectedSchemaSource.LoadAsync"/> reads it). Throws before anything is read when
    /// there is no or a missing schema file, or no shadow database where one is required.
    /// </summary>
    /// <param name="profile">The resolved profile.</param>
    /// <param name="request">This call's schema file and shadow database, if any.</param>
    /// <param name="origin">How the profile was asked for (db.toml, session, prefix): a shadow database named as a profile is resolved the same way.</param>
    /// <param name="environment">Environment variables (a shadow profile's password_env).</param>
    /// <param name="reporter">Warnings of the reader, progress of shadow mode.</param>
    /// <param name="ct">Cancels the work (a shadow database is dropped all the same).</param>
    public static async Task<ExpectedSchemaSource> PrepareAsync(
        ResolvedProfile profile,
        ExpectedSchemaRequest request,
        ProfileRequest origin,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reporter);
        var file = ResolveFile(request.SchemaFile, profile);
        var shadow = await ResolveShadowAsync(profile, request.ShadowDatabase, origin, environment, reporter, ct).ConfigureAwait(false);
        if (shadow is null && request.RequireShadow)
        {
            throw new DbAdapterException(
                ErrorIds.ShadowDatabaseFailed,
                DbErrorKind.InvalidArgument,
                $"The expected schema of '{file}' must come from a shadow database (the plan was made in shadow mode), but none is named for profile '{profile.DisplayName}'. Name the shadow database, or set [schema] shadow_database or shadow = true in db.toml.",
                file,
                hint: ErrorHint.NameShadowDatabase);
        }

        return new ExpectedSchemaSource(profile, file, shadow, reporter);
    }

    /// <summary>
    /// Reads the expected schema <paramref name="source"/> names: by the reader, or in shadow mode from a
    /// throwaway database on <paramref name="shadow"/>.
    /// </summary>
    internal static async Task<ExpectedSchemaResult> LoadSourceAsync(ExpectedSchemaSource source, ConnectionTarget? shadow, IOperationReporter reporter, CancellationToken ct)
    {
        var (profile, file) = (source.Profile, source.SchemaFile);
        var schemas = profile.Target.Schemas;
        if (shadow is null)
        {
            var read = await ReadAsync(file, schemas, reporter, ct).ConfigureAwait(false);
            return new ExpectedSchemaResult(file, PlatformObjects.LeaveOut(read, profile.Target, reporter), ExpectedFrom.Reader);
        }

        reporter.Verbose($"Shadow mode: '{file}' is run in a throwaway database on {shadow.Host}:{shadow.Port} ({shadow.UserName}) and read back.");
        var stubs = SupabaseShadowStubs.SchemasFor(profile.Target);
        var model = await ShadowDatabase.BuildAsync(shadow, file, schemas, stubs, reporter, ct).ConfigureAwait(false);
        return new ExpectedSchemaResult(file, PlatformObjects.LeaveOut(model, profile.Target, reporter), ExpectedFrom.Shadow);
    }

    /// <summary>
    /// As <see cref="PrepareAsync"/> for a connection's validation: null when it is not validated (skipped on
    /// request, or no file given and db.toml does not ask for validation on connect).
    /// </summary>
    public static async Task<ExpectedSchemaSource?> PrepareForConnectAsync(
        ResolvedProfile profile,
        ExpectedSchemaRequest request,
        bool skip,
        ProfileRequest origin,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = FileToValidateOnConnect(request.SchemaFile, skip, profile, reporter);
        return file is null ? null : await PrepareAsync(profile, request with { SchemaFile = file }, origin, environment, reporter, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The server shadow mode runs on, or null for the reader: this call's shadow database, else
    /// [schema] shadow_database, else the profile's own server when [schema] shadow = true.
    /// </summary>
    private static async Task<ConnectionTarget?> ResolveShadowAsync(
        ResolvedProfile profile,
        string? requested,
        ProfileRequest origin,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        var spec = string.IsNullOrWhiteSpace(requested) ? profile.Config?.Schema.ShadowDatabase : requested.Trim();
        if (spec is null)
        {
            return profile.Config?.Schema.Shadow == true ? profile.Target : null;
        }

        if (IsConnectionString(spec))
        {
            return ConnectionResolver.ResolveDirect(spec, credential: null, profile.Target.Schemas);
        }

        // A profile of the same db.toml, with what the session remembers for it (its credential).
        var shadowProfile = await ProfileResolution.ResolveAsync(
            origin with { ExplicitProfile = spec, Credential = null, DirectConnectionString = null },
            environment,
            reporter,
            ct).ConfigureAwait(false);
        return shadowProfile.Target;
    }

    /// <summary>True when a shadow database is given as a connection string (URL or keywords) rather than a profile name.</summary>
    public static bool IsConnectionString(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        spec.Contains('=', StringComparison.Ordinal);

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
