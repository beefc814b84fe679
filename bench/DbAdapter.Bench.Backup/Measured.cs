namespace DbAdapter.Bench.Backup;

/// <summary>What measure.ps1 prints: one measured pwsh session.</summary>
/// <param name="Cold">The first call of the session, ms.</param>
/// <param name="Warm">The same work again in that session (the second call), ms.</param>
/// <param name="Steady">The median of calls 3 to 5 (null when there were none), ms.</param>
/// <param name="Rows">Rows the cmdlet moved.</param>
/// <param name="RssAfterImportKb">Resident memory right after Import-Module.</param>
/// <param name="PeakKb">Peak resident memory (VmHWM) at the end.</param>
/// <param name="Configuration">The module's build configuration.</param>
/// <param name="Settled">The median of calls 6 to 10 (null when there were none), ms: after the runtime recompiled the hot code at its last tier.</param>
internal sealed record Measured(double Cold, double Warm, double? Steady, long Rows, long RssAfterImportKb, long PeakKb, string Configuration, double? Settled = null);
