using System.Reflection;
using System.Runtime.InteropServices;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>
/// Which set of private assemblies the module loads: the ReadyToRun set made for the running runtime's
/// major version and platform when a Release build shipped one, else the portable IL set.
/// </summary>
public sealed class DependencyDirectoryTests : IDisposable
{
    private const string EngineAssemblyName = "DbAdapter.Core";

    // The load context lives in the BUILT cmdlet assembly (the one Import-Module loads), read here by reflection.
    private static readonly Type LoadContext =
        Assembly.LoadFrom(Path.Combine(RepoPaths.ModuleDirectory, "DbAdapter.PowerShell.dll")).GetType("DbAdapter.PowerShell.Internal.DependencyLoadContext", throwOnError: true)!;

    private readonly string _dependencies = Directory.CreateTempSubdirectory("dbadapter-deps-").FullName;

    public void Dispose() => Directory.Delete(_dependencies, recursive: true);

    [Fact]
    public void Takes_the_precompiled_set_made_for_this_runtime_and_platform()
    {
        var set = MakeSet("net10.0-linux-x64");
        MakeSet("net8.0-linux-x64");
        MakeSet("net10.0-win-x64");

        Assert.Equal(set, Choose(new Version(10, 0, 12), "linux", Architecture.X64));
    }

    [Fact]
    public void Takes_the_set_of_the_runtime_s_major_version_only()
    {
        MakeSet("net10.0-win-x64");
        var net8 = MakeSet("net8.0-win-x64");

        Assert.Equal(net8, Choose(new Version(8, 0, 22), "win", Architecture.X64));

        // PowerShell 7.5 runs on .NET 9: no set is made for it, so it gets the portable assemblies.
        Assert.Equal(_dependencies, Choose(new Version(9, 0, 1), "win", Architecture.X64));
    }

    [Fact]
    public void Falls_back_to_the_portable_set_on_another_platform_or_without_the_engine()
    {
        MakeSet("net10.0-linux-x64");
        Assert.Equal(_dependencies, Choose(new Version(10, 0, 0), "linux", Architecture.Arm64));
        Assert.Equal(_dependencies, Choose(new Version(10, 0, 0), "osx", Architecture.X64));

        // A set folder without the engine (a broken copy) is not taken.
        Directory.CreateDirectory(Path.Combine(_dependencies, "ReadyToRun", "net10.0-win-x64"));
        Assert.Equal(_dependencies, Choose(new Version(10, 0, 0), "win", Architecture.X64));
    }

    [Fact]
    public void The_module_under_test_loads_from_the_chosen_set()
    {
        // Whatever the build (Debug ships no precompiled set), the load context reads where it says.
        var chosen = (string)LoadContext.GetProperty("DependencyDirectory", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.StartsWith(Path.Combine(RepoPaths.ModuleDirectory, "Dependencies"), chosen, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(chosen, EngineAssemblyName + ".dll")), chosen);
    }

    private string Choose(Version runtime, string os, Architecture architecture) =>
        (string)LoadContext.GetMethod("ChooseDirectory", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [_dependencies, runtime, os, architecture])!;

    private string MakeSet(string name)
    {
        var folder = Path.Combine(_dependencies, "ReadyToRun", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, EngineAssemblyName + ".dll"), string.Empty);
        return folder;
    }
}
