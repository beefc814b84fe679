using System.Management.Automation;

namespace DbAdapter;

/// <summary>
/// A schema object found on one side only: a constraint, index or trigger of a table, or a sequence,
/// enum, domain, view or function of a schema.
/// </summary>
public sealed class DbObjectRef
{
    internal DbObjectRef(string kind, string schema, string? table, string name, string definition, string display)
    {
        Kind = kind;
        Schema = schema;
        Table = table;
        Name = name;
        Definition = definition;
        Display = display;
    }

    /// <summary>PrimaryKey, Unique, Check, ForeignKey, Exclusion, Index, Sequence, Enum, Domain, View, Function or Trigger.</summary>
    public string Kind { get; }

    /// <summary>The object's schema (a table's object: the table's).</summary>
    public string Schema { get; }

    /// <summary>The table the object belongs to; null for an object of the schema itself (a sequence, type, view or function).</summary>
    public string? Table { get; }

    /// <summary>Its name: a function's with its argument types; an unnamed constraint of schema.sql's, the name the server gives it. An enum's missing or extra label is listed under the enum's name.</summary>
    public string Name { get; }

    /// <summary>What it is, in the server's words where the server could read it ("FOREIGN KEY (a) REFERENCES t(id)", "VALUE 'x'" for an enum label).</summary>
    public string Definition { get; }

    /// <summary>"table.name" (the table bare in the profile's first schema) or the object's own name: how the views show it.</summary>
    [Hidden]
    public string Display { get; }

    public override string ToString() => $"{Kind} {Display}: {Definition}";
}
