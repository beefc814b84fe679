using System.Reflection;
using System.Runtime.Loader;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// The one private, non-collectible load context of the module. The engine (DbAdapter.Core) and
/// everything it needs (Npgsql, Tomlyn, Microsoft.Extensions.*, newer System.* packages) load here
/// from the module's Dependencies/ folder, so other modules that ship other versions of them, and
/// PowerShell's own copies, never collide with ours.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyDirectory;

    private DependencyLoadContext(string dependencyDirectory)
        : base("DbAdapter.Dependencies", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    /// <summary>Folder the private assemblies come from: Dependencies/ beside the cmdlet assembly.</summary>
    public static string DependencyDirectory { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies");

    public static DependencyLoadContext Instance { get; } = new(DependencyDirectory);

    /// <summary>Name of the engine assembly: the only one the default context is told about.</summary>
    public const string EngineAssemblyName = "DbAdapter.Core";

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Anything shipped in Dependencies/ is ours to load privately; everything else (the runtime,
        // System.Management.Automation) falls back to the default context by returning null.
        var candidate = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(_dependencyDirectory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
