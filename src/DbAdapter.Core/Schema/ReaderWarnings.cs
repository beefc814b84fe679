using System.Globalization;

namespace DbAdapter.Core.Schema;

/// <summary>
/// The reader's findings, kept in file order, with one rule: a warning that repeats is told once. A
/// file that skips 478 statements of one kind gets one line with the count and the first few line
/// numbers, in place of the first of them, instead of 478 lines that bury everything else.
/// </summary>
internal sealed class ReaderWarnings
{
    // Up to this many of a kind are listed one by one; beyond it, the kind is one summary line.
    private const int ListedOneByOne = 3;

    private readonly List<(string Kind, int Line, string Message)> _items = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    /// <summary>Records a finding; <paramref name="kind"/> groups the ones that say the same thing.</summary>
    public void Add(string kind, int line, string message)
    {
        _items.Add((kind, line, message));
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
    }

    /// <summary>The findings as "line N: ..." texts, a repeated kind summarised where it first occurs.</summary>
    public List<string> Summarize()
    {
        var result = new List<string>(_items.Count);
        var summarised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, line, message) in _items)
        {
            var count = _counts[kind];
            if (count <= ListedOneByOne)
            {
                result.Add(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));
                continue;
            }

            if (!summarised.Add(kind))
            {
                continue;
            }

            var lines = _items.Where(i => i.Kind == kind).Select(i => i.Line).ToList();
            var shown = string.Join(", ", lines.Take(ListedOneByOne).Select(l => l.ToString(CultureInfo.InvariantCulture)));
            result.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{count} statements (lines {shown} and {count - ListedOneByOne} more) gave the same warning as line {line}: {message}"));
        }

        return result;
    }
}
