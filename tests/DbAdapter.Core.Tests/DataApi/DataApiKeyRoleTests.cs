using DbAdapter.Core.DataApi;

namespace DbAdapter.Core.Tests.DataApi;

/// <summary>What role a Supabase key acts as, read from the key alone (legacy JWTs and the new sb_ keys).</summary>
public sealed class DataApiKeyRoleTests
{
    [Theory]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2ln", "service_role", true)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln", "anon", false)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYXV0aGVudGljYXRlZCIsInN1YiI6IjQyIn0.c2ln", "authenticated", false)]
    [InlineData("sb_secret_0123456789abcdefghij", "service_role", true)]
    [InlineData("sb_publishable_0123456789abcdefghij", "anon", false)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln", null, false)]
    [InlineData("eyJ.not-base64!.x", null, false)]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", null, false)]
    [InlineData("a-plain-token-of-another-shape", null, false)]
    public void The_role_comes_from_the_payload_or_the_prefix_and_only_service_role_bypasses(string key, string? role, bool bypasses)
    {
        var found = DataApiKeyRole.Of(key);

        Assert.Equal((role, bypasses), (found.Role, found.BypassesRowLevelSecurity));
    }
}
