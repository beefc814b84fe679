<#
    Test-DbSchema in this (fresh) pwsh, as a user runs it: the first call of the session (cold: what a
    runbook job pays), calls 2 to 32 (early: their median, what the in-process benchmark reports; the
    runtime is still recompiling PowerShell's engine, Npgsql and the module at its later tiers), then
    calls 61 to 91 (settled: their median, once that recompilation is over), then calls 92 to 122 with
    schema.sql changed before each (a comment appended, untimed: the session has no model of those
    bytes to reuse). Each call is timed around the cmdlet alone. Prints one JSON line, also with the process's CPU time per call and the methods
    the JIT compiled, for the early and the settled calls.
#>
param(
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [string] $Module
)
$ErrorActionPreference = 'Stop'
Set-Location $Folder
Import-Module $Module
$process = Get-Process -Id $PID

function Measure-Calls([int] $Count, [switch] $Edit) {
    $process.Refresh()
    $cpu = $process.TotalProcessorTime.TotalMilliseconds
    $jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $times = foreach ($i in 1..$Count) {
        if ($Edit) { Add-Content -LiteralPath (Join-Path $Folder 'schema.sql') -Value "-- edit $i" }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $report = Test-DbSchema -Profile bench
        $watch.Elapsed.TotalMilliseconds
        if (-not $report.IsValid -or $report.Differences.Count -gt 0) { throw "Test-DbSchema found differences: $report" }
    }
    $process.Refresh()
    $sorted = @($times | Sort-Object)
    [pscustomobject]@{
        Median = $sorted[[int][math]::Floor($sorted.Count / 2)]
        Min = $sorted[0]
        CpuPerCall = ($process.TotalProcessorTime.TotalMilliseconds - $cpu) / $Count
        Jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitted
    }
}

$cold = Measure-Calls 1
$early = Measure-Calls 31
$null = Measure-Calls 28
$settled = Measure-Calls 31
$edited = Measure-Calls 31 -Edit
[pscustomobject]@{
    Cold = $cold.Median; ColdJitted = $cold.Jitted
    Early = $early.Median; EarlyMin = $early.Min; EarlyCpu = $early.CpuPerCall; EarlyJitted = $early.Jitted
    Settled = $settled.Median; SettledMin = $settled.Min; SettledCpu = $settled.CpuPerCall; SettledJitted = $settled.Jitted
    Edited = $edited.Median; EditedMin = $edited.Min; EditedCpu = $edited.CpuPerCall
    Engine = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DbAdapter.Core' }).Location
} | ConvertTo-Json -Compress
