using System.Text;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Client;

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

    public NpgsqlCommand CreateCommand(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(_text.ToString(), connection);
        command.Parameters.AddRange(_parameters.ToArray());
        return command;
    }

    public override string ToString() => _text.ToString();
}
