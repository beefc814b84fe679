using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Compares a live database with schema.sql.</para>
/// <para type="description">Reads schema.sql (-SchemaFile, else [schema] file of db.toml) with a real SQL tokenizer, reads the live schema from pg_catalog (a fixed number of queries, whatever the table count) for the profile's schemas, and emits a DbSchemaReport: missing tables and columns (which make the database invalid), extra tables and columns, and type, nullability and default differences (compared in the server's canonical form; errors only with -Strict). A drifted database is a report, not an error. Profiles can come from the pipeline: Get-DbProfile | Test-DbSchema checks each one, and a profile that cannot be reached is a non-terminating error.</para>
/// </summary>
/// <example>
/// <code>Test-DbSchema -Profile prod</code>
/// <para>Shows whether prod matches schema.sql, with the number of missing and extra tables and columns.</para>
/// </example>
/// <example>
/// <code>Test-DbSchema -Profile prod | Format-List</code>
/// <para>Lists every missing and extra table and column and every difference.</para>
/// </example>
/// <example>
/// <code>Get-DbProfile | Test-DbSchema -Strict</code>
/// <para>Checks every profile of db.toml; with -Strict, type, nullability and default differences count as errors.</para>
/// </example>
/// <example>
/// <code>Test-DbSchema -Profile staging -ShadowDatabase 'postgresql://ci@localhost:5432/postgres' -Strict</code>
/// <para>Runs schema.sql in a throwaway database on the local server, compares staging with what the server made of it (ExpectedFrom = Shadow), and drops the throwaway database.</para>
/// </example>
/// <example>
/// <code>if (-not (Test-DbSchema -Quiet)) { throw 'schema drift' }</code>
/// <para>Checks the current profile and returns only $true or $false.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "DbSchema")]
[OutputType(typeof(DbSchemaReport), typeof(bool))]
public sealed class TestDbSchemaCommand : DbCommandBase
{
    /// <summary>
    /// Profile to check. Default: the current profile. Accepts the Name property of objects from the pipeline (Get-DbProfile).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? Profile { get; set; }

    /// <summary>
    /// schema.sql to compare against, instead of [schema] file of db.toml.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SchemaFile { get; set; }

    /// <summary>
    /// Shadow mode for this call: runs the schema file, statement by statement (DO blocks included), in a throwaway database that is created on this server and dropped afterwards, and compares with what the server made of it. Give a postgres:// URL or the name of a profile of db.toml (the role needs CREATEDB there; only the throwaway database is written to). Default: [schema] shadow_database or shadow = true of db.toml, else the schema file is read without running it. Use it for files a reader cannot model: migrations, DO blocks, generated DDL.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShadowDatabase { get; set; }

    /// <summary>
    /// Counts type, nullability and default differences as errors.
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>
    /// Returns only $true (valid) or $false instead of the report.
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var request = CreateRequest(Profile);
        var expected = new ExpectedSchemaRequest(ResolveUserPath(SchemaFile), ShadowDatabase);
        var strict = Strict.IsPresent;
        var quiet = Quiet.IsPresent;
        RunItem(async (reporter, token) =>
        {
            var outcome = await SchemaTestOperation.RunAsync(request, expected, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false);
            var report = OutputMapper.ToSchemaReport(outcome.Profile, outcome.Result, strict, ShadowDatabase);
            PostObject(quiet ? report.IsValid : report);
        });
    }
}
