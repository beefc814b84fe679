using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;
using Npgsql;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Row-level security in front of a read of a user's rows. A role that is neither superuser, nor the
/// table's owner (unless the table FORCEs it), nor BYPASSRLS sees only the rows the table's policies
/// show it, and no policy at all means no row: a backup or a sync would come out short without a
/// word. The server itself answers the question for the connected role, in one statement for all
/// tables (<c>row_security_active</c> applies exactly the rules the executor does: ownership through
/// role membership, FORCE ROW LEVEL SECURITY, superuser and BYPASSRLS). A repair that rebuilds a
/// table copies its rows the same way, and would keep only the visible ones: it asks too.
/// </summary>
internal static class RowLevelSecurityGuard
{
    private const string ActiveSql = """
        SELECT current_user::text,
               array_agg(t.ord ORDER BY t.ord) FILTER (WHERE pg_catalog.row_security_active(t.name::regclass))
        FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
        """;

    /// <summary>
    /// RowLevelSecurityActive when policies filter what the connected role reads of any of
    /// <paramref name="tables"/>, unless <paramref name="allow"/>; then a warning names them instead.
    /// </summary>
    /// <param name="connection">The reading connection, inside the read's transaction.</param>
    /// <param name="tables">The tables about to be read.</param>
    /// <param name="database">The database as messages name it.</param>
    /// <param name="allow">The caller wants exactly the rows the policies show.</param>
    /// <param name="reporter">Receives the warning when <paramref name="allow"/>.</param>
    /// <param name="ct">Cancels the check.</param>
    public static async Task CheckReadAsync(
        NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, string database, bool allow, IOperationReporter reporter, CancellationToken ct)
    {
        if (await ActiveAsync(connection, tables.Select(t => t.Name).ToList(), ct).ConfigureAwait(false) is not { } active)
        {
            return;
        }

        if (allow)
        {
            reporter.Warning($"Row-level security is active for role '{active.Role}' on {active.Tables} of '{database}': only the rows its policies show the role are read.");
            return;
        }

        throw Refused(active, database, "the user's rows would come out incomplete without a word. Nothing was read or written", ErrorHint.AllowRowLevelSecurity);
    }

    /// <summary>
    /// RowLevelSecurityActive when policies filter what the connected role reads of any of
    /// <paramref name="tables"/>, which a repair is about to rebuild (copying their rows): no rows
    /// may be left behind, so there is no way around it but another role.
    /// </summary>
    public static async Task CheckRebuildAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, string database, CancellationToken ct)
    {
        if (await ActiveAsync(connection, tables, ct).ConfigureAwait(false) is { } active)
        {
            throw Refused(active, database, "rebuilding them would keep only those rows and lose the others. Nothing was changed", ErrorHint.None);
        }
    }

    /// <summary>
    /// A warning when policies filter what the connected role sees of tables a restore or sync writes:
    /// rows are matched against the destination's rows the role can see, so a row hidden from it is
    /// not found (a policy refusing a written row fails the work, see the row engine's transaction).
    /// </summary>
    public static async Task WarnWriteAsync(NpgsqlConnection connection, IReadOnlyList<BackupTable> tables, string database, IOperationReporter reporter, CancellationToken ct)
    {
        if (await ActiveAsync(connection, tables.Select(t => t.Name).ToList(), ct).ConfigureAwait(false) is { } active)
        {
            reporter.Warning($"Row-level security is active for role '{active.Role}' on {active.Tables} of '{database}': rows are matched against the rows its policies show the role, and a row they refuse to take stops the work.");
        }
    }

    /// <summary>The connected role and which of <paramref name="tables"/> policies filter for it; null when none.</summary>
    private static async Task<Active?> ActiveAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, CancellationToken ct)
    {
        if (tables.Count == 0)
        {
            return null;
        }

        var command = new NpgsqlCommand(ActiveSql, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Quoted).ToArray() });
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                return reader.IsDBNull(1)
                    ? null
                    : new Active(reader.GetString(0), string.Join(", ", reader.GetFieldValue<long[]>(1).Select(i => tables[(int)i - 1].ToString())));
            }
        }
    }

    private static DbAdapterException Refused(Active active, string database, string consequence, ErrorHint hint) => new(
        ErrorIds.RowLevelSecurityActive,
        DbErrorKind.PermissionDenied,
        $"Row-level security is active for role '{active.Role}' on {active.Tables} of '{database}': the role reads only the rows the tables' policies show it (none without a policy), so {consequence}. Connect as a role that bypasses row-level security (a superuser, the tables' owner unless they FORCE it, or a role with BYPASSRLS; on Supabase the postgres role or service_role).",
        active.Tables,
        hint: hint);

    /// <summary>The connected role, and the tables policies filter for it (display names, comma-separated).</summary>
    private sealed record Active(string Role, string Tables);
}
