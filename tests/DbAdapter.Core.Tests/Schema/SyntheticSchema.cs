using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// A generated schema of any size: the DDL to build it (<see cref="SyntheticDdl"/>) and the model
/// schema.sql gives, read from that same DDL as Test-DbSchema reads a schema.sql. Shared by the scale
/// test and the benchmark (linked into bench/).
/// </summary>
internal static class SyntheticSchema
{
    /// <summary>The DDL of <see cref="SyntheticDdl.Generate"/> and the model the reader makes of it.</summary>
    public static (string Ddl, SchemaModel Expected) Generate(int tables, int columns)
    {
        var ddl = SyntheticDdl.Generate(tables, columns);
        return (ddl, SchemaSqlReader.Read(ddl));
    }
}
