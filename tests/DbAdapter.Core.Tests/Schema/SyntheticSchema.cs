using DbAdapter.Core.Schema;

namespace DbAdapter.Core.Tests.Schema;

/// <summary>
/// A generated schema of any size: the DDL to build it (<see cref="SyntheticDdl"/>) and the model
/// schema.sql would give, spelled as a person writes it. Shared by the scale test and the benchmark
/// (linked into bench/).
/// </summary>
internal static class SyntheticSchema
{
    /// <summary>The DDL of <see cref="SyntheticDdl.Generate"/> and the model it describes.</summary>
    public static (string Ddl, SchemaModel Expected) Generate(int tables, int columns)
    {
        var model = new SchemaModel();
        foreach (var generated in SyntheticDdl.Tables(tables, columns))
        {
            var table = new TableModel { Schema = "public", Name = generated.Name };
            table.PrimaryKey.Add("id");
            table.Columns.Add(new ColumnModel { Name = "id", Type = "SERIAL", IsPrimaryKey = true });
            if (generated.Parent is not null)
            {
                table.Columns.Add(new ColumnModel { Name = "parent_id", Type = "INTEGER" });
            }

            foreach (var column in generated.Columns)
            {
                table.Columns.Add(new ColumnModel { Name = column.Name, Type = column.Type, NotNull = column.NotNull, Default = column.Default });
            }

            model.Tables.Add(table);
        }

        return (SyntheticDdl.Generate(tables, columns), model);
    }
}
