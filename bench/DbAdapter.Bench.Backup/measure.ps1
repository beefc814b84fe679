<#
    One measured run of Backup-Database, Restore-Database or Sync-DbProfile in this (fresh) pwsh: the first call of the
    session (cold: what a runbook job pays), then the same work again (warm: the second call, much of the
    code still at the runtime's first tiers), then calls 3 to 5 (steady: their median, what a session that
    has done this a few times pays) and, when there are more, calls 6 to 10 (settled: their median, once the
    runtime has recompiled the hot code at its last tier), each timed around the cmdlet alone. A restore or sync
    takes one target per call: cold, warm, and the steady ones from the third target on. Prints one JSON line: the times, the rows, the process's resident memory after the
    module import and its peak (VmHWM) at the end, and the module's build configuration.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Backup', 'Restore', 'Sync')] [string] $Operation,
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [string] $UserId,
    [Parameter(Mandatory)] [string] $Module,
    [string] $File,
    [string[]] $Targets,
    [int] $Calls = 5
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
    foreach ($path in @("$File.cold", "$File.warm") + @(1..($Calls - 2) | ForEach-Object { "$File.s$_" })) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = Backup-Database -Profile source -UserId $UserId -Path $path -Force
        $times += $watch.Elapsed.TotalMilliseconds
        $rows = [long] ($result.Tables | ForEach-Object Rows | Measure-Object -Sum).Sum
    }
}
else {
    foreach ($target in $Targets) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = if ($Operation -eq 'Restore') {
            Restore-Database $File -Profile $target -UserId $UserId
        }
        else {
            Sync-DbProfile -Source source -Destination $target -UserId $UserId -Confirm:$false
        }
        $times += $watch.Elapsed.TotalMilliseconds
        $rows = [long] ($result.Tables | ForEach-Object Inserted | Measure-Object -Sum).Sum
    }
}
function Get-Median([double[]] $Values) { if ($Values.Count) { ($Values | Sort-Object)[[int][math]::Floor($Values.Count / 2)] } else { $null } }
[pscustomobject]@{
    Cold = $times[0]; Warm = $times[1]
    Steady = Get-Median @($times | Select-Object -Skip 2 -First 3)
    Settled = Get-Median @($times | Select-Object -Skip 5)
    Rows = $rows
    RssAfterImportKb = $afterImport; PeakKb = Get-Kb VmHWM
    Configuration = ((Get-Module DbAdapter).ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false) | Select-Object -First 1).Configuration
} | ConvertTo-Json -Compress
