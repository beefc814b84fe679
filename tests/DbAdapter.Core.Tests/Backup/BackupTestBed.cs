using DbAdapter.Core.Backup;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Operations;
using DbAdapter.Core.Profiles;
using DbAdapter.Core.Rows;
using DbAdapter.Core.Sync;
using DbAdapter.Core.Tests.Support;
using DbAdapter.TestSupport;

namespace DbAdapter.Core.Tests.Backup;

/// <summary>
/// Databases built from one SQL text, a folder holding db.toml (a profile per database, the backup
/// schema, user_id_env) and the calls the backup and restore tests share.
/// </summary>
internal sealed class BackupTestBed : IDisposable
{
    public const string UserA = "aaaaaaaa-0000-0000-0000-00000000000a";
    public const string UserB = "bbbbbbbb-0000-0000-0000-00000000000b";
    public const string UserEnv = "DBADAPTER_TEST_USER";

    private readonly TestDatabase _database;
    private readonly TempFolder _folder = new();

    private BackupTestBed(TestDatabase database)
    {
        _database = database;
    }

    public string Folder => _folder.Path;

    public string ConfigPath => _folder.Combine("db.toml");

    public Dictionary<string, string?> Environment { get; } = [];

    public Dictionary<string, string> Profiles { get; } = [];

    /// <summary>A bed with one database per name of <paramref name="profiles"/>, each built from <paramref name="sql"/>.</summary>
    public static async Task<BackupTestBed> CreateAsync(TestDatabase database, string sql, string backupSchemaJson, params string[] profiles)
    {
        var bed = new BackupTestBed(database);
        foreach (var profile in profiles.Length == 0 ? ["source"] : profiles)
        {
            var name = await database.CreateSiblingAsync("backup_" + profile);
            await database.Server.ExecuteAsync(name, sql);
            bed.Profiles[profile] = name;
        }

        bed._folder.Write("backup-schema.json", backupSchemaJson);
        bed.WriteConfig();
        return bed;
    }

    public PostgresServer Server => _database.Server;

    /// <summary>The URI of <paramref name="profile"/>'s database for another login.</summary>
    public string Uri(string profile, string user, string password) => _database.Server.Uri(Profiles[profile], user, password);

    /// <summary>Writes db.toml: a profile per database (unless <paramref name="withProfiles"/> is false), then <paramref name="extra"/>.</summary>
    public void WriteConfig(string extra = "[schema]\nbackup_schema = \"backup-schema.json\"\n\n[defaults]\nuser_id_env = \"" + UserEnv + "\"\n", bool withProfiles = true)
    {
        var profiles = withProfiles ? string.Concat(Profiles.Select(p => $"[profiles.{p.Key}]\nurl = \"{_database.Server.Uri(p.Value)}\"\n\n")) : string.Empty;
        _folder.Write("db.toml", profiles + extra);
    }

    public string File(string name) => _folder.Combine(name);

    public string WriteFile(string name, string content) => _folder.Write(name, content);

    public Task ExecuteAsync(string profile, string sql) => _database.Server.ExecuteAsync(Profiles[profile], sql);

    public Task<string> ScalarAsync(string profile, string sql) => _database.Server.ScalarAsync(Profiles[profile], sql);

    public Task<IReadOnlyList<string>> QueryAsync(string profile, string sql) => _database.Server.QueryAsync(Profiles[profile], sql);

    public ProfileRequest Request(string profile) => new(ConfigPath, profile, null, string.Empty, null);

    public Task<BackupResult> BackupAsync(
        string profile = "source", string? userId = UserA, string? path = null, IReadOnlyList<string>? tables = null, bool force = false, string? backupSchema = null, IOperationReporter? reporter = null, CancellationToken ct = default, bool allowRowLevelSecurity = false) =>
        BackupOperation.RunAsync(
            new BackupRequest(Request(profile), userId, backupSchema, tables, path ?? File("backup.json"), Folder, force, allowRowLevelSecurity),
            new DictionaryEnvironment(Environment),
            reporter ?? NullReporter.Instance,
            ct);

    public Task<RestoreResult> RestoreAsync(
        string profile, string? path = null, string? userId = UserA, RestoreMode mode = RestoreMode.Skip, bool skipFailedRows = false, bool whatIf = false, string? backupSchema = null, IOperationReporter? reporter = null, CancellationToken ct = default) =>
        RestoreOperation.RunAsync(
            new RestoreRequest(Request(profile), path ?? File("backup.json"), userId, backupSchema, mode, skipFailedRows, whatIf),
            new DictionaryEnvironment(Environment),
            reporter ?? NullReporter.Instance,
            ct);

    public Task<SyncResult> SyncAsync(
        string source = "source", string? destination = "target", string? userId = UserA, SyncMode mode = SyncMode.Skip, bool whatIf = false, IReadOnlyList<string>? tables = null, string? backupSchema = null, IOperationReporter? reporter = null, CancellationToken ct = default, bool allowRowLevelSecurity = false) =>
        SyncOperation.RunAsync(
            new SyncRequest(Request(source), new ProfileRequest(ConfigPath, destination, null, string.Empty, null), tables, userId, backupSchema, mode, whatIf, allowRowLevelSecurity),
            new DictionaryEnvironment(Environment),
            reporter ?? NullReporter.Instance,
            ct);

    public void Dispose() => _folder.Dispose();
}

/// <summary>A reporter that keeps what it is told (warnings and progress checks).</summary>
internal sealed class RecordingReporter : IOperationReporter
{
    private readonly List<string> _warnings = [];
    private readonly List<OperationProgress> _progress = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return _warnings.ToList();
            }
        }
    }

    public IReadOnlyList<OperationProgress> ProgressRecords
    {
        get
        {
            lock (_progress)
            {
                return _progress.ToList();
            }
        }
    }

    public Action<OperationProgress>? OnProgress { get; set; }

    public void Warning(string message)
    {
        lock (_warnings)
        {
            _warnings.Add(message);
        }
    }

    public void Verbose(string message)
    {
    }

    public void Progress(OperationProgress progress)
    {
        lock (_progress)
        {
            _progress.Add(progress);
        }

        OnProgress?.Invoke(progress);
    }
}
