#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester tests for pwsh users: Test-DbSchema, Get-DbFixPlan and Invoke-DbFix on the built module
# against a real PostgreSQL server (the drifted database of the Python tool's live suite).

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
    $drift = @'
CREATE TABLE items (A SERIAL PRIMARY KEY, C TEXT, D INTEGER DEFAULT 0, G VARCHAR(50));
CREATE TABLE categories (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, user_id UUID);
CREATE TABLE products (id SERIAL PRIMARY KEY, slug TEXT UNIQUE, name TEXT, category_id INTEGER REFERENCES categories(id), user_id UUID);
INSERT INTO items (c, d, g) SELECT 'item ' || g, g, 'g' || g FROM generate_series(1, 5) g;
INSERT INTO categories (slug, name) VALUES ('c1', 'One');
INSERT INTO products (slug, name, category_id) VALUES ('p1', 'P1', 1), ('p2', 'P2', 1);
'@
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_full_', 'pester_drift_'
    $script:role = $created.Role
    $script:full, $script:drifted = $created.Databases
    Invoke-DbTestSql $server $full "SET ROLE $role; $schema"
    Invoke-DbTestSql $server $drifted "SET ROLE $role; $drift"
    $toml = @"
[profiles.full]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${full}"
password_env = "DBADAPTER_PESTER_PASSWORD"

[profiles.drifted]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${drifted}"
password_env = "DBADAPTER_PESTER_PASSWORD"

[schema]
file = "schema.sql"
"@
    $script:folder = New-DbTestFolder -Name schema -Files @{ 'schema.sql' = $schema; 'db.toml' = $toml }
    $script:config = Join-Path $folder 'db.toml'
    $env:DBADAPTER_PESTER_PASSWORD = $password
}

AfterAll {
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $full, $drifted -Folder $folder
}

Describe 'Test-DbSchema' {
    It 'finds a database built from schema.sql valid, even -Strict' {
        $report = Test-DbSchema -Profile full -ConfigPath $config -Strict
        $report.IsValid | Should -BeTrue
        $report.Differences.Count | Should -Be 0
    }

    It 'reports exactly the five missing columns of the drifted database' {
        $report = Test-DbSchema -Profile drifted -ConfigPath $config
        $report.IsValid | Should -BeFalse
        $report.ErrorCount | Should -Be 5
        ($report.MissingColumns | ForEach-Object { "$($_.Table).$($_.Column)" } | Sort-Object) |
            Should -Be @('items.b', 'items.e', 'items.f', 'products.active', 'products.price')
    }

    It 'returns a bare boolean with -Quiet' {
        Test-DbSchema -Profile full -ConfigPath $config -Quiet | Should -BeOfType [bool]
    }

    It 'refuses to make a drifted database current' {
        Connect-DbProfile -Name drifted -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue |
            ForEach-Object { $_.SchemaValidated | Should -BeFalse }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SchemaValidationFailed*'
        Test-Path (Join-Path $folder '.db-profile') | Should -BeFalse
    }
}

Describe 'Get-DbFixPlan | Invoke-DbFix' {
    It 'plans five AddColumn steps with a NotNullDeferred hazard on items.b' {
        $plan = Get-DbFixPlan -Profile drifted -ConfigPath $config
        $plan.Steps.Count | Should -Be 5
        $plan.Steps.Operation | Sort-Object -Unique | Should -Be 'AddColumn'
        ($plan.Steps | Where-Object Column -EQ 'b').Hazards.Kind | Should -Be 'NotNullDeferred'
    }

    It 'changes nothing with -WhatIf' {
        Get-DbFixPlan -Profile drifted -ConfigPath $config | Invoke-DbFix -WhatIf | Out-Null
        (Test-DbSchema -Profile drifted -ConfigPath $config).ErrorCount | Should -Be 5
    }

    It 'applies the plan, keeping every row' {
        $result = Get-DbFixPlan -Profile drifted -ConfigPath $config | Invoke-DbFix -Confirm:$false
        $result.Success | Should -BeTrue
        $result.ColumnsAdded | Should -Be 5
        Test-DbSchema -Profile drifted -ConfigPath $config -Quiet | Should -BeTrue
        $tables = (Connect-DbProfile -Name drifted -ConfigPath $config).Tables
        ($tables | Where-Object Table -EQ 'items').Rows | Should -Be 5
        ($tables | Where-Object Table -EQ 'products').Rows | Should -Be 2
    }
}
