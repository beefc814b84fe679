using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using DbAdapter.Core.Profiles;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// What each runspace remembers (DESIGN 4.3: per runspace, so parallel runspaces never share a current
/// profile or a credential). Keyed weakly by the runspace, so a closed runspace takes its memory with it.
/// The rules of what is remembered and when it applies are the core's <see cref="SessionMemory"/>.
/// </summary>
internal static class SessionStore
{
    private static readonly ConditionalWeakTable<Runspace, StrongBox<SessionMemory>> Entries = new();

    /// <summary>Must be called on the pipeline thread (the default runspace is thread-bound).</summary>
    public static SessionMemory Get() =>
        Runspace.DefaultRunspace is { } runspace && Entries.TryGetValue(runspace, out var box) ? box.Value ?? SessionMemory.Empty : SessionMemory.Empty;

    /// <summary>Must be called on the pipeline thread.</summary>
    public static void Set(SessionMemory value)
    {
        if (Runspace.DefaultRunspace is { } runspace)
        {
            Entries.GetOrCreateValue(runspace).Value = value;
        }
    }
}
