namespace DbAdapter.PowerShell.Commands;

/// <summary>Parameter set names, shared so that tests and help agree with the cmdlets.</summary>
internal static class ParameterSets
{
    public const string Name = "Name";
    public const string Profile = "Profile";
    public const string ConnectionString = "ConnectionString";
    public const string Report = "Report";
}
