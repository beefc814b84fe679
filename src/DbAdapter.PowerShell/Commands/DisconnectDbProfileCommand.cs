using System.Management.Automation;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Forgets the current profile.</para>
/// <para type="description">Clears the profile made current by Connect-DbProfile in this session (and every credential remembered in it) and deletes the .db-profile lock file beside db.toml. Environment variables ({prefix}DB_PROFILE, {prefix}DATABASE_URL) are not changed: if one is set, it still chooses a profile.</para>
/// </summary>
/// <example>
/// <code>Disconnect-DbProfile</code>
/// <para>Forgets the current profile of this session and of ./db.toml.</para>
/// </example>
[Cmdlet(VerbsCommunications.Disconnect, "DbProfile")]
public sealed class DisconnectDbProfileCommand : DbCommandBase
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var configPath = ResolveConfigPath();
        RunItem((_, _) =>
        {
            var existed = DisconnectOperation.Run(configPath);
            PostAction(() => SessionStore.Set(SessionMemory.Empty));
            PostVerbose(existed ? $"Removed the lock file beside '{configPath}'." : "No lock file to remove.");
            return Task.CompletedTask;
        });
    }
}
