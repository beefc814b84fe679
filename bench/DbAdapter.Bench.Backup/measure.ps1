<#
    One measured run of Backup-Database or Restore-Database in this (fresh) pwsh: the first call of the
    session (cold: what a runbook job pays), then the same work again (warm), each timed around the
    cmdlet alone. Prints one JSON line: the times, the rows, the process's resident memory after the
    module import and its peak (VmHWM) at the end, and the module's build configuration.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Backup', 'Restore')] [string] $Operation,
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [string] $UserId,
    [Parameter(Mandatory)] [string] $Module,
    [string] $File,
    [string[]] $Targets
)
$ErrorActionPreference = 'Stop'
$Targets = @($Targets -split ',')
Set-Location $Folder
Import-Module $Module
function Get-Kb([string] $Field) { [long] ((Get-Content /proc/self/status | Where-Object { $_ -like "${Field}:*" }) -replace '\D', '') }
$afterImport = Get-Kb VmRSS
$times = @()
$rows = 0
if ($Operation -eq 'Backup') {
    foreach ($path in "$File.cold", "$File.warm") {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = Backup-Database -Profile source -UserId $UserId -Path $path -Force
        $times += $watch.Elapsed.TotalMilliseconds
        $rows = [long] ($result.Tables | ForEach-Object Rows | Measure-Object -Sum).Sum
    }
}
else {
    foreach ($target in $Targets) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = Restore-Database $File -Profile $target -UserId $UserId
        $times += $watch.Elapsed.TotalMilliseconds
        $rows = [long] ($result.Tables | ForEach-Object Inserted | Measure-Object -Sum).Sum
    }
}
[pscustomobject]@{
    Cold = $times[0]; Warm = $times[1]; Rows = $rows
    RssAfterImportKb = $afterImport; PeakKb = Get-Kb VmHWM
    Configuration = ((Get-Module DbAdapter).ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false) | Select-Object -First 1).Configuration
} | ConvertTo-Json -Compress
