using System.Text;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// A statement of the schema file that repair may run again (CREATE TABLE, ALTER TABLE, CREATE INDEX,
/// CREATE / ALTER SEQUENCE): its text as written, its line, the search_path it was written under, and
/// where it names tables and sequences of the file.
/// </summary>
/// <remarks>
/// Run again later, on another connection, the text alone could mean something else: an unqualified
/// name lands in whatever schema comes first on that connection's path, and a table the file renames
/// afterwards no longer has the name the statement gives it. <see cref="Render"/> therefore writes each
/// name the reader resolved as that object's final, schema-qualified, quoted name, and repair runs the
/// statement under <see cref="SearchPath"/> for everything else (types, functions, sequences in defaults).
/// </remarks>
public sealed class FileStatement
{
    private readonly List<(int Start, int End, IQualifiedObject Target)> _names = [];

    internal FileStatement(string text, int line, SearchPath? searchPath)
    {
        Text = text;
        Line = line;
        SearchPath = searchPath;
    }

    /// <summary>The statement as written (without its closing ';').</summary>
    public string Text { get; }

    /// <summary>1-based line of its first token.</summary>
    public int Line { get; }

    /// <summary>The search_path the file had set where the statement stands; null when it set none.</summary>
    public SearchPath? SearchPath { get; }

    /// <summary>
    /// True for ALTER TABLE ... ATTACH PARTITION: repair runs it after the partition's own constraints,
    /// so attaching finds the partition's key index instead of building a second one.
    /// </summary>
    internal bool AttachesPartition { get; set; }

    /// <summary>The text with every name of an object of the file replaced by its final qualified name.</summary>
    public string Render()
    {
        if (_names.Count == 0)
        {
            return Text;
        }

        var builder = new StringBuilder(Text.Length + (_names.Count * 16));
        var position = 0;
        foreach (var (start, end, target) in _names)
        {
            builder.Append(Text, position, start - position).Append(target.QualifiedName.Quoted);
            position = end;
        }

        return builder.Append(Text, position, Text.Length - position).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Records that the characters [start, end) of <see cref="Text"/> name <paramref name="target"/>.</summary>
    internal void AddName(int start, int end, IQualifiedObject target)
    {
        // Kept in text order; a span that overlaps one already named is the same name met twice.
        var at = _names.Count;
        while (at > 0 && _names[at - 1].Start >= start)
        {
            at--;
        }

        if ((at > 0 && _names[at - 1].End > start) || (at < _names.Count && _names[at].Start < end))
        {
            return;
        }

        _names.Insert(at, (start, end, target));
    }
}
