#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Sync-DbProfile as a runbook uses it in pwsh: the built module against a real PostgreSQL server,
# one user's rows from prod into staging (two databases of the Python tool's shape), dry run first.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw@:/%# s3cr3t-Sync'
    $script:userA = 'aaaaaaaa-0000-0000-0000-00000000000a'
    $script:userB = 'bbbbbbbb-0000-0000-0000-00000000000b'
    $schema = @'
CREATE TABLE categories (id serial PRIMARY KEY, slug text NOT NULL, name text, user_id uuid NOT NULL, UNIQUE (user_id, slug));
CREATE TABLE products (id serial PRIMARY KEY, slug text NOT NULL, name text, category_id integer REFERENCES categories(id),
    price numeric(10,2), active boolean DEFAULT true, created_at timestamptz, attrs jsonb, user_id uuid NOT NULL,
    UNIQUE (user_id, category_id, slug));
'@
    $seed = @"
INSERT INTO categories (slug, name, user_id) SELECT s, initcap(s), u::uuid FROM unnest(ARRAY['tools', 'garden']) s, unnest(ARRAY['$userB', '$userA']) u;
INSERT INTO products (slug, name, category_id, price, created_at, attrs, user_id)
SELECT 'p' || g, 'Product ' || g, c.id, g * 1.25, '2025-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', jsonb_build_object('n', g), c.user_id
  FROM generate_series(1, 20) g JOIN categories c ON c.slug = CASE WHEN g % 2 = 0 THEN 'tools' ELSE 'garden' END ORDER BY g, c.user_id;
"@
    $bed = New-DbTestUserBed -Server $server -Password $password -DatabasePrefix 'pester_sync_' -Schema $schema -ProdSql $seed `
        -StagingSql "INSERT INTO categories (slug, user_id) SELECT 'filler' || g, '$userB' FROM generate_series(1, 9) g;"
    $script:role, $script:prod, $script:staging = $bed.Role, $bed.Prod, $bed.Staging
    $profiles = $bed.Files['db.toml'] + @"

[profiles.down]
url = "postgresql://${role}@127.0.0.1:1/${staging}"
"@
    $files = $bed.Files
    $files['db.toml'] = $profiles
    $files['categories.toml'] = $profiles + "`n[sync]`ntables = [`"categories`"]`n"
    $script:folder = New-DbTestFolder -Name sync -Files $files
    $env:DBADAPTER_PESTER_PASSWORD = $password
    $env:DBADAPTER_PESTER_USER = $userA
    Push-Location $folder

    function script:Invoke-Sql {
        param([string] $Database, [string] $Sql)
        @(Invoke-DbTestSql -Server $server -Database $Database -Sql $Sql)
    }

    $script:productsOfA = "SELECT c.slug || '/' || p.slug || '|' || p.name || '|' || p.price || '|' || p.active || '|' || p.created_at || '|' || p.attrs FROM products p JOIN categories c ON c.id = p.category_id WHERE p.user_id = '$userA' ORDER BY 1"
    $script:everything = 'SELECT (SELECT count(*) FROM categories) || ''/'' || (SELECT count(*) FROM products)'
}

AfterAll {
    Pop-Location
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD, Env:DBADAPTER_PESTER_USER -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $prod, $staging -Folder $folder
}

Describe 'Sync-DbProfile' {
    It 'says per table what it would do with -WhatIf and writes nothing' {
        $before = Invoke-Sql $staging $everything
        $plan = Sync-DbProfile -Source prod -Destination staging -WhatIf
        $plan | Should -BeOfType 'DbAdapter.DbSyncResult'
        $plan.Committed | Should -BeFalse
        $plan.UserId | Should -Be $userA
        ($plan.Tables | ForEach-Object { '{0}: {1} in prod, {2} in staging, {3} new, {4} existing' -f $_.Table, $_.SourceRows, $_.DestinationRows, $_.New, $_.Existing }) |
            Should -Be 'categories: 2 in prod, 0 in staging, 2 new, 0 existing', 'products: 20 in prod, 0 in staging, 20 new, 0 existing'
        Invoke-Sql $staging $everything | Should -Be $before
    }

    It 'copies the user into staging in one transaction, with staging''s keys and children under their new parents' {
        $result = Sync-DbProfile prod staging -Confirm:$false
        $result.Committed | Should -BeTrue
        ($result.Tables | ForEach-Object { "$($_.Table)=$($_.Inserted)" }) | Should -Be 'categories=2', 'products=20'
        Invoke-Sql $staging $productsOfA | Should -Be (Invoke-Sql $prod $productsOfA)
        Invoke-Sql $staging "SELECT min(id) FROM categories WHERE user_id = '$userA'" | Should -Be '10'
        Invoke-Sql $staging "SELECT count(*) FROM products WHERE user_id <> '$userA'" | Should -Be '0'
    }

    It 'leaves existing rows alone by default and updates them with -Mode Overwrite' {
        Invoke-Sql $prod "UPDATE products SET price = 99 WHERE slug = 'p1' AND user_id = '$userA'" | Out-Null
        $skip = Sync-DbProfile prod staging
        ($skip.Tables | ForEach-Object { "$($_.Table):$($_.Inserted)/$($_.Skipped)" }) | Should -Be 'categories:0/2', 'products:0/20'
        Invoke-Sql $staging "SELECT price FROM products WHERE slug = 'p1' AND user_id = '$userA'" | Should -Be '1.25'

        $overwrite = Sync-DbProfile prod staging -Mode Overwrite
        ($overwrite.Tables | ForEach-Object { "$($_.Table):$($_.Updated)" }) | Should -Be 'categories:2', 'products:20'
        Invoke-Sql $staging "SELECT price FROM products WHERE slug = 'p1' AND user_id = '$userA'" | Should -Be '99.00'
    }

    It 'takes the tables of [sync] tables, and -Table before them, with the parents they need' {
        (Sync-DbProfile prod staging -ConfigPath ./categories.toml -WhatIf).Tables.Table | Should -Be 'categories'
        $asked = Sync-DbProfile prod staging -ConfigPath ./categories.toml -Table products -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        $asked.Tables.Table | Should -Be 'categories', 'products'
        "$warnings" | Should -BeLike 'Also syncing categories:*'
    }

    It 'refuses one database as source and destination, and names an unreachable profile' {
        Sync-DbProfile prod prod -ErrorVariable same -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $same[0].FullyQualifiedErrorId | Should -BeLike 'SameProfile,*'
        $same[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Destination*'

        Sync-DbProfile down staging -ErrorVariable down -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $down[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $down[0].TargetObject | Should -Be 'down'
    }

    It 'rolls every table back when the destination refuses a row, naming table, key and the server''s message' {
        Invoke-Sql $prod "INSERT INTO categories (slug, user_id) VALUES ('attic', '$userA'); INSERT INTO products (slug, category_id, price, user_id) SELECT 'boxed', id, -1, user_id FROM categories WHERE slug = 'attic'" | Out-Null
        Invoke-Sql $staging 'ALTER TABLE products ADD CONSTRAINT positive CHECK (price >= 0)' | Out-Null
        $before = Invoke-Sql $staging $everything
        Sync-DbProfile prod staging -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SyncFailed,*'
        $failed[0].TargetObject | Should -BeOfType 'DbAdapter.DbRowFailure'
        $failed[0].TargetObject.Table | Should -Be 'products'
        $failed[0].Exception.Message | Should -BeLike '*violates check constraint "positive"*Nothing was committed.'
        Invoke-Sql $staging $everything | Should -Be $before
    }

    It 'never shows the password in any stream' {
        $all = & {
            Sync-DbProfile prod staging -Table categories -Verbose -WhatIf
            Sync-DbProfile prod staging -Verbose -ErrorAction Continue
            Sync-DbProfile prod prod -ErrorAction Continue
        } *>&1 | Out-String -Width 400
        $all | Should -Not -BeNullOrEmpty
        $all | Should -Not -BeLike "*$password*"
        $all | Should -Not -BeLike "*$([uri]::EscapeDataString($password))*"
    }
}
