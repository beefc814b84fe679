#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a user installs it: ./build.ps1 -Task Package makes the .nupkg, Save-PSResource
# installs it from that folder repository into a module path of its own, and a fresh pwsh imports
# it by name, finds exactly the manifest's cmdlets, reads their help and connects for real.

BeforeAll {
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:server = Start-DbTestServer
    $password = 'Pw-Package-1'
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_package_'
    $script:role = $created.Role
    $script:database = $created.Databases[0]
    Invoke-DbTestSql -Server $server -Database $database -Sql "SET ROLE $role; CREATE TABLE notes (id serial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('a'), ('b');"
    $script:folder = New-DbTestFolder -Name package
    $script:modules = Join-Path $folder 'modules'
    $script:manifest = Import-PowerShellDataFile -Path (Join-Path $repo 'module/DbAdapter.psd1')
    $script:version = (Select-Xml -Path (Join-Path $repo 'Directory.Build.props') -XPath '//DbAdapterVersion').Node.InnerText

    $script:build = Invoke-TestPwsh -File (Join-Path $repo 'build.ps1') -ArgumentList '-Task', 'Package'
    $script:package = Join-Path $repo "artifacts/DbAdapter.$version.nupkg"

    $repositoryName = "DbAdapterPester$(New-Guid)".Replace('-', '').Substring(0, 24)
    Register-PSResourceRepository -Name $repositoryName -Uri (Join-Path $repo 'artifacts') -Trusted
    try {
        New-Item -ItemType Directory -Path $modules | Out-Null
        Save-PSResource -Name DbAdapter -Version $version -Repository $repositoryName -Path $modules -TrustRepository -Quiet
    }
    finally {
        Unregister-PSResourceRepository -Name $repositoryName
    }

    # A new session that knows the module only by name, from the folder it was saved to.
    $savedPath = $env:PSModulePath
    $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
    $env:DBADAPTER_PACKAGE_URL = "postgresql://${role}:${password}@$($server.Host):$($server.Port)/$database"
    try {
        $script:session = Invoke-TestPwsh -Command @'
$ErrorActionPreference = 'Stop'
Import-Module DbAdapter
$module = Get-Module DbAdapter
$connection = Connect-DbProfile -ConnectionString $env:DBADAPTER_PACKAGE_URL -SkipValidation
$result = [pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Commands   = @(Get-Command -Module DbAdapter | ForEach-Object { "$($_.CommandType) $($_.Name)" })
    Database   = $connection.Database
    Server     = $connection.ServerVersion
    Notes      = ($connection.Tables | Where-Object Table -EQ 'notes').Rows
    Synopsis   = (Get-Help Connect-DbProfile).Synopsis
    About      = (Get-Help about_DbAdapter | Out-String)
    Shown      = ($connection | Out-String -Width 80)
    Runtime    = "net$([Environment]::Version.Major).0-$(if ($IsWindows) { 'win' } elseif ($IsLinux) { 'linux' } else { 'other' })-$("$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
    Engine     = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DbAdapter.Core' }).Location
    Npgsql     = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' }).Location
}
'RESULT ' + ($result | ConvertTo-Json -Compress)
'@
    }
    finally {
        $env:PSModulePath = $savedPath
        Remove-Item Env:DBADAPTER_PACKAGE_URL -ErrorAction SilentlyContinue
    }
    $line = $session.Output | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    $script:result = if ($line) { $line.Substring(7) | ConvertFrom-Json } else { $null }
    $script:password = $password
}

AfterAll {
    Remove-DbTestArtifact -Server $server -Role $role -Database $database -Folder $folder
}

Describe 'The DbAdapter package' {
    It 'is built by ./build.ps1 -Task Package' {
        $build.ExitCode | Should -Be 0 -Because ($build.Output -join "`n")
        Test-Path $package | Should -BeTrue
    }

    It 'installs with Save-PSResource as DbAdapter/<version>, with its dependencies and help' {
        $installed = Join-Path $modules "DbAdapter/$version"
        Test-Path (Join-Path $installed 'DbAdapter.psd1') | Should -BeTrue
        Test-Path (Join-Path $installed 'DbAdapter.PowerShell.dll') | Should -BeTrue
        Test-Path (Join-Path $installed 'Dependencies/DbAdapter.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $installed 'Dependencies/Npgsql.dll') | Should -BeTrue
        Test-Path (Join-Path $installed 'en-US/DbAdapter.PowerShell.dll-Help.xml') | Should -BeTrue
        Test-Path (Join-Path $installed 'en-US/about_DbAdapter.help.txt') | Should -BeTrue
        (Import-PowerShellDataFile -Path (Join-Path $installed 'DbAdapter.psd1')).ModuleVersion | Should -Be $version
    }

    It 'imports by name in a fresh pwsh, from where it was installed' {
        $result | Should -Not -BeNullOrEmpty -Because ($session.Output -join "`n")
        $session.ExitCode | Should -Be 0
        $result.ModuleBase | Should -BeLike "$modules*"
        $result.Version | Should -Be $version
    }

    It "offers exactly the manifest's cmdlets" {
        $expected = $manifest.CmdletsToExport | ForEach-Object { "Cmdlet $_" } | Sort-Object
        $result.Commands | Sort-Object | Should -Be $expected
    }

    It 'connects for real' {
        $result.Database | Should -Be $database
        $result.Server | Should -Match '^\d+'
        $result.Notes | Should -Be 2
        $result.Shown | Should -Match ([regex]::Escape($database.Substring(0, 10)))
        $result.Shown | Should -Not -Match ([regex]::Escape($password))
    }

    It 'ships its engine precompiled for .NET 8 and .NET 10 on linux-x64 and win-x64, and runs that set here' {
        $installed = Join-Path $modules "DbAdapter/$version"
        foreach ($set in 'net8.0-linux-x64', 'net8.0-win-x64', 'net10.0-linux-x64', 'net10.0-win-x64') {
            foreach ($assembly in 'DbAdapter.Core.dll', 'Npgsql.dll', 'Tomlyn.dll') {
                Test-Path (Join-Path $installed "Dependencies/ReadyToRun/$set/$assembly") | Should -BeTrue -Because "$set holds $assembly"
            }
        }

        # This pwsh (7.6 on .NET 10) on this machine: the set made for it when there is one, else the portable one.
        $expected = if ($result.Runtime -in 'net8.0-linux-x64', 'net10.0-linux-x64', 'net8.0-win-x64', 'net10.0-win-x64') {
            Join-Path $installed "Dependencies/ReadyToRun/$($result.Runtime)"
        }
        else {
            Join-Path $installed 'Dependencies'
        }
        Split-Path -Parent $result.Engine | Should -Be $expected
        Split-Path -Parent $result.Npgsql | Should -Be $expected
    }

    It 'has its help: cmdlets and about_DbAdapter' {
        $result.Synopsis | Should -Not -BeNullOrEmpty
        $result.Synopsis | Should -Not -BeLike 'Connect-DbProfile *'
        $result.About | Should -Match 'WHICH PROFILE A COMMAND USES'
    }
}
