using System.Net;

namespace DbAdapter.Core.Connections;

/// <summary>What a cmdlet asks for: which profile (if named), where db.toml is, and the session's memory.</summary>
/// <param name="ConfigPath">Absolute path of db.toml (it need not exist in direct mode).</param>
/// <param name="ExplicitProfile">-Profile / -Name, or null.</param>
/// <param name="Session">The session's current profile, or null.</param>
/// <param name="EnvPrefix">Glued as-is in front of DB_PROFILE and DATABASE_URL.</param>
/// <param name="Credential">-Credential, or null.</param>
/// <param name="DirectConnectionString">-ConnectionString (direct mode), or null.</param>
public sealed record ProfileRequest(
    string ConfigPath,
    string? ExplicitProfile,
    SessionCurrent? Session,
    string EnvPrefix,
    NetworkCredential? Credential,
    string? DirectConnectionString = null);
