using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Profiles;

/// <summary>
/// The single path from a cmdlet's parameters to a <see cref="ResolvedProfile"/>: the same resolution
/// order (DESIGN 4.3) and the same password rules (4.2) for every cmdlet.
/// </summary>
public static class ProfileResolution
{
    public static async Task<ResolvedProfile> ResolveAsync(ProfileRequest request, IEnvironment environment, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = await LoadConfigIfPresentAsync(request.ConfigPath, reporter, cancellationToken).ConfigureAwait(false);
        return Resolve(request, config, environment, reporter);
    }

    /// <summary>db.toml at <paramref name="path"/> with its warnings reported, or null when there is no such file.</summary>
    public static async Task<DbConfig?> LoadConfigIfPresentAsync(string path, IOperationReporter reporter, CancellationToken cancellationToken) =>
        File.Exists(path) ? await LoadConfigAsync(path, reporter, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// Resolves <paramref name="request"/> against <paramref name="config"/>, db.toml of the request's
    /// ConfigPath as loaded already (null when it does not exist): a command that resolves two
    /// profiles of one db.toml reads it, and reports its warnings, once.
    /// </summary>
    public static ResolvedProfile Resolve(ProfileRequest request, DbConfig? config, IEnvironment environment, IOperationReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reporter);
        var configDirectory = ConfigPaths.DirectoryOf(request.ConfigPath);
        if (request.DirectConnectionString is not null)
        {
            return Direct(request.DirectConnectionString, request.Credential, config, ProfileSource.Explicit);
        }

        // The session's current profile counts only for the db.toml it was chosen from.
        var selection = CurrentProfileResolver.Resolve(request.ExplicitProfile, request.Session?.CurrentFor(request.ConfigPath), request.EnvPrefix, configDirectory, environment);
        var remembered = request.Credential is null ? request.Session?.CredentialFor(request.ConfigPath, selection) : null;
        if (selection.ProfileName is null)
        {
            return Direct(selection.DirectConnectionString!, request.Credential ?? remembered, config, selection.Source);
        }

        if (config is null)
        {
            throw new DbAdapterException(
                ErrorIds.ConfigNotFound,
                DbErrorKind.ObjectNotFound,
                $"Profile '{selection.ProfileName}' was asked for, but the configuration file '{request.ConfigPath}' does not exist. Create it, or name another db.toml.",
                request.ConfigPath,
                hint: ErrorHint.NameConfigFile);
        }

        var profile = CurrentProfileResolver.GetProfile(selection, config, request.EnvPrefix);
        reporter.Verbose($"Profile '{profile.Name}' chosen by {Describe(selection.Source)} from '{config.FilePath}'.");
        var dataApi = DataApiTarget.For(profile, environment);
        if (!profile.HasDatabaseUrl)
        {
            return new ResolvedProfile(config, profile, null, selection.Source, dataApi: dataApi);
        }

        var target = ConnectionResolver.Resolve(profile, request.Credential ?? remembered, environment);
        if (remembered is not null && !request.Session!.IsFor(request.ConfigPath, profile.Name, target))
        {
            // db.toml now points this profile at another server or database: what was given for the
            // old one does not follow it there.
            reporter.Verbose($"The credential remembered for profile '{profile.Name}' was given for another server or database; it is not used.");
            target = ConnectionResolver.Resolve(profile, null, environment);
        }

        return new ResolvedProfile(config, profile, target, selection.Source, dataApi: dataApi);
    }

    /// <summary>
    /// The current profile of <paramref name="config"/> when none is named (the session's for this
    /// db.toml, {prefix}DB_PROFILE, the lock file), or null when there is none or only a DATABASE_URL.
    /// </summary>
    public static ProfileSelection? FindCurrent(DbConfig config, SessionMemory? session, string envPrefix, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            var selection = CurrentProfileResolver.Resolve(null, session?.CurrentFor(config.FilePath), envPrefix, config.Directory, environment);
            return selection.ProfileName is null ? null : selection;
        }
        catch (DbAdapterException ex) when (ex.ErrorId == ErrorIds.ProfileNotFound)
        {
            return null;
        }
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

    private static ResolvedProfile Direct(string connectionString, NetworkCredential? credential, DbConfig? config, ProfileSource source)
    {
        var target = ConnectionResolver.ResolveDirect(connectionString, credential);
        return new ResolvedProfile(config, null, target, source, connectionString);
    }

    private static string Describe(ProfileSource source) => source switch
    {
        ProfileSource.Explicit => "name",
        ProfileSource.Session => "this session's current profile",
        ProfileSource.Environment => "the DB_PROFILE environment variable",
        ProfileSource.LockFile => "the .db-profile lock file",
        ProfileSource.DatabaseUrl => "the DATABASE_URL environment variable",
        _ => source.ToString(),
    };
}
