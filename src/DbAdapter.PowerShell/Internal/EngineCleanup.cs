using System.Runtime.CompilerServices;
using DbAdapter.Core.Client;

namespace DbAdapter.PowerShell.Internal;

/// <summary>Engine calls made at module removal, kept apart so the engine is only touched when loaded.</summary>
internal static class EngineCleanup
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run() => DbClient.CloseAllConnections();
}
