using System.Management.Automation;

namespace DbAdapter;

/// <summary>A column whose type, nullability or default differs from schema.sql, or an object whose definition does.</summary>
public sealed class DbColumnDifference
{
    internal DbColumnDifference(string schema, string table, string column, string kind, string? expected, string? actual, string display)
    {
        Schema = schema;
        Table = table;
        Column = column;
        Kind = kind;
        Expected = expected;
        Actual = actual;
        Display = display;
    }

    public string Schema { get; }

    /// <summary>The table; empty for an object of the schema itself (a view, function, type or sequence).</summary>
    public string Table { get; }

    /// <summary>The column; for an object, its name.</summary>
    public string Column { get; }

    /// <summary>Type, Nullability or Default (a column); Constraint, Index, View, Function, Trigger, Enum, Domain or Sequence (an object).</summary>
    public string Kind { get; }

    /// <summary>What schema.sql declares (canonical form).</summary>
    public string? Expected { get; }

    /// <summary>What the database has (canonical form).</summary>
    public string? Actual { get; }

    /// <summary>"table.column" or "table.object" (the table bare in the profile's first schema), or the object's own name: how the views show it.</summary>
    [Hidden]
    public string Display { get; }

    public override string ToString() => $"{Display} {Kind}: expected {Expected ?? "(none)"}, actual {Actual ?? "(none)"}";
}
