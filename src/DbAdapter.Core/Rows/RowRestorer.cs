using System.Globalization;
using System.Text;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Rows;

/// <summary>
/// Writes staged rows into the destination inside the caller's transaction, set-based: a fixed
/// number of statements per table, whatever its row count (the Python tool's prepared lookup per
/// row took 880 s for 100k rows). Per table, in backup-schema order, one statement prepares every
/// row into a typed scratch table: its raw text values converted by the destination columns' types,
/// its parent and optional references remapped through the referenced tables' old→new keys (a row
/// whose parent is neither in the source nor matched fails), its match among the owner's existing
/// rows by natural key (slug + owner + remapped parent) in one join, and, for a new row, a new key
/// drawn from the key's own default (sequence, identity, gen_random_uuid()) so sequences stay right,
/// or the old key where the key has no default. Then repeated keys and natural keys are refused
/// (<see cref="RowErrors.Ambiguous"/>); mode Fail stops at the first match; Overwrite updates matched
/// rows, keeping their keys; the new rows are inserted; self-references are set last.
/// Every writing statement runs under a savepoint: when the server refuses it, the range is split
/// until the refused row is found. Without SkipFailedRows that row fails the work, worded by the
/// options' <see cref="RowErrors"/> (a restore's RestoreFailed names table, row index, key and the
/// server's message; a sync's SyncFailed the row's key in the source); with it the row is set aside
/// and the others go on. With WhatIf the same preparation runs (no key is drawn) and nothing is
/// written to the destination.
/// </summary>
internal sealed class RowRestorer(DbClient client, RowRestoreOptions options, Action<string, int>? progress)
{
    /// <summary>Restores the staged tables (parents first) and returns what happened to each.</summary>
    public async Task<IReadOnlyList<TableRestoreResult>> RestoreAsync(IReadOnlyList<StagedTable> tables, CancellationToken ct)
    {
        var results = new List<TableRestoreResult>();
        foreach (var table in tables)
        {
            if (table.Columns.Count == 0)
            {
                results.Add(new TableRestoreResult(table.Table.Key, 0, 0, 0, 0, []));
                continue;
            }

            Report(table, "converting, remapping and matching", tables);
            await PrepareAsync(table, tables, ct).ConfigureAwait(false);
            await RefuseRepeatedKeysAsync(table, ct).ConfigureAwait(false);
            if (options.Mode == RestoreMode.Fail)
            {
                await RefuseMatchesAsync(table, ct).ConfigureAwait(false);
            }

            if (!options.WhatIf)
            {
                Report(table, "writing rows", tables);
                if (options.Mode == RestoreMode.Overwrite)
                {
                    await OverwriteAsync(table, ct).ConfigureAwait(false);
                }

                await InsertAsync(table, ct).ConfigureAwait(false);
                await SetSelfReferencesAsync(table, ct).ConfigureAwait(false);
            }

            results.Add(await CountAsync(table, ct).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Creates the typed scratch table and fills it in one statement per range of rows (the whole
    /// table unless the server refuses a value): conversion, remapping, matching and new keys.
    /// </summary>
    private async Task PrepareAsync(StagedTable table, IReadOnlyList<StagedTable> tables, CancellationToken ct)
    {
        var spec = table.Table;
        var create = new StringBuilder($"CREATE TEMP TABLE {table.Typed} (ord int8 NOT NULL, state \"char\" NOT NULL, err text");
        create.Append(", parent_key ").Append(table.Parent?.Column.ScratchType ?? "int8");
        foreach (var (reference, index) in table.References.Select((r, i) => (r, i)))
        {
            create.Append(CultureInfo.InvariantCulture, $", r{index} ").Append(reference.Column.Column.ScratchType);
        }

        var keyType = spec.Pk.ScratchType;
        create.Append(", match_key ").Append(keyType).Append(", new_key ").Append(keyType).Append(", final_key ").Append(keyType);
        foreach (var column in table.Columns)
        {
            create.Append(", ").Append(column.Typed).Append(' ').Append(column.Column.ScratchType);
        }

        await ExecuteAsync(create.Append(") ON COMMIT DROP").ToString(), [], ct).ConfigureAwait(false);
        table.IsTyped = true;
        if (table.Rows == 0)
        {
            return;
        }

        if (!options.SkipFailedRows)
        {
            // A value the source could not read (an object for an integer column...) fails the restore.
            var unreadable = await QueryAsync($"SELECT ord, err FROM {table.Raw} WHERE err IS NOT NULL ORDER BY ord LIMIT 1", [], r => (r.GetInt64(0), r.GetString(1)), ct).ConfigureAwait(false);
            if (unreadable.Count > 0)
            {
                throw await RowFailedAsync(table, unreadable[0].Item1, "reading its values", unreadable[0].Item2, null, ct).ConfigureAwait(false);
            }
        }

        var parameters = new List<object?>();
        string Parameter(object? value)
        {
            parameters.Add(value);

            // $1 and $2 are the range of rows.
            return "$" + (parameters.Count + 2).ToString(CultureInfo.InvariantCulture);
        }

        string Cast(StagedColumn column) => $"CAST(r.{column.Raw} AS {column.Column.ScratchType})";

        var from = new StringBuilder($" FROM {table.Raw} r");
        // NULLs carry their type: through the subquery below, an untyped NULL would become text.
        var orphan = "false";
        var parentKey = $"CAST(NULL AS {table.Parent?.Column.ScratchType ?? "int8"})";
        string? reason = null;
        if (table.Parent is { } parentField && spec.Parent is { } parent)
        {
            var parentTable = tables.FirstOrDefault(t => ReferenceEquals(t.Table, parent.Table) && t.IsTyped);
            var name = Parameter(parent.Table.Key);
            var rawKey = $"r.{parentField.Raw}";
            if (parentTable is null)
            {
                orphan = $"{rawKey} IS NOT NULL";
                reason = $"'attaching it to its parent: its parent ' || {name} || ' row with key ' || {rawKey} || ' is not in the backup.'";
            }
            else
            {
                var parentKeyCast = $"CAST({rawKey} AS {parentTable.Pk!.Column.ScratchType})";
                from.Append(CultureInfo.InvariantCulture, $" LEFT JOIN {parentTable.Typed} p ON p.{parentTable.Pk.Typed} = {parentKeyCast} AND p.state IN ('n', 'm')");
                orphan = $"({rawKey} IS NOT NULL AND p.ord IS NULL)";
                parentKey = "p.final_key";
                reason = $"'attaching it to its parent: its parent ' || {name} || ' row with key ' || {rawKey} || CASE WHEN EXISTS (SELECT 1 FROM {parentTable.Typed} f WHERE f.{parentTable.Pk.Typed} = {parentKeyCast}) THEN ' failed.' ELSE ' is not in the backup.' END";
            }
        }

        var references = new List<string>();
        for (var i = 0; i < table.References.Count; i++)
        {
            var (reference, column) = table.References[i];
            var target = tables.FirstOrDefault(t => ReferenceEquals(t.Table, reference.Table) && t.IsTyped);
            if (target is null || ReferenceEquals(target, table))
            {
                // Not in the source: the reference becomes NULL. A self-reference is set after the insert.
                references.Add($"CAST(NULL AS {column.Column.ScratchType})");
                continue;
            }

            var alias = string.Create(CultureInfo.InvariantCulture, $"o{i}");
            from.Append(CultureInfo.InvariantCulture, $" LEFT JOIN {target.Typed} {alias} ON {alias}.{target.Pk!.Typed} = CAST(r.{column.Raw} AS {target.Pk.Column.ScratchType}) AND {alias}.state IN ('n', 'm')");
            references.Add($"{alias}.final_key");
        }

        // The owner's existing rows, one per natural key (the lowest key when several share one).
        var dest = spec.Name.Quoted;
        var owner = $"d.{SqlIdentifier.Quote(spec.User.Name)} = CAST({Parameter(options.UserId)} AS {spec.User.ScratchType})";
        var pk = SqlIdentifier.Quote(spec.Pk.Name);
        if (table.Slug is { } slug)
        {
            var slugColumn = $"d.{SqlIdentifier.Quote(slug.Column.Name)}";
            var parentColumn = table.Parent is { } pf ? $"d.{SqlIdentifier.Quote(pf.Column.Name)}" : null;
            var distinct = parentColumn is null ? slugColumn : $"{slugColumn}, {parentColumn}";
            from.Append(CultureInfo.InvariantCulture, $" LEFT JOIN (SELECT DISTINCT ON ({distinct}) {slugColumn} AS slug, {parentColumn ?? "NULL"} AS parent, d.{pk} AS pk FROM {dest} d WHERE {owner} ORDER BY {distinct}, d.{pk}) m ON m.slug = {Cast(slug)}");
            if (parentColumn is not null)
            {
                from.Append(CultureInfo.InvariantCulture, $" AND CASE WHEN r.{table.Parent!.Raw} IS NULL THEN m.parent IS NULL ELSE m.parent = {parentKey} END");
            }
        }
        else
        {
            // No natural key: a row is the same row when it has the same key and owner.
            from.Append(CultureInfo.InvariantCulture, $" LEFT JOIN (SELECT d.{pk} AS pk FROM {dest} d WHERE {owner}) m ON m.pk = {Cast(table.Pk!)}");
        }

        var isNew = $"r.err IS NULL AND NOT {orphan} AND m.pk IS NULL";
        var select = new StringBuilder("SELECT r.ord, CASE WHEN r.err IS NOT NULL OR ")
            .Append(orphan).Append(" THEN 'f' WHEN m.pk IS NOT NULL THEN 'm' ELSE 'n' END")
            .Append(", CASE WHEN r.err IS NOT NULL THEN 'reading its values: ' || r.err").Append(reason is null ? string.Empty : $" WHEN {orphan} THEN {reason}").Append(" END")
            .Append(", ").Append(parentKey);
        foreach (var reference in references)
        {
            select.Append(", ").Append(reference);
        }

        select.Append(", m.pk AS match_key, CASE WHEN ").Append(isNew).Append(" THEN ").Append(NewKey(table, Parameter)).Append(" END AS new_key");
        foreach (var column in table.Columns)
        {
            select.Append(", CASE WHEN r.err IS NULL THEN ").Append(Cast(column)).Append(" END");
        }

        select.Append(from).Append(" WHERE r.ord >= $1 AND r.ord < $2");
        var columns = new StringBuilder("ord, state, err, parent_key");
        for (var i = 0; i < references.Count; i++)
        {
            columns.Append(CultureInfo.InvariantCulture, $", r{i}");
        }

        columns.Append(", match_key, new_key");
        foreach (var column in table.Columns)
        {
            columns.Append(", ").Append(column.Typed);
        }

        // The new key is drawn once per row in the inner query; the outer one only copies it.
        var sql = $"INSERT INTO {table.Typed} ({columns}, final_key) SELECT q.*, coalesce(q.match_key, q.new_key) FROM ({select}) q";
        await RunIsolatedAsync(table, sql, parameters, "converting its values", rowExists: false, ct).ConfigureAwait(false);

        if (!options.SkipFailedRows)
        {
            var failed = await QueryAsync($"SELECT ord, err FROM {table.Typed} WHERE state = 'f' ORDER BY ord LIMIT 1", [], r => (r.GetInt64(0), r.GetString(1)), ct).ConfigureAwait(false);
            if (failed.Count > 0)
            {
                var (ord, err) = failed[0];
                var separator = err.IndexOf(": ", StringComparison.Ordinal);
                throw await RowFailedAsync(table, ord, err[..separator], err[(separator + 2)..], null, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The expression of a new row's key: drawn as an INSERT would draw it, or the old key when the key has no default.</summary>
    private string NewKey(StagedTable table, Func<object?, string> parameter)
    {
        var pk = table.Table.Pk;
        if (options.WhatIf && (pk.Identity != '\0' || pk.DefaultExpression is not null))
        {
            // Nothing is drawn for a WhatIf: a sequence moves even when its transaction rolls back.
            return $"CAST(NULL AS {pk.ScratchType})";
        }

        if (pk.Identity != '\0')
        {
            return $"nextval(pg_catalog.pg_get_serial_sequence({parameter(table.Table.Name.Quoted)}, {parameter(pk.Name)}))";
        }

        // The key's default as the server itself deparses it from its catalog (nextval of a serial's
        // sequence, gen_random_uuid()...), evaluated once per new row, as the INSERT would.
        return pk.DefaultExpression is { } expression
            ? $"({expression})"
            : $"CAST(r.{table.Pk!.Raw} AS {pk.ScratchType})";
    }

    private async Task RefuseRepeatedKeysAsync(StagedTable table, CancellationToken ct)
    {
        var pk = table.Pk!;

        // Whether any key repeats, first: counting distinct keys sorts them (100,000 rows 14 ms, 1M
        // 170 ms), where naming the first repeated pair takes a hash of every key with its rows (56 ms,
        // 750-1,060 ms). Only a file that repeats a key (or leaves two keys NULL) pays for the names.
        var distinct = await QueryAsync(
            $"SELECT count({pk.Typed}) = count(DISTINCT {pk.Typed}) AND count(*) - count({pk.Typed}) <= 1 FROM {table.Typed} WHERE state <> 'f'",
            [],
            r => r.GetBoolean(0),
            ct).ConfigureAwait(false);
        List<(long, long, string)> repeated = distinct[0] ? [] : await QueryAsync(
            $"SELECT min(ord), max(ord), {pk.Typed}::text FROM {table.Typed} WHERE state <> 'f' GROUP BY {pk.Typed} HAVING count(*) > 1 ORDER BY 1 LIMIT 1",
            [],
            r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)),
            ct).ConfigureAwait(false);
        if (repeated.Count > 0)
        {
            var (first, second, key) = repeated[0];
            throw options.Errors.Ambiguous(table.Table.Key, $"{await RowAsync(table, second, ct).ConfigureAwait(false)} has the key \"{table.Table.Pk.Name}\" {key} of {await RowAsync(table, first, ct).ConfigureAwait(false)}; a {options.Errors.Work} could not tell their children apart.");
        }

        if (table.Slug is not { } slug)
        {
            return;
        }

        var parent = table.Parent is { } p ? ", " + p.Typed : string.Empty;
        var natural = await QueryAsync(
            $"SELECT min(ord), max(ord), {slug.Typed}::text FROM {table.Typed} WHERE state <> 'f' AND {slug.Typed} IS NOT NULL GROUP BY {slug.Typed}{parent} HAVING count(*) > 1 ORDER BY 1 LIMIT 1",
            [],
            r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)),
            ct).ConfigureAwait(false);
        if (natural.Count > 0)
        {
            var (first, second, value) = natural[0];
            var under = table.Parent is null ? string.Empty : $" under the same {table.Table.Parent!.Field.Name}";
            throw options.Errors.Ambiguous(table.Table.Key, $"{await RowAsync(table, second, ct).ConfigureAwait(false)} has the natural key \"{slug.Column.Name}\" '{value}'{under} of {await RowAsync(table, first, ct).ConfigureAwait(false)}; a {options.Errors.Work} could not tell the two rows apart.");
        }
    }

    private async Task RefuseMatchesAsync(StagedTable table, CancellationToken ct)
    {
        var slug = table.Slug is { } s ? $"t.{s.Typed}::text" : "NULL";
        var match = await QueryAsync(
            $"SELECT t.ord, r.{table.Pk!.Raw}, {slug}, t.match_key::text FROM {table.Typed} t JOIN {table.Raw} r ON r.ord = t.ord WHERE t.state = 'm' ORDER BY t.ord LIMIT 1",
            [],
            r => (r.GetInt64(0), r.IsDBNull(1) ? string.Empty : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3)),
            ct).ConfigureAwait(false);
        if (match.Count == 0)
        {
            return;
        }

        var (ord, key, natural, existing) = match[0];
        var by = natural is null ? "its key and owner" : $"its natural key \"{table.Slug!.Column.Name}\" '{natural}'";
        throw new DbAdapterException(
            ErrorIds.RestoreConflict,
            DbErrorKind.InvalidOperation,
            $"{table.Table.Key}[{ord}] (key {key}) matches the existing row {existing} of {table.Table.Name} by {by}, and mode Fail stops at the first match: nothing was committed.",
            new RowFailure(table.Table.Key, ord, key, "matches an existing row"),
            hint: ErrorHint.ChooseRestoreMode);
    }

    private async Task OverwriteAsync(StagedTable table, CancellationToken ct)
    {
        var set = new List<string>();
        foreach (var (target, value) in WrittenColumns(table, includeKey: false))
        {
            // An identity column that is ALWAYS generated can only be set to DEFAULT: it keeps its value.
            if (target.Identity != 'a')
            {
                set.Add($"{SqlIdentifier.Quote(target.Name)} = {value}");
            }
        }

        var sql = $"UPDATE {table.Table.Name.Quoted} d SET {string.Join(", ", set)} FROM {table.Typed} s WHERE d.{SqlIdentifier.Quote(table.Table.Pk.Name)} = s.match_key AND s.state = 'm' AND s.ord >= $1 AND s.ord < $2";
        await RunIsolatedAsync(table, sql, [Text(options.UserId)], "updating the existing row", rowExists: true, ct).ConfigureAwait(false);
    }

    private async Task InsertAsync(StagedTable table, CancellationToken ct)
    {
        var columns = WrittenColumns(table, includeKey: true).ToList();
        var overriding = columns.Any(c => c.Target.Identity == 'a') ? " OVERRIDING SYSTEM VALUE" : string.Empty;
        var sql = $"INSERT INTO {table.Table.Name.Quoted} ({string.Join(", ", columns.Select(c => SqlIdentifier.Quote(c.Target.Name)))}){overriding} " +
            $"SELECT {string.Join(", ", columns.Select(c => c.Value))} FROM {table.Typed} s WHERE s.state = 'n' AND s.ord >= $1 AND s.ord < $2";
        await RunIsolatedAsync(table, sql, [Text(options.UserId)], "inserting it", rowExists: true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The destination columns a write sets and the typed-table expression for each: the key (new
    /// key), every staged column, the owner ($3), the remapped parent and references. Self-references
    /// are left out: their rows get keys only with this insert.
    /// </summary>
    private IEnumerable<(ColumnInfo Target, string Value)> WrittenColumns(StagedTable table, bool includeKey)
    {
        if (includeKey)
        {
            yield return (table.Table.Pk, "s.new_key");
        }

        var selfReferences = table.References.Where(r => ReferenceEquals(r.Reference.Table, table.Table)).Select(r => r.Column).ToHashSet();
        foreach (var column in table.Columns)
        {
            if (ReferenceEquals(column, table.Pk) || selfReferences.Contains(column))
            {
                continue;
            }

            var index = table.References.ToList().FindIndex(r => ReferenceEquals(r.Column, column));
            yield return (column.Column, ReferenceEquals(column, table.Parent) ? "s.parent_key"
                : index >= 0 ? string.Create(CultureInfo.InvariantCulture, $"s.r{index}")
                : "s." + column.Typed);
        }

        yield return (table.Table.User, $"CAST($3 AS {table.Table.User.ScratchType})");
    }

    private async Task SetSelfReferencesAsync(StagedTable table, CancellationToken ct)
    {
        var selfReferences = table.References.Where(r => ReferenceEquals(r.Reference.Table, table.Table)).ToList();
        if (selfReferences.Count == 0)
        {
            return;
        }

        // Each row looks up the row it refers to by the source's key: one index serves every self-reference.
        await ExecuteAsync($"CREATE INDEX ON {table.Typed} ({table.Pk!.Typed})", [], ct).ConfigureAwait(false);
        var states = options.Mode == RestoreMode.Overwrite ? "('n', 'm')" : "('n')";
        foreach (var (reference, column) in selfReferences)
        {
            var sql = $"UPDATE {table.Table.Name.Quoted} d SET {SqlIdentifier.Quote(column.Column.Name)} = p.final_key FROM {table.Typed} s JOIN {table.Typed} p ON p.{table.Pk!.Typed} = s.{column.Typed} AND p.state IN ('n', 'm') " +
                $"WHERE d.{SqlIdentifier.Quote(table.Table.Pk.Name)} = s.final_key AND s.state IN {states} AND s.ord >= $1 AND s.ord < $2";
            await RunIsolatedAsync(table, sql, [], $"setting its reference {reference.Field.Name} (the row is written, the reference is NULL)", rowExists: true, ct).ConfigureAwait(false);
        }
    }

    private async Task<TableRestoreResult> CountAsync(StagedTable table, CancellationToken ct)
    {
        var counts = (await QueryAsync(
            $"SELECT count(*) FILTER (WHERE state = 'n'), count(*) FILTER (WHERE state = 'm'), count(*) FILTER (WHERE state = 'f') FROM {table.Typed}",
            [],
            r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)),
            ct).ConfigureAwait(false))[0];
        IReadOnlyList<RowFailure> failures = counts.Item3 == 0
            ? []
            : await QueryAsync(
                $"SELECT s.ord, r.{table.Pk!.Raw}, s.err FROM {table.Typed} s JOIN {table.Raw} r ON r.ord = s.ord WHERE s.state = 'f' ORDER BY s.ord",
                [],
                r => new RowFailure(table.Table.Key, r.GetInt64(0), r.IsDBNull(1) ? string.Empty : r.GetString(1), r.IsDBNull(2) ? "failed" : r.GetString(2)),
                ct).ConfigureAwait(false);
        return new TableRestoreResult(
            table.Table.Key,
            counts.Item1,
            options.Mode == RestoreMode.Overwrite ? counts.Item2 : 0,
            options.Mode == RestoreMode.Overwrite ? 0 : counts.Item2,
            counts.Item3,
            failures);
    }

    /// <summary>
    /// Runs a statement whose text filters <c>ord &gt;= $1 AND ord &lt; $2</c> over all rows under a
    /// savepoint; when the server refuses a row, splits the range (left half first, so the first
    /// refused row is found first) until single rows remain, and fails or sets aside each refused one.
    /// </summary>
    private async Task RunIsolatedAsync(StagedTable table, string sql, IReadOnlyList<object?> extra, string action, bool rowExists, CancellationToken ct)
    {
        var pending = new Stack<(long Lo, long Hi)>();
        pending.Push((0, table.Rows));
        var split = false;
        while (pending.Count > 0)
        {
            var (lo, hi) = pending.Pop();
            try
            {
                await RunUnderSavepointAsync(sql, [lo, hi, .. extra], ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (RowIsolation.IsRowFailure(ex) && !ct.IsCancellationRequested)
            {
                if (!split)
                {
                    // Narrow ranges (of the raw table, or of the typed one once its rows exist) and the
                    // refused rows are found by ord from now on, not by a scan each.
                    await ExecuteAsync(table.IndexOrd(typed: rowExists), [], ct).ConfigureAwait(false);
                }

                split = true;
                if (hi - lo > 1)
                {
                    var mid = lo + ((hi - lo) / 2);
                    pending.Push((mid, hi));
                    pending.Push((lo, mid));
                    continue;
                }

                var message = RowIsolation.Message(ex);
                if (!options.SkipFailedRows)
                {
                    throw await RowFailedAsync(table, lo, action, message, ex, ct).ConfigureAwait(false);
                }

                var reason = $"{action}: {message}";
                await ExecuteAsync(
                    rowExists
                        ? $"UPDATE {table.Typed} SET state = 'f', err = $2 WHERE ord = $1"
                        : $"INSERT INTO {table.Typed} (ord, state, err) VALUES ($1, 'f', $2)",
                    [lo, reason],
                    ct).ConfigureAwait(false);
            }
        }
    }

    private async Task RunUnderSavepointAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken ct)
    {
        var savepoint = await client.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (savepoint.ConfigureAwait(false))
        {
            await ExecuteAsync(sql, parameters, ct).ConfigureAwait(false);
            await savepoint.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The error that stops the work at row <paramref name="ord"/> of <paramref name="table"/>.</summary>
    private async Task<DbAdapterException> RowFailedAsync(StagedTable table, long ord, string action, string message, Exception? inner, CancellationToken ct)
    {
        var key = await KeyAsync(table, ord, ct).ConfigureAwait(false);
        return options.Errors.RowFailed(new RowFailure(table.Table.Key, ord, key, $"{action}: {message}"), action, message, inner);
    }

    /// <summary>Row <paramref name="ord"/> of <paramref name="table"/> as the work's messages name it.</summary>
    private async Task<string> RowAsync(StagedTable table, long ord, CancellationToken ct) =>
        options.Errors.Row(table.Table.Key, ord, await KeyAsync(table, ord, ct).ConfigureAwait(false));

    /// <summary>The source's key of row <paramref name="ord"/>, as text.</summary>
    private async Task<string> KeyAsync(StagedTable table, long ord, CancellationToken ct) =>
        table.Pk is { } pk
            ? (await QueryAsync($"SELECT {pk.Raw} FROM {table.Raw} WHERE ord = $1", [ord], r => r.IsDBNull(0) ? string.Empty : r.GetString(0), ct).ConfigureAwait(false)).FirstOrDefault() ?? string.Empty
            : string.Empty;

    private void Report(StagedTable table, string what, IReadOnlyList<StagedTable> tables)
    {
        var position = tables.ToList().IndexOf(table);
        progress?.Invoke(
            string.Create(CultureInfo.InvariantCulture, $"{table.Table.Key}: {what} ({table.Rows:N0} rows, table {position + 1} of {tables.Count})"),
            50 + (50 * position / Math.Max(1, tables.Count)));
    }

    private static object Text(string value) => new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken ct) =>
        client.UseConnectionAsync(
            async (connection, token) =>
            {
                var command = Command(connection, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }
            },
            ct);

    private Task<List<T>> QueryAsync<T>(string sql, IReadOnlyList<object?> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct) =>
        client.UseConnectionAsync(
            async (connection, token) =>
            {
                var command = Command(connection, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    var rows = new List<T>();
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            rows.Add(read(reader));
                        }
                    }

                    return rows;
                }
            },
            ct);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, IReadOnlyList<object?> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value is NpgsqlParameter typed ? typed.Clone() : ParameterBinder.Positional(value));
        }

        return command;
    }
}
