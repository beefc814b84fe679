using System.Net;
using DbAdapter.Core.Configuration;

namespace DbAdapter.Core.Connections;

/// <summary>Turns a profile (or a direct connection string) into a <see cref="ConnectionTarget"/> (DESIGN 4.2).</summary>
public static class ConnectionResolver
{
    /// <summary>The placeholder that db_password replaces, every occurrence.</summary>
    public const string PasswordPlaceholder = "[YOUR-PASSWORD]";

    /// <summary>
    /// Resolves a profile. Password sources, highest first: <paramref name="credential"/>, the password in
    /// the URL, db_password (placeholder), password_env. Accepts postgres:// and postgresql:// URIs with
    /// query options, and Npgsql keyword strings. Throws DbAdapterException ConfigInvalid naming the
    /// profile (never the password) when the URL cannot be read.
    /// </summary>
    public static ConnectionTarget Resolve(ProfileConfig profile, NetworkCredential? credential, IEnvironment environment) =>
        throw new NotImplementedException();

    /// <summary>Direct mode: -ConnectionString or {prefix}DATABASE_URL.</summary>
    public static ConnectionTarget ResolveDirect(string connectionString, NetworkCredential? credential, IReadOnlyList<string>? schemas = null) =>
        throw new NotImplementedException();
}
