using DbAdapter.Core.Backup;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Sync;

/// <summary>
/// Which tables a sync copies and how they hang together. The tables: those asked for, else
/// [sync] tables of db.toml, else every table of the backup schema. How they hang together: the
/// backup schema (named, [schema] backup_schema, or [[backup.tables]]), which matches rows by natural
/// key and remaps parents and optional references as a restore does; without one, each table takes
/// the default keys (pk "id", slug_field "slug", user_field "user_id") and nothing is remapped, so
/// <see cref="SyncReferences"/> refuses a table whose foreign key points at another synced table.
/// </summary>
internal sealed class SyncTables
{
    // The tables asked for (their parents are added), or null for all of the schema; and where they came from, for messages.
    private readonly IReadOnlyList<string>? _names;
    private readonly string? _namesFrom;

    private SyncTables(BackupSchema schema, IReadOnlyList<string>? names, string? namesFrom, bool hasBackupSchema)
    {
        Schema = schema;
        _names = names;
        _namesFrom = namesFrom;
        HasBackupSchema = hasBackupSchema;
    }

    /// <summary>The backup schema, or one made of the names with the default keys.</summary>
    public BackupSchema Schema { get; }

    /// <summary>True when a backup schema was named or configured.</summary>
    public bool HasBackupSchema { get; }

    /// <summary>Applies the precedence; BackupSchemaRequired when neither tables nor a backup schema are given.</summary>
    /// <param name="asked">The tables asked for, or null.</param>
    /// <param name="backupSchemaPath">A backup schema file (absolute), or null for db.toml's.</param>
    /// <param name="config">db.toml, or null.</param>
    /// <param name="reporter">Receives the backup schema's warnings.</param>
    /// <param name="ct">Cancels reading the backup schema.</param>
    public static async Task<SyncTables> ResolveAsync(IReadOnlyList<string>? asked, string? backupSchemaPath, DbConfig? config, IOperationReporter reporter, CancellationToken ct)
    {
        var (names, from) = asked is { Count: > 0 } ? (asked, "the tables asked for")
            : config is { SyncTables.Count: > 0 } ? (config.SyncTables, $"[sync] tables of {config.FilePath}")
            : ((IReadOnlyList<string>?)null, (string?)null);
        var schema = await BackupSchemaSource.TryLoadAsync(backupSchemaPath, config, reporter, ct).ConfigureAwait(false);
        if (schema is not null)
        {
            return new SyncTables(schema, names, from, hasBackupSchema: true);
        }

        if (names is null)
        {
            var where = config is null ? "no db.toml was found" : $"{config.FilePath} names neither";
            throw new DbAdapterException(
                ErrorIds.BackupSchemaRequired,
                DbErrorKind.InvalidArgument,
                $"No tables to sync: none were asked for, and {where} ([sync] tables, [schema] backup_schema or [[backup.tables]]).",
                config?.FilePath,
                hint: ErrorHint.NameSyncTables);
        }

        var defaults = names.Distinct(StringComparer.Ordinal).Select(n => new BackupTableConfig
        {
            Name = n,
            Origin = $"{n} of {from} (no backup schema: the default keys pk \"id\", slug_field \"slug\", user_field \"user_id\")",
        }).ToList();
        return new SyncTables(new BackupSchema($"{from} (default keys: no backup schema)", defaults), null, from, hasBackupSchema: false);
    }

    /// <summary>
    /// The tables of <paramref name="set"/> to copy, parents first: the names and every parent they
    /// hang under (a warning names the parents added), or all of them.
    /// </summary>
    public IReadOnlyList<BackupTable> Choose(BackupTableSet set, IOperationReporter reporter)
    {
        if (_names is null)
        {
            return set.Tables;
        }

        var chosen = set.Select(_names, out var added);
        if (added.Count > 0)
        {
            reporter.Warning($"Also syncing {string.Join(", ", added)}: {_namesFrom} hang under them, and their rows need their parents' new keys.");
        }

        return chosen;
    }
}
