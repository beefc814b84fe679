#Requires -Modules DbAdapter
<#
.SYNOPSIS
    Sample runbook: look at the profiles, connect for real, and see what each database holds.
.DESCRIPTION
    Runs against the db.toml in the current location (or -ConfigPath). The README's demo command
    runs it against a throwaway PostgreSQL with two profiles: "local" (matches schema.sql) and
    "drifted" (an older schema).
#>
[CmdletBinding()]
param(
    [string] $ConfigPath = './db.toml'
)

$ErrorActionPreference = 'Stop'

'== The profiles of db.toml =='
Get-DbProfile -ConfigPath $ConfigPath

'== Connect to "local": a real connection, with exact row counts =='
$connection = Connect-DbProfile -Name local -ConfigPath $ConfigPath
$connection
$connection.Tables

'== "local" is now the current profile =='
Get-DbProfile -Current -ConfigPath $ConfigPath
