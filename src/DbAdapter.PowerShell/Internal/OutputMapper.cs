using DbAdapter.Core.Connections;

namespace DbAdapter.PowerShell.Internal;

/// <summary>Engine results to the module's output types (the engine's types never leave the module).</summary>
internal static class OutputMapper
{
    public static DbConnectionInfo ToConnectionInfo(ResolvedProfile resolved, ConnectResult result, bool? validated, DbSchemaReport? report) => new()
    {
        Profile = resolved.Name ?? string.Empty,
        Provider = resolved.Target.Provider,
        Description = resolved.Target.Description,
        Host = resolved.Target.Host,
        Port = resolved.Target.Port,
        Database = resolved.Target.Database,
        UserName = resolved.Target.UserName,
        ServerVersion = result.ServerVersion,
        SchemaValidated = validated,
        SchemaReport = report,
        Tables = result.Tables.Select(t => new DbTableCount(t.Schema, t.Table, t.Rows)).ToArray(),
    };
}
