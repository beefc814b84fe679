#Requires -Version 7.4
<#
.SYNOPSIS
    The README's demo: samples/runbook.ps1 against a throwaway PostgreSQL, nothing to configure.
.DESCRIPTION
    Starts a throwaway PostgreSQL cluster from the local server binaries (as the tests do; or uses
    DBADAPTER_TEST_CONNECTION), builds three databases from the samples ("local" from schema.sql with
    its rows, "drifted" from an older release's drifted.sql, and an empty "staging" from schema.sql
    to restore a backup into), writes db.toml, schema.sql and backup-schema.json into a temporary
    folder, and runs the runbook there one statement at a time, as if typed at the prompt: each
    statement's objects are shown through the module's own format views. Everything it made is
    removed at the end. Run it through the build, which builds the module first:

        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
.PARAMETER Runbook
    The runbook to run (default: samples/runbook.ps1). It reads ./db.toml by default.
.EXAMPLE
    dotnet pwsh samples/demo.ps1
#>
[CmdletBinding()]
param(
    [string] $Runbook = (Join-Path $PSScriptRoot 'runbook.ps1')
)

$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
$built = Join-Path $repo 'out'
if (-not (Test-Path (Join-Path $built 'DbAdapter/DbAdapter.psd1'))) {
    throw "The built module is missing (out/DbAdapter): run 'dotnet pwsh ./build.ps1 -Task Demo', which builds it first."
}
if ([Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }

$errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseFile($Runbook, [ref] $null, [ref] $errors)
if ($errors) { throw "${Runbook}: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber))" }

Import-Module (Join-Path $repo 'tests/pester/TestServer.psm1')
Write-Host 'Starting a throwaway PostgreSQL server...'
$server = Start-DbTestServer
$password = "demo-Pa`$`$ w@rd:/#$(Get-Random)"
$role = $null
$created = $null
$folder = $null
try {
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'demo_local_', 'demo_drifted_', 'demo_staging_'
    $role = $created.Role
    $local, $drifted, $staging = $created.Databases
    $samples = $PSScriptRoot
    $read = { param($name) Get-Content -Raw -Path (Join-Path $samples $name) }
    Invoke-DbTestSql -Server $server -Database $local -Sql "SET ROLE $role; $(& $read schema.sql) $(& $read seed.sql)"
    Invoke-DbTestSql -Server $server -Database $drifted -Sql "SET ROLE $role; $(& $read drifted.sql) $(& $read seed-drifted.sql)"
    Invoke-DbTestSql -Server $server -Database $staging -Sql "SET ROLE $role; $(& $read schema.sql)"

    $toml = @"
# Written by the DbAdapter demo: three databases on a throwaway server.
[profiles.local]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${local}?sslmode=disable"
description = "Matches schema.sql"
password_env = "DBADAPTER_DEMO_PASSWORD"

[profiles.drifted]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${drifted}?sslmode=disable"
description = "An older release's schema"
password_env = "DBADAPTER_DEMO_PASSWORD"

[profiles.staging]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${staging}?sslmode=disable"
description = "Empty, schema.sql: where the backup is restored"
password_env = "DBADAPTER_DEMO_PASSWORD"

[schema]
file = "schema.sql"
validate_on_connect = true
backup_schema = "backup-schema.json"
"@
    $folder = New-DbTestFolder -Name demo -Files @{
        'db.toml'            = $toml
        'schema.sql'         = & $read schema.sql
        'backup-schema.json' = & $read backup-schema.json
    }
    $env:DBADAPTER_DEMO_PASSWORD = $password
    # The built module, found by name as an installed one would be (the runbook #Requires it).
    $env:PSModulePath = $built + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module DbAdapter
    Write-Host "PostgreSQL ready on $($server.Host):$($server.Port); db.toml and schema.sql are in $folder"
    Write-Host "Running $([IO.Path]::GetRelativePath($repo, $Runbook)), one statement at a time:"
    Push-Location $folder
    try {
        foreach ($parameter in @($ast.ParamBlock | ForEach-Object Parameters)) {
            if ($parameter.DefaultValue) {
                Set-Variable -Name $parameter.Name.VariablePath.UserPath -Value (& ([scriptblock]::Create($parameter.DefaultValue.Extent.Text)))
            }
        }
        foreach ($statement in $ast.EndBlock.Statements) {
            # A statement that is only a string is one of the runbook's headings.
            $heading = $statement.Find({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $false)
            if ($heading -and $heading.StringConstantType -ne 'BareWord' -and $heading.Extent.Text -eq $statement.Extent.Text) {
                Write-Host ''
                Write-Host $heading.Value
                continue
            }
            Write-Host "PS> $($statement.Extent.Text)"
            # Dot-sourced: the runbook's variables ($connection, $plan, ...) live on between statements.
            . ([scriptblock]::Create($statement.Extent.Text)) | Out-Default
        }
    }
    finally {
        Pop-Location
    }
}
finally {
    Remove-Item Env:DBADAPTER_DEMO_PASSWORD -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $created.Databases -Folder $folder
}
