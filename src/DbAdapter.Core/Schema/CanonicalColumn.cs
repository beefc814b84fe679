namespace DbAdapter.Core.Schema;

/// <summary>
/// The server's spelling of one expected column: format_type() and pg_get_expr() of a probe column,
/// or why the server could not build it (then the comparison falls back to text).
/// </summary>
internal sealed record CanonicalColumn(string? Type, string? Default, string? TypeError, string? DefaultError);
