using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Operations;

/// <summary>One profile of db.toml as Get-DbProfile lists it.</summary>
/// <param name="Profile">The profile as configured.</param>
/// <param name="Where">Where it points; all null when its URL cannot be read (a warning said why).</param>
/// <param name="CurrentSource">How it is current, or null when it is not the current profile.</param>
public sealed record ProfileListEntry(ProfileConfig Profile, ProfileDescription Where, ProfileSource? CurrentSource);

/// <summary>Get-DbProfile's work: read db.toml, describe each profile without its password, tell which one is current.</summary>
public static class ProfileListing
{
    public static async Task<(DbConfig Config, IReadOnlyList<ProfileListEntry> Profiles)> ListAsync(
        string configPath,
        SessionMemory? session,
        string envPrefix,
        IEnvironment environment,
        IOperationReporter reporter,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var config = await ProfileResolution.LoadConfigAsync(configPath, reporter, ct).ConfigureAwait(false);
        var current = ProfileResolution.FindCurrent(config, session, envPrefix, environment);
        var entries = config.Profiles
            .Select(p => new ProfileListEntry(p, Describe(p, reporter), current?.ProfileName == p.Name ? current.Source : null))
            .ToList();
        return (config, entries);
    }

    private static ProfileDescription Describe(ProfileConfig profile, IOperationReporter reporter)
    {
        try
        {
            return ConnectionResolver.Describe(profile);
        }
        catch (DbAdapterException ex)
        {
            // One unreadable URL must not hide the other profiles.
            reporter.Warning(ex.Message);
            return new ProfileDescription(null, null, null, null);
        }
    }
}
