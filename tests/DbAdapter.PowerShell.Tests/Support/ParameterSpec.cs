namespace DbAdapter.PowerShell.Tests.Support;

/// <summary>One pinned parameter of the cmdlet contract (DESIGN section 3).</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Type">Declared .NET type.</param>
/// <param name="Mandatory">Mandatory in the sets it belongs to.</param>
/// <param name="Position">Position, or -1 for named.</param>
/// <param name="ByValue">ValueFromPipeline.</param>
/// <param name="ByPropertyName">ValueFromPipelineByPropertyName.</param>
/// <param name="Sets">Parameter sets it belongs to; null means all sets.</param>
/// <param name="Aliases">Aliases, if any.</param>
public sealed record ParameterSpec(
    string Name,
    Type Type,
    bool Mandatory = false,
    int Position = -1,
    bool ByValue = false,
    bool ByPropertyName = false,
    string[]? Sets = null,
    string[]? Aliases = null);

/// <summary>A pinned cmdlet: its parameters and whether it supports ShouldProcess.</summary>
public sealed record CmdletSpec(string Name, bool SupportsShouldProcess, string? ConfirmImpact, Type[] OutputTypes, params ParameterSpec[] Parameters);
