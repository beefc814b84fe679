using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// The one private, non-collectible load context of the module. The engine (DbAdapter.Core) and
/// everything it needs (Npgsql, Tomlyn, Microsoft.Extensions.*, newer System.* packages) load here
/// from the module's Dependencies/ folder, so other modules that ship other versions of them, and
/// PowerShell's own copies, never collide with ours.
/// </summary>
/// <remarks>
/// A Release build also ships the same assemblies precompiled (ReadyToRun) for the runtimes and
/// platforms PowerShell users run most, in Dependencies/ReadyToRun/&lt;tfm&gt;-&lt;rid&gt;/ (net8.0 for
/// PowerShell 7.4, net10.0 for 7.6; linux-x64, win-x64). The runtime uses precompiled code only when
/// it was compiled against the same major version of .NET, so the context takes the whole set made
/// for the running runtime and platform when there is one, and the portable IL set otherwise: a first
/// call then runs compiled code instead of waiting for the JIT, and later calls do not run the JIT's
/// first, unoptimised tier.
/// </remarks>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _dependencyDirectory;

    private DependencyLoadContext(string dependencyDirectory)
        : base("DbAdapter.Dependencies", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    /// <summary>
    /// Folder the private assemblies come from: the precompiled set for this runtime and platform under
    /// Dependencies/ beside the cmdlet assembly, else Dependencies/ itself.
    /// </summary>
    public static string DependencyDirectory { get; } = ChooseDirectory(
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies"),
        Environment.Version,
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win" : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "other",
        RuntimeInformation.ProcessArchitecture);

    /// <summary>
    /// The set of assemblies to load: Dependencies/ReadyToRun/net&lt;major&gt;.0-&lt;os&gt;-&lt;arch&gt;/ when it
    /// holds the engine (a Release build made it for this runtime and platform), else the portable one.
    /// </summary>
    internal static string ChooseDirectory(string dependencies, Version runtime, string os, Architecture architecture)
    {
        var rid = $"{os}-{architecture.ToString().ToLowerInvariant()}";
        var precompiled = Path.Combine(dependencies, "ReadyToRun", $"net{runtime.Major}.0-{rid}");
        return File.Exists(Path.Combine(precompiled, EngineAssemblyName + ".dll")) ? precompiled : dependencies;
    }

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
