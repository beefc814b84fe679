#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Profiles as a user meets them in pwsh: Get-DbProfile, Connect-DbProfile, Disconnect-DbProfile,
# which profile a command uses when none is named, the errors, tab completion, and passwords that
# never show. The built module (out/DbAdapter) against a real PostgreSQL server.
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The known password of a throwaway test role.')]
param()

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw@:/%# s3cr3t-Pester'
    # Configured for the "badpass" profile: distinctive, so finding it anywhere means it leaked.
    $script:wrongPassword = 'Xq7-NOT-the-pw-9Zt'
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_alpha_', 'pester_beta_'
    $script:role = $created.Role
    $script:alpha, $script:beta = $created.Databases
    foreach ($database in $created.Databases) {
        Invoke-DbTestSql -Server $server -Database $database -Sql "SET ROLE $role; CREATE TABLE categories (id serial PRIMARY KEY, slug text UNIQUE, name text); INSERT INTO categories (slug, name) VALUES ('a','A'),('b','B'),('c','C');"
    }
    $schema = 'CREATE TABLE categories (id serial PRIMARY KEY, slug text UNIQUE, name text);'
    $toml = @"
[profiles.alpha]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${alpha}?sslmode=disable"
description = "Pester database alpha"
password_env = "DBADAPTER_PESTER_PASSWORD"

[profiles.beta]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${beta}"
password_env = "DBADAPTER_PESTER_PASSWORD"

[profiles.badpass]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${alpha}"
db_password = "$wrongPassword"

[schema]
file = "schema.sql"
"@
    # A profile that declares the transaction pooler it goes through (in the suite's second pass it
    # really does: PgBouncer), in a file of its own so the other tests' profile lists stay as they are.
    $pooledToml = @"
[profiles.pooled]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${alpha}"
password_env = "DBADAPTER_PESTER_PASSWORD"
pooling = "transaction"

[schema]
file = "schema.sql"
"@
    $script:folder = New-DbTestFolder -Name profiles -Files @{ 'db.toml' = $toml; 'pooled.toml' = $pooledToml; 'schema.sql' = $schema; 'broken.toml' = "[profiles.x]`nurl = `"unterminated`n" }
    $script:config = Join-Path $folder 'db.toml'
    $script:lockFile = Join-Path $folder '.db-profile'
    $env:DBADAPTER_PESTER_PASSWORD = $password

    # Every variable these tests set, so each test starts from "nothing selected".
    $script:selectionVariables = 'DB_PROFILE', 'DATABASE_URL', 'MC_DB_PROFILE', 'MC_DATABASE_URL'
    function script:Clear-Selection {
        Disconnect-DbProfile -ConfigPath $config
        foreach ($name in $selectionVariables) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
        Remove-Item -Force -Path $lockFile -ErrorAction SilentlyContinue
    }
}

AfterAll {
    Clear-Selection
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $alpha, $beta -Folder $folder
}

Describe 'Get-DbProfile' {
    It 'lists the profiles of db.toml, without passwords' {
        $profiles = Get-DbProfile -ConfigPath $config
        $profiles.Name | Should -Be @('alpha', 'beta', 'badpass')
        $profiles[0].Database | Should -Be $alpha
        $profiles[0].UserName | Should -Be $role
        $profiles[0].Description | Should -Be 'Pester database alpha'
        $text = ($profiles | Format-List * | Out-String) + ($profiles | Out-String)
        $text | Should -Not -Match ([regex]::Escape($password))
        $text | Should -Not -Match ([regex]::Escape($wrongPassword))
    }

    It 'filters by wildcard and finds db.toml in the current location' {
        Push-Location $folder
        try {
            (Get-DbProfile -Name '*a').Name | Should -Be @('alpha', 'beta')
        }
        finally {
            Pop-Location
        }
    }

    It 'reports an unknown profile as ProfileNotFound, naming it and the profiles there are' {
        Get-DbProfile -Name nope -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match "'nope'"
        $err[0].Exception.Message | Should -Match 'alpha'
    }

    It 'reports a missing db.toml as ConfigNotFound' {
        Get-DbProfile -ConfigPath (Join-Path $folder 'absent.toml') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConfigNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports broken TOML as ConfigInvalid with file, line and column' {
        Get-DbProfile -ConfigPath (Join-Path $folder 'broken.toml') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConfigInvalid,*'
        $err[0].Exception.Message | Should -Match 'broken\.toml\(2,\d+\)'
    }
}

Describe 'Connect-DbProfile' {
    BeforeEach { Clear-Selection }

    It 'connects for real, counts rows, validates the schema and writes the lock file' {
        $info = Connect-DbProfile -Name alpha -ConfigPath $config
        $info.ServerVersion | Should -Match '^\d+'
        $info.SchemaValidated | Should -BeTrue
        ($info.Tables | Where-Object Table -EQ 'categories').Rows | Should -Be 3
        Get-Content -Path $lockFile | Should -Be 'alpha'
        (Get-DbProfile -Current -ConfigPath $config).CurrentSource | Should -Be 'Session'
    }

    It 'takes the profile from the pipeline' {
        (Get-DbProfile beta -ConfigPath $config | Connect-DbProfile).Profile | Should -Be 'beta'
    }

    It 'fails with AuthenticationFailed on a wrong password, never showing it' {
        $shown = Connect-DbProfile -Name badpass -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1 | Out-String
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err[0].Exception.Message | Should -Match "'badpass'"
        # Through PgBouncer the refusal is the pooler's own (SQLSTATE 08P01), and says so.
        if ($server.ThroughPooler) { $err[0].Exception.Message | Should -Match 'pooler there refused the password' }
        $everything = $shown + ($err | Out-String) + ($err | Format-List * -Force | Out-String) + $err[0].Exception.ToString()
        $everything | Should -Not -Match ([regex]::Escape($wrongPassword))
        $everything | Should -Not -Match ([regex]::Escape($password))
        Test-Path $lockFile | Should -BeFalse
    }

    It 'fails with ConnectionFailed when nothing listens, and says where it tried' {
        $port = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $port.Start(); $free = $port.LocalEndpoint.Port; $port.Stop()
        Connect-DbProfile -ConnectionString "postgresql://nobody:$wrongPassword@127.0.0.1:$free/none" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -Match "127\.0\.0\.1:$free"
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($wrongPassword))
    }

    It 'connects a profile that declares a transaction pooler, saying so with -Verbose' {
        $pooledConfig = Join-Path $folder 'pooled.toml'
        $verbose = Connect-DbProfile -Name pooled -ConfigPath $pooledConfig -Verbose -WarningVariable warnings 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $warnings | Should -BeNullOrEmpty
        ($verbose.Message -join "`n") | Should -Match 'transaction pooler \(pooling = "transaction" in db\.toml\)'
        $info = Connect-DbProfile -Name pooled -ConfigPath $pooledConfig
        $info.SchemaValidated | Should -BeTrue
        ($info.Tables | Where-Object Table -EQ 'categories').Rows | Should -Be 3
        Disconnect-DbProfile -ConfigPath $pooledConfig
    }

    It 'lets a credential override the configured password' {
        $credential = [pscredential]::new($role, (ConvertTo-SecureString $password -AsPlainText -Force))
        $info = Connect-DbProfile -Name badpass -ConfigPath $config -Credential $credential
        $info.Profile | Should -Be 'badpass'
        ($info | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($password))
    }

    It 'connects with a connection string alone, no db.toml needed' {
        Push-Location ([IO.Path]::GetTempPath())
        try {
            $info = Connect-DbProfile -ConnectionString "postgresql://${role}:$([uri]::EscapeDataString($password))@$($server.Host):$($server.Port)/$beta" -SkipValidation
        }
        finally {
            Pop-Location
        }
        $info.Database | Should -Be $beta
        $info.SchemaValidated | Should -BeNullOrEmpty
        ($info | Out-String) | Should -Not -Match ([regex]::Escape($password))
    }
}

Describe 'Disconnect-DbProfile' {
    It 'forgets the session profile and removes the lock file' {
        Connect-DbProfile -Name alpha -ConfigPath $config | Out-Null
        Disconnect-DbProfile -ConfigPath $config
        Test-Path $lockFile | Should -BeFalse
        Get-DbProfile -Current -ConfigPath $config | Should -BeNullOrEmpty
    }
}

Describe 'The profile a command uses when none is named' {
    BeforeEach { Clear-Selection }

    It 'is none at all: ProfileNotFound says where it looked' {
        Test-DbSchema -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound,*'
        $err[0].Exception.Message | Should -Match 'DB_PROFILE'
        $err[0].Exception.Message | Should -Match 'DATABASE_URL'
    }

    It 'is the lock file beside db.toml' {
        Set-Content -Force -Path $lockFile -Value 'beta'
        (Test-DbSchema -ConfigPath $config).Profile | Should -Be 'beta'
        (Get-DbProfile -Current -ConfigPath $config).CurrentSource | Should -Be 'LockFile'
    }

    It 'is $env:DB_PROFILE before the lock file' {
        Set-Content -Force -Path $lockFile -Value 'beta'
        $env:DB_PROFILE = 'alpha'
        (Test-DbSchema -ConfigPath $config).Profile | Should -Be 'alpha'
        (Get-DbProfile -Current -ConfigPath $config).CurrentSource | Should -Be 'Environment'
    }

    It 'is the session profile of Connect-DbProfile before $env:DB_PROFILE' {
        Connect-DbProfile -Name beta -ConfigPath $config | Out-Null
        $env:DB_PROFILE = 'alpha'
        (Test-DbSchema -ConfigPath $config).Profile | Should -Be 'beta'
    }

    It 'is -Profile before everything else' {
        Connect-DbProfile -Name beta -ConfigPath $config | Out-Null
        (Test-DbSchema -Profile alpha -ConfigPath $config).Profile | Should -Be 'alpha'
    }

    It 'reads the variables with the -EnvPrefix glued on' {
        $env:DB_PROFILE = 'beta'
        $env:MC_DB_PROFILE = 'alpha'
        (Test-DbSchema -ConfigPath $config -EnvPrefix MC_).Profile | Should -Be 'alpha'
    }

    It 'is $env:DATABASE_URL (direct mode) when nothing names a profile' {
        $env:DATABASE_URL = "postgresql://${role}:$([uri]::EscapeDataString($password))@$($server.Host):$($server.Port)/$beta"
        $report = Test-DbSchema -ConfigPath $config -SchemaFile (Join-Path $folder 'schema.sql')
        $report.IsValid | Should -BeTrue
        ($report | Out-String) | Should -Not -Match ([regex]::Escape($password))
    }
}

Describe 'Tab completion of profile names' {
    It 'completes -Name of Connect-DbProfile from the db.toml given by -ConfigPath' {
        $line = "Connect-DbProfile -ConfigPath '$config' -Name b"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('beta', 'badpass')
        ($completion.CompletionMatches | Where-Object CompletionText -EQ 'beta').ToolTip | Should -Be 'beta'
    }

    It 'completes -Profile of Test-DbSchema from ./db.toml, with the description as tooltip' {
        Push-Location $folder
        try {
            $line = 'Test-DbSchema -Profile al'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        }
        finally {
            Pop-Location
        }
        $completion.CompletionMatches.CompletionText | Should -Be @('alpha')
        $completion.CompletionMatches[0].ToolTip | Should -Be 'Pester database alpha'
    }
}
