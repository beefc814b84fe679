namespace DbAdapter.Core.Schema;

/// <summary>
/// The models of the schema files this process read last, by full path, default schema and the SHA-256
/// of their bytes. A runbook reads the same schema.sql in every step (Test-DbSchema, Get-DbFixPlan, the
/// fix's re-validation, the next Test-DbSchema), and reading a large one costs more than the file's read
/// and hash: 1,000 tables take ~60 ms of CPU and ~30 MiB of garbage per read. The file is still read and
/// hashed every time, so a changed byte is a new model; only the parse of unchanged bytes is saved.
/// </summary>
/// <remarks>
/// A model from here is shared by every caller of the process (runspaces included) and must be read
/// only: whatever narrows it (<see cref="PlatformObjects.LeaveOut"/>) makes a new model. The cache holds
/// few and bounded entries (a busy host that reads many large files keeps the most recent ones).
/// </remarks>
internal static class SchemaFileCache
{
    /// <summary>Files kept at most.</summary>
    internal const int MaxEntries = 4;

    /// <summary>
    /// Bytes of schema text kept at most over all entries. A model holds ~10 times its text (1,000 tables:
    /// 0.9 MiB of text, 9 MiB of model), which a call on that file holds anyway at its peak: keeping it
    /// costs a session no more than its largest call, unless it alternates between several large files.
    /// </summary>
    internal const long MaxBytes = 8L * 1024 * 1024;

    private static readonly object Gate = new();

    // Most recent first.
    private static readonly List<Entry> Entries = [];

    /// <summary>The model read from these very bytes of this file with this default schema, or null.</summary>
    public static SchemaModel? Find(string fullPath, string defaultSchema, string sha256)
    {
        lock (Gate)
        {
            for (var i = 0; i < Entries.Count; i++)
            {
                var entry = Entries[i];
                if (entry.Matches(fullPath, defaultSchema, sha256))
                {
                    Entries.RemoveAt(i);
                    Entries.Insert(0, entry);
                    return entry.Model;
                }
            }

            return null;
        }
    }

    /// <summary>Keeps <paramref name="model"/> as the model of the file's bytes, dropping the oldest entries beyond the bounds.</summary>
    public static void Add(string fullPath, string defaultSchema, string sha256, long bytes, SchemaModel model)
    {
        if (bytes > MaxBytes)
        {
            return;
        }

        lock (Gate)
        {
            // One entry per file and default schema: an edited file replaces its old model.
            Entries.RemoveAll(e => e.IsFor(fullPath, defaultSchema));
            Entries.Insert(0, new Entry(fullPath, defaultSchema, sha256, bytes, model));
            var total = 0L;
            for (var i = 0; i < Entries.Count; i++)
            {
                total += Entries[i].Bytes;
                if (i >= MaxEntries || total > MaxBytes)
                {
                    Entries.RemoveRange(i, Entries.Count - i);
                    break;
                }
            }
        }
    }

    private sealed record Entry(string FullPath, string DefaultSchema, string Sha256, long Bytes, SchemaModel Model)
    {
        public bool IsFor(string fullPath, string defaultSchema) =>
            string.Equals(FullPath, fullPath, StringComparison.Ordinal) && string.Equals(DefaultSchema, defaultSchema, StringComparison.Ordinal);

        public bool Matches(string fullPath, string defaultSchema, string sha256) =>
            IsFor(fullPath, defaultSchema) && string.Equals(Sha256, sha256, StringComparison.Ordinal);
    }
}
