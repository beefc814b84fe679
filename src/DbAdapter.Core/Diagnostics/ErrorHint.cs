namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// What the person can do about a failure, as a kind the front end words in its own terms (the
/// cmdlet layer names its cmdlets and parameters; the engine never does).
/// </summary>
public enum ErrorHint
{
    /// <summary>No particular action.</summary>
    None,

    /// <summary>Give a password another way (a credential, db_password, password_env).</summary>
    GiveCredential,

    /// <summary>Add a database url to a profile that has only the Data API.</summary>
    AddDatabaseUrl,

    /// <summary>Set the environment variable that holds the Data API key to a valid key.</summary>
    SetDataApiKey,

    /// <summary>Name a profile, or make one current.</summary>
    NameProfile,

    /// <summary>Name another db.toml.</summary>
    NameConfigFile,

    /// <summary>Name a schema file, or configure one in db.toml.</summary>
    NameSchemaFile,

    /// <summary>Accept the blocking hazards of a plan explicitly.</summary>
    AcceptHazards,

    /// <summary>Look at the schema differences and plan their repair.</summary>
    RepairSchema,

    /// <summary>Another session holds a lock: try again later, wait longer or retry more, or end that session.</summary>
    WaitForLock,

    /// <summary>The plan no longer fits the database or the schema file: make and review a new one.</summary>
    PlanAgain,

    /// <summary>Name a shadow database for this call.</summary>
    NameShadowDatabase,

    /// <summary>Name a backup schema file, or configure one (or the tables) in db.toml.</summary>
    NameBackupSchema,

    /// <summary>Give the user whose rows are meant, or configure the variable that holds it.</summary>
    GiveUserId,

    /// <summary>Choose another backup file, or allow the existing one to be replaced.</summary>
    ReplaceBackupFile,

    /// <summary>Choose what a restore does with rows that exist already.</summary>
    ChooseRestoreMode,

    /// <summary>Restore the other rows and report the refused ones.</summary>
    SkipFailedRows,

    /// <summary>Check the backup file on its own for every finding.</summary>
    CheckBackupFile,

    /// <summary>Name only tables of the backup schema.</summary>
    NameBackupTables,

    /// <summary>Name the tables to sync, or configure them (or a backup schema) in db.toml.</summary>
    NameSyncTables,

    /// <summary>Name two different databases as source and destination.</summary>
    NameTwoProfiles,

    /// <summary>Name existing profiles as a sync's source and destination, or make the destination current.</summary>
    NameSyncProfiles,

    /// <summary>Read as a role that bypasses row-level security, or accept the rows the policies show.</summary>
    AllowRowLevelSecurity,
}
