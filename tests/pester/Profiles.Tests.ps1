#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester tests for pwsh users: the built module (out/DbAdapter) against a real PostgreSQL server.
# Run with ./build.ps1 -Task Test (or Invoke-Pester tests/pester after a build).
[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingConvertToSecureStringWithPlainText', '', Justification = 'The known password of a throwaway test role.')]
param()

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    Import-Module (Join-Path $repo 'out/DbAdapter/DbAdapter.psd1') -Force
    $script:server = Start-DbTestServer
    $script:password = 'Pw@:/%# s3cr3t-Pester'
    $created = New-DbTestRole -Server $server -Password $password -DatabasePrefix 'pester_'
    $script:role = $created.Role
    $script:database = $created.Databases[0]
    Invoke-DbTestSql $server $database "SET ROLE $role; CREATE TABLE categories (id serial PRIMARY KEY, slug text UNIQUE, name text); INSERT INTO categories (slug, name) VALUES ('a','A'),('b','B'),('c','C');"
    $toml = @"
[profiles.local]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${database}?sslmode=disable"
description = "Pester database"
password_env = "DBADAPTER_PESTER_PASSWORD"

[profiles.wrongpw]
url = "postgresql://${role}:[YOUR-PASSWORD]@$($server.Host):$($server.Port)/${database}"
db_password = "wrong"
"@
    $script:folder = New-DbTestFolder -Name cfg -Files @{ 'db.toml' = $toml }
    $script:config = Join-Path $folder 'db.toml'
    $env:DBADAPTER_PESTER_PASSWORD = $password
}

AfterAll {
    Remove-Item Env:DBADAPTER_PESTER_PASSWORD -ErrorAction SilentlyContinue
    Remove-Module DbAdapter -ErrorAction SilentlyContinue
    Remove-DbTestArtifact -Server $server -Role $role -Database $database -Folder $folder
}

Describe 'Get-DbProfile' {
    It 'lists the profiles without passwords' {
        $profiles = Get-DbProfile -ConfigPath $config
        $profiles.Name | Should -Be @('local', 'wrongpw')
        $profiles[0].Database | Should -Be $database
        $profiles[0].UserName | Should -Be $role
        ($profiles | Out-String) | Should -Not -Match ([regex]::Escape($password))
    }

    It 'reports an unknown profile as ProfileNotFound' {
        Get-DbProfile -Name nope -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound*'
    }
}

Describe 'Connect-DbProfile' {
    It 'connects for real, counts rows and writes the lock file' {
        $info = Connect-DbProfile -Name local -ConfigPath $config
        $info.ServerVersion | Should -Not -BeNullOrEmpty
        ($info.Tables | Where-Object Table -EQ 'categories').Rows | Should -Be 3
        Get-Content (Join-Path $folder '.db-profile') | Should -Be 'local'
        (Get-DbProfile -Current -ConfigPath $config).CurrentSource | Should -Be 'Session'
    }

    It 'accepts profiles from the pipeline' {
        (Get-DbProfile local -ConfigPath $config | Connect-DbProfile).Profile | Should -Be 'local'
    }

    It 'fails with AuthenticationFailed on a wrong password, never showing it' {
        Connect-DbProfile -Name wrongpw -ConfigPath $config -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1 |
            Out-String | Should -Not -Match 'wrong'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed*'
        $err[0].Exception.Message | Should -Match 'wrongpw'
    }

    It 'accepts a credential that overrides the configured password' {
        $cred = [pscredential]::new($role, (ConvertTo-SecureString $password -AsPlainText -Force))
        (Connect-DbProfile -Name wrongpw -ConfigPath $config -Credential $cred).Profile | Should -Be 'wrongpw'
    }
}

Describe 'Disconnect-DbProfile' {
    It 'forgets the session profile and removes the lock file' {
        Connect-DbProfile -Name local -ConfigPath $config | Out-Null
        Disconnect-DbProfile -ConfigPath $config
        Test-Path (Join-Path $folder '.db-profile') | Should -BeFalse
        Get-DbProfile -Current -ConfigPath $config | Should -BeNullOrEmpty
    }
}
