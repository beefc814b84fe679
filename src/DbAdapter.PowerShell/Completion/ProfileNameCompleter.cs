using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DbAdapter.Core.Configuration;

namespace DbAdapter.PowerShell.Completion;

/// <summary>Tab-completes profile names from db.toml (-ConfigPath when already typed, else ./db.toml).</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string path;
        try
        {
            // Relative to the PowerShell location, as the cmdlet will resolve it; never the process's
            // current directory, which PowerShell does not move with Set-Location.
            var location = CurrentLocation();
            if (location is null)
            {
                return [];
            }

            path = fakeBoundParameters["ConfigPath"] is string configPath && configPath.Length > 0
                ? Path.GetFullPath(configPath, location)
                : Path.Combine(location, ConfigLoader.DefaultFileName);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or PSInvalidOperationException)
        {
            return [];
        }

        if (!File.Exists(path))
        {
            return [];
        }

        IReadOnlyList<ProfileConfig> profiles;
        try
        {
            // Completers are synchronous by contract and run on the pipeline thread with no pump:
            // read the small local file synchronously rather than block on async work nobody can cancel.
            profiles = ConfigLoader.Load(path).Profiles;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken db.toml must not break the command line; the cmdlet itself reports it.
            return [];
        }

        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        return profiles
            .Where(p => pattern.IsMatch(p.Name))
            .Select(p => new CompletionResult(
                p.Name.Any(char.IsWhiteSpace) ? $"'{p.Name}'" : p.Name,
                p.Name,
                CompletionResultType.ParameterValue,
                string.IsNullOrEmpty(p.Description) ? p.Name : p.Description))
            .ToList();
    }

    // The completer runs inside the completion pipeline: the session state proxy is busy then, but a
    // nested command in the current runspace can read the PowerShell location.
    private static string? CurrentLocation()
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddScript("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath");
        return ps.Invoke().FirstOrDefault()?.BaseObject as string;
    }
}
