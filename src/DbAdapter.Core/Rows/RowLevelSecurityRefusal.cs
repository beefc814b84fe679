using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using Npgsql;

namespace DbAdapter.Core.Rows;

/// <summary>
/// A write the destination's row-level security refused (SQLSTATE 42501, "new row violates
/// row-level security policy"). Whether a policy lets a row in depends on the row's values, so the
/// server's own refusal is the one exact answer; it names no single bad row but the role's rights,
/// so it stops the work as a whole (even when refused rows would otherwise be set aside) and says
/// what to do about the role rather than about the data.
/// </summary>
internal static class RowLevelSecurityRefusal
{
    /// <summary>True when <paramref name="exception"/> is a policy refusing a row the work wrote.</summary>
    /// <remarks>
    /// 42501 is also a missing privilege; the policy check is told apart by the server routine that
    /// raised it (not translated, unlike the message, whatever the server's lc_messages), the
    /// English message standing in for a server that does not say.
    /// </remarks>
    public static bool Matches(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg
        && (string.Equals(pg.Routine, "ExecWithCheckOptions", StringComparison.Ordinal)
            || pg.MessageText.Contains("row-level security", StringComparison.Ordinal));

    /// <summary>
    /// The RowLevelSecurityActive error for <paramref name="refusal"/> (called once the transaction has
    /// rolled back), naming the connected role as the server knows it.
    /// </summary>
    public static async Task<DbAdapterException> DescribeAsync(PostgresException refusal, DbClient client, string work, object target, CancellationToken ct)
    {
        var role = await RoleAsync(client, ct).ConfigureAwait(false);
        return new DbAdapterException(
            ErrorIds.RowLevelSecurityActive,
            DbErrorKind.PermissionDenied,
            $"The {work} into '{client.Target.DisplayName}' was refused by row-level security: {refusal.MessageText}. Row-level security is active for role '{role}' there, and no policy of the table lets the role write these rows. Nothing was committed. Write as a role that bypasses row-level security (a superuser, the table's owner unless it FORCEs it, or a role with BYPASSRLS; on Supabase the postgres role or service_role), or add a policy that lets this role write the user's rows.",
            target,
            refusal);
    }

    private static async Task<string> RoleAsync(DbClient client, CancellationToken ct)
    {
        try
        {
            var rows = await client.QueryAsync("SELECT current_user::text AS role", cancellationToken: ct).ConfigureAwait(false);
            return rows[0]["role"] as string ?? client.Target.UserName ?? "?";
        }
        catch (NpgsqlException)
        {
            // The refusal is the news; a role name from the login beats losing it to a second failure.
            return client.Target.UserName ?? "?";
        }
    }
}
