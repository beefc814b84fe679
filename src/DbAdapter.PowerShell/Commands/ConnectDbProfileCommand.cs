using System.Management.Automation;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Connects to a database profile for real and makes it the current profile.</para>
/// <para type="description">Resolves the profile (by -Name, else the current profile: this session's, then {prefix}DB_PROFILE, then the .db-profile lock file, then {prefix}DATABASE_URL), opens a real connection, reads the server version and the exact row count of every table of the profile's schemas, validates the schema against schema.sql when [schema] validate_on_connect is on and a schema file is configured, and only then makes the profile current: for this PowerShell session and, in the .db-profile lock file beside db.toml, for later sessions. A failed connection or a failed validation leaves the current profile and the lock file as they were. Passwords never appear in the output, in errors or in verbose messages.</para>
/// </summary>
/// <example>
/// <code>Connect-DbProfile -Name local</code>
/// <para>Connects to the profile local of ./db.toml and shows the server version and the row count of each table.</para>
/// </example>
/// <example>
/// <code>Get-DbProfile staging | Connect-DbProfile -Credential (Get-Credential app)</code>
/// <para>Connects to staging with a password typed at the prompt; the credential is remembered for this session only.</para>
/// </example>
/// <example>
/// <code>Connect-DbProfile -ConnectionString 'postgresql://app@db.internal:5432/app?sslmode=require' -Credential $cred -SkipValidation</code>
/// <para>Connects without a db.toml profile (direct mode).</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "DbProfile", DefaultParameterSetName = ParameterSets.Profile)]
[OutputType(typeof(DbConnectionInfo))]
public sealed class ConnectDbProfileCommand : DbCommandBase
{
    /// <summary>
    /// Name of the profile in db.toml. Default: the current profile. Accepts the Name property of objects from the pipeline (Get-DbProfile). Tab completion lists the profiles of db.toml.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.Profile)]
    [Alias("Profile")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Name { get; set; }

    /// <summary>
    /// A postgres:// or postgresql:// URI, or an Npgsql keyword string, to connect to without a profile (direct mode). Direct mode does not write the lock file. Give the password with -Credential, not inside this string: a password typed here lands in the shell history and in transcripts.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.ConnectionString)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// User name and password to connect with. The password takes precedence over every other source (the URL, db_password, password_env); a non-empty user name replaces the profile's. Remembered in memory for this session only, for this profile of this db.toml while it points at the same server and database: a profile of the same name in another db.toml never receives it.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// schema.sql to validate against, instead of [schema] file of db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SchemaFile { get; set; }

    /// <summary>
    /// Shadow mode for this connection's validation: runs the schema file, statement by statement (DO blocks included), in a throwaway database that is created on this server and dropped afterwards, and compares with what the server made of it. Give a postgres:// URL or the name of a profile of db.toml (the role needs CREATEDB there; only the throwaway database is written to). Default: [schema] shadow_database or shadow = true of db.toml, else the schema file is read without running it. Use it for files a reader cannot model: migrations, DO blocks, generated DDL.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShadowDatabase { get; set; }

    /// <summary>
    /// Connects without validating the schema; SchemaValidated is then $null.
    /// </summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var request = CreateRequest(Name, Credential, ConnectionString);
        var options = new ConnectOptions(ResolveUserPath(SchemaFile), SkipValidation.IsPresent, ShadowDatabase);
        RunItem(async (reporter, token) =>
        {
            var outcome = await ConnectOperation.RunAsync(request, options, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false);
            if (outcome.BecameCurrent)
            {
                PostAction(() => SessionStore.Set(outcome.Session));
            }

            var report = outcome.Validation is null ? null : OutputMapper.ToSchemaReport(outcome.Profile, outcome.Validation, strict: false, ShadowDatabase);
            PostObject(OutputMapper.ToConnectionInfo(outcome, report));
            if (outcome.Validation is { IsValid: false } invalid)
            {
                PostError(ErrorRecords.From(
                    ErrorIds.SchemaValidationFailed,
                    ErrorCategory.InvalidData,
                    $"Profile '{outcome.Profile.DisplayName}' does not match '{invalid.SchemaFile}' ({report!.ErrorCount} error(s): {string.Join("; ", invalid.Comparison.MissingItems())}). The current profile was not changed.",
                    report,
                    ErrorRecords.Advice(ErrorHint.RepairSchema)));
            }
        });
    }
}
