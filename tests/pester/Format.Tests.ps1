#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's format views as a user sees them in an 80-column pwsh: every table fits, no header
# wraps, no row wraps (save the hazard messages, which wrap on purpose), and the list views hold
# what the tables leave out. Real objects from a real PostgreSQL server, with long names.

BeforeDiscovery {
    $script:rendered = @(
        'DbAdapter.DbProfileInfo', 'DbAdapter.DbConnectionInfo', 'DbAdapter.DbTableCount',
        'DbAdapter.DbSchemaReport', 'DbAdapter.DbColumnRef', 'DbAdapter.DbColumnDifference', 'DbAdapter.DbObjectRef',
        'DbAdapter.DbFixPlan', 'DbAdapter.DbFixStep', 'DbAdapter.DbFixHazard', 'DbAdapter.DbFixResult',
        'DbAdapter.DbBackupResult', 'DbAdapter.DbTableBackup', 'DbAdapter.DbBackupValidation',
        'DbAdapter.DbRestoreResult', 'DbAdapter.DbTableRestore', 'DbAdapter.DbRowFailure',
        'DbAdapter.DbSyncResult', 'DbAdapter.DbTableSync'
    ) | ForEach-Object { @{ Type = $_ } }
}

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:savedRendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'
    [xml] $script:views = Get-Content -Raw -Path (Join-Path $repo 'out/DbAdapter/DbAdapter.Format.ps1xml')

    $script:server = Start-DbTestServer
    $password = 'Pw-Format-Views-1'
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_local_application_', 'pester_drifted_application_', 'pester_staging_application_'
    $script:role = $created.Role
    $script:databases = $created.Databases
    $schema = Get-Content -Raw -Path (Join-Path $repo 'samples/schema.sql')
    $seed = Get-Content -Raw -Path (Join-Path $repo 'samples/seed.sql')
    $drift = (Get-Content -Raw -Path (Join-Path $repo 'samples/drifted.sql')) + (Get-Content -Raw -Path (Join-Path $repo 'samples/seed-drifted.sql'))
    Invoke-DbTestSql -Server $server -Database $databases[0] -Sql "SET ROLE $role; $schema $seed"
    Invoke-DbTestSql -Server $server -Database $databases[1] -Sql "SET ROLE $role; $drift ALTER TABLE categories ALTER COLUMN name TYPE varchar(20); DROP INDEX products_category_idx;"
    Invoke-DbTestSql -Server $server -Database $databases[2] -Sql "SET ROLE $role; $schema"
    $toml = @"
[profiles.local-development-copy]
url = "postgresql://${role}:${password}@$($server.Host):$($server.Port)/$($databases[0])"
description = "A local copy of the application database, refreshed every night from staging"

[profiles.drifted]
url = "postgresql://${role}:${password}@$($server.Host):$($server.Port)/$($databases[1])"

[profiles.staging-application-copy]
url = "postgresql://${role}:${password}@$($server.Host):$($server.Port)/$($databases[2])"

[profiles.supabase-production]
url = "postgresql://postgres.abcdefghijklmnop@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"
provider = "supabase"
description = "Production (transaction pooler)"

[schema]
file = "schema.sql"
"@
    $script:folder = New-DbTestFolder -Name format -Files @{ 'db.toml' = $toml; 'schema.sql' = $schema }
    $config = Join-Path $folder 'db.toml'

    $connection = Connect-DbProfile -Name local-development-copy -ConfigPath $config
    $report = Test-DbSchema -Profile drifted -ConfigPath $config -Strict
    $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config -WarningAction SilentlyContinue
    $backupSchema = Join-Path $repo 'samples/backup-schema.json'
    $backup = Backup-Database -Profile local-development-copy -ConfigPath $config -UserId 00000000-0000-0000-0000-000000000001 -BackupSchema $backupSchema -Path (Join-Path $folder 'backup.json')
    # Products moved under a category the file lacks: each fails, set aside by -SkipFailedRows.
    $orphans = Join-Path $folder 'orphans.json'
    (Get-Content -Raw -Path $backup.Path) -replace '"category_id":2,', '"category_id":999,' | Set-Content -Path $orphans
    $restore = Restore-Database $orphans -Profile local-development-copy -ConfigPath $config -BackupSchema $backupSchema -UserId 00000000-0000-0000-0000-000000000001 -SkipFailedRows -ErrorAction SilentlyContinue
    $sync = Sync-DbProfile -Source local-development-copy -Destination staging-application-copy -ConfigPath $config -UserId 00000000-0000-0000-0000-000000000001 -BackupSchema $backupSchema
    $script:objects = @{
        'DbAdapter.DbProfileInfo'      = @(Get-DbProfile -ConfigPath $config)
        'DbAdapter.DbConnectionInfo'   = @($connection)
        'DbAdapter.DbTableCount'       = @($connection.Tables)
        'DbAdapter.DbSchemaReport'     = @($report, (Test-DbSchema -Profile local-development-copy -ConfigPath $config))
        'DbAdapter.DbColumnRef'        = @($report.MissingColumns)
        'DbAdapter.DbColumnDifference' = @($report.Differences)
        'DbAdapter.DbObjectRef'        = @($report.MissingObjects)
        'DbAdapter.DbFixPlan'          = @($plan)
        'DbAdapter.DbFixStep'          = @($plan.Steps)
        'DbAdapter.DbFixHazard'        = @($plan.Steps.Hazards)
        'DbAdapter.DbFixResult'        = @($plan | Invoke-DbFix -WhatIf -WarningAction SilentlyContinue)
        'DbAdapter.DbBackupResult'     = @($backup)
        'DbAdapter.DbTableBackup'      = @($backup.Tables)
        'DbAdapter.DbBackupValidation' = @((Test-DbBackup $backup.Path), (Test-DbBackup $orphans -BackupSchema $backupSchema))
        'DbAdapter.DbRestoreResult'    = @($restore)
        'DbAdapter.DbTableRestore'     = @($restore.Tables)
        'DbAdapter.DbRowFailure'       = @($restore.Tables.Failures)
        'DbAdapter.DbSyncResult'       = @($sync)
        'DbAdapter.DbTableSync'        = @($sync.Tables)
    }

    function script:Get-TableView {
        param([string] $TypeName)
        $script:views.Configuration.ViewDefinitions.View |
            Where-Object { $_.ViewSelectedBy.TypeName -eq $TypeName -and $_['TableControl'] } |
            Select-Object -First 1
    }
}

AfterAll {
    $PSStyle.OutputRendering = $savedRendering
    Disconnect-DbProfile -ConfigPath (Join-Path $folder 'db.toml')
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $databases -Folder $folder
}

Describe 'DbAdapter.Format.ps1xml' {
    It 'has a table view for every output type of the module' {
        $types = (Get-Module DbAdapter).ImplementingAssembly.GetExportedTypes() |
            Where-Object { $_.Namespace -eq 'DbAdapter' -and $_.IsClass } |
            ForEach-Object FullName
        $types | Should -Not -BeNullOrEmpty
        foreach ($type in $types) {
            Get-TableView -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a table view"
        }
    }

    It 'sizes every table to fit 80 columns, each label within its column' {
        $tables = @($views.Configuration.ViewDefinitions.View | Where-Object { $_['TableControl'] })
        $tables.Count | Should -BeGreaterThan 0
        foreach ($view in $tables) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $widths = @($headers | ForEach-Object { [int] $_.Width })
            $widths | Should -Not -Contain 0 -Because "every column of $($view.Name) needs a Width"
            ($widths | Measure-Object -Sum).Sum + $headers.Count - 1 | Should -BeLessOrEqual 79 -Because "$($view.Name) must fit 80 columns"
            foreach ($header in $headers) {
                $header.Label.Length | Should -BeLessOrEqual ([int] $header.Width) -Because "label $($header.Label) of $($view.Name) must not wrap"
            }
        }
    }
}

Describe '<Type> in 80 columns' -ForEach $rendered {
    BeforeAll {
        $script:items = $objects[$Type]
        $script:view = Get-TableView -TypeName $Type
    }

    It 'is rendered from real objects of its type' {
        $items.Count | Should -BeGreaterThan 0
        $items | ForEach-Object { $_.GetType().FullName | Should -Be $Type }
    }

    It 'shows a table whose header is one line and whose lines fit' {
        $lines = ($items | Out-String -Width 80) -split '\r?\n'
        $lines | Where-Object Length -GT 80 | Should -BeNullOrEmpty
        $dash = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($line) $line -match '^-+( +-+)* *$' })
        $dash | Should -BeGreaterThan 0
        $labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label)
        $lines[$dash - 1].Trim() -split '\s+' | Should -Be $labels
        if ($dash -ge 2) { $lines[$dash - 2].Trim() | Should -BeNullOrEmpty }
        if (-not $view.TableControl.TableRowEntries.TableRowEntry['Wrap']) {
            # The data rows are the non-empty lines below the dash line.
            $rows = @($lines[($dash + 1)..($lines.Count - 1)] | Where-Object { $_.Trim() })
            $rows.Count | Should -Be $items.Count -Because 'a row must not wrap'
        }
    }

    It 'shows every property in the list view, lines fitting' {
        $lines = ($items | Format-List | Out-String -Width 80) -split '\r?\n'
        $lines | Where-Object Length -GT 80 | Should -BeNullOrEmpty
        $shown = @($lines | Where-Object { $_ -match '^(\w+)\s*:( |$)' } | ForEach-Object { $_ -replace '\s*:.*$' } | Select-Object -Unique)
        $properties = $items[0].PSObject.Properties.Name
        foreach ($property in $properties) {
            $shown | Should -Contain $property -Because "Format-List of $Type shows $property"
        }
    }
}

Describe 'What the tables show' {
    It 'marks the current profile with where it comes from' {
        $text = Get-DbProfile -ConfigPath (Join-Path $folder 'db.toml') | Out-String -Width 80
        $text | Should -Match 'local-developme\S*\s+Session\s'
    }

    It 'sums up the drift in words' {
        $text = $objects['DbAdapter.DbSchemaReport'][0] | Out-String -Width 80
        $text | Should -Match 'drifted\s+False\s+7 5 col, 1 idx\s+1 tbl\s+1'
    }

    It 'says a -WhatIf result changed nothing yet' {
        $text = $objects['DbAdapter.DbFixResult'] | Out-String -Width 80
        $text | Should -Match 'drifted\s+True\s+True\s+5 columns added, 1 object'
    }
}
