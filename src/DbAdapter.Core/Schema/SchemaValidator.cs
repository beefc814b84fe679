using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Schema;

/// <summary>A comparison of a live database with schema.sql, with what it was made from.</summary>
/// <param name="SchemaFile">The schema file.</param>
/// <param name="Expected">The expected schema.</param>
/// <param name="Comparison">The comparison.</param>
/// <param name="From">What produced the expected schema: the reader or shadow mode.</param>
public sealed record SchemaValidationResult(string SchemaFile, SchemaModel Expected, SchemaComparison Comparison, ExpectedFrom From = ExpectedFrom.Reader)
{
    /// <summary>Valid in the non-strict sense: nothing missing.</summary>
    public bool IsValid => Comparison.IsValid(strict: false);
}

/// <summary>
/// Reads schema.sql and compares it with the live database: the one comparison used by
/// Test-DbSchema, Connect-DbProfile's validation, the repair planner and the fix's re-validation.
/// </summary>
public static class SchemaValidator
{
    /// <summary>Introspects the database (inside the client's transaction, if one is open) and compares it with <paramref name="expected"/>.</summary>
    public static async Task<SchemaValidationResult> ValidateAsync(DbClient client, ExpectedSchemaResult expected, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(reporter);
        var comparison = await CompareAsync(client, expected.Model, cancellationToken).ConfigureAwait(false);
        return Finish(client, expected, comparison, reporter);
    }

    private static SchemaValidationResult Finish(DbClient client, ExpectedSchemaResult expected, SchemaComparison comparison, IOperationReporter reporter)
    {
        foreach (var warning in comparison.Warnings)
        {
            reporter.Warning(warning);
        }

        reporter.Verbose($"Compared {client.Target.DisplayName} with '{expected.SchemaFile}' ({expected.From}): {comparison.ErrorCount(strict: false)} error(s), {comparison.Differences.Count} difference(s).");
        return new SchemaValidationResult(expected.SchemaFile, expected.Model, comparison, expected.From);
    }

    /// <summary>
    /// Reads <paramref name="source"/> and validates the database against it. A file the reader models is
    /// read on the thread pool while the server reads the live catalog (neither needs the other; the
    /// comparison needs both), so a call costs about the longer of the two instead of their sum. An
    /// error of the file wins over an error of the database, as when the file was read first.
    /// </summary>
    public static async Task<SchemaValidationResult> ValidateAsync(DbClient client, ExpectedSchemaSource source, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reporter);
        if (!source.IsReader)
        {
            return await ValidateAsync(client, await source.LoadAsync(cancellationToken).ConfigureAwait(false), reporter, cancellationToken).ConfigureAwait(false);
        }

        // A file that cannot be read stops the database work at once: its error is the one reported.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var schemas = client.Target.Schemas;
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    var read = await source.LoadAsync(cancellationToken).ConfigureAwait(false);

                    // What the probe will send of the file's view queries, while the server is still busy.
                    var queries = ObjectComparer.PrepareQueries(read.Model, schemas);
                    return (Read: read, Queries: queries);
                }
                catch
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);
        ExpectedSchemaResult? expected = null;
        SchemaComparison comparison;
        try
        {
            comparison = await client.UseRolledBackTransactionAsync(
                async (connection, token) =>
                {
                    var live = await SchemaIntrospector.ReadAsync(connection, schemas, token).ConfigureAwait(false);
                    var (read, queries) = await reading.ConfigureAwait(false);
                    expected = read;
                    return await SchemaComparer.CompareAsync(read.Model, live, connection, schemas, statistics: null, queries, token).ConfigureAwait(false);
                },
                stop.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!reading.IsCompleted || reading.IsFaulted || reading.IsCanceled)
        {
            // The file's own error (or its end) first: what the caller saw when the file was read before connecting.
            await reading.ConfigureAwait(false);
            throw;
        }

        return Finish(client, expected!, comparison, reporter);
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
