namespace DbAdapter.PowerShell.Internal;

/// <summary>What ShouldProcess answered, and why: a cmdlet runs a dry run for -WhatIf and nothing for a person's no.</summary>
internal enum Confirmation
{
    /// <summary>Go ahead.</summary>
    Proceed,

    /// <summary>-WhatIf: the "What if" line is written; a dry run may still say what would happen.</summary>
    WhatIf,

    /// <summary>A person declined (-Confirm): do nothing.</summary>
    Declined,
}
