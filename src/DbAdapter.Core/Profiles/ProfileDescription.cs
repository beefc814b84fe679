using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Profiles;

/// <summary>Where a profile points (host, port, database, user), read without needing its password.</summary>
public sealed record ProfileDescription(string? Host, int? Port, string? Database, string? UserName);

/// <summary>Describes profiles for listing: a missing password must not stop Get-DbProfile.</summary>
public static class ProfileDescriber
{
    // Listing needs no secret: a stand-in password satisfies the resolver's "some password source" rule
    // and is dropped with the target right away.
    private static readonly NetworkCredential ListingCredential = new(string.Empty, "listing-only");

    public static ProfileDescription Describe(ProfileConfig profile, IOperationReporter reporter)
    {
        try
        {
            var target = ConnectionResolver.Resolve(profile, ListingCredential, new DictionaryEnvironment(new Dictionary<string, string?>()));
            return new ProfileDescription(target.Host, target.Port, target.Database, target.UserName);
        }
        catch (DbAdapterException ex)
        {
            reporter.Warning(ex.Message);
            return new ProfileDescription(null, null, null, null);
        }
    }
}
