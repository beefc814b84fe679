using DbAdapter.Core.Client;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Operations;

/// <summary>How to connect: a schema file and a shadow database to validate with instead of db.toml's, or no validation.</summary>
public sealed record ConnectOptions(string? SchemaFile = null, bool SkipValidation = false, string? ShadowDatabase = null);

/// <summary>What a real connection found, and whether the profile became current.</summary>
/// <param name="Profile">The profile (or direct connection) connected to.</param>
/// <param name="ServerVersion">The server's version.</param>
/// <param name="Tables">Exact row counts of every table of the profile's schemas.</param>
/// <param name="Validation">The schema comparison, or null when the connection was not validated.</param>
/// <param name="BecameCurrent">True when the profile is now current (it connected and, when validated, is valid).</param>
/// <param name="Session">What the session remembers from now on (unchanged unless it became current).</param>
public sealed record ConnectOutcome(
    ResolvedProfile Profile,
    string ServerVersion,
    IReadOnlyList<TableRowCount> Tables,
    SchemaValidationResult? Validation,
    bool BecameCurrent,
    SessionMemory Session);

/// <summary>
/// Connect-DbProfile's rule, whole: connect for real (so refused, unknown host and wrong password all
/// surface here), read the server version and the exact row count of every table, validate the schema
/// when asked or configured, and only when all of that passed make the profile current: the lock file
/// beside db.toml first (atomically; a named profile only), then the session's memory.
/// </summary>
public static class ConnectOperation
{
    public static async Task<ConnectOutcome> RunAsync(ProfileRequest request, ConnectOptions options, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        var resolved = await ProfileResolution.ResolveAsync(request, environment, reporter, ct).ConfigureAwait(false);
        var target = resolved.Target;
        var client = new DbClient(target);
        await using (client.ConfigureAwait(false))
        {
            reporter.Verbose($"Connecting to {target.RedactedConnectionString}.");
            if (target.Pooling == PoolingMode.Transaction)
            {
                var why = target.PoolingConfigured ? "pooling = \"transaction\" in db.toml" : "a Supabase pooler host on port 6543";
                reporter.Verbose($"Through a transaction pooler ({why}): no prepared statements and no connection reset; every piece of work runs in a transaction of its own.");
            }

            var version = await client.GetServerVersionAsync(ct).ConfigureAwait(false);
            reporter.Verbose($"Connected to PostgreSQL {version}; counting rows in {string.Join(", ", target.Schemas)}.");
            var tables = await client.CountRowsAsync(target.Schemas, ct).ConfigureAwait(false);

            var expected = await ExpectedSchema.PrepareForConnectAsync(
                resolved, new ExpectedSchemaRequest(options.SchemaFile, options.ShadowDatabase), options.SkipValidation, request, environment, reporter, ct).ConfigureAwait(false);
            var validation = expected is null ? null : await SchemaValidator.ValidateAsync(client, expected, reporter, ct).ConfigureAwait(false);
            var session = request.Session ?? SessionMemory.Empty;
            if (validation is { IsValid: false })
            {
                return new ConnectOutcome(resolved, version, tables, validation, BecameCurrent: false, session);
            }

            if (resolved.Name is not null)
            {
                await LockFile.WriteAsync(ConfigPaths.DirectoryOf(request.ConfigPath), resolved.Name, ct).ConfigureAwait(false);
            }

            return new ConnectOutcome(resolved, version, tables, validation, BecameCurrent: true, session.Connected(request.ConfigPath, resolved, request.Credential));
        }
    }
}
