using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>What the server is asked to read of an object schema.sql writes.</summary>
internal enum ObjectProbeKind
{
    /// <summary>A check constraint's expression: the answer is "CHECK (...)".</summary>
    Check,

    /// <summary>An exclusion constraint ("EXCLUDE USING gist (...)"): the answer is the constraint's definition.</summary>
    Exclusion,

    /// <summary>An index key that is an expression: the answer is the expression.</summary>
    KeyExpression,

    /// <summary>A partial index's predicate: the answer is the predicate.</summary>
    Predicate,

    /// <summary>A trigger's WHEN condition: the answer is the condition.</summary>
    TriggerWhen,

    /// <summary>A view's query: the answer is the query.</summary>
    Query,

    /// <summary>A function or procedure statement: the answer is the function the server made of it.</summary>
    Function,

    /// <summary>A domain: the answer is the domain the server made of it.</summary>
    Domain,
}

/// <summary>
/// One object of schema.sql to show the server (see <see cref="ServerProbe"/>): an expression with the
/// columns it may name, a query, a function statement or a domain. Text from the file is checked to be
/// one item (or one statement) before it is sent; each is created under the search_path it was written
/// under, in a savepoint that is always rolled back, and read back under the print path.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">
/// The expression, the exclusion constraint, the query, or the function statement from its argument
/// list on (the name is the probe's own).
/// </param>
/// <param name="Path">The search_path it was written under (null: the session's own).</param>
internal sealed record ObjectProbe(ObjectProbeKind Kind, string Text, SearchPath? Path)
{
    /// <summary>The columns of its table the text may name, with their types as written (expressions and WHEN conditions).</summary>
    public IReadOnlyList<(string Name, string Type)> Columns { get; init; } = [];

    /// <summary>A WHEN condition's trigger: "BEFORE UPDATE OF a" and whether FOR EACH ROW (what NEW and OLD mean depends on it).</summary>
    public string? TriggerHead { get; init; }

    /// <summary>A query's column names written after the view's name (empty: the query's own).</summary>
    public IReadOnlyList<string> ColumnNames { get; init; } = [];

    /// <summary>A recursive view (CREATE RECURSIVE VIEW).</summary>
    public bool Recursive { get; init; }

    /// <summary>A procedure rather than a function.</summary>
    public bool IsProcedure { get; init; }

    /// <summary>A domain's parts: base type, default, NOT NULL and checks, each as written.</summary>
    public DomainModel? Domain { get; init; }

    /// <summary>A query's checks and rendering, worked out ahead (see <see cref="PreparedQuery"/>), or null.</summary>
    public PreparedQuery? Prepared { get; init; }

    /// <summary>True when the probe may send it: an expression or query that is one item, a statement that is one statement.</summary>
    public string? Problem => Prepared is { } prepared ? prepared.Problem : Kind switch
    {
        ObjectProbeKind.Query or ObjectProbeKind.Function => SqlItem.FindStatementProblem(Text),
        ObjectProbeKind.Domain => Domain is null ? "no domain" : DomainProblem(Domain),
        _ => SqlItem.FindProblem(Text) ?? Columns.Select(c => SqlItem.FindProblem(c.Type)).FirstOrDefault(p => p is not null),
    };

    private static string? DomainProblem(DomainModel domain) =>
        SqlItem.FindProblem(domain.BaseType)
        ?? (domain.Default is { } d ? SqlItem.FindProblem(d) : null)
        ?? domain.Checks.Select(c => SqlItem.FindProblem(c.Expression)).FirstOrDefault(p => p is not null);
}

/// <summary>
/// What the probe needs of a view's query, worked out once from its text, on the thread that read
/// schema.sql while the server reads the catalog: why it may not be sent (see
/// <see cref="SqlItem.FindStatementProblem"/>), the text the probe sends (its tokens with single spaces
/// between them, so no comment survives), and the key the probe asks each distinct text by.
/// </summary>
internal sealed class PreparedQuery
{
    public PreparedQuery(string text)
    {
        Problem = SqlItem.FindStatementProblem(text);
        if (Problem is null)
        {
            Rendered = SqlText.Render(text);
        }
    }

    public string? Problem { get; }

    /// <summary>The text sent, when there is no problem.</summary>
    public string? Rendered { get; }

    /// <summary>The probe's key for this query (see ServerProbe), set by the one who made the probe.</summary>
    public string? Key { get; set; }
}

/// <summary>The server's answer for one <see cref="ObjectProbe"/>, or why it could not give one.</summary>
/// <param name="Text">The server's text (expression, constraint, condition, query), or null.</param>
/// <param name="Error">Why the server could not read it (or why it was not sent), or null.</param>
internal sealed record ObjectAnswer(string? Text, string? Error)
{
    /// <summary>The function the server made of a function statement.</summary>
    public FunctionModel? Function { get; init; }

    /// <summary>The domain the server made of a domain.</summary>
    public DomainModel? Domain { get; init; }
}
