namespace DbAdapter.Core.Sql;

/// <summary>A schema-qualified table name, kept exactly as stored (case included).</summary>
public readonly record struct TableName(string Schema, string Name)
{
    /// <summary>Both parts quoted as identifiers: "schema"."name".</summary>
    public string Quoted => $"{SqlIdentifier.Quote(Schema)}.{SqlIdentifier.Quote(Name)}";

    public override string ToString() => $"{Schema}.{Name}";
}
