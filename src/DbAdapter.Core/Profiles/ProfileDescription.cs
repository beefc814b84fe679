namespace DbAdapter.Core.Profiles;

/// <summary>Where a profile points (host, port, database, user), read without needing its password (see <see cref="ConnectionResolver.Describe"/>).</summary>
public sealed record ProfileDescription(string? Host, int? Port, string? Database, string? UserName);
