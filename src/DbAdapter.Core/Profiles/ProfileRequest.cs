using System.Net;

namespace DbAdapter.Core.Profiles;

/// <summary>What a cmdlet asks for: which profile (if named), where db.toml is, and the session's memory.</summary>
/// <param name="ConfigPath">Absolute path of db.toml (it need not exist in direct mode).</param>
/// <param name="ExplicitProfile">-Profile / -Name, or null.</param>
/// <param name="Session">What the session remembers (current profile per db.toml, credentials per profile), or null.</param>
/// <param name="EnvPrefix">Glued as-is in front of DB_PROFILE and DATABASE_URL.</param>
/// <param name="Credential">-Credential, or null.</param>
/// <param name="DirectConnectionString">-ConnectionString (direct mode), or null.</param>
public sealed record ProfileRequest(
    string ConfigPath,
    string? ExplicitProfile,
    SessionMemory? Session,
    string EnvPrefix,
    NetworkCredential? Credential,
    string? DirectConnectionString = null)
{
    /// <summary>Never the connection string or the credential: they may hold a password.</summary>
    public override string ToString() =>
        $"{ConfigPath}: {(DirectConnectionString is not null ? "a direct connection (connection string hidden)" : ExplicitProfile ?? "the current profile")}{(Credential is null ? string.Empty : " with a credential")}";
}
