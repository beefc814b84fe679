<#
    The Pester tests' fixture (the demo uses it too). The PostgreSQL server follows the rules of the
    xUnit test bed (DESIGN section 9): $env:DBADAPTER_TEST_CONNECTION (a postgresql:// URI of an
    admin login) if set, otherwise a throwaway cluster from the local PostgreSQL binaries on a free
    loopback port. No server: the tests fail saying why. Invoke-TestPwsh runs a fresh pwsh.

    Every folder made here is named dbadapter-pester-<pid>-... after the process that owns it; a
    process that dies before its clean-up (killed, crashed) leaves one behind, and the next start
    stops that cluster and removes the folder.
#>
Set-StrictMode -Version Latest

$script:FolderPrefix = 'dbadapter-pester-'

function Find-PgProgram {
    param([Parameter(Mandatory)] [string] $Name)
    $command = Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { return $command.Source }
    $candidate = Get-ChildItem -Path '/usr/lib/postgresql/*/bin' -Filter $Name -ErrorAction SilentlyContinue |
        Sort-Object { [int]($_.Directory.Parent.Name) } -Descending | Select-Object -First 1
    if ($candidate) { return $candidate.FullName }
    throw "'$Name' was found neither on PATH nor under /usr/lib/postgresql/*/bin: install the PostgreSQL server package or set DBADAPTER_TEST_CONNECTION."
}

function Test-IsRoot {
    $IsLinux -and ((& id -u) -eq '0')
}

function Invoke-AsPostgresUser {
    param([string] $Program, [string[]] $Arguments)
    # The programs' chatter goes to the verbose stream: callers return objects, and initdb's or
    # pg_ctl's lines must not end up in front of them on the output. initdb refuses to run as root.
    if (Test-IsRoot) {
        & runuser -u postgres -- $Program @Arguments 2>&1 | ForEach-Object { Write-Verbose "$_" }
    }
    else {
        & $Program @Arguments 2>&1 | ForEach-Object { Write-Verbose "$_" }
    }
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE." }
}

function New-ShortId {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    param([Parameter(Mandatory)] [int] $Length)
    [guid]::NewGuid().ToString('N').Substring(0, $Length)
}

function Remove-OrphanFolder {
    <#
        Folders of processes that are gone: a cluster still running there is stopped first. Folders
        of live processes (this one included) are left alone.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    param()
    $pattern = '^' + [regex]::Escape($script:FolderPrefix) + '(\d+)-'
    foreach ($folder in Get-ChildItem -Path ([IO.Path]::GetTempPath()) -Directory -Filter "$($script:FolderPrefix)*") {
        if ($folder.Name -notmatch $pattern) { continue }
        if (Get-Process -Id ([int] $Matches[1]) -ErrorAction SilentlyContinue) { continue }
        if (Test-Path (Join-Path $folder.FullName 'data/postmaster.pid')) {
            try {
                Invoke-AsPostgresUser -Program (Find-PgProgram pg_ctl) -Arguments @('-D', (Join-Path $folder.FullName 'data'), '-m', 'immediate', '-w', 'stop')
            }
            catch {
                Write-Verbose "Stale postmaster.pid in $($folder.FullName): $_"
            }
        }
        Remove-Item -Recurse -Force -Path $folder.FullName -ErrorAction SilentlyContinue
    }
}

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-DbTestServer {
    <#
    .SYNOPSIS
        The test server: DBADAPTER_TEST_CONNECTION when set, otherwise a new throwaway cluster.
    .DESCRIPTION
        Returns Host, Port, User, Password (of an admin login), Root (the cluster's folder) and Stop
        (whether Stop-DbTestServer must stop it). A cluster listens on 127.0.0.1 only and asks for a
        password over TCP (scram-sha-256), so a wrong password really fails.
    #>
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

    Remove-OrphanFolder
    $initdb = Find-PgProgram initdb
    $pgCtl = Find-PgProgram pg_ctl
    $root = Join-Path ([IO.Path]::GetTempPath()) "$($script:FolderPrefix)$PID-pg-$(New-ShortId 8)"
    New-Item -ItemType Directory -Path $root | Out-Null
    try {
        $password = 'Adm1n-' + (New-ShortId 12)
        Set-Content -Path (Join-Path $root 'pwfile') -Value $password
        if (Test-IsRoot) { & chown -R postgres:postgres $root }
        Invoke-AsPostgresUser -Program $initdb -Arguments @('-D', "$root/data", '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', "--pwfile=$root/pwfile", '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync')
        $lastError = $null
        # Another process may take the port between the probe and the start: try a new one.
        foreach ($attempt in 1..3) {
            $port = Get-FreePort
            try {
                Invoke-AsPostgresUser -Program $pgCtl -Arguments @('-D', "$root/data", '-l', "$root/server.log", '-o', "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", '-w', '-t', '60', 'start')
                return [pscustomobject]@{ Host = '127.0.0.1'; Port = $port; User = 'postgres'; Password = $password; Root = $root; Stop = $true }
            }
            catch {
                $lastError = $_
                Write-Verbose "pg_ctl start on port $port, attempt ${attempt}: $_"
            }
        }
        throw "pg_ctl could not start the test cluster: $lastError"
    }
    catch {
        Remove-Item -Recurse -Force -Path $root -ErrorAction SilentlyContinue
        throw
    }
}

function Stop-DbTestServer {
    <#
    .SYNOPSIS
        Stops a cluster that Start-DbTestServer started and removes its folder; a server from
        DBADAPTER_TEST_CONNECTION is left running.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    if ($Server.Stop) {
        try {
            Invoke-AsPostgresUser -Program (Find-PgProgram pg_ctl) -Arguments @('-D', "$($Server.Root)/data", '-m', 'immediate', '-w', 'stop')
        }
        finally {
            Remove-Item -Recurse -Force -Path $Server.Root
        }
    }
}

function ConvertTo-DbTestConnectionString {
    <#
    .SYNOPSIS
        The server's admin login as a postgresql:// URI, the form DBADAPTER_TEST_CONNECTION takes.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server, [string] $Database = 'postgres')
    $user = [uri]::EscapeDataString($Server.User)
    $password = [uri]::EscapeDataString($Server.Password)
    "postgresql://${user}:${password}@$($Server.Host):$($Server.Port)/$Database"
}

function Invoke-DbTestSql {
    <#
    .SYNOPSIS
        Runs -Sql (or the script -File) with psql -v ON_ERROR_STOP=1 as the server's admin login in
        -Database; stops at the first error.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Sql')]
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Database,
        [Parameter(Mandatory, ParameterSetName = 'Sql')] [string] $Sql,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File
    )
    $env:PGPASSWORD = $Server.Password
    try {
        $arguments = @('-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', $Server.Host, '-p', $Server.Port, '-U', $Server.User, '-d', $Database)
        if ($PSCmdlet.ParameterSetName -eq 'File') {
            & (Find-PgProgram psql) @arguments -f $File
        }
        else {
            $Sql | & (Find-PgProgram psql) @arguments -f -
        }
        if ($LASTEXITCODE -ne 0) { throw "psql failed on $Database." }
    }
    finally {
        Remove-Item Env:PGPASSWORD
    }
}

function Start-DbTestLock {
    <#
    .SYNOPSIS
        A psql session (application name pester-lock-holder) that locks -Table of -Database in -Mode,
        holds the lock for -Seconds, then commits. Returns the psql process once the lock is granted.
    .DESCRIPTION
        It logs in as -User with -Password, by default the server's admin login.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'Password', Justification = 'The known password of a throwaway test role.')]
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Database,
        [Parameter(Mandatory)] [string] $Table,
        [string] $Mode = 'ACCESS EXCLUSIVE',
        [double] $Seconds = 60,
        [string] $User = $Server.User,
        [string] $Password = $Server.Password
    )
    $start = [Diagnostics.ProcessStartInfo]::new((Find-PgProgram psql))
    $sql = "BEGIN; LOCK TABLE $Table IN $Mode MODE; SELECT pg_sleep($Seconds); COMMIT;"
    foreach ($argument in @('-X', '-q', '-h', $Server.Host, '-p', "$($Server.Port)", '-U', $User, '-d', $Database, '-c', $sql)) {
        $start.ArgumentList.Add($argument)
    }
    $start.Environment['PGPASSWORD'] = $Password
    $start.Environment['PGAPPNAME'] = 'pester-lock-holder'
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    $granted = "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'pester-lock-holder' AND l.granted AND l.locktype = 'relation' AND l.relation = '$Table'::regclass"
    while ([DateTime]::UtcNow -lt $deadline) {
        if ([int] (Invoke-DbTestSql -Server $Server -Database $Database -Sql $granted) -gt 0) { return $process }
        Start-Sleep -Milliseconds 50
    }
    $process.Kill()
    throw "psql did not lock $Table within 30 s: $($process.StandardError.ReadToEnd())"
}

function Stop-DbTestLock {
    <#
    .SYNOPSIS
        Ends the sessions Start-DbTestLock started in -Database (their locks go with them) and waits for psql to exit.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Database, [Diagnostics.Process] $Process)
    $null = Invoke-DbTestSql -Server $Server -Database $Database -Sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pester-lock-holder' AND datname = current_database()"
    if ($Process) { $null = $Process.WaitForExit(30000) }
}

function New-DbTestRole {
    <#
    .SYNOPSIS
        A login role with -Password and, per -DatabasePrefix, one new database it owns.
    .DESCRIPTION
        Database names are the prefix and a random suffix. Returns the role's name (Role) and the
        databases' names (Databases), in the order of the prefixes.
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
    $sql = "CREATE ROLE $role LOGIN PASSWORD '$($Password.Replace("'", "''"))';"
    foreach ($database in $databases) { $sql += " CREATE DATABASE $database OWNER $role;" }
    $null = Invoke-DbTestSql -Server $Server -Database postgres -Sql $sql
    [pscustomobject]@{ Role = $role; Databases = $databases }
}

function New-DbTestFolder {
    <#
    .SYNOPSIS
        A new folder under the temp directory holding -Files (file name = content); returns its path.
    .DESCRIPTION
        Named dbadapter-pester-<pid>-<Name>-<random>, so a folder left by a killed process is found
        and removed by the next Start-DbTestServer.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [hashtable] $Files = @{}
    )
    $folder = Join-Path ([IO.Path]::GetTempPath()) "$($script:FolderPrefix)$PID-$Name-$(New-ShortId 6)"
    New-Item -ItemType Directory -Path $folder | Out-Null
    foreach ($file in $Files.GetEnumerator()) {
        Set-Content -Path (Join-Path $folder $file.Key) -Value $file.Value
    }
    $folder
}

function Remove-DbTestArtifact {
    <#
    .SYNOPSIS
        AfterAll's clean-up: drops -Database and -Role, stops -Server (if it was started here) and
        removes -Folder. Each may be missing, when BeforeAll failed before creating it.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param($Server, [string] $Role, [string[]] $Database, [string[]] $Folder)
    try {
        if ($Server) {
            $sql = @(foreach ($name in $Database) { if ($name) { "DROP DATABASE IF EXISTS $name WITH (FORCE);" } })
            if ($Role) { $sql += "DROP ROLE IF EXISTS $Role;" }
            if ($sql.Count -gt 0) { Invoke-DbTestSql -Server $Server -Database postgres -Sql ($sql -join ' ') }
        }
    }
    finally {
        if ($Server) { Stop-DbTestServer -Server $Server }
        foreach ($path in $Folder) {
            if ($path) { Remove-Item -Recurse -Force -Path $path -ErrorAction SilentlyContinue }
        }
    }
}

function Invoke-TestPwsh {
    <#
    .SYNOPSIS
        Runs -Command (or -File with -ArgumentList) in a fresh pwsh, like the one running now, with no
        profile and no prompts. Returns the lines it printed (Output, stderr included) and ExitCode.
    .DESCRIPTION
        A fresh process sees what a user's new session sees: modules found by name on PSModulePath,
        the module's views in the real host, "What if:" lines. It inherits this process's environment.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Command')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Command')] [string] $Command,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [Parameter(ParameterSetName = 'File')] [string[]] $ArgumentList = @()
    )
    $process = [Environment]::ProcessPath
    # The local dotnet tool runs as "dotnet pwsh.dll"; an installed pwsh is its own executable.
    $arguments = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $arguments += '-NoProfile', '-NonInteractive'
    if ($PSCmdlet.ParameterSetName -eq 'File') {
        $arguments += @('-File', $File) + $ArgumentList
    }
    else {
        $arguments += '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    }
    $output = @(& $process @arguments 2>&1 | ForEach-Object { "$_" })
    [pscustomobject]@{ Output = $output; ExitCode = $LASTEXITCODE }
}

Export-ModuleMember -Function Start-DbTestServer, Stop-DbTestServer, ConvertTo-DbTestConnectionString, Invoke-DbTestSql, Start-DbTestLock, Stop-DbTestLock, New-DbTestRole, New-DbTestFolder, Remove-DbTestArtifact, Invoke-TestPwsh
