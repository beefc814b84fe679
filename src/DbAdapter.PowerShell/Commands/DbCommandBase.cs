using System.Management.Automation;
using System.Net;
using DbAdapter.Core.Configuration;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that read db.toml: the common -ConfigPath and -EnvPrefix parameters, path
/// resolution against the PowerShell location, the session's current profile, and error reporting.
/// </summary>
public abstract class DbCommandBase : AsyncCmdlet
{
    /// <summary>
    /// <para type="description">Path of db.toml. Default: db.toml in the current PowerShell location. Relative paths are resolved against the current PowerShell location.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>
    /// Prefix glued as-is onto the environment variable names: with MC_ the module reads MC_DB_PROFILE and MC_DATABASE_URL.
    /// </summary>
    [Parameter]
    [AllowEmptyString]
    public string EnvPrefix { get; set; } = string.Empty;

    // Captured on the pipeline thread: the session store is keyed by the thread's runspace. A field,
    // not a property, so no engine type shows in the members PowerShell reflects over at import.
    private SessionMemory _session = SessionMemory.Empty;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _session = SessionStore.Get();
    }

    /// <summary>Absolute path of db.toml for the current item (the location is read on the pipeline thread).</summary>
    private protected string ResolveConfigPath() =>
        string.IsNullOrEmpty(ConfigPath)
            ? Path.Combine(SessionState.Path.CurrentFileSystemLocation.ProviderPath, ConfigLoader.DefaultFileName)
            : GetUnresolvedProviderPathFromPSPath(ConfigPath);

    /// <summary>
    /// Builds the engine's request for one item. Must run on the pipeline thread. What the session
    /// remembers (current profile, credentials) goes with it; the core decides what applies.
    /// </summary>
    private protected ProfileRequest CreateRequest(string? explicitProfile, PSCredential? credential = null, string? directConnectionString = null) =>
        new(ResolveConfigPath(), explicitProfile, _session, EnvPrefix ?? string.Empty, ToNetworkCredential(credential), directConnectionString);

    /// <summary>The target a confirmation names for <paramref name="profile"/> (null: the current profile).</summary>
    private protected static string ProfileTarget(string? profile) =>
        string.IsNullOrEmpty(profile) ? "the current profile" : $"profile '{profile}'";

    /// <summary>What the session remembered when this command began.</summary>
    private protected SessionMemory CapturedSession() => _session;

    /// <summary>The credential given to this command, as the engine takes it.</summary>
    private protected static NetworkCredential? ToNetworkCredential(PSCredential? credential) =>
        credential is null || credential == PSCredential.Empty ? null : credential.GetNetworkCredential();
}
