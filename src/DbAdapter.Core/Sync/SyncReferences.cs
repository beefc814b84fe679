using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Sync;

/// <summary>
/// Refuses to sync a table that holds a foreign key to a synced table (itself included) unless the
/// backup schema says how to remap it (the table's parent, or one of its optional references): the
/// referenced rows get new keys in the destination, so the source's key values, copied as they are,
/// would point at other rows or at none (the Python tool's sync did exactly that). One statement
/// reads the foreign keys of every synced table.
/// </summary>
internal static class SyncReferences
{
    private const string Sql = """
        SELECT q.i,
               con.conname,
               rn.nspname,
               rc.relname,
               (SELECT array_agg(a.attname::text ORDER BY k.n)
                  FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(nsp, rel, i)
        JOIN pg_catalog.pg_namespace n ON n.nspname = q.nsp
        JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = q.rel
        JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid AND con.contype = 'f'
        JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
        JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        ORDER BY q.i, con.conname
        """;

    /// <summary>Throws when a foreign key between <paramref name="tables"/> is not remapped by the backup schema.</summary>
    /// <param name="connection">A connection to the database whose catalog is read.</param>
    /// <param name="tables">The synced tables, bound to that database.</param>
    /// <param name="sync">Whether there is a backup schema, and where it comes from.</param>
    /// <param name="database">The database's display name, for messages.</param>
    /// <param name="ct">Cancels the catalog read.</param>
    /// <exception cref="DbAdapterException">BackupSchemaRequired (no backup schema) or BackupSchemaInvalid (it lacks the reference).</exception>
    public static async Task CheckAsync(NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, SyncTables sync, string database, CancellationToken ct)
    {
        var command = new NpgsqlCommand(Sql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Name.Schema).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Name.Name).ToArray() });
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var table = tables[(int)reader.GetInt64(0) - 1];
                    var referenced = tables.FirstOrDefault(t => t.Name == new TableName(reader.GetString(2), reader.GetString(3)));
                    var columns = reader.GetFieldValue<string[]>(4);
                    if (referenced is not null && !IsRemapped(table, referenced, columns))
                    {
                        throw Unmapped(table, referenced, columns, reader.GetString(1), sync, database);
                    }
                }
            }
        }
    }

    private static bool IsRemapped(BackupTable table, BackupTable referenced, string[] columns) =>
        columns.Length == 1 &&
        ((table.Parent is { } parent && ReferenceEquals(parent.Table, referenced) && parent.Field.Name == columns[0]) ||
         table.OptionalRefs.Any(r => ReferenceEquals(r.Table, referenced) && r.Field.Name == columns[0]));

    private static DbAdapterException Unmapped(BackupTable table, BackupTable referenced, string[] columns, string constraint, SyncTables sync, string database)
    {
        var column = string.Join(", ", columns);
        var what = $"{table.Key}.{column} refers to {(ReferenceEquals(table, referenced) ? "its own table" : referenced.Key)} (foreign key {constraint} of '{database}'), which is synced too: " +
            $"the referenced rows get new keys in the destination, so the source's values, copied as they are, would point at other rows or at none.";
        return sync.HasBackupSchema
            ? new DbAdapterException(
                ErrorIds.BackupSchemaInvalid,
                DbErrorKind.InvalidData,
                $"Backup schema {sync.Schema.Source}: {what} Declare {column} as the parent of {table.Key}, or as one of its optional_refs, or leave {referenced.Key} out. Nothing was written.",
                $"{table.Key}.{column}",
                hint: ErrorHint.NameBackupSchema)
            : new DbAdapterException(
                ErrorIds.BackupSchemaRequired,
                DbErrorKind.InvalidArgument,
                $"{what} Without a backup schema nothing is remapped: name one that declares {column} as the parent of {table.Key} or one of its optional_refs, or leave {referenced.Key} out. Nothing was written.",
                $"{table.Key}.{column}",
                hint: ErrorHint.NameBackupSchema);
    }
}
