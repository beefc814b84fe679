using DbAdapter.Core.Schema;
using Npgsql;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>Opens the database, introspects it and compares, as Test-DbSchema will.</summary>
internal static class SchemaTestHelpers
{
    public static readonly string[] Public = ["public"];

    public static async Task<SchemaModel> ReadAsync(string connectionString, IReadOnlyList<string>? schemas = null, bool forRepair = false)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await SchemaIntrospector.ReadAsync(connection, schemas ?? Public, forRepair, statistics: null, CancellationToken.None);
    }

    public static Task<SchemaComparison> CompareAsync(string connectionString, SchemaModel expected, IReadOnlyList<string>? schemas = null) =>
        LiveComparison.CompareAsync(connectionString, expected, schemas ?? Public);

    /// <summary>Every finding in one readable string, so a failing assertion says what it found.</summary>
    public static string Describe(SchemaComparison c) =>
        string.Join(
            "\n",
            c.MissingTables.Select(t => "missing table " + t)
                .Concat(c.MissingColumns.Select(x => "missing column " + x))
                .Concat(c.ExtraTables.Select(t => "extra table " + t))
                .Concat(c.ExtraColumns.Select(x => "extra column " + x))
                .Concat(c.MissingObjects.Select(o => "missing object " + o))
                .Concat(c.ExtraObjects.Select(o => "extra object " + o))
                .Concat(c.Differences.Select(d => "difference " + d))
                .Concat(c.Warnings.Select(w => "warning " + w)));

    public static void AssertIdentical(SchemaComparison comparison)
    {
        Assert.True(comparison.MissingObjects.Count + comparison.ExtraObjects.Count == 0, Describe(comparison));
        AssertSameColumns(comparison);
    }

    /// <summary>
    /// Identical tables and columns, for an expected model built by hand with columns only: the
    /// live constraints it does not declare are extra objects, which are no error.
    /// </summary>
    public static void AssertSameColumns(SchemaComparison comparison)
    {
        Assert.True(
            comparison.MissingTables.Count + comparison.MissingColumns.Count + comparison.ExtraTables.Count +
            comparison.ExtraColumns.Count + comparison.Differences.Count + comparison.MissingObjects.Count == 0,
            Describe(comparison));
        Assert.True(comparison.IsValid(strict: true));
        Assert.Equal(0, comparison.ErrorCount(strict: true));
    }
}
