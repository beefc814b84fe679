#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite (tests/pester/*.Tests.ps1) against one throwaway PostgreSQL server.
.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh after building out/DbAdapter/. It imports the
    Pester version pinned in tools/Pester/Pester.csproj, starts one test server for all test files
    (they find it through DBADAPTER_TEST_CONNECTION; an admin connection already set there is used
    as it is), runs the suite, stops the server and writes the counts as JSON to -SummaryPath.
    Exits 0 only when the run passed.
.PARAMETER ModulePath
    The folder holding Pester/<version>/ (build.ps1 lays it out in out/modules/).
.PARAMETER SummaryPath
    Where to write the counts (Passed, Failed, Skipped, NotRun, Total) as JSON.
.EXAMPLE
    ./build.ps1 -Task Build; dotnet pwsh tests/pester/Invoke-Suite.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/modules'),
    [string] $SummaryPath
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

$server = Start-DbTestServer
$savedConnection = $env:DBADAPTER_TEST_CONNECTION
try {
    $env:DBADAPTER_TEST_CONNECTION = ConvertTo-DbTestConnectionString -Server $server
    $config = New-PesterConfiguration
    $config.Run.Path = $PSScriptRoot
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.CIFormat = 'None'
    if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
    $result = Invoke-Pester -Configuration $config
}
finally {
    $env:DBADAPTER_TEST_CONNECTION = $savedConnection
    Stop-DbTestServer -Server $server
}

foreach ($block in $result.FailedBlocks) { Write-Host "Failed block: $($block.ExpandedPath)" }
foreach ($container in $result.FailedContainers) { Write-Host "Failed container: $($container.Item)" }
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.InconclusiveCount
    NotRun  = $result.NotRunCount
    Total   = $result.TotalCount
}
if ($SummaryPath) { $summary | ConvertTo-Json | Set-Content -Path $SummaryPath }
if ($result.Result -ne 'Passed') { exit 1 }
