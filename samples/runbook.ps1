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

'== Does "local" match schema.sql? =='
Test-DbSchema -Profile local -ConfigPath $ConfigPath

'== And "drifted"? A drifted database is a report, not an error =='
$report = Test-DbSchema -Profile drifted -ConfigPath $ConfigPath
$report
'Missing columns:'
$report.MissingColumns
'Extra tables:'
$report.ExtraTables

'== Connect-DbProfile refuses to make a drifted database current (-ErrorAction Continue to see it) =='
Connect-DbProfile -Name drifted -ConfigPath $ConfigPath -ErrorAction Continue
Get-DbProfile -Current -ConfigPath $ConfigPath

'== Plan the repair of "drifted": reviewable, nothing changes yet =='
$plan = Get-DbFixPlan -Profile drifted -ConfigPath $ConfigPath
$plan
$plan.Steps
'Hazards:'
$plan.Steps.Hazards

'== Dry run: -WhatIf prints one line per step and changes nothing =='
$plan | Invoke-DbFix -WhatIf

'== Apply it: one transaction, validated again before commit =='
$plan | Invoke-DbFix -Confirm:$false

'== "drifted" matches schema.sql again, and every row is still there =='
Test-DbSchema -Profile drifted -ConfigPath $ConfigPath
(Connect-DbProfile -Name drifted -ConfigPath $ConfigPath).Tables
