using DbAdapter.Core.Configuration;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Whose rows a backup or restore is about: -UserId, else the environment variable named by
/// [defaults] user_id_env, else (restore only) the backup file's metadata.user_id.
/// </summary>
public static class BackupUser
{
    /// <summary>The user id from -UserId or user_id_env; null when neither gives one.</summary>
    public static string? FromParameterOrEnvironment(string? explicitUserId, DbConfig? config, IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(explicitUserId))
        {
            return explicitUserId;
        }

        return config?.UserIdEnv is { Length: > 0 } variable ? environment.Get(variable) : null;
    }

    /// <summary>The UserIdRequired error, naming the user_id_env variable when one is configured but unset.</summary>
    public static DbAdapterException Required(DbConfig? config) => new(
        ErrorIds.UserIdRequired,
        DbErrorKind.InvalidArgument,
        config?.UserIdEnv is { Length: > 0 } variable
            ? $"A user id is needed, and none was given: the environment variable {variable} (named by [defaults] user_id_env in {config.FilePath}) is not set."
            : "A user id is needed, and none was given (no [defaults] user_id_env names a variable that holds one).",
        config?.UserIdEnv,
        hint: ErrorHint.GiveUserId);
}
