using System.Text;

namespace DbAdapter.Core.Repair;

/// <summary>Names the repair makes up, kept within PostgreSQL's identifier length.</summary>
internal static class SqlNames
{
    /// <summary>The suffix of everything a recreate renames out of the way.</summary>
    public const string OldSuffix = "__dbadapter_old";

    // NAMEDATALEN - 1: the server silently truncates longer names, which could make two names collide.
    private const int MaxBytes = 63;

    /// <summary><paramref name="name"/> + <paramref name="suffix"/>, the name shortened so the whole fits in 63 bytes.</summary>
    public static string WithSuffix(string name, string suffix)
    {
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(suffix);
        var kept = name;
        while (Encoding.UTF8.GetByteCount(kept) > budget)
        {
            kept = kept[..^1];
            if (kept.Length > 0 && char.IsHighSurrogate(kept[^1]))
            {
                kept = kept[..^1];
            }
        }

        return kept + suffix;
    }
}
