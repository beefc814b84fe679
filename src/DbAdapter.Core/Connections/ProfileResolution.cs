using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Connections;

/// <summary>
/// The single path from a cmdlet's parameters to a <see cref="ResolvedProfile"/>: the same resolution
/// order (DESIGN 4.3) and the same password rules (4.2) for every cmdlet.
/// </summary>
public static class ProfileResolution
{
    public static async Task<ResolvedProfile> ResolveAsync(ProfileRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var configDirectory = Path.GetDirectoryName(request.ConfigPath) ?? ".";
        var config = File.Exists(request.ConfigPath)
            ? await LoadConfigAsync(request.ConfigPath, reporter, cancellationToken).ConfigureAwait(false)
            : null;

        if (request.DirectConnectionString is not null)
        {
            return Direct(request.DirectConnectionString, request, config, ProfileSource.Explicit);
        }

        var selection = CurrentProfileResolver.Resolve(request.ExplicitProfile, request.Session, request.EnvPrefix, configDirectory, environment);
        if (selection.ProfileName is null)
        {
            return Direct(selection.DirectConnectionString!, request, config, selection.Source);
        }

        if (config is null)
        {
            throw new DbAdapterException(
                ErrorIds.ConfigNotFound,
                DbErrorKind.ObjectNotFound,
                $"Profile '{selection.ProfileName}' was asked for, but the configuration file '{request.ConfigPath}' does not exist. Create it, or pass -ConfigPath.",
                request.ConfigPath);
        }

        var profile = CurrentProfileResolver.GetProfile(selection, config, request.EnvPrefix);
        reporter.Verbose($"Profile '{profile.Name}' chosen by {Describe(selection.Source)} from '{config.FilePath}'.");
        var target = ConnectionResolver.Resolve(profile, request.Credential, environment);
        return new ResolvedProfile(config, profile, target, selection.Source);
    }

    /// <summary>Loads db.toml and reports its warnings (unknown keys) instead of dropping them.</summary>
    public static async Task<DbConfig> LoadConfigAsync(string path, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var config = await ConfigLoader.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        foreach (var warning in config.Warnings)
        {
            reporter.Warning(warning);
        }

        return config;
    }

    private static ResolvedProfile Direct(string connectionString, ProfileRequest request, DbConfig? config, ProfileSource source)
    {
        var target = ConnectionResolver.ResolveDirect(connectionString, request.Credential);
        return new ResolvedProfile(config, null, target, source, connectionString);
    }

    private static string Describe(ProfileSource source) => source switch
    {
        ProfileSource.Explicit => "-Profile",
        ProfileSource.Session => "Connect-DbProfile in this session",
        ProfileSource.Environment => "the DB_PROFILE environment variable",
        ProfileSource.LockFile => "the .db-profile lock file",
        ProfileSource.DatabaseUrl => "the DATABASE_URL environment variable",
        _ => source.ToString(),
    };
}
