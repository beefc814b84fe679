using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Operations;

/// <summary>What to plan with: schema file and column-defs overrides, tables to recreate, shadow database.</summary>
/// <param name="SchemaFile">The schema file for this plan, instead of db.toml's; null for db.toml's.</param>
/// <param name="ColumnDefinitionsFile">column-defs JSON for this plan, instead of [schema] column_defs; null for db.toml's.</param>
/// <param name="RecreateTables">Tables to rebuild in the schema file's column order.</param>
/// <param name="ShadowDatabase">Shadow mode on this server (URL or profile name) instead of db.toml's choice; null for db.toml's.</param>
public sealed record FixPlanRequest(string? SchemaFile = null, string? ColumnDefinitionsFile = null, IReadOnlyList<string>? RecreateTables = null, string? ShadowDatabase = null);

/// <summary>A plan, with the profile and the schema file it was made for, and what produced the expected schema.</summary>
public sealed record FixPlanOutcome(ResolvedProfile Profile, string SchemaFile, FixPlan Plan, ExpectedFrom From = ExpectedFrom.Reader);

/// <summary>Get-DbFixPlan's work: resolve the profile, read the expected schema and the column definitions, plan.</summary>
public static class FixPlanOperation
{
    /// <summary>Plans for the profile <paramref name="request"/> names, or for <paramref name="known"/> when it is already resolved (a report's).</summary>
    public static async Task<FixPlanOutcome> RunAsync(
        ProfileRequest request,
        ResolvedProfile? known,
        FixPlanRequest options,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        var resolved = known ?? await ProfileResolution.ResolveAsync(request, environment, reporter, ct).ConfigureAwait(false);
        var schemas = resolved.Target.Schemas;
        var source = await ExpectedSchema.PrepareAsync(resolved, new ExpectedSchemaRequest(options.SchemaFile, options.ShadowDatabase), request, environment, reporter, ct).ConfigureAwait(false);
        var expected = await source.LoadAsync(ct).ConfigureAwait(false);
        var definitionsFile = options.ColumnDefinitionsFile ?? resolved.Config?.Schema.ColumnDefs;
        var definitions = definitionsFile is null ? null : await ColumnDefinitions.LoadAsync(definitionsFile, schemas[0], ct).ConfigureAwait(false);
        var client = new DbClient(resolved.Target);
        await using (client.ConfigureAwait(false))
        {
            var plan = await FixPlanner.PlanAsync(client, expected.Model, schemas, new FixPlanOptions(definitions, options.RecreateTables), reporter, ct).ConfigureAwait(false);
            if (expected.From == ExpectedFrom.Shadow && plan.Origin is { } origin)
            {
                // A plan file must say how to make the same expected schema again when it is applied.
                var byConnectionString = options.ShadowDatabase is { } given && ExpectedSchema.IsConnectionString(given);
                plan = plan.WithOrigin(origin with
                {
                    ExpectedFrom = ExpectedFrom.Shadow,
                    ShadowDatabase = byConnectionString ? null : options.ShadowDatabase?.Trim(),
                    ShadowByConnectionString = byConnectionString,
                });
            }

            foreach (var warning in plan.Warnings)
            {
                reporter.Warning(warning);
            }

            return new FixPlanOutcome(resolved, expected.SchemaFile, plan, expected.From);
        }
    }
}
