using System.Management.Automation;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.PowerShell.Completion;
using DbAdapter.PowerShell.Internal;

namespace DbAdapter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the connection profiles of db.toml.</para>
/// <para type="description">Reads db.toml (the -ConfigPath file, or db.toml in the current location) and emits one DbProfileInfo per profile: name, provider, description, host, port, database and user. Passwords are never read into the output. IsCurrent and CurrentSource tell which profile the other cmdlets use when -Profile is not given: the one chosen by Connect-DbProfile in this session, else the {prefix}DB_PROFILE environment variable, else the .db-profile lock file beside db.toml.</para>
/// </summary>
/// <example>
/// <code>Get-DbProfile</code>
/// <para>Lists every profile of ./db.toml.</para>
/// </example>
/// <example>
/// <code>Get-DbProfile -Name prod* -ConfigPath ./ops/db.toml</code>
/// <para>Lists the profiles whose names start with prod, from another db.toml.</para>
/// </example>
/// <example>
/// <code>Get-DbProfile -Current | Connect-DbProfile</code>
/// <para>Reconnects to the current profile.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DbProfile", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(DbProfileInfo))]
public sealed class GetDbProfileCommand : DbCommandBase
{
    /// <summary>
    /// Names of the profiles to list. Wildcards are allowed. A name without wildcards that matches no profile is an error (ProfileNotFound). Default: every profile.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Lists only the current profile (nothing when no profile is current).
    /// </summary>
    [Parameter]
    public SwitchParameter Current { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var configPath = ResolveConfigPath();
        var session = CapturedSession();
        var prefix = EnvPrefix ?? string.Empty;
        RunItem(async (reporter, token) =>
        {
            var (config, profiles) = await ProfileListing.ListAsync(configPath, session, prefix, ProcessEnvironment.Instance, reporter, token).ConfigureAwait(false);
            var patterns = (Name ?? ["*"]).Select(n => (Text: n, Pattern: WildcardPattern.Get(n, WildcardOptions.IgnoreCase))).ToList();
            var matched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in profiles)
            {
                var hits = patterns.Where(p => p.Pattern.IsMatch(entry.Profile.Name)).ToList();
                hits.ForEach(h => matched.Add(h.Text));
                if (hits.Count > 0 && (!Current || entry.CurrentSource is not null))
                {
                    PostObject(OutputMapper.ToProfileInfo(config, entry));
                }
            }

            foreach (var (text, _) in patterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p.Text) && !matched.Contains(p.Text)))
            {
                PostError(ErrorRecords.From(CurrentProfileResolver.ProfileNotFound(text, ProfileSource.Explicit, config)));
            }
        });
    }
}
