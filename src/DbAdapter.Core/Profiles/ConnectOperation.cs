using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Profiles;

/// <summary>What a real connection found.</summary>
public sealed record ConnectResult(string ServerVersion, IReadOnlyList<TableRowCount> Tables);

/// <summary>
/// Connects for real: opens a connection (so refused, unknown host and wrong password all surface
/// here), reads the server version and the exact row count of every table of the profile's schemas.
/// </summary>
public static class ConnectOperation
{
    public static async Task<ConnectResult> RunAsync(DbClient client, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var target = client.Target;
        reporter.Verbose($"Connecting to {target.RedactedConnectionString}.");
        var version = await client.GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Connected to PostgreSQL {version}; counting rows in {string.Join(", ", target.Schemas)}.");
        var tables = await client.CountRowsAsync(target.Schemas, cancellationToken).ConfigureAwait(false);
        return new ConnectResult(version, tables);
    }
}
