#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, analyses and packages the DbAdapter module.
.DESCRIPTION
    Build    dotnet build of the solution; lays out the importable module in out/DbAdapter/.
    Test     Build, then the xUnit suites (dotnet test), then the Pester tests in tests/pester
             when Pester 5 is installed.
    Analyze  PSScriptAnalyzer over the scripts of the repository (PSScriptAnalyzerSettings.psd1).
    Package  Build (Release), then a .nupkg of out/DbAdapter in artifacts/ for Install-Module.
.EXAMPLE
    ./build.ps1
    ./build.ps1 -Task Test
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Analyze', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out/DbAdapter'

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath $($ArgumentList -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'DbAdapter.PowerShell.sln'), '-c', $Configuration)
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'DbAdapter.psd1')
    Write-Host "Built DbAdapter $($manifest.Version) in $moduleDir"
}

function Invoke-Test {
    Invoke-Build
    Invoke-Native dotnet @('test', (Join-Path $root 'DbAdapter.PowerShell.sln'), '-c', $Configuration, '--no-build')

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -GE ([version] '5.0') | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed: the Pester tests in tests/pester were not run (Install-Module Pester -MinimumVersion 5.0).'
        return
    }

    Import-Module $pester
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
        throw "Pester: $($result.FailedCount) test(s) failed."
    }
}

function Invoke-Analyze {
    if (-not (Get-Module -ListAvailable -Name PSScriptAnalyzer)) {
        throw 'PSScriptAnalyzer is not installed (Install-Module PSScriptAnalyzer).'
    }

    $settings = Join-Path $root 'PSScriptAnalyzerSettings.psd1'
    $findings = Get-ChildItem -Path $root -Recurse -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object FullName -NotMatch '[\\/](out|bin|obj|artifacts)[\\/]' |
        ForEach-Object { Invoke-ScriptAnalyzer -Path $_.FullName -Settings $settings }
    $findings | Format-Table -AutoSize
    if ($findings | Where-Object Severity -In 'Error', 'Warning') {
        throw "PSScriptAnalyzer reported $(@($findings).Count) finding(s)."
    }
}

function Invoke-Package {
    $script:Configuration = 'Release'
    Invoke-Build
    $artifacts = Join-Path $root 'artifacts'
    New-Item -ItemType Directory -Force -Path $artifacts | Out-Null
    $repoName = "DbAdapterLocal$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    Register-PSResourceRepository -Name $repoName -Uri $artifacts -Trusted
    try {
        Publish-PSResource -Path $moduleDir -Repository $repoName
    }
    finally {
        Unregister-PSResourceRepository -Name $repoName
    }

    Get-ChildItem -Path $artifacts -Filter 'DbAdapter.*.nupkg' | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Analyze' { Invoke-Analyze }
        'Package' { Invoke-Package }
        default { throw "Unknown task $step." }
    }
}
