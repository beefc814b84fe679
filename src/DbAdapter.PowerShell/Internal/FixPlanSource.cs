using DbAdapter.Core.Profiles;
using DbAdapter.Core.Repair;

namespace DbAdapter.PowerShell.Internal;

/// <summary>What a DbFixPlan carries for Invoke-DbFix: the engine's plan and the profile it was made for.</summary>
internal sealed record FixPlanSource(ResolvedProfile Profile, FixPlan Plan);
