using System.Management.Automation;
using DbAdapter.Core.Connections;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.PowerShell.Internal;

/// <summary>What Connect-DbProfile found: the object to emit, whether the profile may become current, and a validation error.</summary>
internal sealed record ConnectOutcome(DbConnectionInfo Info, bool MayBecomeCurrent, ErrorRecord? ValidationError);

/// <summary>Connect, count, validate: the steps of Connect-DbProfile between resolution and making the profile current.</summary>
internal static class ConnectFlow
{
    public static async Task<ConnectOutcome> ConnectAsync(ResolvedProfile resolved, DbClient client, string? schemaFileOverride, bool skipValidation, IOperationReporter reporter, CancellationToken token)
    {
        var result = await ConnectOperation.RunAsync(client, reporter, token).ConfigureAwait(false);
        var info = OutputMapper.ToConnectionInfo(resolved, result, validated: null, report: null);
        return new ConnectOutcome(info, MayBecomeCurrent: true, ValidationError: null);
    }
}
