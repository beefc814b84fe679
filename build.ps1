#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, analyses and packages the DbAdapter module.
.DESCRIPTION
    Build    dotnet build of the solution; lays out the importable module in out/DbAdapter/.
    Test     Build, then the xUnit suites (dotnet test) and the Pester suite (tests/pester) in a
             fresh pwsh, both against a throwaway PostgreSQL. The user-level suites (the module's
             xUnit tests and the Pester suite) run a second time through PgBouncer in transaction
             mode. Ends with one line "N passed, N failed" over every run; fails when a test fails,
             when a test is skipped or when a suite runs none.
    Demo     Build, then samples/demo.ps1: samples/runbook.ps1 in pwsh against a throwaway PostgreSQL.
    Analyze  PSScriptAnalyzer over the scripts of the repository (PSScriptAnalyzerSettings.psd1).
    Package  A Release build of the module laid out in out/package/DbAdapter/, published as
             artifacts/DbAdapter.<version>.nupkg (a folder repository that Save-PSResource reads).

    pwsh itself is a local dotnet tool (.config/dotnet-tools.json) and Pester a pinned NuGet package
    (tools/Pester/Pester.csproj, laid out in out/modules/): nothing needs installing by hand.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Analyze', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'DbAdapter.PowerShell.sln'
$moduleDir = Join-Path $root 'out/DbAdapter'

function Invoke-Native {
    # Output goes to the host, never into the caller's return value.
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath $($ArgumentList -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Get-PwshCommand {
    <#
        How to start a fresh pwsh like this one: the local tool runs as "dotnet pwsh.dll", an
        installed pwsh as its own executable. Returns the program and its leading arguments.
    #>
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($process)
}

function Invoke-Pwsh {
    <#
        Runs a script file in a fresh pwsh (no profile, no prompts); its exit code is in
        $LASTEXITCODE. A fresh process, because a binary module once imported stays loaded: a
        session that ran the tests before would otherwise test the old build.
    #>
    param([string] $File, [string[]] $ArgumentList = @())
    $pwsh = @(Get-PwshCommand)
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList
    & $pwsh[0] @arguments
}

function Invoke-Build {
    param([string] $Configuration)
    Invoke-Native dotnet @('build', $solution, '-c', $Configuration)
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'DbAdapter.psd1')
    Write-Host "Built DbAdapter $($manifest.Version) in $moduleDir"
}

function Install-Pester {
    <#
        Restores the Pester version pinned in tools/Pester/Pester.csproj and lays the package's
        tools/ folder out as out/modules/Pester/<version>/. Returns out/modules (for PSModulePath).
    #>
    $project = Join-Path $root 'tools/Pester/Pester.csproj'
    $version = ([xml] (Get-Content -Raw -Path $project)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    $modules = Join-Path $root 'out/modules'
    $target = Join-Path $modules "Pester/$version"
    if (-not (Test-Path (Join-Path $target 'Pester.psd1'))) {
        $packages = Join-Path $root 'out/packages'
        Invoke-Native dotnet @('restore', $project, '--packages', $packages)
        $source = Join-Path $packages "pester/$version/tools"
        New-Item -ItemType Directory -Force -Path $target | Out-Null
        Copy-Item -Path (Join-Path $source '*') -Destination $target -Recurse -Force
    }
    $modules
}

function Invoke-XunitSuite {
    <#
        dotnet test over -Target (the solution, or one test project), its output shown as it comes;
        the counts come from the one summary line each test assembly prints:
        "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: ..."
        -Pooler sends the run through a transaction pooler the test bed starts (DBADAPTER_TEST_POOLER).
    #>
    param([string] $Configuration, [string] $Target = $solution, [switch] $Pooler)
    $counts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; Assemblies = 0; ExitCode = 0 }
    $summary = '^\s*(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),'
    $saved = $env:DBADAPTER_TEST_POOLER
    if ($Pooler) { $env:DBADAPTER_TEST_POOLER = 'pgbouncer' }
    try {
        & dotnet test $Target -c $Configuration --no-build | ForEach-Object {
            Write-Host $_
            if ($_ -match $summary) {
                $counts.Failed += [int] $Matches[2]
                $counts.Passed += [int] $Matches[3]
                $counts.Skipped += [int] $Matches[4]
                $counts.Assemblies++
            }
        }
        $counts.ExitCode = $LASTEXITCODE
    }
    finally {
        $env:DBADAPTER_TEST_POOLER = $saved
    }
    $counts
}

function Invoke-PesterSuite {
    <# tests/pester in a fresh pwsh (tests/pester/Invoke-Suite.ps1); returns its counts. #>
    $modules = Install-Pester
    $summaryPath = Join-Path ([IO.Path]::GetTempPath()) "dbadapter-pester-summary-$PID.json"
    Remove-Item -Path $summaryPath -ErrorAction SilentlyContinue
    try {
        Invoke-Pwsh -File (Join-Path $root 'tests/pester/Invoke-Suite.ps1') -ArgumentList @('-ModulePath', $modules, '-SummaryPath', $summaryPath) | Out-Host
        $exitCode = $LASTEXITCODE
        if (-not (Test-Path $summaryPath)) {
            return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; NotRun = 0; Total = 0; ExitCode = $exitCode }
        }
        $counts = Get-Content -Raw -Path $summaryPath | ConvertFrom-Json
        $counts | Add-Member -NotePropertyName ExitCode -NotePropertyValue $exitCode -PassThru
    }
    finally {
        Remove-Item -Path $summaryPath -ErrorAction SilentlyContinue
    }
}

function Invoke-Test {
    <#
        Both suites, whatever the first one did, then one verdict. Returns $true when every test ran
        and passed; prints "N passed, N failed" over both suites as the last line.
    #>
    param([string] $Configuration)
    Invoke-Build -Configuration $Configuration
    $xunit = Invoke-XunitSuite -Configuration $Configuration
    # The module's own tests are the user-level ones: every cmdlet test runs once more through the
    # pooler, so a cmdlet that is not pooler-safe fails here without a test written twice.
    $pooled = Invoke-XunitSuite -Configuration $Configuration -Target (Join-Path $root 'tests/DbAdapter.PowerShell.Tests') -Pooler
    $pester = Invoke-PesterSuite

    $problems = @()
    $expected = @(Get-ChildItem -Path (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse).Count
    if ($xunit.Assemblies -ne $expected) { $problems += "xUnit: results from $($xunit.Assemblies) of $expected test assemblies." }
    if ($pooled.Assemblies -ne 1) { $problems += 'xUnit through PgBouncer: no results from DbAdapter.PowerShell.Tests.' }
    foreach ($run in @(@('xUnit', $xunit), @('xUnit through PgBouncer', $pooled))) {
        $name, $counts = $run
        if ($counts.ExitCode -ne 0) { $problems += "${name}: dotnet test exited with $($counts.ExitCode)." }
        if ($counts.Skipped -gt 0) { $problems += "${name}: $($counts.Skipped) test(s) skipped; a skipped test proves nothing." }
    }
    if ($pester.Total -eq 0) { $problems += 'Pester: no tests found in tests/pester.' }
    if ($pester.ExitCode -ne 0) { $problems += "Pester: the run exited with $($pester.ExitCode)." }
    if ($pester.Skipped + $pester.NotRun -gt 0) { $problems += "Pester: $($pester.Skipped + $pester.NotRun) test(s) skipped or not run; a skipped test proves nothing." }

    Write-Host ''
    Write-Host "xUnit:  $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped ($($xunit.Assemblies) assemblies)"
    Write-Host "xUnit through PgBouncer:  $($pooled.Passed) passed, $($pooled.Failed) failed, $($pooled.Skipped) skipped (DbAdapter.PowerShell.Tests)"
    foreach ($pass in @($pester.PSObject.Properties['Passes'] | ForEach-Object { $_.Value })) {
        Write-Host "Pester $($pass.Name): $($pass.Passed) passed, $($pass.Failed) failed, $($pass.Skipped) skipped, $($pass.NotRun) not run"
    }
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped, $($pester.NotRun) not run"
    foreach ($problem in $problems) { Write-Host $problem }
    Write-Host "$($xunit.Passed + $pooled.Passed + $pester.Passed) passed, $($xunit.Failed + $pooled.Failed + $pester.Failed) failed"
    $problems.Count -eq 0 -and $xunit.Failed -eq 0 -and $pooled.Failed -eq 0 -and $pester.Failed -eq 0
}

function Invoke-Demo {
    # Not captured: the demo writes straight to the terminal, in its colours and width.
    param([string] $Configuration)
    Invoke-Build -Configuration $Configuration
    Invoke-Pwsh -File (Join-Path $root 'samples/demo.ps1')
}

function Invoke-Analyze {
    if (-not (Get-Module -ListAvailable -Name PSScriptAnalyzer)) {
        throw 'PSScriptAnalyzer is not installed (Install-PSResource PSScriptAnalyzer).'
    }

    $settings = Join-Path $root 'PSScriptAnalyzerSettings.psd1'
    $findings = Get-ChildItem -Path $root -Recurse -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object FullName -NotMatch '[\\/](out|bin|obj|artifacts|\.git)[\\/]' |
        ForEach-Object { Invoke-ScriptAnalyzer -Path $_.FullName -Settings $settings }
    $findings | Format-Table -AutoSize
    if ($findings) {
        throw "PSScriptAnalyzer reported $(@($findings).Count) finding(s)."
    }
    Write-Host 'PSScriptAnalyzer: no findings.'
}

function Invoke-Package {
    <#
        Release build of the module (and its help) into out/package/DbAdapter/, a folder of its own:
        packaging never overwrites out/DbAdapter/, which a test run or a session may have loaded.
    #>
    $packageDir = Join-Path $root 'out/package/DbAdapter'
    $helpProject = Join-Path $root 'tools/DbAdapter.HelpGen/DbAdapter.HelpGen.csproj'
    Invoke-Native dotnet @('build', $helpProject, '-c', 'Release', "-p:ModuleOutputDir=$packageDir/")
    $manifest = Test-ModuleManifest -Path (Join-Path $packageDir 'DbAdapter.psd1')

    $artifacts = Join-Path $root 'artifacts'
    New-Item -ItemType Directory -Force -Path $artifacts | Out-Null
    Remove-Item -Path (Join-Path $artifacts "DbAdapter.$($manifest.Version).nupkg") -ErrorAction SilentlyContinue
    $repoName = "DbAdapterLocal$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    Register-PSResourceRepository -Name $repoName -Uri $artifacts -Trusted
    try {
        Publish-PSResource -Path $packageDir -Repository $repoName
    }
    finally {
        Unregister-PSResourceRepository -Name $repoName
    }

    Write-Host "Package: $(Join-Path $artifacts "DbAdapter.$($manifest.Version).nupkg")"
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build -Configuration $Configuration }
        'Test' {
            if (-not (Invoke-Test -Configuration $Configuration)) { exit 1 }
        }
        'Demo' {
            Invoke-Demo -Configuration $Configuration
            if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        }
        'Analyze' { Invoke-Analyze }
        'Package' { Invoke-Package }
        default { throw "Unknown task $step." }
    }
}
