namespace DbAdapter.Core.Diagnostics;

/// <summary>The stable error ids of DESIGN section 8. Scripts match on these: never rename one.</summary>
public static class ErrorIds
{
    public const string ProfileNotFound = nameof(ProfileNotFound);
    public const string ConfigNotFound = nameof(ConfigNotFound);
    public const string ConfigInvalid = nameof(ConfigInvalid);
    public const string ConnectionFailed = nameof(ConnectionFailed);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);

    /// <summary>A profile that reaches its project only through the Data API was asked for work that needs a database connection.</summary>
    public const string DatabaseUrlRequired = nameof(DatabaseUrlRequired);

    /// <summary>The Data API (PostgREST) answered with an error, or with something that is not its answer.</summary>
    public const string DataApiFailed = nameof(DataApiFailed);

    public const string SchemaFileNotFound = nameof(SchemaFileNotFound);
    public const string SchemaFileInvalid = nameof(SchemaFileInvalid);
    public const string SchemaValidationFailed = nameof(SchemaValidationFailed);
    public const string FixPlanHasHazards = nameof(FixPlanHasHazards);
    public const string FixFailed = nameof(FixFailed);
    public const string ShadowDatabaseFailed = nameof(ShadowDatabaseFailed);
    public const string BackupSchemaInvalid = nameof(BackupSchemaInvalid);
    public const string BackupFileInvalid = nameof(BackupFileInvalid);
    public const string BackupFileNotFound = nameof(BackupFileNotFound);
    public const string BackupFileExists = nameof(BackupFileExists);
    public const string BackupSchemaRequired = nameof(BackupSchemaRequired);
    public const string RestoreConflict = nameof(RestoreConflict);
    public const string RestoreFailed = nameof(RestoreFailed);
    public const string SyncFailed = nameof(SyncFailed);

    /// <summary>A sync's source and destination are one database (the same profile, or two profiles pointing at the same server and database).</summary>
    public const string SameProfile = nameof(SameProfile);
    public const string UserIdRequired = nameof(UserIdRequired);
    public const string ColumnDefinitionsInvalid = nameof(ColumnDefinitionsInvalid);
    public const string QueryFailed = nameof(QueryFailed);
    public const string InvalidQuery = nameof(InvalidQuery);
    public const string LockFileNotWritten = nameof(LockFileNotWritten);
    public const string LockFileNotReadable = nameof(LockFileNotReadable);

    /// <summary>Work waited longer than its lock timeout behind another session (which the message names).</summary>
    public const string LockTimeout = nameof(LockTimeout);

    /// <summary>The database is no longer the one a plan was made for: the tables it changes differ from its fingerprint.</summary>
    public const string FixPlanStale = nameof(FixPlanStale);

    /// <summary>A plan file cannot be used: not a plan file, altered after export, or its schema file differs.</summary>
    public const string FixPlanInvalid = nameof(FixPlanInvalid);

    /// <summary>A plan file could not be written.</summary>
    public const string FixPlanNotWritten = nameof(FixPlanNotWritten);

    /// <summary>
    /// Row-level security filters what the connected role reads of a table a backup or sync reads, or
    /// a policy refused rows a restore or sync writes.
    /// </summary>
    public const string RowLevelSecurityActive = nameof(RowLevelSecurityActive);

    /// <summary>A failure the engine did not foresee (a bug, or the environment): still an ErrorRecord with a stable id.</summary>
    public const string UnexpectedError = nameof(UnexpectedError);
}
