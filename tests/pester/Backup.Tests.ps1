#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Backup-Database, Test-DbBackup and Restore-Database as a runbook uses them in pwsh: the built module
# against a real PostgreSQL server, two databases (prod and staging) of the Python tool's shape, and
# a backup file written the way the Python tool writes it.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw@:/%# s3cr3t-Backup'
    $script:userA = 'aaaaaaaa-0000-0000-0000-00000000000a'
    $script:userB = 'bbbbbbbb-0000-0000-0000-00000000000b'
    $schema = @'
CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
CREATE TABLE products (id serial PRIMARY KEY, slug text NOT NULL, name text, category_id integer REFERENCES categories(id),
    price numeric(10,2), active boolean DEFAULT true, created_at timestamptz, released date, attrs jsonb, user_id uuid NOT NULL,
    UNIQUE (user_id, category_id, slug));
'@
    $seed = @"
INSERT INTO categories (slug, name, user_id) SELECT s, initcap(s), u::uuid FROM unnest(ARRAY['tools', 'garden']) s, unnest(ARRAY['$userB', '$userA']) u;
INSERT INTO products (slug, name, category_id, price, created_at, released, attrs, user_id)
SELECT 'p' || g, 'Product ' || g, c.id, g * 1.25, '2025-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', '2025-01-01'::date + g,
       jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)), c.user_id
  FROM generate_series(1, 25) g JOIN categories c ON c.slug = CASE WHEN g % 2 = 0 THEN 'tools' ELSE 'garden' END ORDER BY g, c.user_id;
"@
    $bed = New-DbTestUserBed -Server $server -Password $password -DatabasePrefix 'pester_' -Schema $schema -ProdSql $seed
    $script:role, $script:prod, $script:staging = $bed.Role, $bed.Prod, $bed.Staging
    $script:folder = New-DbTestFolder -Name backup -Files $bed.Files
    Copy-Item -Path (Join-Path $repo 'tests/DbAdapter.Core.Tests/Backup/python-backup-1.1.json') -Destination $folder
    $env:DBADAPTER_PESTER_PASSWORD = $password
    $env:DBADAPTER_PESTER_USER = $userA
    Push-Location $folder

    function script:Invoke-Sql {
        param([string] $Database, [string] $Sql)
        @(Invoke-DbTestSql -Server $server -Database $Database -Sql $Sql)
    }

    $script:productsOfA = "SELECT c.slug || '/' || p.slug || '|' || p.price || '|' || p.active || '|' || p.created_at || '|' || p.released || '|' || p.attrs FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '$userA' ORDER BY 1"
}

AfterAll {
    Pop-Location
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD, Env:DBADAPTER_PESTER_USER -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $prod, $staging -Folder $folder
}

Describe 'Backup-Database' {
    It 'writes the user of user_id_env to ./backups under the current location' {
        $backup = Backup-Database -Profile prod
        $backup | Should -BeOfType 'DbAdapter.DbBackupResult'
        $backup.Path | Should -BeLike (Join-Path $folder 'backups/backup-prod-*.json')
        Test-Path $backup.Path | Should -BeTrue
        $backup.UserId | Should -Be $userA
        ($backup.Tables | ForEach-Object { "$($_.Table)=$($_.Rows)" }) | Should -Be 'categories=2', 'products=25'
        $backup.Bytes | Should -Be (Get-Item $backup.Path).Length
    }

    It 'backs up the tables asked for and the parents they need, gzip-compressed' {
        $backup = Backup-Database -Profile prod -Table products -Path ./products.json.gz -WarningVariable warnings -WarningAction SilentlyContinue
        $backup.Tables.Table | Should -Be 'categories', 'products'
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike 'Also backing up categories:*'
        $bytes = [IO.File]::ReadAllBytes($backup.Path)
        $bytes[0..1] | Should -Be 0x1f, 0x8b
    }

    It 'refuses to replace a file without -Force and replaces it with -Force' {
        Set-Content -Path ./taken.json -Value 'precious'
        Backup-Database -Profile prod -Path ./taken.json -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'BackupFileExists*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
        Get-Content ./taken.json | Should -Be 'precious'
        (Backup-Database -Profile prod -Path ./taken.json -Force).Path | Should -Be (Join-Path $folder 'taken.json')
    }

    It 'says which environment variable is missing when no user is given' {
        $saved = $env:DBADAPTER_PESTER_USER
        Remove-Item Env:DBADAPTER_PESTER_USER
        try {
            Backup-Database -Profile prod -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'UserIdRequired*'
            $failed[0].Exception.Message | Should -BeLike '*DBADAPTER_PESTER_USER*'
        }
        finally {
            $env:DBADAPTER_PESTER_USER = $saved
        }
    }
}

Describe 'Test-DbBackup' {
    It 'finds every backup in the folder valid' {
        $results = Get-ChildItem ./backups/*.json, ./*.json.gz | Test-DbBackup -BackupSchema ./backup-schema.json
        $results.Count | Should -BeGreaterOrEqual 2
        $results.IsValid | Should -Not -Contain $false
        Get-ChildItem ./*.json.gz | Test-DbBackup -Quiet | Should -BeTrue
    }

    It 'finds a file written by the Python tool valid' {
        $result = Test-DbBackup ./python-backup-1.1.json -BackupSchema ./backup-schema.json
        $result.IsValid | Should -BeTrue
        $result.Errors | Should -BeNullOrEmpty
    }

    It 'names the table, row and field of what is wrong, as findings rather than errors' {
        $text = Get-Content -Raw ./python-backup-1.1.json
        Set-Content -Path ./damaged.json -Value ($text -replace '"id": 102', '"id": 101' -replace '"version": "1.1"', '"version": "2.0"')
        $result = Test-DbBackup ./damaged.json -BackupSchema ./backup-schema.json -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $result.IsValid | Should -BeFalse
        $result.Errors | Should -Be 'unsupported backup version "2.0" (expected "1.1").', 'products[1]: the key "id" 101 repeats products[0].'

        Test-DbBackup ./nope.json -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'BackupFileNotFound*'
    }
}

Describe 'Restore-Database' {
    It 'copies a user from prod to staging through the pipeline, with new keys and children under their new parents' {
        Invoke-Sql $staging "INSERT INTO categories (slug, user_id) SELECT 'filler' || g, '$userB' FROM generate_series(1, 7) g" | Out-Null
        $result = Backup-Database -Profile prod -Path ./copy.json | Restore-Database -Profile staging
        $result | Should -BeOfType 'DbAdapter.DbRestoreResult'
        $result.Committed | Should -BeTrue
        $result.Profile | Should -Be 'staging'
        ($result.Tables | ForEach-Object { "$($_.Table)=$($_.Inserted)" }) | Should -Be 'categories=2', 'products=25'
        Invoke-Sql $staging $productsOfA | Should -Be (Invoke-Sql $prod $productsOfA)
        Invoke-Sql $staging "SELECT min(id) FROM categories WHERE user_id = '$userA'" | Should -Be '8'
    }

    It 'changes nothing with -WhatIf and predicts the real run' {
        $before = Invoke-Sql $staging 'SELECT count(*) FROM products'
        $whatIf = Restore-Database ./copy.json -Profile staging -Mode Overwrite -WhatIf
        $whatIf.Committed | Should -BeFalse
        Invoke-Sql $staging 'SELECT count(*) FROM products' | Should -Be $before
        $real = Restore-Database ./copy.json -Profile staging -Mode Overwrite
        ($real.Tables | ForEach-Object { "$($_.Table):$($_.Inserted)/$($_.Updated)" }) | Should -Be ($whatIf.Tables | ForEach-Object { "$($_.Table):$($_.Inserted)/$($_.Updated)" })
        ($real.Tables | ForEach-Object { $_.Updated }) | Should -Be 2, 25
    }

    It 'stops at the first existing row with -Mode Fail and commits nothing' {
        Restore-Database ./copy.json -Profile staging -Mode Fail -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RestoreConflict*'
        $failed[0].TargetObject | Should -BeOfType 'DbAdapter.DbRowFailure'
        $failed[0].TargetObject.Table | Should -Be 'categories'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Mode Skip*'
    }

    It 'restores a file written by the Python tool as its user, saying so' {
        $saved = $env:DBADAPTER_PESTER_USER
        Remove-Item Env:DBADAPTER_PESTER_USER
        try {
            $result = Restore-Database ./python-backup-1.1.json -Profile staging -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally {
            $env:DBADAPTER_PESTER_USER = $saved
        }
        "$warnings" | Should -BeLike '*restored as user 00000000-0000-0000-0000-000000000042, the user_id of the backup''s metadata*'
        $result.UserId | Should -Be '00000000-0000-0000-0000-000000000042'
        $result.Committed | Should -BeTrue
        ($result.Tables | ForEach-Object { $_.Inserted }) | Should -Be 2, 3
        Invoke-Sql $staging "SELECT p.slug || '|' || coalesce(c.slug, '-') || '|' || coalesce(p.price::text, '-') FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE p.user_id = '00000000-0000-0000-0000-000000000042' ORDER BY 1" |
            Should -Be 'hammer|tools|12.50', 'loose|-|-', 'rake|garden|7.00'
    }

    It 'never shows the password in any stream' {
        $all = & {
            Backup-Database -Profile prod -Path ./streams.json -Verbose
            Restore-Database ./streams.json -Profile staging -Verbose -WhatIf
            Restore-Database ./streams.json -Profile staging -Mode Fail -ErrorAction Continue
        } *>&1 | Out-String -Width 400
        $all | Should -Not -BeNullOrEmpty
        $all | Should -Not -BeLike "*$password*"
        $all | Should -Not -BeLike "*$([uri]::EscapeDataString($password))*"
    }
}
