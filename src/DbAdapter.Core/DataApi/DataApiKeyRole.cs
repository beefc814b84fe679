using System.Text.Json;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// The database role a Supabase key makes PostgREST act as, read from the key itself (no request):
/// a legacy key is a JWT whose payload names its role ("service_role", "anon"); a new key says it by
/// its prefix (sb_secret_ acts with service_role's rights, sb_publishable_ as anon). Row-level
/// security applies to every role but service_role, so a backup read with any other key holds only
/// the rows the policies show that role.
/// </summary>
/// <param name="Role">The role's name, or null when the key does not say (a custom token of another shape).</param>
/// <param name="BypassesRowLevelSecurity">True for service_role and secret keys.</param>
internal sealed record DataApiKeyRole(string? Role, bool BypassesRowLevelSecurity)
{
    private const string ServiceRole = "service_role";

    /// <summary>What <paramref name="key"/> acts as; never throws and never keeps or quotes the key.</summary>
    public static DataApiKeyRole Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("sb_secret_", StringComparison.Ordinal))
        {
            return new(ServiceRole, true);
        }

        if (key.StartsWith("sb_publishable_", StringComparison.Ordinal))
        {
            return new("anon", false);
        }

        var role = JwtRole(key);
        return new(role, role == ServiceRole);
    }

    /// <summary>The "role" claim of a JWT's payload (its second, base64url part), or null.</summary>
    private static string? JwtRole(string key)
    {
        var parts = key.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var text = parts[1].Replace('-', '+').Replace('_', '/');
            var payload = Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("role", out var role)
                   && role.ValueKind == JsonValueKind.String
                ? role.GetString()
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
