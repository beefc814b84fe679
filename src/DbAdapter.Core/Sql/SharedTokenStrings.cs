namespace DbAdapter.Core.Sql;

/// <summary>
/// The tokenizer's table of token strings: for each distinct token text, the one Text and Value
/// string every token with that text shares. Looked up by a span of the source, so a token whose text
/// was seen before allocates nothing. (A plain Dictionary cannot be searched by span on net8.0.)
/// </summary>
internal sealed class SharedTokenStrings
{
    private int[] _buckets;
    private Entry[] _entries;
    private int _count;

    /// <summary>A table sized for a text of <paramref name="length"/> characters: a fragment (a default, a check) gets a small one.</summary>
    public SharedTokenStrings(int length)
    {
        // A distinct token per 8 characters is plenty for a fragment; a file grows the table as it needs.
        var size = 16;
        while (size < 1024 && size * 8 < length)
        {
            size *= 2;
        }

        _buckets = new int[size];
        _entries = new Entry[size];
    }

    /// <summary>Finds the strings for <paramref name="text"/>, or adds them with <paramref name="valueOf"/>.</summary>
    public (string Text, string Value) GetOrAdd(ReadOnlySpan<char> text, SqlTokenKind kind, Func<SqlTokenKind, string, string> valueOf)
    {
        var hash = string.GetHashCode(text);
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && text.SequenceEqual(entry.Text))
            {
                return (entry.Text, entry.Value);
            }
        }

        if (_count == _entries.Length)
        {
            Grow();
        }

        var added = text.ToString();
        var value = valueOf(kind, added);
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        _entries[_count] = new Entry(hash, added, value, bucket - 1);
        bucket = ++_count;
        return (added, value);
    }

    private void Grow()
    {
        // Buckets and entries double together, keeping about one entry per bucket.
        Array.Resize(ref _entries, _entries.Length * 2);
        _buckets = new int[_entries.Length];
        for (var i = 0; i < _count; i++)
        {
            ref var bucket = ref _buckets[_entries[i].Hash & (_buckets.Length - 1)];
            _entries[i].Next = bucket - 1;
            bucket = i + 1;
        }
    }

    // Next is the index of the following entry in the same bucket, -1 at the end; buckets hold index + 1.
    private struct Entry(int hash, string text, string value, int next)
    {
        public readonly int Hash = hash;
        public readonly string Text = text;
        public readonly string Value = value;
        public int Next = next;
    }
}
