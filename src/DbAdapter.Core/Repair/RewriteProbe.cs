using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Repair;

/// <summary>
/// Asks the server whether adding a column with a given type and default rewrites a table that has
/// rows. PostgreSQL stores a non-volatile default once in the catalog (no rewrite: <c>now()</c> is
/// stable and takes this path) and rewrites every row for a volatile one (<c>random()</c>,
/// <c>gen_random_uuid()</c>, <c>clock_timestamp()</c>, <c>nextval()</c>) or a type that needs it; rather
/// than keeping a list of functions, each item is tried on a one-row temporary table and the table's
/// file node compared before and after.
/// </summary>
/// <remarks>
/// One round trip. Every probe runs in a subtransaction that is always rolled back, and the helper
/// function is created and dropped in the same batch, so nothing outlives the call and an item the
/// server rejects fails alone (its error is returned) without aborting the caller's transaction.
/// </remarks>
internal static class RewriteProbe
{
    private const string CreateFunctionSql = """
        CREATE OR REPLACE FUNCTION pg_temp.dbadapter_rewrite_probe(p_types text[], p_defaults text[])
        RETURNS TABLE (o_rewrites boolean, o_error text)
        LANGUAGE plpgsql VOLATILE AS $fn$
        DECLARE
            v_n integer := coalesce(array_length(p_types, 1), 0);
            v_rewrites boolean[] := array_fill(NULL::boolean, ARRAY[v_n]);
            v_error text[] := array_fill(NULL::text, ARRAY[v_n]);
            v_table text;
            v_before oid;
        BEGIN
            FOR i IN 1..v_n LOOP
                v_table := format('pg_temp.dbadapter_rewrite_probe_%s', i);
                BEGIN
                    EXECUTE format('CREATE TEMP TABLE dbadapter_rewrite_probe_%s (x integer)', i);
                    EXECUTE format('INSERT INTO %s VALUES (1)', v_table);
                    v_before := pg_catalog.pg_relation_filenode(v_table::regclass);
                    EXECUTE format('ALTER TABLE %s ADD COLUMN c %s DEFAULT %s', v_table, p_types[i], p_defaults[i]);
                    v_rewrites[i] := v_before IS DISTINCT FROM pg_catalog.pg_relation_filenode(v_table::regclass);
                    -- Undo the probe table; the answer is in a variable, which the rollback keeps.
                    RAISE EXCEPTION USING ERRCODE = 'DBA02', MESSAGE = 'dbadapter: undo probe';
                EXCEPTION
                    WHEN SQLSTATE 'DBA02' THEN NULL;
                    WHEN OTHERS THEN v_error[i] := SQLERRM;
                END;
            END LOOP;
            RETURN QUERY SELECT v_rewrites[g.i], v_error[g.i] FROM generate_series(1, v_n) AS g(i) ORDER BY g.i;
        END
        $fn$
        """;

    private const string CallSql = "SELECT o_rewrites, o_error FROM pg_temp.dbadapter_rewrite_probe($1, $2)";

    private const string DropFunctionSql = "DROP FUNCTION pg_temp.dbadapter_rewrite_probe(text[], text[])";

    /// <summary>For each (type, default): whether ADD COLUMN rewrites a table with rows, or the server's error.</summary>
    public static async Task<IReadOnlyList<(bool Rewrites, string? Error)>> ProbeAsync(
        NpgsqlConnection connection,
        IReadOnlyList<(string Type, string Default)> items,
        CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateFunctionSql));
            var call = new NpgsqlBatchCommand(CallSql);
            call.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            call.Parameters.Add(new NpgsqlParameter { Value = items.Select(i => i.Default).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(call);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(DropFunctionSql));

            var results = new List<(bool, string?)>(items.Count);
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (reader.FieldCount == 0 && await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                }

                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    results.Add((!reader.IsDBNull(0) && reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }

                while (await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                }
            }

            return results.Count == items.Count
                ? results
                : throw new InvalidOperationException($"The server probed {results.Count} of {items.Count} column definitions.");
        }
    }
}
