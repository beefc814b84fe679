using System.Management.Automation;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;

namespace DbAdapter.PowerShell.Internal;

/// <summary>What Connect-DbProfile found: the object to emit, whether the profile may become current, and a validation error.</summary>
internal sealed record ConnectOutcome(DbConnectionInfo Info, bool MayBecomeCurrent, ErrorRecord? ValidationError);

/// <summary>Connect, count, validate: the steps of Connect-DbProfile between resolution and making the profile current.</summary>
internal static class ConnectFlow
{
    public static async Task<ConnectOutcome> ConnectAsync(ResolvedProfile resolved, DbClient client, string? schemaFileOverride, bool skipValidation, IOperationReporter reporter, CancellationToken token)
    {
        var result = await ConnectOperation.RunAsync(client, reporter, token).ConfigureAwait(false);
        var validate = !skipValidation && (schemaFileOverride is not null || (resolved.Config?.Schema is { ValidateOnConnect: true, File: not null }));
        if (!validate)
        {
            reporter.Verbose(skipValidation ? "Schema validation skipped (-SkipValidation)." : "No schema validation configured ([schema] file / validate_on_connect).");
            return new ConnectOutcome(OutputMapper.ToConnectionInfo(resolved, result, validated: null, report: null), MayBecomeCurrent: true, ValidationError: null);
        }

        // A configured schema file that is missing is an error, not a silent skip.
        var schemaFile = SchemaValidator.ResolveSchemaFile(schemaFileOverride, resolved);
        var validation = await SchemaValidator.ValidateAsync(client, schemaFile, reporter, token).ConfigureAwait(false);
        var report = OutputMapper.ToSchemaReport(resolved, validation, strict: false);
        var info = OutputMapper.ToConnectionInfo(resolved, result, report.IsValid, report);
        if (report.IsValid)
        {
            return new ConnectOutcome(info, MayBecomeCurrent: true, ValidationError: null);
        }

        var missing = string.Join(", ", report.MissingTables.Concat(report.MissingColumns.Select(c => validation.Comparison.Display(new ColumnRef(c.Schema, c.Table, c.Column)))));
        var error = new ErrorRecord(
            new InvalidOperationException($"Profile '{resolved.DisplayName}' does not match '{schemaFile}' ({report.ErrorCount} error(s): missing {missing}). The current profile was not changed. Run Test-DbSchema for details and Get-DbFixPlan to repair, or connect with -SkipValidation."),
            ErrorIds.SchemaValidationFailed,
            ErrorCategory.InvalidData,
            report);
        return new ConnectOutcome(info, MayBecomeCurrent: false, ValidationError: error);
    }
}
