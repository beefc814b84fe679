using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using Npgsql;

namespace DbAdapter.Core.Tests.Client;

/// <summary>
/// Refusals of a pooler at login, as their texts come from PgBouncer's and Supavisor's sources (the
/// real PgBouncer answers are checked in <see cref="DbClientPoolerTests"/>).
/// </summary>
public sealed class ConnectionErrorsTests
{
    [Theory]
    [InlineData("08P01", "SASL authentication failed", ErrorHint.GiveCredential)]
    [InlineData("08P01", "password authentication failed", ErrorHint.GiveCredential)]
    [InlineData("08P01", "password authentication failed for user \"app\"", ErrorHint.GiveCredential)]
    [InlineData("08P01", "no such user", ErrorHint.None)]
    [InlineData("08P01", "login rejected", ErrorHint.None)]
    [InlineData("XX000", "Tenant or user not found", ErrorHint.None)]
    public void A_poolers_refusal_at_login_is_authentication_failed(string sqlState, string text, ErrorHint hint)
    {
        var target = TestTargets.For("Host=aws-0-eu-central-1.pooler.supabase.com;Port=6543;Database=postgres;Username=postgres.abc;Password=Secret-Pw-1");

        var error = ConnectionErrors.Translate(new PostgresException(text, "FATAL", "FATAL", sqlState), target, whileOpening: true);

        var translated = Assert.IsType<DbAdapterException>(error);
        Assert.Equal(ErrorIds.AuthenticationFailed, translated.ErrorId);
        Assert.Equal(DbErrorKind.AuthenticationError, translated.Kind);
        Assert.Equal(hint, translated.Hint);
        Assert.Contains("pooler", translated.Message, StringComparison.Ordinal);
        Assert.Contains("postgres.abc", translated.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Pw-1", translated.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server login has been failing, try again later (server_login_retry)")]
    [InlineData("no more connections allowed (max_client_conn)")]
    [InlineData("query_wait_timeout")]
    public void Other_pooler_errors_at_login_stay_connection_failed(string text)
    {
        var target = TestTargets.For("Host=127.0.0.1;Port=6432;Database=app;Username=app;Password=pw");

        var error = ConnectionErrors.Translate(new PostgresException(text, "FATAL", "FATAL", "08P01"), target, whileOpening: true);

        Assert.Equal(ErrorIds.ConnectionFailed, Assert.IsType<DbAdapterException>(error).ErrorId);
    }

    [Fact]
    public void A_poolers_text_after_login_is_not_taken_for_a_refused_password()
    {
        var target = TestTargets.For("Host=127.0.0.1;Port=6432;Database=app;Username=app;Password=pw");

        var error = ConnectionErrors.Translate(new PostgresException("SASL authentication failed", "FATAL", "FATAL", "08P01"), target, whileOpening: false);

        Assert.Equal(ErrorIds.ConnectionFailed, Assert.IsType<DbAdapterException>(error).ErrorId);
    }
}
