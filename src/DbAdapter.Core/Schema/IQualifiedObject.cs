using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>A table or sequence of the model: something a <see cref="FileStatement"/> can name.</summary>
public interface IQualifiedObject
{
    /// <summary>Its current schema and name.</summary>
    TableName QualifiedName { get; }
}
