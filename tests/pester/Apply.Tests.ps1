#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The production workflow as an operator runs it in pwsh, on the built module against a real
# PostgreSQL server: Invoke-DbFix behind a psql session that holds a lock, and plans exported for
# review (JSON and a psql script), imported and applied later only if the database is unchanged.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw-Apply-Pester-1'
    $schema = @'
CREATE TABLE items (A SERIAL PRIMARY KEY, B VARCHAR(100) NOT NULL, C TEXT, D INTEGER DEFAULT 0, E BOOLEAN DEFAULT FALSE, F TIMESTAMP DEFAULT NOW(), G VARCHAR(50));
CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), price INTEGER DEFAULT 0, active BOOLEAN DEFAULT TRUE, user_id UUID);
CREATE TABLE reviews (id SERIAL PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id), stars INTEGER CHECK (stars BETWEEN 1 AND 5));
'@
    # Five missing columns and a missing table.
    $drift = @'
CREATE TABLE items (A SERIAL PRIMARY KEY, C TEXT, D INTEGER DEFAULT 0, G VARCHAR(50));
CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), user_id UUID);
INSERT INTO items (c, d, g) SELECT 'item ' || g, g, 'g' || g FROM generate_series(1, 5) g;
INSERT INTO categories (slug, name) VALUES ('c1', 'One');
INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', 1);
'@
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_locked_', 'pester_files_', 'pester_stale_', 'pester_script_'
    $script:role = $created.Role
    $script:databases = $created.Databases
    $script:locked, $script:files, $script:stale, $script:scripted = $databases
    foreach ($database in $databases) {
        Invoke-DbTestSql -Server $server -Database $database -Sql "SET ROLE $role; $drift"
    }
    $profiles = foreach ($name in 'locked', 'files', 'stale', 'scripted') {
        @"
[profiles.$name]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/$(Get-Variable -Name $name -ValueOnly)"
password_env = "DBADAPTER_PESTER_APPLY_PASSWORD"

"@
    }
    $toml = ($profiles -join '') + @"
[profiles.busy]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/$locked"
password_env = "DBADAPTER_PESTER_APPLY_PASSWORD"
lock_timeout = "1s"

[schema]
file = "schema.sql"
"@
    $script:folder = New-DbTestFolder -Name apply -Files @{ 'schema.sql' = $schema; 'db.toml' = $toml }
    $script:config = Join-Path $folder 'db.toml'
    $script:plans = New-Item -ItemType Directory -Path (Join-Path $folder 'plans')
    $env:DBADAPTER_PESTER_APPLY_PASSWORD = $password

    function script:Get-Shape {
        # Every column of public as the server describes it: what "the same schema" means here.
        param([string] $Database)
        Invoke-DbTestSql -Server $server -Database $Database -Sql @'
SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1;
'@
    }
}

AfterAll {
    Remove-Item Env:DBADAPTER_PESTER_APPLY_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $databases -Folder $folder
}

Describe 'Invoke-DbFix behind a lock' {
    It 'reads lock_timeout of a profile without an unknown-key warning' {
        $null = Get-DbProfile -ConfigPath $config -WarningVariable warnings
        $warnings.Count | Should -Be 0
    }

    It 'gives up after the lock timeout and one retry in about 2 s, naming the blocking session; nothing changes' {
        $plan = Get-DbFixPlan -Profile locked -ConfigPath $config -WarningAction SilentlyContinue
        # Another session of the same login: a login sees state and query only of its own sessions
        # (or with pg_read_all_stats).
        $holder = Start-DbTestLock -Server $server -Database $locked -Table items -User $role -Password $password
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $plan | Invoke-DbFix -LockTimeout 00:00:01 -RetryCount 1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $clock.Stop()

            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 8
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'FixFailed,*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $err[0].Exception.Message | Should -Match "^Table public\.items stayed locked for longer than the lock timeout \(1 s\): blocked by session \d+ \(user $role, application 'pester-lock-holder', state 'active', query started [0-9-]+ [0-9:]+Z: BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep\(60\); COMMIT;\) holding AccessExclusiveLock on public\.items\. The fix was tried 2 time\(s\) and rolled back each time; nothing was changed\.$"
            $err[0].ErrorDetails.RecommendedAction | Should -Match '-LockTimeout.*-RetryCount'
            @($warnings | Where-Object { "$_" -like 'Attempt 1 of 2: Table public.items stayed locked*pester-lock-holder*tried again in 0.*' }).Count | Should -Be 1

            # Reading waits no longer than the profile's lock_timeout, and says who is in the way.
            $clock.Restart()
            Get-DbFixPlan -Profile busy -ConfigPath $config -ErrorVariable planErr -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
            $planErr[0].FullyQualifiedErrorId | Should -BeLike 'LockTimeout,*'
            $planErr[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $planErr[0].Exception.Message | Should -Match "waited longer than its lock timeout \(1 s\) for a lock and was stopped: blocked by session \d+ \(.*application 'pester-lock-holder'.*holding AccessExclusiveLock on public\.items"
        }
        finally {
            Stop-DbTestLock -Server $server -Database $locked -Process $holder
        }
        (Test-DbSchema -Profile locked -ConfigPath $config).ErrorCount | Should -Be 6
    }

    It 'goes through once the blocking session lets go during the retries' {
        $plan = Get-DbFixPlan -Profile locked -ConfigPath $config -WarningAction SilentlyContinue
        $holder = Start-DbTestLock -Server $server -Database $locked -Table products -Seconds 1.5
        try {
            $result = $plan | Invoke-DbFix -LockTimeout 00:00:01 -RetryCount 3 -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally {
            Stop-DbTestLock -Server $server -Database $locked -Process $holder
        }
        $result.Success | Should -BeTrue
        $result.TablesCreated | Should -Be 1
        $result.ColumnsAdded | Should -Be 5
        @($warnings | Where-Object { "$_" -like 'Attempt 1 of 4: Table public.products stayed locked*pester-lock-holder*' }).Count | Should -Be 1
        Test-DbSchema -Profile locked -ConfigPath $config -Quiet | Should -BeTrue
    }
}

Describe 'Plans as files' {
    It 'exports a reviewable plan and applies it later, exactly as exported, on the unchanged database' {
        $plan = Get-DbFixPlan -Profile files -ConfigPath $config -WarningAction SilentlyContinue
        $file = $plan | Export-DbFixPlan -Path (Join-Path $plans 'files.json')
        $file.FullName | Should -Be (Join-Path $plans 'files.json')
        $file.Length | Should -BeGreaterThan 0

        $json = Get-Content -Raw -Path $file.FullName | ConvertFrom-Json
        $json.format | Should -Be 'dbadapter-fix-plan'
        $json.version | Should -Be 1
        $json.sha256 | Should -Match '^[0-9a-f]{64}$'
        $json.plan.profile | Should -Be 'files'
        $json.plan.schema_file.path | Should -Be '../schema.sql'
        $json.plan.schema_file.sha256 | Should -Be (Get-FileHash -Algorithm SHA256 -Path (Join-Path $folder 'schema.sql')).Hash.ToLowerInvariant()
        $json.plan.steps.operation | Should -Be $plan.Steps.Operation
        $json.plan.steps.statements | Should -Be $plan.Steps.Statements
        $json.plan.fingerprint.tables.table | Should -Be @('items', 'products', 'reviews')
        ($json.plan.fingerprint.tables | Where-Object table -EQ 'reviews').exists | Should -BeFalse

        $imported = Import-DbFixPlan -Path $file.FullName -ConfigPath $config -WarningAction SilentlyContinue
        $imported | Should -BeOfType 'DbAdapter.DbFixPlan'
        $imported.Profile | Should -Be 'files'
        $imported.SchemaFile | Should -Be (Join-Path $folder 'schema.sql')
        $imported.Steps.Statements | Should -Be $plan.Steps.Statements
        $imported.Steps.Hazards.Kind | Should -Be $plan.Steps.Hazards.Kind

        $result = $imported | Invoke-DbFix -Confirm:$false -WarningAction SilentlyContinue
        $result.Success | Should -BeTrue
        $result.ColumnsAdded | Should -Be 5
        $result.TablesCreated | Should -Be 1
        Test-DbSchema -Profile files -ConfigPath $config -Quiet | Should -BeTrue
    }

    It 'refuses the plan once a table it changes has changed, and applies nothing' {
        $file = Get-DbFixPlan -Profile stale -ConfigPath $config -WarningAction SilentlyContinue | Export-DbFixPlan -Path (Join-Path $plans 'stale.json')
        Invoke-DbTestSql -Server $server -Database $stale -Sql 'ALTER TABLE products ADD COLUMN note text;'

        Import-DbFixPlan $file.FullName -ConfigPath $config -WarningAction SilentlyContinue |
            Invoke-DbFix -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FixPlanStale,*'
        $err[0].Exception.Message | Should -Match 'no longer the one the plan was made for: column note of public\.products was added \(text\)\. Nothing was changed\.'
        $err[0].TargetObject | Should -BeOfType 'DbAdapter.DbFixPlan'
        (Test-DbSchema -Profile stale -ConfigPath $config).ErrorCount | Should -Be 6
    }

    It 'refuses a plan file changed after export, and one whose schema.sql changed' {
        $exported = Join-Path $plans 'stale.json'
        $tampered = Join-Path $plans 'tampered.json'
        (Get-Content -Raw -Path $exported) -creplace 'INTEGER DEFAULT 0', 'INTEGER DEFAULT 1' | Set-Content -Path $tampered -NoNewline
        Import-DbFixPlan $tampered -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FixPlanInvalid,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -Match 'does not match its sha256.*changed after it was exported'

        # Elsewhere, with a schema.sql that differs from the one the plan was made from.
        $elsewhere = New-DbTestFolder -Name apply-moved -Files @{
            'db.toml'    = Get-Content -Raw -Path $config
            'schema.sql' = (Get-Content -Raw -Path (Join-Path $folder 'schema.sql')) + "`n-- edited after the plan was exported`n"
        }
        try {
            New-Item -ItemType Directory -Path (Join-Path $elsewhere 'plans') | Out-Null
            Copy-Item -Path $exported -Destination (Join-Path $elsewhere 'plans')
            Import-DbFixPlan (Join-Path $elsewhere 'plans/stale.json') -ConfigPath (Join-Path $elsewhere 'db.toml') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'FixPlanInvalid,*'
            $err[0].Exception.Message | Should -Match 'was made from another version of .*schema\.sql: the file''s sha256 is [0-9a-f]{64}, the plan records [0-9a-f]{64}'
        }
        finally {
            Remove-Item -Recurse -Force -Path $elsewhere
        }
    }

    It 'applies a plan to another profile only when asked, with a warning' {
        $imported = Import-DbFixPlan (Join-Path $plans 'files.json') -Profile stale -ConfigPath $config -WarningVariable warnings -WarningAction SilentlyContinue
        $imported.Profile | Should -Be 'stale'
        @($warnings | Where-Object { "$_" -like "*was made for profile 'files'; it is used for profile 'stale' as asked*" }).Count | Should -Be 1
    }

    It 'writes the plan as one psql script that brings the database to the same schema' {
        $sql = Join-Path $plans 'scripted.sql'
        Get-DbFixPlan -Profile scripted -ConfigPath $config -WarningAction SilentlyContinue | Export-DbFixPlan -Path $sql -AsSql | Out-Null
        $lines = Get-Content -Path $sql
        $lines | Should -Contain 'BEGIN;'
        $lines[[array]::IndexOf($lines, 'BEGIN;') + 1] | Should -Be "SET LOCAL lock_timeout = '5s';"
        $lines | Should -Contain 'ALTER TABLE "public"."items" ADD COLUMN "b" VARCHAR(100);'
        ($lines | Where-Object { $_ -like '-- Validation:*' }).Count | Should -Be 1
        $lines[-1] | Should -Be 'COMMIT;'

        Invoke-DbTestSql -Server $server -Database $scripted -File $sql

        Test-DbSchema -Profile scripted -ConfigPath $config -Quiet | Should -BeTrue
        Get-Shape -Database $scripted | Should -Be (Get-Shape -Database $files)
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $plans 'whatif.json'
        Get-DbFixPlan -Profile scripted -ConfigPath $config | Export-DbFixPlan -Path $path -WhatIf | Out-Null
        Test-Path $path | Should -BeFalse
    }

    It 'points a plan that went through Export-Clixml to Export-DbFixPlan' {
        $clixml = Join-Path $plans 'plan.clixml'
        Get-DbFixPlan -Profile stale -ConfigPath $config -WarningAction SilentlyContinue | Export-Clixml -Path $clixml
        Import-Clixml -Path $clixml | Invoke-DbFix -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FixFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'read back from Export-Clixml/Import-Clixml.*Export-DbFixPlan -Path plan\.json.*Import-DbFixPlan -Path plan\.json'
        Import-Clixml -Path $clixml | Export-DbFixPlan -Path (Join-Path $plans 'from-clixml.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FixPlanInvalid,*'
        Test-Path (Join-Path $plans 'from-clixml.json') | Should -BeFalse
    }
}
