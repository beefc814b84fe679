namespace DbAdapter.Core.Repair;

/// <summary>
/// A risk of one step. Blocking hazards (<see cref="FixHazardKinds.DeletesData"/>,
/// <see cref="FixHazardKinds.RewritesTable"/>) make <see cref="FixExecutor"/> refuse the plan unless
/// forced; the others are warnings shown to the person who runs it.
/// </summary>
/// <param name="Kind">One of <see cref="FixHazardKinds"/>.</param>
/// <param name="Blocking">True when the plan must not run without -Force.</param>
/// <param name="Message">What happens, to what, and what to do about it.</param>
public sealed record FixHazard(string Kind, bool Blocking, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}{(Blocking ? " (blocking)" : string.Empty)}: {Message}";
}
