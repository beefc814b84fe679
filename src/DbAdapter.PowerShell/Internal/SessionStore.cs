using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using DbAdapter.Core.Connections;

namespace DbAdapter.PowerShell.Internal;

/// <summary>What Connect-DbProfile leaves behind in a runspace: the current profile and, if one was given, its credential (memory only).</summary>
internal sealed record SessionEntry(SessionCurrent Current, PSCredential? Credential);

/// <summary>
/// The current profile of each runspace (DESIGN 4.3: per runspace, so parallel runspaces never share
/// one). Keyed weakly by the runspace, so a closed runspace takes its entry with it.
/// </summary>
internal static class SessionStore
{
    private static readonly ConditionalWeakTable<Runspace, StrongBox<SessionEntry?>> Entries = new();

    /// <summary>Must be called on the pipeline thread (the default runspace is thread-bound).</summary>
    public static SessionEntry? Get() =>
        Runspace.DefaultRunspace is { } runspace && Entries.TryGetValue(runspace, out var box) ? box.Value : null;

    /// <summary>Must be called on the pipeline thread. Null forgets.</summary>
    public static void Set(SessionEntry? value)
    {
        if (Runspace.DefaultRunspace is { } runspace)
        {
            Entries.GetOrCreateValue(runspace).Value = value;
        }
    }
}
