<#
    One measured run of Backup-Database, Restore-Database or Sync-DbProfile in this (fresh) pwsh: the first call of the
    session (cold: what a runbook job pays), then the same work again (warm: the second call, much of the
    code still at the runtime's first, unoptimised tier), then three more (steady: their median, what a
    session that has done this a few times pays), each timed around the cmdlet alone. A restore or sync
    takes one target per call: cold, warm, and the steady ones from the third target on. Prints one JSON line: the times, the rows, the process's resident memory after the
    module import and its peak (VmHWM) at the end, and the module's build configuration.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Backup', 'Restore', 'Sync')] [string] $Operation,
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
    foreach ($path in "$File.cold", "$File.warm", "$File.s1", "$File.s2", "$File.s3") {
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
$steady = @($times | Select-Object -Skip 2 | Sort-Object)
[pscustomobject]@{
    Cold = $times[0]; Warm = $times[1]; Steady = if ($steady.Count) { $steady[[int][math]::Floor($steady.Count / 2)] } else { $null }; Rows = $rows
    RssAfterImportKb = $afterImport; PeakKb = Get-Kb VmHWM
    Configuration = ((Get-Module DbAdapter).ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false) | Select-Object -First 1).Configuration
} | ConvertTo-Json -Compress
