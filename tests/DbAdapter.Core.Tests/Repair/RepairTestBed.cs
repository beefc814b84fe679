using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Repair;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Tests.Client;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Repair;

/// <summary>A fresh database per scenario, and the plan/apply calls the tests share.</summary>
internal sealed class RepairTestBed(TestDatabase database, string name) : IAsyncDisposable
{
    public static readonly string[] Public = ["public"];

    public string Name { get; } = name;

    public DbClient Client { get; } = TestTargets.ClientFor(database.Server.ConnectionString(name));

    public static async Task<RepairTestBed> CreateAsync(TestDatabase database, string sql)
    {
        var name = await database.CreateSiblingAsync("repair");
        await database.Server.ExecuteAsync(name, sql);
        return new RepairTestBed(database, name);
    }

    public Task ExecuteAsync(string sql) => database.Server.ExecuteAsync(Name, sql);

    public Task<string> ScalarAsync(string sql) => database.Server.ScalarAsync(Name, sql);

    public Task<IReadOnlyList<string>> QueryAsync(string sql) => database.Server.QueryAsync(Name, sql);

    public string ConnectionString => database.Server.ConnectionString(Name);

    public Task<FixPlan> PlanAsync(string schemaSql, FixPlanOptions? options = null) =>
        FixPlanner.PlanAsync(Client, SchemaSqlReader.Read(schemaSql), Public, options ?? new FixPlanOptions(), NullReporter.Instance, CancellationToken.None);

    /// <summary>Plans against <paramref name="expected"/> for a profile of <paramref name="schemas"/>.</summary>
    public Task<FixPlan> PlanAsync(SchemaModel expected, IReadOnlyList<string> schemas) =>
        FixPlanner.PlanAsync(Client, expected, schemas, new FixPlanOptions(), NullReporter.Instance, CancellationToken.None);

    public Task<FixResult> ApplyAsync(FixPlan plan, FixApplyOptions? options = null, IOperationReporter? reporter = null, CancellationToken ct = default) =>
        FixExecutor.ApplyAsync(Client, plan, options ?? new FixApplyOptions(ProfileName: "test"), reporter ?? NullReporter.Instance, ct);

    public Task<SchemaComparison> CompareAsync(string schemaSql) => CompareAsync(SchemaSqlReader.Read(schemaSql), Public);

    public async Task<SchemaComparison> CompareAsync(SchemaModel expected, IReadOnlyList<string> schemas)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var live = await SchemaIntrospector.ReadAsync(connection, schemas, CancellationToken.None);
        return await SchemaComparer.CompareAsync(expected, live, connection, schemas, CancellationToken.None);
    }

    /// <summary>Every row of <paramref name="table"/> on <paramref name="columns"/>, ordered by the first.</summary>
    public Task<IReadOnlyList<string>> DumpAsync(string table, params string[] columns) =>
        QueryAsync($"SELECT {string.Join(", ", columns.Select(c => $"coalesce({c}::text, '<null>')"))} FROM {table} ORDER BY {columns[0]}");

    /// <summary>Every column of every table of public, as "table.column", sorted: the shape of the database.</summary>
    public Task<IReadOnlyList<string>> ShapeAsync() =>
        QueryAsync("""
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """);

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
