#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-DbSchema, Get-DbFixPlan and Invoke-DbFix as a user runs them in pwsh, on the built module
# against a real PostgreSQL server: the drifted database of the Python tool's live suite.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw@:/%# s3cr3t-Pester'
    $schema = @'
CREATE TABLE items (A SERIAL PRIMARY KEY, B VARCHAR(100) NOT NULL, C TEXT, D INTEGER DEFAULT 0, E BOOLEAN DEFAULT FALSE, F TIMESTAMP DEFAULT NOW(), G VARCHAR(50));
CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), price INTEGER DEFAULT 0, active BOOLEAN DEFAULT TRUE, user_id UUID);
'@
    # Five missing columns, one extra table, and one type difference that only -Strict counts.
    $drift = @'
CREATE TABLE items (A SERIAL PRIMARY KEY, C TEXT, D INTEGER DEFAULT 0, G VARCHAR(50));
CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name VARCHAR(20), user_id UUID);
CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), user_id UUID);
CREATE TABLE audit_notes (id SERIAL PRIMARY KEY, note TEXT);
INSERT INTO items (c, d, g) SELECT 'item ' || g, g, 'g' || g FROM generate_series(1, 5) g;
INSERT INTO categories (slug, name) VALUES ('c1', 'One');
INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', 1);
'@
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_full_', 'pester_drift_'
    $script:role = $created.Role
    $script:full, $script:drifted = $created.Databases
    Invoke-DbTestSql -Server $server -Database $full -Sql "SET ROLE $role; $schema"
    Invoke-DbTestSql -Server $server -Database $drifted -Sql "SET ROLE $role; $drift"
    $toml = @"
$(Format-DbTestProfile -Name full -Server $server -Role $role -Database $full)
$(Format-DbTestProfile -Name drifted -Server $server -Role $role -Database $drifted)
[schema]
file = "schema.sql"
"@
    $files = @{
        'schema.sql'       = $schema
        'db.toml'          = $toml
        'no-tables.sql'    = 'CREATE TABLE (;'
        'bad-defs.json'    = '{ "items.b": '
        'column-defs.json' = '{ "items.b": "VARCHAR(100) NOT NULL DEFAULT ''none''" }'
    }
    $script:folder = New-DbTestFolder -Name schema -Files $files
    $script:config = Join-Path $folder 'db.toml'
    $env:DBADAPTER_PESTER_PASSWORD = $password

    function script:Get-WhatIfLine {
        # "What if:" lines go to the host, not to a stream: a transcript sees them.
        param([scriptblock] $ScriptBlock)
        $transcript = Join-Path $folder "whatif-$(New-Guid).txt"
        Start-Transcript -Path $transcript | Out-Null
        try {
            & $ScriptBlock | Out-Null
        }
        finally {
            Stop-Transcript | Out-Null
        }
        Get-Content -Path $transcript | Where-Object { $_ -like 'What if:*' }
    }
}

AfterAll {
    Disconnect-DbProfile -ConfigPath $config
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $full, $drifted -Folder $folder
}

Describe 'Test-DbSchema' {
    It 'finds a database built from schema.sql valid, even -Strict' {
        $report = Test-DbSchema -Profile full -ConfigPath $config -Strict
        $report.IsValid | Should -BeTrue
        $report.ErrorCount | Should -Be 0
        $report.Differences.Count | Should -Be 0
        $report.SchemaFile | Should -Be (Join-Path $folder 'schema.sql')
    }

    It 'reports the five missing columns and the extra table of the drifted database' {
        $report = Test-DbSchema -Profile drifted -ConfigPath $config
        $report.IsValid | Should -BeFalse
        $report.ErrorCount | Should -Be 5
        ($report.MissingColumns | ForEach-Object { "$($_.Table).$($_.Column)" } | Sort-Object) |
            Should -Be @('items.b', 'items.e', 'items.f', 'products.active', 'products.price')
        $report.ExtraTables | Should -Be @('audit_notes')
        $report.MissingTables.Count | Should -Be 0
    }

    It 'counts a type difference as an error only with -Strict' {
        $report = Test-DbSchema -Profile drifted -ConfigPath $config -Strict
        $report.ErrorCount | Should -Be 6
        $report.Differences.Count | Should -Be 1
        $report.Differences[0].Table | Should -Be 'categories'
        $report.Differences[0].Column | Should -Be 'name'
        $report.Differences[0].Kind | Should -Be 'Type'
        $report.Differences[0].Expected | Should -Be 'text'
        $report.Differences[0].Actual | Should -Be 'character varying(20)'
    }

    It 'returns a bare boolean with -Quiet' {
        Test-DbSchema -Profile full -ConfigPath $config -Quiet | Should -BeTrue
        Test-DbSchema -Profile drifted -ConfigPath $config -Quiet | Should -BeFalse
    }

    It 'tests every profile piped from Get-DbProfile' {
        $reports = Get-DbProfile -ConfigPath $config | Test-DbSchema
        $reports.Profile | Should -Be @('full', 'drifted')
        $reports.IsValid | Should -Be @($true, $false)
    }

    It 'reports a missing schema file as SchemaFileNotFound' {
        Test-DbSchema -Profile full -ConfigPath $config -SchemaFile (Join-Path $folder 'absent.sql') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SchemaFileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a schema file without one readable table as SchemaFileInvalid' {
        Test-DbSchema -Profile full -ConfigPath $config -SchemaFile (Join-Path $folder 'no-tables.sql') -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SchemaFileInvalid,*'
        $err[0].Exception.Message | Should -Match 'no-tables\.sql'
    }

    It 'makes Connect-DbProfile refuse a drifted database as SchemaValidationFailed' {
        $info = Connect-DbProfile -Name drifted -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue
        $info.SchemaValidated | Should -BeFalse
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SchemaValidationFailed,*'
        Test-Path (Join-Path $folder '.db-profile') | Should -BeFalse
    }
}

Describe 'Get-DbFixPlan' {
    It 'plans five AddColumn steps, with a NotNullDeferred hazard on items.b' {
        $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config -WarningAction SilentlyContinue
        $plan.HasChanges | Should -BeTrue
        $plan.Steps.Count | Should -Be 5
        $plan.Steps.Operation | Sort-Object -Unique | Should -Be 'AddColumn'
        $plan.Steps.Order | Should -Be @(1, 2, 3, 4, 5)
        $b = $plan.Steps | Where-Object Column -EQ 'b'
        $b.Hazards.Kind | Should -Be 'NotNullDeferred'
        $b.Hazards.Blocking | Should -BeFalse
        $b.Sql | Should -Match 'ALTER TABLE "public"."items" ADD COLUMN "b" VARCHAR\(100\)'
    }

    It 'takes a report from Test-DbSchema on the pipeline' {
        $plan = Test-DbSchema -Profile drifted -ConfigPath $config | Get-DbFixPlan -WarningAction SilentlyContinue
        $plan.Profile | Should -Be 'drifted'
        $plan.Steps.Count | Should -Be 5
    }

    It 'takes a column definition from -ColumnDefinitionsPath' {
        $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config -ColumnDefinitionsPath (Join-Path $folder 'column-defs.json') -WarningAction SilentlyContinue
        $b = $plan.Steps | Where-Object Column -EQ 'b'
        $b.Sql | Should -Match "DEFAULT 'none'"
        $b.Hazards.Count | Should -Be 0
    }

    It 'reports broken column definitions as ColumnDefinitionsInvalid' {
        Get-DbFixPlan -Profile drifted -ConfigPath $config -ColumnDefinitionsPath (Join-Path $folder 'bad-defs.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ColumnDefinitionsInvalid,*'
    }

    It 'has no changes for a database that matches' {
        $plan = Get-DbFixPlan -Profile full -ConfigPath $config
        $plan.HasChanges | Should -BeFalse
        $plan.Steps.Count | Should -Be 0
        ($plan | Invoke-DbFix -Confirm:$false).Success | Should -BeTrue
    }
}

Describe 'Invoke-DbFix' {
    It 'says what it would do with -WhatIf, one line per step, and changes nothing' {
        $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config -WarningAction SilentlyContinue
        $lines = Get-WhatIfLine { $plan | Invoke-DbFix -WhatIf -WarningAction SilentlyContinue }
        $lines | Should -Be @($plan.Steps | ForEach-Object { "What if: Performing the operation ""$($_.Description)"" on target ""$($_.Schema).$($_.Table)""." })
        $lines[0] | Should -BeLike '*Add column b VARCHAR(100)*public.items*'
        $result = $plan | Invoke-DbFix -WhatIf -WarningAction SilentlyContinue
        $result.WhatIf | Should -BeTrue
        $result.ColumnsAdded | Should -Be 5
        (Test-DbSchema -Profile drifted -ConfigPath $config).ErrorCount | Should -Be 5
    }

    It 'applies the plan in one go, keeping every row, and warns about the deferred NOT NULL' {
        $result = Get-DbFixPlan -Profile drifted -ConfigPath $config -WarningAction SilentlyContinue |
            Invoke-DbFix -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Success | Should -BeTrue
        $result.WhatIf | Should -BeFalse
        $result.ColumnsAdded | Should -Be 5
        ($warnings -join "`n") | Should -Match 'NotNullDeferred'
        Test-DbSchema -Profile drifted -ConfigPath $config -Quiet | Should -BeTrue
        $tables = (Connect-DbProfile -Name drifted -ConfigPath $config).Tables
        ($tables | Where-Object Table -EQ 'items').Rows | Should -Be 5
        ($tables | Where-Object Table -EQ 'products').Rows | Should -Be 2
    }

    It 'refuses a table rebuild without -Force as FixPlanHasHazards' {
        $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config -RecreateTable items -WarningAction SilentlyContinue
        $plan.Steps.Hazards.Kind | Should -Contain 'RewritesTable'
        $plan | Invoke-DbFix -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FixPlanHasHazards,*'
        $err[0].TargetObject | Should -Be $plan
    }

    It 'rebuilds a table with -Force after a pre-fix backup, keeping its rows' {
        # First finish the deferred NOT NULL as the hazard says: schema.sql's items.b is NOT NULL.
        Invoke-DbTestSql -Server $server -Database $drifted -Sql "UPDATE items SET b = 'filled'; ALTER TABLE items ALTER COLUMN b SET NOT NULL;"
        $backup = Join-Path $folder 'pre-fix.json'
        $result = Get-DbFixPlan -Profile drifted -ConfigPath $config -RecreateTable items -WarningAction SilentlyContinue |
            Invoke-DbFix -Force -BackupPath $backup -Confirm:$false -WarningAction SilentlyContinue
        $result.Success | Should -BeTrue
        $result.TablesRecreated | Should -Be 1
        $result.BackupPath | Should -Be $backup
        (Get-Content -Raw -Path $backup | ConvertFrom-Json).items.Count | Should -Be 5
        $tables = (Connect-DbProfile -Name drifted -ConfigPath $config).Tables
        ($tables | Where-Object Table -EQ 'items').Rows | Should -Be 5
    }
}
