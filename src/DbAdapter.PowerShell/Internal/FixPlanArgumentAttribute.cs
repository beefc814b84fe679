using System.Management.Automation;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// Lets a plan that went through PowerShell serialization (Export-Clixml / Import-Clixml, a remoting
/// or job boundary) reach the cmdlet, which then says what to do instead, rather than fail in the
/// binder with "cannot convert Deserialized.DbAdapter.DbFixPlan". Such a plan carries only its text.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class FixPlanArgumentAttribute : ArgumentTransformationAttribute
{
    private const string DeserializedTypeName = "Deserialized.DbAdapter.DbFixPlan";

    /// <summary>What to do with a deserialized plan: the cmdlets' shared advice.</summary>
    public const string DeserializedAdvice =
        "This plan was read back from Export-Clixml/Import-Clixml (or came through remoting or a job), which keeps only its text: it cannot be applied, and nothing ties it to the database it was made for. " +
        "To keep a plan for later, write it with Export-DbFixPlan -Path plan.json and read it back with Import-DbFixPlan -Path plan.json: " +
        "that file holds the exact statements, the schema file's SHA-256 and a fingerprint of the tables the plan changes, so Invoke-DbFix applies it exactly as reviewed, and only to an unchanged database.";

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is PSObject wrapped && wrapped.BaseObject is not DbFixPlan && wrapped.TypeNames.Contains(DeserializedTypeName))
        {
            // Without the engine's plan (Source) behind it, the cmdlets refuse it with DeserializedAdvice.
            return new DbFixPlan { Profile = wrapped.Properties["Profile"]?.Value as string ?? string.Empty };
        }

        return inputData;
    }
}
