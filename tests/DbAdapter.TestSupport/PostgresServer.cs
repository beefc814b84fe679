using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DbAdapter.TestSupport;

/// <summary>
/// The one PostgreSQL server all integration tests of a test process share (DESIGN section 9).
/// Strategy, first that works: (1) env DBADAPTER_TEST_CONNECTION (an admin connection string);
/// (2) Testcontainers.PostgreSql when a Docker engine answers; (3) a throwaway cluster from the local
/// PostgreSQL binaries on a free loopback port (as the postgres user when running as root).
/// When none works, <see cref="GetAsync"/> throws with every reason: tests fail, they never skip.
/// Admin work (CREATE/DROP DATABASE, seeding) goes through psql so this assembly needs no Npgsql.
/// </summary>
/// <remarks>
/// A run can go through a transaction pooler instead (<see cref="PoolerEnvVar"/>): then
/// <see cref="Host"/>, <see cref="Port"/>, <see cref="Uri"/> and the connection strings point at
/// the pooler, so every test that connects through them runs through it unchanged, while the admin
/// work (psql) still goes to the server itself: seeding scripts keep their session (SET ROLE) and
/// CREATE DATABASE needs no transaction a pooler would wrap around it.
/// </remarks>
public sealed class PostgresServer
{
    /// <summary>The env var that points the tests at an existing server.</summary>
    public const string ConnectionEnvVar = "DBADAPTER_TEST_CONNECTION";

    /// <summary>
    /// The env var that sends the tests through a transaction pooler: "pgbouncer" starts PgBouncer in
    /// front of the server; "host:port" names one that already runs in front of it.
    /// </summary>
    public const string PoolerEnvVar = "DBADAPTER_TEST_POOLER";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static PostgresServer? _instance;
    private static PostgresServer? _pooled;
    private static string? _startFailure;
    private static string? _poolerFailure;

    private readonly Func<Task>? _stop;
    private readonly string _adminHost;
    private readonly int _adminPort;

    private PostgresServer(string host, int port, string user, string password, string maintenanceDatabase, string strategy, Func<Task>? stop)
    {
        Host = _adminHost = host;
        Port = _adminPort = port;
        AdminUser = user;
        AdminPassword = password;
        MaintenanceDatabase = maintenanceDatabase;
        Strategy = strategy;
        _stop = stop;
    }

    /// <summary>The same server reached through a pooler at <paramref name="host"/>:<paramref name="port"/>.</summary>
    private PostgresServer(PostgresServer server, string host, int port, string pooler, Func<Task>? stop)
    {
        Host = host;
        Port = port;
        _adminHost = server._adminHost;
        _adminPort = server._adminPort;
        AdminUser = server.AdminUser;
        AdminPassword = server.AdminPassword;
        MaintenanceDatabase = server.MaintenanceDatabase;
        Strategy = $"{server.Strategy}, through {pooler}";
        ThroughPooler = true;
        _stop = stop;
    }

    /// <summary>Where the code under test connects: the server, or the pooler in front of it.</summary>
    public string Host { get; }

    /// <summary>The port of <see cref="Host"/>.</summary>
    public int Port { get; }

    /// <summary>True when <see cref="Host"/> and <see cref="Port"/> are a transaction pooler's (PgBouncer's).</summary>
    public bool ThroughPooler { get; }

    public string AdminUser { get; }

    public string AdminPassword { get; }

    public string MaintenanceDatabase { get; }

    /// <summary>Which strategy produced the server (for messages).</summary>
    public string Strategy { get; }

    /// <summary>
    /// The shared server, started on first use; reached through a pooler when <see cref="PoolerEnvVar"/>
    /// asks for one (see <see cref="GetPooledAsync"/>).
    /// </summary>
    public static Task<PostgresServer> GetAsync() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PoolerEnvVar)) ? GetDirectAsync() : GetPooledAsync();

    /// <summary>
    /// The shared server behind a transaction-mode pooler, whatever the run: the one
    /// <see cref="PoolerEnvVar"/> names (host:port), or a PgBouncer started in front of the shared
    /// server on first use and stopped (its folder removed) at process exit.
    /// </summary>
    public static async Task<PostgresServer> GetPooledAsync()
    {
        if (_pooled is not null)
        {
            return _pooled;
        }

        var server = await GetDirectAsync().ConfigureAwait(false);
        await StartLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_pooled is not null)
            {
                return _pooled;
            }

            var named = Environment.GetEnvironmentVariable(PoolerEnvVar)?.Trim();
            if (named is { Length: > 0 } && !named.Equals("pgbouncer", StringComparison.OrdinalIgnoreCase))
            {
                var separator = named.LastIndexOf(':');
                if (separator <= 0 || !int.TryParse(named[(separator + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var namedPort))
                {
                    throw new InvalidOperationException($"{PoolerEnvVar} must be \"pgbouncer\" or the host:port of a pooler in front of the test server, found \"{named}\".");
                }

                _pooled = new PostgresServer(server, named[..separator], namedPort, $"the pooler at {named}", stop: null);
                return _pooled;
            }

            if (_poolerFailure is not null)
            {
                throw new InvalidOperationException(_poolerFailure);
            }

            int port;
            Func<Task> stop;
            try
            {
                (port, stop) = await PgBouncer.StartAsync(server._adminHost, server._adminPort, server.AdminUser, server.AdminPassword).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _poolerFailure = ex.Message;
                throw;
            }

            var pooled = new PostgresServer(server, "127.0.0.1", port, "PgBouncer (transaction mode)", stop);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => pooled.StopAsync().GetAwaiter().GetResult();
            _pooled = pooled;
            return pooled;
        }
        finally
        {
            StartLock.Release();
        }
    }

    private static async Task<PostgresServer> GetDirectAsync()
    {
        if (_instance is not null)
        {
            return _instance;
        }

        await StartLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_instance is not null)
            {
                return _instance;
            }

            if (_startFailure is not null)
            {
                throw new InvalidOperationException(_startFailure);
            }

            try
            {
                _instance = await StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _startFailure = ex.Message;
                throw;
            }

            var server = _instance;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().GetAwaiter().GetResult();
            return _instance;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Npgsql keyword connection string for <paramref name="database"/> as the admin user, to <see cref="Host"/> (the pooler in a pooled run).</summary>
    public string ConnectionString(string database) =>
        ConnectionString(database, AdminUser, AdminPassword);

    /// <summary>Npgsql keyword connection string for <paramref name="database"/> as any user, to <see cref="Host"/> (the pooler in a pooled run).</summary>
    public string ConnectionString(string database, string user, string password) =>
        $"Host={Host};Port={Port};Database={Quote(database)};Username={Quote(user)};Password={Quote(password)};Pooling=false;Timeout=15";

    /// <summary>A postgresql:// URI (password percent-encoded) to <see cref="Host"/> (the pooler in a pooled run).</summary>
    public string Uri(string database, string? user = null, string? password = null) =>
        $"postgresql://{System.Uri.EscapeDataString(user ?? AdminUser)}:{System.Uri.EscapeDataString(password ?? AdminPassword)}@{Host}:{Port}/{System.Uri.EscapeDataString(database)}";

    /// <summary>
    /// Npgsql keyword connection string for <paramref name="database"/> as the admin user, to the server
    /// itself even in a pooled run: what shadow mode needs (one session, databases of its own making).
    /// </summary>
    public string DirectConnectionString(string database) =>
        $"Host={_adminHost};Port={_adminPort};Database={Quote(database)};Username={Quote(AdminUser)};Password={Quote(AdminPassword)};Pooling=false;Timeout=15";

    /// <summary>A postgresql:// URI (password percent-encoded) to the server itself, even in a pooled run.</summary>
    public string DirectUri(string database, string? user = null, string? password = null) =>
        $"postgresql://{System.Uri.EscapeDataString(user ?? AdminUser)}:{System.Uri.EscapeDataString(password ?? AdminPassword)}@{_adminHost}:{_adminPort}/{System.Uri.EscapeDataString(database)}";

    /// <summary>Creates a fresh, empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(prefix).Length + 33)].ToLowerInvariant();
        await ExecuteAsync(MaintenanceDatabase, $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'").ConfigureAwait(false);
        return name;
    }

    /// <summary>Creates a copy of <paramref name="template"/> (nobody may be connected to it) and returns its name.</summary>
    public async Task<string> CopyDatabaseAsync(string template, string prefix)
    {
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(prefix).Length + 33)].ToLowerInvariant();
        await ExecuteAsync(MaintenanceDatabase, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template.Replace("\"", "\"\"")}\"").ConfigureAwait(false);
        return name;
    }

    public Task DropDatabaseAsync(string name) =>
        ExecuteAsync(MaintenanceDatabase, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>Runs SQL (any number of statements) through psql; throws with psql's message on error.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await RunPsqlAsync(database, sql, tuplesOnly: false).ConfigureAwait(false);
    }

    /// <summary>Runs a query through psql and returns its rows, fields separated by '|'.</summary>
    public async Task<IReadOnlyList<string>> QueryAsync(string database, string sql)
    {
        var output = await RunPsqlAsync(database, sql, tuplesOnly: true).ConfigureAwait(false);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The single value of a one-row, one-column query.</summary>
    public async Task<string> ScalarAsync(string database, string sql)
    {
        var rows = await QueryAsync(database, sql).ConfigureAwait(false);
        return rows.Count == 0 ? string.Empty : rows[0];
    }

    /// <summary>
    /// Runs a query through psql with psql variables (:'name' a literal, :"name" an identifier, quoted
    /// by psql) and returns its unaligned output as is; errors carry the SQLSTATE (verbose).
    /// </summary>
    public Task<string> QueryTextAsync(string database, string sql, IReadOnlyDictionary<string, string> variables) =>
        RunPsqlAsync(database, sql, tuplesOnly: true, variables);

    private async Task<string> RunPsqlAsync(string database, string sql, bool tuplesOnly, IReadOnlyDictionary<string, string>? variables = null)
    {
        var psi = new ProcessStartInfo(PostgresBinaries.Find("psql"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-X");
        psi.ArgumentList.Add("-q");
        psi.ArgumentList.Add("-v");
        psi.ArgumentList.Add("ON_ERROR_STOP=1");
        if (tuplesOnly)
        {
            psi.ArgumentList.Add("-A");
            psi.ArgumentList.Add("-t");
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            psi.ArgumentList.Add("-v");
            psi.ArgumentList.Add($"{name}={value}");
        }

        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("-");
        psi.Environment["PGHOST"] = _adminHost;
        psi.Environment["PGPORT"] = _adminPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGUSER"] = AdminUser;
        psi.Environment["PGPASSWORD"] = AdminPassword;
        psi.Environment["PGDATABASE"] = database;
        psi.Environment["PGCONNECT_TIMEOUT"] = "15";
        psi.Environment["PGCLIENTENCODING"] = "UTF8";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("psql did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(sql).ConfigureAwait(false);
        process.StandardInput.Close();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed on database {database}: {error.Trim()}\nSQL: {Truncate(sql)}");
        }

        return output;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var reasons = new List<string>();

        var fromEnv = Environment.GetEnvironmentVariable(ConnectionEnvVar);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            // An explicit server is the user's choice: if it is wrong, say so rather than fall through.
            return FromConnectionString(fromEnv, $"env {ConnectionEnvVar}", stop: null);
        }

        reasons.Add($"{ConnectionEnvVar} is not set");

        var docker = await DockerProbe.ProbeAsync().ConfigureAwait(false);
        if (docker is null)
        {
            try
            {
                return await ContainerServer.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                reasons.Add($"Testcontainers could not start PostgreSQL: {ex.Message}");
            }
        }
        else
        {
            reasons.Add($"no Docker engine answers ({docker})");
        }

        try
        {
            return await LocalCluster.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reasons.Add($"a local cluster could not be started: {ex.Message}");
        }

        throw new InvalidOperationException(
            "No PostgreSQL server for the integration tests: " + string.Join("; ", reasons) +
            $". Install the PostgreSQL server binaries (apt-get install postgresql) or set {ConnectionEnvVar}.");
    }

    internal static PostgresServer FromConnectionString(string connectionString, string strategy, Func<Task>? stop)
    {
        var parts = ConnectionStringParts.Parse(connectionString);
        return new PostgresServer(
            parts.GetValueOrDefault("host") ?? "localhost",
            int.TryParse(parts.GetValueOrDefault("port"), out var port) ? port : 5432,
            parts.GetValueOrDefault("username") ?? "postgres",
            parts.GetValueOrDefault("password") ?? string.Empty,
            parts.GetValueOrDefault("database") ?? "postgres",
            strategy,
            stop);
    }

    internal static PostgresServer Create(string host, int port, string user, string password, string strategy, Func<Task> stop) =>
        new(host, port, user, password, "postgres", strategy, stop);

    private async Task StopAsync()
    {
        if (_stop is not null)
        {
            try
            {
                await _stop().ConfigureAwait(false);
            }
            catch
            {
                // Best effort at process exit.
            }
        }
    }

    private static string Sanitize(string prefix)
    {
        var sb = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var s = sb.ToString();
        return s.Length > 28 ? s[..28] : s;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([';', '\'', '"', ' ', '=']) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;

    private static string Truncate(string sql) => sql.Length > 400 ? sql[..400] + "..." : sql;

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
