using System.Management.Automation;
using DbAdapter.PowerShell.Tests.Support;

namespace DbAdapter.PowerShell.Tests;

/// <summary>The public contract of DESIGN section 3 for the cmdlets implemented so far.</summary>
public static class Contract
{
    private static readonly ParameterSpec ConfigPath = new("ConfigPath", typeof(string), ByPropertyName: true);
    private static readonly ParameterSpec EnvPrefix = new("EnvPrefix", typeof(string));
    private static readonly ParameterSpec Profile = new("Profile", typeof(string), ByPropertyName: true, Aliases: ["Name"]);

    public static IReadOnlyList<CmdletSpec> Cmdlets { get; } =
    [
        new("Connect-DbProfile", false, null, [OutputType("DbConnectionInfo")],
            new ParameterSpec("Name", typeof(string), Position: 0, ByPropertyName: true, Sets: ["Profile"], Aliases: ["Profile"]),
            new ParameterSpec("ConnectionString", typeof(string), Mandatory: true, Sets: ["ConnectionString"]),
            new ParameterSpec("Credential", typeof(PSCredential)),
            new ParameterSpec("SchemaFile", typeof(string)),
            new ParameterSpec("ShadowDatabase", typeof(string)),
            new ParameterSpec("SkipValidation", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
        new("Get-DbProfile", false, null, [OutputType("DbProfileInfo")],
            new ParameterSpec("Name", typeof(string[]), Position: 0, ByValue: true, ByPropertyName: true),
            new ParameterSpec("Current", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
        new("Test-DbSchema", false, null, [OutputType("DbSchemaReport"), typeof(bool)],
            Profile,
            new ParameterSpec("SchemaFile", typeof(string)),
            new ParameterSpec("ShadowDatabase", typeof(string)),
            new ParameterSpec("Strict", typeof(SwitchParameter)),
            new ParameterSpec("Quiet", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
        new("Get-DbFixPlan", false, null, [OutputType("DbFixPlan")],
            new ParameterSpec("Profile", typeof(string), ByPropertyName: true, Sets: ["Profile"], Aliases: ["Name"]),
            new ParameterSpec("InputObject", OutputType("DbSchemaReport"), Mandatory: true, ByValue: true, Sets: ["Report"]),
            new ParameterSpec("SchemaFile", typeof(string)),
            new ParameterSpec("ShadowDatabase", typeof(string)),
            new ParameterSpec("ColumnDefinitionsPath", typeof(string)),
            new ParameterSpec("RecreateTable", typeof(string[])),
            ConfigPath,
            EnvPrefix),
        new("Invoke-DbFix", true, "High", [OutputType("DbFixResult")],
            new ParameterSpec("Plan", OutputType("DbFixPlan"), Mandatory: true, Position: 0, ByValue: true),
            new ParameterSpec("BackupPath", typeof(string)),
            new ParameterSpec("NoBackup", typeof(SwitchParameter)),
            new ParameterSpec("Force", typeof(SwitchParameter)),
            new ParameterSpec("LockTimeout", typeof(TimeSpan)),
            new ParameterSpec("StatementTimeout", typeof(TimeSpan)),
            new ParameterSpec("RetryCount", typeof(int))),
        new("Export-DbFixPlan", true, "Medium", [typeof(FileInfo)],
            new ParameterSpec("Plan", OutputType("DbFixPlan"), Mandatory: true, ByValue: true),
            new ParameterSpec("Path", typeof(string), Mandatory: true, Position: 0),
            new ParameterSpec("AsSql", typeof(SwitchParameter))),
        new("Import-DbFixPlan", false, null, [OutputType("DbFixPlan")],
            new ParameterSpec("Path", typeof(string), Mandatory: true, Position: 0, ByPropertyName: true, Aliases: ["FullName"]),

            // Not the common -Profile: bound by property name with its alias Name, a file from
            // Get-ChildItem would bind its Name as a profile.
            new ParameterSpec("Profile", typeof(string)),
            new ParameterSpec("ShadowDatabase", typeof(string)),
            ConfigPath,
            EnvPrefix),
        new("Disconnect-DbProfile", false, null, [],
            ConfigPath,
            EnvPrefix),
        new("Backup-Database", false, null, [OutputType("DbBackupResult")],
            Profile,
            new ParameterSpec("UserId", typeof(string)),
            new ParameterSpec("BackupSchema", typeof(string)),
            new ParameterSpec("Table", typeof(string[])),
            new ParameterSpec("Path", typeof(string)),
            new ParameterSpec("Force", typeof(SwitchParameter)),
            new ParameterSpec("AllowRowLevelSecurity", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
        new("Test-DbBackup", false, null, [OutputType("DbBackupValidation"), typeof(bool)],
            new ParameterSpec("Path", typeof(string), Mandatory: true, Position: 0, ByPropertyName: true, Aliases: ["PSPath"]),
            new ParameterSpec("BackupSchema", typeof(string)),
            new ParameterSpec("Quiet", typeof(SwitchParameter))),
        new("Restore-Database", true, "Medium", [OutputType("DbRestoreResult")],
            new ParameterSpec("Path", typeof(string), Mandatory: true, Position: 0, ByPropertyName: true, Aliases: ["PSPath"]),
            Profile,
            new ParameterSpec("UserId", typeof(string)),
            new ParameterSpec("BackupSchema", typeof(string)),
            new ParameterSpec("Mode", typeof(string)),
            new ParameterSpec("SkipFailedRows", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
        new("Sync-DbProfile", true, "Medium", [OutputType("DbSyncResult")],
            new ParameterSpec("Source", typeof(string), Mandatory: true, Position: 0, ByPropertyName: true),
            new ParameterSpec("Destination", typeof(string), Position: 1, ByPropertyName: true, Aliases: ["Name"]),
            new ParameterSpec("Table", typeof(string[])),
            new ParameterSpec("UserId", typeof(string), ByPropertyName: true),
            new ParameterSpec("BackupSchema", typeof(string)),
            new ParameterSpec("Mode", typeof(string)),
            new ParameterSpec("AllowRowLevelSecurity", typeof(SwitchParameter)),
            ConfigPath,
            EnvPrefix),
    ];

    /// <summary>Output types live in the cmdlet assembly, which the tests do not reference: by name.</summary>
    private static Type OutputType(string name) => new TypeName("DbAdapter." + name);

    /// <summary>A stand-in Type carrying only a full name, compared by name against OutputType attributes.</summary>
    private sealed class TypeName(string fullName) : System.Reflection.TypeDelegator(typeof(object))
    {
        public override string FullName => fullName;

        public override string Name => fullName[(fullName.LastIndexOf('.') + 1)..];
    }

    internal static ParameterSpec ProfileParameter => Profile;
}
