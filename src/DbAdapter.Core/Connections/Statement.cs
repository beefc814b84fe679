using System.Text;
using Npgsql;

namespace DbAdapter.Core.Connections;

/// <summary>
/// SQL text plus its positional parameters. Identifiers reach the text only through
/// <see cref="SqlIdentifier.Quote"/> and values only as parameters ($1, $2...).
/// </summary>
internal sealed class Statement
{
    private readonly StringBuilder _text = new();
    private readonly List<NpgsqlParameter> _parameters = [];

    public Statement Append(string sql)
    {
        _text.Append(sql);
        return this;
    }

    public Statement AppendIdentifier(string name)
    {
        _text.Append(SqlIdentifier.Quote(name));
        return this;
    }

    /// <summary>Adds <paramref name="parameter"/> and appends its placeholder.</summary>
    public Statement AppendParameter(NpgsqlParameter parameter)
    {
        _parameters.Add(parameter);
        _text.Append('$').Append(_parameters.Count);
        return this;
    }

    /// <summary>Adds a parameter whose placeholder is already in the text (raw SQL with $n).</summary>
    public Statement AddParameter(NpgsqlParameter parameter)
    {
        _parameters.Add(parameter);
        return this;
    }

    /// <summary>Appends " WHERE a = $n AND b IS NULL ..." for a non-empty filter (null means IS NULL).</summary>
    public Statement AppendWhere(IReadOnlyDictionary<string, object?>? filter, TableColumns columns, ConnectionTarget target)
    {
        if (filter is null || filter.Count == 0)
        {
            return this;
        }

        var first = true;
        foreach (var (key, value) in filter)
        {
            var column = columns.Get(key, target);
            Append(first ? " WHERE " : " AND ").AppendIdentifier(column.Name);
            first = false;
            if (value is null or DBNull)
            {
                // "= NULL" is never true; the Python tool's filters with null matched nothing.
                Append(" IS NULL");
            }
            else
            {
                Append(" = ").AppendParameter(ParameterBinder.ForColumn(value, column));
            }
        }

        return this;
    }

    public NpgsqlCommand CreateCommand(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(_text.ToString(), connection);
        command.Parameters.AddRange(_parameters.ToArray());
        return command;
    }

    public override string ToString() => _text.ToString();
}
