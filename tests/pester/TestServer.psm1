<#
    The Pester tests' fixture (the demo uses it too). The PostgreSQL server follows the rules of the
    xUnit test bed (DESIGN section 9): $env:DBADAPTER_TEST_CONNECTION (a postgresql:// URI of an
    admin login) if set, otherwise a throwaway cluster from the local PostgreSQL binaries on a free
    loopback port. No server: the tests fail saying why. Invoke-TestPwsh runs a fresh pwsh.

    $env:DBADAPTER_TEST_POOLER sends the tests through a transaction pooler: "pgbouncer" starts
    PgBouncer (the Debian package, 1.18) in front of the server, "host:port" names one already running
    in front of it. The server object's Host and Port are then the pooler's, so every profile a test
    writes goes through it, while Invoke-DbTestSql (seeding, SET ROLE, CREATE DATABASE) still talks
    to the server itself (AdminHost, AdminPort).

    Every folder made here is named dbadapter-pester-<pid>-... after the process that owns it; a
    process that dies before its clean-up (killed, crashed) leaves one behind, and the next start
    stops that cluster or pooler and removes the folder.
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
        Stop-PgBouncerProcess -PidFile (Join-Path $folder.FullName 'pgbouncer.pid')
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

function Invoke-OnFreePort {
    <#
        Runs -Start with a free loopback port and returns what it returns. Another process may take
        the port between the probe and the start: then it tries a new one, three times in all.
    #>
    param([string] $What, [scriptblock] $Start)
    $lastError = $null
    foreach ($attempt in 1..3) {
        $port = Get-FreePort
        try {
            return & $Start $port
        }
        catch {
            $lastError = $_
            Write-Verbose "$What on port $port, attempt ${attempt}: $_"
        }
    }
    throw "$What could not be started: $lastError"
}

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-DbTestServer {
    <#
    .SYNOPSIS
        The test server: DBADAPTER_TEST_CONNECTION when set, otherwise a new throwaway cluster; behind
        a transaction pooler when DBADAPTER_TEST_POOLER asks for one.
    .DESCRIPTION
        Returns Host, Port (where the module under test connects: the server, or the pooler in front
        of it), AdminHost, AdminPort (the server itself), User, Password (of an admin login), Root (the
        cluster's folder), Stop (whether Stop-DbTestServer must stop it), ThroughPooler and Pooler (a
        pooler started here, which Stop-DbTestServer stops). A cluster listens on 127.0.0.1 only and
        asks for a password over TCP (scram-sha-256), so a wrong password really fails.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param()
    $server = Start-DirectServer
    $pooler = $env:DBADAPTER_TEST_POOLER
    if (-not $pooler) { return $server }
    try {
        if ($pooler -eq 'pgbouncer') {
            $started = Start-DbTestPooler -Server $server
            $server.Pooler = $started
            $server.Host = $started.Host
            $server.Port = $started.Port
        }
        elseif ($pooler -match '^(?<host>.+):(?<port>\d+)$') {
            $server.Host = $Matches.host
            $server.Port = [int] $Matches.port
        }
        else {
            throw "DBADAPTER_TEST_POOLER must be 'pgbouncer' or the host:port of a pooler in front of the test server, found '$pooler'."
        }
        $server.ThroughPooler = $true
        $server
    }
    catch {
        Stop-DbTestServer -Server $server
        throw
    }
}

function Start-DirectServer {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param()
    if ($env:DBADAPTER_TEST_CONNECTION) {
        $uri = [uri] $env:DBADAPTER_TEST_CONNECTION
        $user, $password = $uri.UserInfo.Split(':', 2)
        $port = if ($uri.Port -gt 0) { $uri.Port } else { 5432 }
        return New-ServerInfo -HostName $uri.Host -Port $port -User ([uri]::UnescapeDataString($user)) -Password ([uri]::UnescapeDataString($password)) -Root $null -Stop $false
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
        Invoke-OnFreePort -What 'The test cluster' -Start {
            param($port)
            Invoke-AsPostgresUser -Program $pgCtl -Arguments @('-D', "$root/data", '-l', "$root/server.log", '-o', "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", '-w', '-t', '60', 'start')
            New-ServerInfo -HostName '127.0.0.1' -Port $port -User 'postgres' -Password $password -Root $root -Stop $true
        }
    }
    catch {
        Remove-Item -Recurse -Force -Path $root -ErrorAction SilentlyContinue
        throw
    }
}

function New-ServerInfo {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Builds an object; changes nothing.')]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'Password', Justification = 'The admin password of a throwaway test server.')]
    param([string] $HostName, [int] $Port, [string] $User, [string] $Password, [string] $Root, [bool] $Stop)
    [pscustomobject]@{
        Host = $HostName; Port = $Port; AdminHost = $HostName; AdminPort = $Port
        User = $User; Password = $Password; Root = $Root; Stop = $Stop
        ThroughPooler = $false; Pooler = $null
    }
}

function Start-DbTestPooler {
    <#
    .SYNOPSIS
        PgBouncer in transaction mode in front of -Server, on a free loopback port.
    .DESCRIPTION
        It checks passwords itself, as a production pooler does (auth_type scram-sha-256): the SCRAM
        verifiers come from the server through auth_query, run as the admin login (whose password alone
        is in its auth_file), and the client's SCRAM proof then logs it in to the server, so every role
        a test creates works through it at once. Returns Host, Port and Root (its folder); stop it with
        Stop-DbTestPooler. PgBouncer refuses to run as root: as root it runs as postgres.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    $program = @(Get-Command pgbouncer -CommandType Application -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source) + '/usr/sbin/pgbouncer' |
        Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $program) { throw "'pgbouncer' was found neither on PATH nor in /usr/sbin: install the PgBouncer package (apt-get install pgbouncer)." }
    Remove-OrphanFolder
    $root = Join-Path ([IO.Path]::GetTempPath()) "$($script:FolderPrefix)$PID-pgbouncer-$(New-ShortId 8)"
    New-Item -ItemType Directory -Path $root | Out-Null
    try {
        $quote = { param($value) '"' + $value.Replace('"', '""') + '"' }
        Set-Content -Path "$root/userlist.txt" -Value "$(& $quote $Server.User) $(& $quote $Server.Password)"
        Invoke-OnFreePort -What 'PgBouncer' -Start {
            param($port)
            Set-Content -Path "$root/pgbouncer.ini" -Value @"
[databases]
* = host=$($Server.AdminHost) port=$($Server.AdminPort)

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
auth_type = scram-sha-256
auth_file = $root/userlist.txt
auth_user = $($Server.User)
ignore_startup_parameters = extra_float_digits,search_path
max_client_conn = 1000
server_idle_timeout = 10
server_login_retry = 1
pidfile = $root/pgbouncer.pid
logfile = $root/pgbouncer.log
"@
            if (Test-IsRoot) { & chown -R postgres:postgres $root }
            try {
                # -d: it forks once the configuration is read; the port answers soon after.
                Invoke-AsPostgresUser -Program $program -Arguments @('-d', "$root/pgbouncer.ini")
                if (-not (Wait-Listening -Port $port -PidFile "$root/pgbouncer.pid")) {
                    throw "it did not listen: $((Get-Content -Path "$root/pgbouncer.log" -Tail 3 -ErrorAction SilentlyContinue) -join ' | ')"
                }
                [pscustomobject]@{ Host = '127.0.0.1'; Port = $port; Root = $root }
            }
            catch {
                Stop-PgBouncerProcess -PidFile "$root/pgbouncer.pid"
                throw
            }
        }
    }
    catch {
        Remove-Item -Recurse -Force -Path $root -ErrorAction SilentlyContinue
        throw
    }
}

function Wait-Listening {
    param([int] $Port, [string] $PidFile)
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (Test-Path $PidFile) {
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                $client.Connect([System.Net.IPAddress]::Loopback, $Port)
                return $true
            }
            catch [System.Net.Sockets.SocketException] {
                Write-Verbose "Port $Port does not answer yet."
            }
            finally {
                $client.Dispose()
            }
            $processId = [int] (Get-Content -Raw -Path $PidFile).Trim()
            if (-not (Get-Process -Id $processId -ErrorAction SilentlyContinue)) { return $false }
        }
        Start-Sleep -Milliseconds 50
    }
    $false
}

function Stop-PgBouncerProcess {
    <# Stops the pgbouncer whose pid -PidFile holds, if it still runs (a reused pid is left alone). #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    param([string] $PidFile)
    if (-not (Test-Path $PidFile)) { return }
    $processId = [int] (Get-Content -Raw -Path $PidFile).Trim()
    $process = Get-Process -Id $processId -ErrorAction SilentlyContinue
    if (-not $process -or $process.ProcessName -ne 'pgbouncer') { return }
    & kill -TERM $processId
    if (-not $process.WaitForExit(5000)) { $process.Kill() }
}

function Stop-DbTestPooler {
    <#
    .SYNOPSIS
        Stops a pooler Start-DbTestPooler started and removes its folder.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Pooler)
    try {
        Stop-PgBouncerProcess -PidFile (Join-Path $Pooler.Root 'pgbouncer.pid')
    }
    finally {
        Remove-Item -Recurse -Force -Path $Pooler.Root -ErrorAction SilentlyContinue
    }
}

function Stop-DbTestServer {
    <#
    .SYNOPSIS
        Stops a pooler and a cluster that Start-DbTestServer started and removes their folders; a
        server from DBADAPTER_TEST_CONNECTION (or a pooler named by DBADAPTER_TEST_POOLER) is left running.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    if ($Server.Pooler) { Stop-DbTestPooler -Pooler $Server.Pooler }
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
        The server's admin login (the server itself, never a pooler) as a postgresql:// URI, the form
        DBADAPTER_TEST_CONNECTION takes.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server, [string] $Database = 'postgres')
    $user = [uri]::EscapeDataString($Server.User)
    $password = [uri]::EscapeDataString($Server.Password)
    "postgresql://${user}:${password}@$($Server.AdminHost):$($Server.AdminPort)/$Database"
}

function Invoke-DbTestSql {
    <#
    .SYNOPSIS
        Runs -Sql (or the script -File) with psql -v ON_ERROR_STOP=1 as the server's admin login in
        -Database, on the server itself (never through a pooler: scripts keep their session); stops at
        the first error.
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
        $arguments = @('-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', $Server.AdminHost, '-p', $Server.AdminPort, '-U', $Server.User, '-d', $Database)
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
    # On the server itself, as Invoke-DbTestSql: the session must stay the one holding the lock.
    foreach ($argument in @('-X', '-q', '-h', $Server.AdminHost, '-p', "$($Server.AdminPort)", '-U', $User, '-d', $Database, '-c', $sql)) {
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

function Format-DbTestProfile {
    <#
    .SYNOPSIS
        The db.toml table of a profile -Name for -Database of -Server, logging in as -Role with the
        URL's password placeholder filled from $env:DBADAPTER_PESTER_PASSWORD (never the password itself).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Role,
        [Parameter(Mandatory)] [string] $Database
    )
    "[profiles.$Name]`nurl = `"postgresql://${Role}:[YOUR-PASSWORD]@$($Server.Host):$($Server.Port)/${Database}`"`npassword_env = `"DBADAPTER_PESTER_PASSWORD`"`n"
}

function New-DbTestUserBed {
    <#
    .SYNOPSIS
        Two databases of the Python tool's shape, prod and staging, owned by a new role with -Password:
        -Schema runs in both, then -ProdSql in prod and -StagingSql in staging, as that role.
    .DESCRIPTION
        Databases are named <-DatabasePrefix>prod_... and <-DatabasePrefix>staging_.... Returns Role,
        Prod, Staging and Files: db.toml (profiles prod and staging, the backup schema, user_id_env
        DBADAPTER_PESTER_USER) and backup-schema.json (categories, and products under them), ready for
        New-DbTestFolder.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'Password', Justification = 'The known password of a throwaway test role: the tests look for it in every output.')]
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Test fixture: it only touches the throwaway server and folders it made.')]
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Password,
        [Parameter(Mandatory)] [string] $DatabasePrefix,
        [Parameter(Mandatory)] [string] $Schema,
        [string] $ProdSql = '',
        [string] $StagingSql = ''
    )
    $created = New-DbTestRole -Server $Server -Password $Password -DatabasePrefix "${DatabasePrefix}prod_", "${DatabasePrefix}staging_"
    $role = $created.Role
    $prod, $staging = $created.Databases
    try {
        Invoke-DbTestSql -Server $Server -Database $prod -Sql "SET ROLE $role; $Schema $ProdSql"
        Invoke-DbTestSql -Server $Server -Database $staging -Sql "SET ROLE $role; $Schema $StagingSql"
    }
    catch {
        # The caller never learns these names when setup fails here, so its AfterAll cannot drop them.
        Invoke-DbTestSql -Server $Server -Database postgres -Sql "DROP DATABASE IF EXISTS $prod WITH (FORCE); DROP DATABASE IF EXISTS $staging WITH (FORCE); DROP ROLE IF EXISTS $role;"
        throw
    }
    $toml = @"
$(Format-DbTestProfile -Name prod -Server $Server -Role $role -Database $prod)
$(Format-DbTestProfile -Name staging -Server $Server -Role $role -Database $staging)
[schema]
backup_schema = "backup-schema.json"

[defaults]
user_id_env = "DBADAPTER_PESTER_USER"
"@
    $backupSchema = '{"tables": [{"name": "categories"}, {"name": "products", "parent": {"table": "categories", "field": "category_id"}}]}'
    [pscustomobject]@{
        Role    = $role
        Prod    = $prod
        Staging = $staging
        Files   = @{ 'db.toml' = $toml; 'backup-schema.json' = $backupSchema }
    }
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

Export-ModuleMember -Function Start-DbTestServer, Stop-DbTestServer, Start-DbTestPooler, Stop-DbTestPooler, ConvertTo-DbTestConnectionString, Invoke-DbTestSql, Start-DbTestLock, Stop-DbTestLock, New-DbTestRole, Format-DbTestProfile, New-DbTestUserBed, New-DbTestFolder, Remove-DbTestArtifact, Invoke-TestPwsh
