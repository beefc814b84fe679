using Npgsql;
using NpgsqlTypes;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Asks the server how it would store a column type and a default: format_type() and pg_get_expr()
/// of a probe table built from them. Comparing those with the live catalog means "VARCHAR(50)" equals
/// "character varying(50)" and "'a'" on a varchar equals "'a'::character varying" without this code
/// knowing PostgreSQL's casting rules.
/// </summary>
/// <remarks>
/// One round trip for any number of items. A temporary PL/pgSQL function does the work on the server:
/// every probe table is created inside a subtransaction that is always rolled back, so nothing
/// survives it, and an item the server rejects (a type or function that does not exist there) fails
/// alone instead of aborting the caller's transaction. The function is created and dropped inside the
/// same batch, so it never outlives the call either.
/// </remarks>
internal static class ServerCanonicalizer
{
    private const string CreateFunctionSql = """
        CREATE OR REPLACE FUNCTION pg_temp.dbadapter_canonicalise(p_types text[], p_defaults text[])
        RETURNS TABLE (o_type text, o_default text, o_type_error text, o_default_error text)
        LANGUAGE plpgsql VOLATILE AS $fn$
        DECLARE
            v_n integer := coalesce(array_length(p_types, 1), 0);
            v_type text[] := array_fill(NULL::text, ARRAY[v_n]);
            v_default text[] := array_fill(NULL::text, ARRAY[v_n]);
            v_type_error text[] := array_fill(NULL::text, ARRAY[v_n]);
            v_default_error text[] := array_fill(NULL::text, ARRAY[v_n]);
            v_start integer := 1;
            v_end integer;
            v_columns text;
            v_t text;
            v_d text;
            v_r record;
        BEGIN
            IF v_n = 0 THEN
                RETURN;
            END IF;
            BEGIN
                WHILE v_start <= v_n LOOP
                    -- 1,600 columns is PostgreSQL's per-table limit: probe in chunks well below it.
                    v_end := least(v_start + 999, v_n);
                    BEGIN
                        SELECT string_agg(format('c%s %s', g.i, p_types[g.i])
                                          || CASE WHEN p_defaults[g.i] IS NULL THEN '' ELSE ' DEFAULT ' || p_defaults[g.i] END,
                                          ', ' ORDER BY g.i)
                          INTO v_columns
                          FROM generate_series(v_start, v_end) AS g(i);
                        EXECUTE format('CREATE TEMP TABLE dbadapter_probe_%s (%s)', v_start, v_columns);
                        FOR v_r IN
                            SELECT substr(a.attname, 2)::integer AS i, pg_catalog.format_type(a.atttypid, a.atttypmod) AS t,
                                   pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS e
                              FROM pg_catalog.pg_attribute a
                              LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                             WHERE a.attrelid = format('pg_temp.dbadapter_probe_%s', v_start)::regclass AND a.attnum > 0
                               AND a.attname ~ '^c[0-9]+$'
                        LOOP
                            v_type[v_r.i] := v_r.t;
                            v_default[v_r.i] := v_r.e;
                        END LOOP;
                    EXCEPTION WHEN OTHERS THEN
                        -- Some item of the chunk is unknown here: probe each alone to find which.
                        FOR i IN v_start..v_end LOOP
                            BEGIN
                                EXECUTE format('CREATE TEMP TABLE dbadapter_probe_one_%s (c %s)', i, p_types[i]);
                                SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO v_t
                                  FROM pg_catalog.pg_attribute a
                                 WHERE a.attrelid = format('pg_temp.dbadapter_probe_one_%s', i)::regclass AND a.attnum = 1;
                                v_type[i] := v_t;
                            EXCEPTION WHEN OTHERS THEN
                                v_type_error[i] := SQLERRM;
                            END;
                            IF p_defaults[i] IS NOT NULL THEN
                                IF v_type_error[i] IS NOT NULL THEN
                                    v_default_error[i] := v_type_error[i];
                                ELSE
                                    BEGIN
                                        EXECUTE format('ALTER TABLE pg_temp.dbadapter_probe_one_%s ALTER COLUMN c SET DEFAULT %s', i, p_defaults[i]);
                                        SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) INTO v_d
                                          FROM pg_catalog.pg_attrdef d
                                         WHERE d.adrelid = format('pg_temp.dbadapter_probe_one_%s', i)::regclass AND d.adnum = 1;
                                        v_default[i] := v_d;
                                    EXCEPTION WHEN OTHERS THEN
                                        v_default_error[i] := SQLERRM;
                                    END;
                                END IF;
                            END IF;
                        END LOOP;
                    END;
                    v_start := v_end + 1;
                END LOOP;
                -- Undo every probe table: the answers are in variables, which a rollback keeps.
                RAISE EXCEPTION USING ERRCODE = 'DBA01', MESSAGE = 'dbadapter: undo probes';
            EXCEPTION WHEN SQLSTATE 'DBA01' THEN
                NULL;
            END;
            RETURN QUERY
                SELECT v_type[g.i], v_default[g.i], v_type_error[g.i], v_default_error[g.i]
                  FROM generate_series(1, v_n) AS g(i)
                 ORDER BY g.i;
        END
        $fn$
        """;

    private const string CallSql = "SELECT o_type, o_default, o_type_error, o_default_error FROM pg_temp.dbadapter_canonicalise($1, $2)";

    private const string DropFunctionSql = "DROP FUNCTION pg_temp.dbadapter_canonicalise(text[], text[])";

    /// <summary>
    /// Canonical type and default of each item, in item order. Items must have passed
    /// <see cref="SqlFragment.IsSelfContained"/>: they become part of DDL text on the server.
    /// </summary>
    public static async Task<IReadOnlyList<CanonicalColumn>> CanonicalizeAsync(
        NpgsqlConnection connection,
        IReadOnlyList<(string Type, string? Default)> items,
        SchemaQueryStatistics? statistics,
        CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var types = new string[items.Count];
        var defaults = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            types[i] = items[i].Type;
            defaults[i] = items[i].Default;
        }

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CreateFunctionSql));
        var call = new NpgsqlBatchCommand(CallSql);
        call.Parameters.Add(new NpgsqlParameter { Value = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        call.Parameters.Add(new NpgsqlParameter { Value = defaults, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(call);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(DropFunctionSql));
        statistics?.Record(batch.BatchCommands.Count);

        var results = new List<CanonicalColumn>(items.Count);
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            // Npgsql positions the reader on the first statement that returns rows (the call):
            // the CREATE FUNCTION before it has no result set of its own.
            while (reader.FieldCount == 0 && await reader.NextResultAsync(ct).ConfigureAwait(false))
            {
            }

            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                results.Add(new CanonicalColumn(
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }

            while (await reader.NextResultAsync(ct).ConfigureAwait(false))
            {
                // Drain the DROP so its errors surface here.
            }
        }

        if (results.Count != items.Count)
        {
            throw new InvalidOperationException($"The server canonicalised {results.Count} of {items.Count} column definitions.");
        }

        return results;
    }
}
