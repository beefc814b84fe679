using System.Globalization;
using DbAdapter.Core.Schema;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Rebuilds a table in schema.sql's shape without losing its rows, all inside the plan's transaction:
/// foreign keys of other tables that point at it are dropped, the old table, its indexes and the
/// sequences it owns are renamed out of the way, the new table is created, the common columns are
/// copied, sequences are set past the copied keys (and past the old sequence's position), the
/// dropped foreign keys are re-created pointing at the new table, and the old table is dropped
/// without CASCADE, so anything else still depending on it makes the step fail and roll back.
/// </summary>
internal static class TableRecreation
{
    private const string TableOid = """
        (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2)
        """;

    /// <summary>What the live table has that the rebuild must carry over or move out of the way.</summary>
    internal sealed record Facts(
        IReadOnlyList<string> Indexes,
        IReadOnlyList<(string Column, string Schema, string Sequence)> OwnedSequences,
        IReadOnlyList<IncomingForeignKey> Incoming,
        IReadOnlyList<string> Triggers,
        IReadOnlyList<string> Policies);

    /// <summary>A foreign key of another table that points at the recreated one.</summary>
    internal sealed record IncomingForeignKey(
        string Name,
        TableName Table,
        IReadOnlyList<string> Columns,
        IReadOnlyList<string> ReferencedColumns,
        char OnUpdate,
        char OnDelete,
        char Match,
        bool Deferrable,
        bool InitiallyDeferred,
        bool Validated);

    /// <summary>Reads the facts of <paramref name="table"/> from pg_catalog (one round trip).</summary>
    public static async Task<Facts> ReadAsync(NpgsqlConnection connection, TableName table, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            Add(batch, table, $"""
                SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                 WHERE i.indrelid = {TableOid} ORDER BY ic.relname COLLATE "C"
                """);
            Add(batch, table, $"""
                SELECT a.attname, sn.nspname, s.relname
                  FROM pg_catalog.pg_depend d
                  JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                  JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                 WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
                   AND d.deptype IN ('a', 'i') AND d.refobjid = {TableOid}
                 ORDER BY a.attnum
                """);
            Add(batch, table, $"""
                SELECT con.conname, cn.nspname, cc.relname,
                       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(n, o)
                               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[],
                       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(n, o)
                               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[],
                       con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
                       con.condeferrable, con.condeferred, con.convalidated
                  FROM pg_catalog.pg_constraint con
                  JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid
                  JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
                 WHERE con.contype = 'f' AND con.confrelid = {TableOid} AND con.conrelid <> con.confrelid AND con.conparentid = 0
                 ORDER BY cn.nspname COLLATE "C", cc.relname COLLATE "C", con.conname COLLATE "C"
                """);
            Add(batch, table, $"SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = {TableOid} AND NOT t.tgisinternal ORDER BY 1");
            Add(batch, table, $"SELECT p.polname FROM pg_catalog.pg_policy p WHERE p.polrelid = {TableOid} ORDER BY 1");

            var indexes = new List<string>();
            var sequences = new List<(string, string, string)>();
            var incoming = new List<IncomingForeignKey>();
            var triggers = new List<string>();
            var policies = new List<string>();
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    indexes.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    sequences.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }

                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    incoming.Add(new IncomingForeignKey(
                        reader.GetString(0),
                        new TableName(reader.GetString(1), reader.GetString(2)),
                        reader.GetFieldValue<string[]>(3),
                        reader.GetFieldValue<string[]>(4),
                        reader.GetString(5)[0],
                        reader.GetString(6)[0],
                        reader.GetString(7)[0],
                        reader.GetBoolean(8),
                        reader.GetBoolean(9),
                        reader.GetBoolean(10)));
                }

                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    triggers.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    policies.Add(reader.GetString(0));
                }
            }

            return new Facts(indexes, sequences, incoming, triggers, policies);
        }
    }

    /// <summary>
    /// Fills the statements around <see cref="PlannedStep.Main"/> (schema.sql's CREATE TABLE) and the
    /// step's hazards. The old table is moved out of the way before anything the step already holds
    /// (the sequences the new table needs take the names the old ones leave). The sequences of
    /// serial and identity columns, and of <paramref name="sequenceColumns"/> (columns the file has own
    /// a sequence), are set past the copied values.
    /// </summary>
    public static void Build(PlannedStep step, TableModel expected, TableModel live, Facts facts, long rows, string display, IReadOnlySet<string> sequenceColumns)
    {
        var table = step.Table;
        var oldName = SqlNames.WithSuffix(table.Name, SqlNames.OldSuffix);
        var old = new TableName(table.Schema, oldName);
        var before = new List<StepSql>();

        foreach (var fk in facts.Incoming)
        {
            before.Add($"ALTER TABLE {fk.Table.Quoted} DROP CONSTRAINT {SqlIdentifier.Quote(fk.Name)}");
        }

        before.Add($"ALTER TABLE {table.Quoted} RENAME TO {SqlIdentifier.Quote(oldName)}");

        // Index names are unique per schema (and constraint indexes carry their constraint's name):
        // the new table's PRIMARY KEY / UNIQUE / CREATE INDEX would collide with the old ones.
        foreach (var index in facts.Indexes)
        {
            before.Add($"ALTER INDEX {new TableName(table.Schema, index).Quoted} RENAME TO {SqlIdentifier.Quote(SqlNames.WithSuffix(index, SqlNames.OldSuffix))}");
        }

        // A serial or identity sequence follows the old table through the rename and is dropped with
        // it; renamed away, the new table's SERIAL gets the usual name instead of "..._seq1".
        var oldSequences = new Dictionary<string, TableName>(StringComparer.Ordinal);
        foreach (var (column, schema, sequence) in facts.OwnedSequences)
        {
            var renamed = new TableName(schema, SqlNames.WithSuffix(sequence, SqlNames.OldSuffix));
            before.Add($"ALTER SEQUENCE {new TableName(schema, sequence).Quoted} RENAME TO {SqlIdentifier.Quote(renamed.Name)}");
            oldSequences.TryAdd(column, renamed);
        }

        step.Before.InsertRange(0, before);

        var liveColumns = live.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var copied = expected.Columns.Where(c => liveColumns.Contains(c.Name) && c.Generated is null).ToList();
        if (copied.Count > 0)
        {
            var list = string.Join(", ", copied.Select(c => SqlIdentifier.Quote(c.Name)));
            var overriding = copied.Exists(c => c.Identity is not null) ? " OVERRIDING SYSTEM VALUE" : string.Empty;
            step.After.Add($"INSERT INTO {table.Quoted} ({list}){overriding} SELECT {list} FROM {old.Quoted}");
        }

        foreach (var column in copied.Where(c => c.Identity is not null || TypeText.IsSerial(c.Type) || sequenceColumns.Contains(c.Name)))
        {
            var quoted = SqlIdentifier.Quote(column.Name);
            var oldPosition = oldSequences.TryGetValue(column.Name, out var sequence)
                ? $"(SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END FROM {sequence.Quoted} AS s)"
                : "NULL";
            step.After.Add(
                $"SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence({SqlLiteral.Quote(table.Quoted)}, {SqlLiteral.Quote(column.Name)}), " +
                $"GREATEST(p.m, 1), p.m >= 1) FROM (SELECT GREATEST(COALESCE((SELECT max({quoted}) FROM {table.Quoted}), 0), COALESCE({oldPosition}, 0)) AS m) AS p");
        }

        foreach (var fk in facts.Incoming)
        {
            step.After.Add(AddForeignKey(fk, table));
        }

        step.After.Add($"DROP TABLE {old.Quoted}");

        var notes = new List<string>();
        if (facts.Triggers.Count > 0)
        {
            notes.Add($"its triggers ({string.Join(", ", facts.Triggers)}) are dropped with the old table unless schema.sql's ALTERs re-create them");
        }

        if (facts.Policies.Count > 0)
        {
            notes.Add($"its row-level security policies ({string.Join(", ", facts.Policies)}) are dropped with the old table");
        }

        notes.Add("grants and comments on the old table are not carried over");
        step.Hazards.Add(new FixHazard(
            FixHazardKinds.RewritesTable,
            true,
            string.Create(CultureInfo.InvariantCulture,
                $"Recreating {display} copies all {rows} row(s) into a new table under an ACCESS EXCLUSIVE lock held until the fix commits; " +
                $"{string.Join("; ", notes)}. A pre-fix backup of the table is written first.")));

        var lost = live.Columns.Where(c => expected.FindColumn(c.Name) is null).Select(c => c.Name).ToList();
        if (lost.Count > 0)
        {
            step.Hazards.Add(new FixHazard(
                FixHazardKinds.DeletesData,
                true,
                string.Create(CultureInfo.InvariantCulture,
                    $"{display} has column(s) {string.Join(", ", lost)} that schema.sql does not declare: the recreated table does not have them, so their values in {rows} row(s) are lost (only kept in the pre-fix backup).")));
        }
    }

    private static string AddForeignKey(IncomingForeignKey fk, TableName referenced)
    {
        var text = $"ALTER TABLE {fk.Table.Quoted} ADD CONSTRAINT {SqlIdentifier.Quote(fk.Name)} FOREIGN KEY ({string.Join(", ", fk.Columns.Select(SqlIdentifier.Quote))}) " +
            $"REFERENCES {referenced.Quoted} ({string.Join(", ", fk.ReferencedColumns.Select(SqlIdentifier.Quote))})";
        text += fk.Match switch
        {
            'f' => " MATCH FULL",
            'p' => " MATCH PARTIAL",
            _ => string.Empty,
        };
        text += $" ON UPDATE {Action(fk.OnUpdate)} ON DELETE {Action(fk.OnDelete)}";
        if (fk.Deferrable)
        {
            text += fk.InitiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
        }

        // A key that was never validated stays so: validating it now could fail on old rows.
        return fk.Validated ? text : text + " NOT VALID";
    }

    private static string Action(char code) => code switch
    {
        'r' => "RESTRICT",
        'c' => "CASCADE",
        'n' => "SET NULL",
        'd' => "SET DEFAULT",
        _ => "NO ACTION",
    };

    private static void Add(NpgsqlBatch batch, TableName table, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = table.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
        batch.BatchCommands.Add(command);
    }
}
