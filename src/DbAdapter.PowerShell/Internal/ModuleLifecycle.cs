using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// Hooks the default load context when the module is imported: when the cmdlet assembly asks for
/// the engine, the engine is loaded into <see cref="DependencyLoadContext"/>. The handler answers for
/// the engine only, so the default context never sees Npgsql or Tomlyn.
/// </summary>
public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int _registered;

    /// <summary>Called by PowerShell on Import-Module.</summary>
    public void OnImport() => EnsureRegistered();

    /// <summary>Called by PowerShell on Remove-Module.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The context itself is not collectible (types from it may still be referenced by objects in
        // the session); only stop answering for the engine.
        if (Interlocked.Exchange(ref _registered, 0) == 1)
        {
            // Close pooled connections only if the engine was ever loaded: touching it otherwise
            // would load it just to clear an empty cache.
            if (DependencyLoadContext.Instance.Assemblies.Any(a => a.GetName().Name == DependencyLoadContext.EngineAssemblyName))
            {
                EngineCleanup.Run();
            }

            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
        }
    }

    /// <summary>Idempotent; also called before any cmdlet runs, in case a host skipped OnImport.</summary>
    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, DependencyLoadContext.EngineAssemblyName, StringComparison.Ordinal)
            ? DependencyLoadContext.Instance.LoadFromAssemblyName(name)
            : null;
}
