#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite (tests/pester/*.Tests.ps1) against one throwaway PostgreSQL server.
.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh after building out/DbAdapter/. It imports the
    Pester version pinned in tools/Pester/Pester.csproj, starts one test server for all test files
    (they find it through DBADAPTER_TEST_CONNECTION; an admin connection already set there is used
    as it is) and runs the suite twice: against the server, then through PgBouncer in transaction
    mode started in front of it (the files find it through DBADAPTER_TEST_POOLER), so every test of a
    cmdlet that talks to a database also proves it works through a transaction pooler. The second
    pass leaves out the files that reach no database through a profile (-DirectOnly). It stops the
    pooler and the server and writes the counts of both passes as JSON to -SummaryPath. Exits 0 only
    when both passes passed.
.PARAMETER ModulePath
    The folder holding Pester/<version>/ (build.ps1 lays it out in out/modules/).
.PARAMETER SummaryPath
    Where to write the counts (Passed, Failed, Skipped, NotRun, Total, summed over both passes, and
    Passes: the same per pass) as JSON.
.PARAMETER DirectOnly
    Test files run only against the server itself: those whose subject is not the database work
    (help, the package, the format views) gain nothing from a second pass.
.EXAMPLE
    ./build.ps1 -Task Build; dotnet pwsh tests/pester/Invoke-Suite.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/modules'),
    [string] $SummaryPath,
    [string[]] $DirectOnly = @('Help.Tests.ps1', 'Package.Tests.ps1', 'Format.Tests.ps1')
)

# No Set-StrictMode here: the test files run in this scope and should see what a user's
# Invoke-Pester gives them.
$ErrorActionPreference = 'Stop'

$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$project = Join-Path $repo 'tools/Pester/Pester.csproj'
$pesterVersion = ([xml] (Get-Content -Raw -Path $project)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
$env:PSModulePath = $ModulePath + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module Pester -RequiredVersion $pesterVersion
Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1')

function Invoke-Pass {
    param([string] $Name, [string[]] $Path)
    Write-Host ''
    Write-Host "Pester, $Name"
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.CIFormat = 'None'
    if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
    $result = Invoke-Pester -Configuration $config
    foreach ($block in $result.FailedBlocks) { Write-Host "Failed block ($Name): $($block.ExpandedPath)" }
    foreach ($container in $result.FailedContainers) { Write-Host "Failed container ($Name): $($container.Item)" }
    [pscustomobject]@{
        Name    = $Name
        Passed  = $result.PassedCount
        Failed  = $result.FailedCount + $result.FailedContainersCount
        Skipped = $result.SkippedCount + $result.InconclusiveCount
        NotRun  = $result.NotRunCount
        Total   = $result.TotalCount
        Result  = $result.Result
    }
}

$files = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | Sort-Object Name)
$pooledFiles = @($files | Where-Object Name -NotIn $DirectOnly)
$passes = @()
$server = Start-DbTestServer
$pooler = $null
$savedConnection = $env:DBADAPTER_TEST_CONNECTION
$savedPooler = $env:DBADAPTER_TEST_POOLER
try {
    $env:DBADAPTER_TEST_CONNECTION = ConvertTo-DbTestConnectionString -Server $server
    $env:DBADAPTER_TEST_POOLER = $null
    $passes += Invoke-Pass -Name 'against the server' -Path $files.FullName

    $pooler = Start-DbTestPooler -Server $server
    $env:DBADAPTER_TEST_POOLER = "$($pooler.Host):$($pooler.Port)"
    $passes += Invoke-Pass -Name 'through PgBouncer (transaction mode)' -Path $pooledFiles.FullName
}
finally {
    $env:DBADAPTER_TEST_CONNECTION = $savedConnection
    $env:DBADAPTER_TEST_POOLER = $savedPooler
    try {
        if ($pooler) { Stop-DbTestPooler -Pooler $pooler }
    }
    finally {
        Stop-DbTestServer -Server $server
    }
}

$summary = [ordered]@{
    Passed  = [int] ($passes | Measure-Object -Property Passed -Sum).Sum
    Failed  = [int] ($passes | Measure-Object -Property Failed -Sum).Sum
    Skipped = [int] ($passes | Measure-Object -Property Skipped -Sum).Sum
    NotRun  = [int] ($passes | Measure-Object -Property NotRun -Sum).Sum
    Total   = [int] ($passes | Measure-Object -Property Total -Sum).Sum
    Passes  = $passes
}
if ($SummaryPath) { $summary | ConvertTo-Json -Depth 3 | Set-Content -Path $SummaryPath }
if (@($passes | Where-Object Result -NE 'Passed').Count -gt 0 -or $passes.Count -ne 2) { exit 1 }
