using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Operations;

/// <summary>A comparison of one profile's database with its schema file.</summary>
public sealed record SchemaTestOutcome(ResolvedProfile Profile, SchemaValidationResult Result);

/// <summary>Test-DbSchema's work: resolve the profile, get the expected schema (reader or shadow), compare.</summary>
public static class SchemaTestOperation
{
    public static async Task<SchemaTestOutcome> RunAsync(ProfileRequest request, ExpectedSchemaRequest expected, IEnvironment environment, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resolved = await ProfileResolution.ResolveAsync(request, environment, reporter, ct).ConfigureAwait(false);
        var source = await ExpectedSchema.PrepareAsync(resolved, expected, request, environment, reporter, ct).ConfigureAwait(false);
        var client = new DbClient(resolved.Target);
        await using (client.ConfigureAwait(false))
        {
            return new SchemaTestOutcome(resolved, await SchemaValidator.ValidateAsync(client, source, reporter, ct).ConfigureAwait(false));
        }
    }
}
