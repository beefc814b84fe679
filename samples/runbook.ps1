#Requires -Modules DbAdapter
<#
.SYNOPSIS
    Sample runbook: look at the profiles, connect for real, repair drift, then back up one user's
    rows and restore them into a second database.
.DESCRIPTION
    Runs against the db.toml in the current location (or -ConfigPath). The README's demo command
    runs it against a throwaway PostgreSQL with three profiles: "local" (matches schema.sql, with
    rows), "drifted" (an older schema) and "staging" (schema.sql, empty), and the backup schema of
    samples/backup-schema.json ([schema] backup_schema).
#>
[CmdletBinding()]
param(
    [string] $ConfigPath = './db.toml',
    [string] $UserId = '00000000-0000-0000-0000-000000000001'
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

'== Back up one user of "local": every column of every row of the backup schema''s tables =='
$backup = Backup-Database -Profile local -UserId $UserId -ConfigPath $ConfigPath
$backup
$backup.Tables

'== Check the file offline: no db.toml, no server =='
$backup | Test-DbBackup

'== Dry run of the restore into "staging": the counts a real run would produce, nothing written =='
$backup | Restore-Database -Profile staging -UserId $UserId -ConfigPath $ConfigPath -WhatIf

'== Restore into "staging": one transaction, keys from staging''s sequences, children follow their parents =='
$restore = $backup | Restore-Database -Profile staging -UserId $UserId -ConfigPath $ConfigPath
$restore
$restore.Tables

'== Restore it again: every row matches by its natural key and is left alone =='
$backup | Restore-Database -Profile staging -UserId $UserId -ConfigPath $ConfigPath
