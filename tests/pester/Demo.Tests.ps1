#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's demo (samples/demo.ps1, which ./build.ps1 -Task Demo runs after a build): the
# sample runbook against a throwaway PostgreSQL, in a fresh pwsh, shown through the module's views.

BeforeAll {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $leftovers = { @(Get-ChildItem -Path ([IO.Path]::GetTempPath()) -Directory -Filter 'dbadapter-pester-*' | ForEach-Object FullName) }
    $script:before = & $leftovers
    $script:run = Invoke-TestPwsh -File (Join-Path $repo 'samples/demo.ps1')
    $script:after = & $leftovers
    $script:text = $run.Output -join "`n"
}

Describe 'The demo' {
    It 'runs the runbook to the end' {
        $run.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match '== "drifted" matches schema.sql again, and every row is still there =='
    }

    It 'echoes each statement as typed' {
        $text | Should -Match '(?m)^PS> Get-DbProfile -ConfigPath \$ConfigPath$'
        $text | Should -Match '(?m)^PS> \$plan \| Invoke-DbFix -WhatIf$'
    }

    It "shows each statement's objects through their own table view" {
        $text | Should -Match '(?m)^Name\s+Current\s+Host\s+Port\s+Database\s*$'
        $text | Should -Match '(?m)^Profile\s+Database\s+Server\s+Schema\s+Tables\s+Rows\s*$'
        $text | Should -Match '(?m)^Order\s+Table\s+Description\s+Hazards\s*$'
        $text | Should -Match '(?m)^drifted\s+False\s+5 5 col\s+1 tbl\s+0\s*$'
        $text | Should -Match '(?m)^drifted\s+True\s+0 none\s+1 tbl\s+1\s*$'
    }

    It 'prints one What if line per step of the plan, and one for each dry run of the restore and the sync' {
        @($run.Output | Where-Object { $_ -like 'What if:*' -and $_ -notlike '*Restore the backup*' -and $_ -notlike '*Sync the rows*' }).Count | Should -Be 5
        @($run.Output | Where-Object { $_ -like "What if: Performing the operation `"Restore the backup*on target `"profile 'staging'`"." }).Count | Should -Be 1
        @($run.Output | Where-Object { $_ -like "What if: Performing the operation `"Sync the rows of user *from profile 'local' (mode Skip)`" on target `"profile 'drifted'`"." }).Count | Should -Be 1
    }

    It 'backs up one user of local and restores it into staging, then skips every row the second time' {
        $text | Should -Match '(?m)^Profile\s+UserId\s+Rows\s+Size\s*$'
        $text | Should -Match '(?m)^local\s+00000000-0000-0000-0000-000000000001\s+10\s+1\.\d KiB\s*$'
        $text | Should -Match '(?m)^True\s+0\s+0\s+/\S+'
        $text | Should -Match '(?m)^staging\s+Skip\s+False\s+10\s+0\s+0\s+0\s*$'
        $text | Should -Match '(?m)^staging\s+Skip\s+True\s+10\s+0\s+0\s+0\s*$'
        $text | Should -Match '(?m)^staging\s+Skip\s+True\s+0\s+0\s+10\s+0\s*$'
        $text | Should -Match '(?m)^products\s+7\s+0\s+0\s+0\s*$'
    }

    It 'syncs the user from local into drifted, where every row exists already and is brought up to date' {
        $text | Should -Match '(?m)^Source\s+Destination\s+Mode\s+Committed\s+New\s+Existing\s+Written\s*$'
        $text | Should -Match '(?m)^local\s+drifted\s+Skip\s+False\s+0\s+10\s+0\s*$'
        $text | Should -Match '(?m)^local\s+drifted\s+Overwrite\s+True\s+0\s+10\s+10\s*$'
        $text | Should -Match '(?m)^products\s+7\s+7\s+0\s+7\s+0\s+7\s*$'
    }

    It 'shows the refusal of a drifted database as an error with its message' {
        $text | Should -Match "Profile 'drifted' does not match"
    }

    It 'leaves no folder behind' {
        $after | Where-Object { $_ -notin $before } | Should -BeNullOrEmpty
    }
}
