<#
    The Pester tests' PostgreSQL server, same rules as the xUnit test bed (DESIGN section 9):
    $env:DBADAPTER_TEST_CONNECTION (a postgresql:// URI of an admin login) if set, otherwise a
    throwaway cluster from the local PostgreSQL binaries on a free loopback port. No server: the
    tests fail saying why.
#>
Set-StrictMode -Version Latest

function Find-PgProgram {
    param([Parameter(Mandatory)] [string] $Name)
    $command = Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { return $command.Source }
    $candidate = Get-ChildItem -Path '/usr/lib/postgresql/*/bin' -Filter $Name -ErrorAction SilentlyContinue |
        Sort-Object { [int]($_.Directory.Parent.Name) } -Descending | Select-Object -First 1
    if ($candidate) { return $candidate.FullName }
    throw "'$Name' was found neither on PATH nor under /usr/lib/postgresql/*/bin: install the PostgreSQL server package or set DBADAPTER_TEST_CONNECTION."
}

function Invoke-AsPostgresUser {
    param([string] $Program, [string[]] $Arguments)
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    # The programs' chatter goes to the verbose stream: callers return objects, and initdb's or
    # pg_ctl's lines must not end up in front of them on the output.
    if ($isRoot) {
        & runuser -u postgres -- $Program @Arguments 2>&1 | ForEach-Object { Write-Verbose "$_" }
    }
    else {
        & $Program @Arguments 2>&1 | ForEach-Object { Write-Verbose "$_" }
    }
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE." }
}

function Start-DbTestServer {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param()
    if ($env:DBADAPTER_TEST_CONNECTION) {
        $uri = [uri] $env:DBADAPTER_TEST_CONNECTION
        $user, $password = $uri.UserInfo.Split(':', 2)
        return [pscustomobject]@{
            Host = $uri.Host; Port = if ($uri.Port -gt 0) { $uri.Port } else { 5432 }
            User = [uri]::UnescapeDataString($user); Password = [uri]::UnescapeDataString($password)
            Root = $null; Stop = $false
        }
    }

    $initdb = Find-PgProgram initdb
    $pgCtl = Find-PgProgram pg_ctl
    $root = Join-Path ([IO.Path]::GetTempPath()) ("dbadapter-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $root | Out-Null
    $password = 'Adm1n-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    Set-Content -Path (Join-Path $root 'pwfile') -Value $password
    if ($IsLinux -and ((& id -u) -eq '0')) { & chown -R postgres:postgres $root }
    Invoke-AsPostgresUser $initdb @('-D', "$root/data", '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', "--pwfile=$root/pwfile", '-E', 'UTF8', '--no-sync')
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    Invoke-AsPostgresUser $pgCtl @('-D', "$root/data", '-l', "$root/server.log", '-o', "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off", '-w', 'start')
    [pscustomobject]@{ Host = '127.0.0.1'; Port = $port; User = 'postgres'; Password = $password; Root = $root; Stop = $true }
}

function Stop-DbTestServer {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    if ($Server.Stop) {
        Invoke-AsPostgresUser (Find-PgProgram pg_ctl) @('-D', "$($Server.Root)/data", '-m', 'immediate', 'stop')
        Remove-Item -Recurse -Force $Server.Root
    }
}

function Invoke-DbTestSql {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Database, [Parameter(Mandatory)] [string] $Sql)
    $env:PGPASSWORD = $Server.Password
    try {
        $Sql | & (Find-PgProgram psql) -X -q -A -t -v ON_ERROR_STOP=1 -h $Server.Host -p $Server.Port -U $Server.User -d $Database -f -
        if ($LASTEXITCODE -ne 0) { throw "psql failed on $Database." }
    }
    finally {
        Remove-Item Env:PGPASSWORD
    }
}

function New-ShortId {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    param([Parameter(Mandatory)] [int] $Length)
    [guid]::NewGuid().ToString('N').Substring(0, $Length)
}

function New-DbTestRole {
    <#
        A login role with -Password and, per -DatabasePrefix, one new database it owns (the prefix and a
        random suffix). Returns the role's name and the databases' names, in the order of the prefixes.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'Password', Justification = 'The known password of a throwaway test role: the tests look for it in every output.')]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Password,
        [Parameter(Mandatory)] [string[]] $DatabasePrefix
    )
    $role = 'pester_' + (New-ShortId 8)
    $databases = @(foreach ($prefix in $DatabasePrefix) { $prefix + (New-ShortId 8) })
    $sql = "CREATE ROLE $role LOGIN PASSWORD '$Password';"
    foreach ($database in $databases) { $sql += " CREATE DATABASE $database OWNER $role;" }
    $null = Invoke-DbTestSql $Server postgres $sql
    [pscustomobject]@{ Role = $role; Databases = $databases }
}

function New-DbTestFolder {
    <#
        A new folder under the temp directory, 'dbadapter-pester-<Name>-' and a random suffix, holding
        -Files (file name = content, e.g. db.toml and schema.sql). Returns its path.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [hashtable] $Files
    )
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("dbadapter-pester-$Name-" + (New-ShortId 6))
    New-Item -ItemType Directory -Path $folder | Out-Null
    foreach ($file in $Files.GetEnumerator()) {
        Set-Content -Path (Join-Path $folder $file.Key) -Value $file.Value
    }
    $folder
}

function Remove-DbTestArtifact {
    <#
        AfterAll's clean-up: drops -Database and -Role, stops -Server (if this module started it) and
        removes -Folder. Each may be missing, when BeforeAll failed before creating it.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param($Server, [string] $Role, [string[]] $Database, [string] $Folder)
    if ($Server) {
        $sql = @(foreach ($name in $Database) { if ($name) { "DROP DATABASE IF EXISTS $name WITH (FORCE);" } })
        if ($Role) { $sql += "DROP ROLE IF EXISTS $Role;" }
        if ($sql.Count -gt 0) { Invoke-DbTestSql $Server postgres ($sql -join ' ') }
        Stop-DbTestServer $Server
    }
    if ($Folder) { Remove-Item -Recurse -Force $Folder -ErrorAction SilentlyContinue }
}

Export-ModuleMember -Function Start-DbTestServer, Stop-DbTestServer, Invoke-DbTestSql, New-DbTestRole, New-DbTestFolder, Remove-DbTestArtifact
