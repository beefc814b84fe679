using System.Management.Automation;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.PowerShell.Internal;

/// <summary>
/// Turns engine failures into ErrorRecords with the stable id, category and target of DESIGN section
/// 8. The engine says what went wrong in neutral words; this is where the advice names the module's
/// cmdlets and parameters (shown after the message and as the record's RecommendedAction).
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(DbAdapterException exception, object? targetOverride = null)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), targetOverride ?? exception.Target);
        return WithAdvice(record, Advice(exception.Hint));
    }

    /// <summary>A record for a failure that is not the engine's own (a bug, or the environment): still a stable id.</summary>
    public static ErrorRecord FromUnexpected(Exception exception, object? target) =>
        exception switch
        {
            IOException or UnauthorizedAccessException => new ErrorRecord(exception, ErrorIds.UnexpectedError, exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, target),
            _ => new ErrorRecord(exception, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target),
        };

    public static ErrorRecord From(string errorId, ErrorCategory category, string message, object? target, string? advice = null) =>
        WithAdvice(new ErrorRecord(new InvalidOperationException(message), errorId, category, target), advice);

    public static ErrorCategory Category(DbErrorKind kind) => kind switch
    {
        DbErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        DbErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        DbErrorKind.InvalidData => ErrorCategory.InvalidData,
        DbErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        DbErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        DbErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
        DbErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        DbErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        DbErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        DbErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        DbErrorKind.WriteError => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>The engine's hint in this module's words.</summary>
    public static string? Advice(ErrorHint hint) => hint switch
    {
        ErrorHint.GiveCredential => "Pass -Credential, or set db_password or password_env in db.toml.",
        ErrorHint.AddDatabaseUrl => "Add url (the project's connection string) to the profile in db.toml; through the Data API alone only Backup-Database and Sync-DbProfile -Source can read a user's rows.",
        ErrorHint.SetDataApiKey => "Set the environment variable that the profile's supabase_key_env names to the project's service-role key.",
        ErrorHint.NameProfile => "Pass -Profile <name>, or run Connect-DbProfile <name> to make one current.",
        ErrorHint.NameConfigFile => "Point -ConfigPath at an existing db.toml.",
        ErrorHint.NameSchemaFile => "Pass -SchemaFile, or set [schema] file in db.toml.",
        ErrorHint.AcceptHazards => "Review the hazards, then run Invoke-DbFix -Force to accept them.",
        ErrorHint.RepairSchema => "Run Test-DbSchema for the details and Get-DbFixPlan to plan the repair, or connect with -SkipValidation.",
        ErrorHint.WaitForLock => "Run the command again once the blocking session has finished, or end it (pg_terminate_backend); Invoke-DbFix waits longer with -LockTimeout and tries again with -RetryCount, and lock_timeout in db.toml sets a profile's wait.",
        ErrorHint.NameShadowDatabase => "Pass -ShadowDatabase <URL or profile>, or set [schema] shadow_database or shadow = true in db.toml.",
        ErrorHint.PlanAgain => "Make a new plan with Get-DbFixPlan, review it, and export it again with Export-DbFixPlan.",
        ErrorHint.NameBackupSchema => "Pass -BackupSchema <path>, or set [schema] backup_schema or [[backup.tables]] in db.toml.",
        ErrorHint.GiveUserId => "Pass -UserId, or set [defaults] user_id_env in db.toml to the name of an environment variable that holds it.",
        ErrorHint.ReplaceBackupFile => "Choose another -Path, or pass -Force to replace the file.",
        ErrorHint.ChooseRestoreMode => "Use -Mode Skip to keep the existing rows, or -Mode Overwrite to update them.",
        ErrorHint.SkipFailedRows => "Fix the row (or the table), or pass -SkipFailedRows to restore the other rows and report this one.",
        ErrorHint.CheckBackupFile => "Run Test-DbBackup on the file (with -BackupSchema) for every finding.",
        ErrorHint.NameBackupTables => "Name tables of the backup schema with -Table.",
        ErrorHint.NameSyncTables => "Pass -Table, or set [sync] tables, [schema] backup_schema or [[backup.tables]] in db.toml.",
        ErrorHint.NameSyncProfiles => "Pass -Source and -Destination with profiles of db.toml (Get-DbProfile lists them), or run Connect-DbProfile <name> to make the destination current.",
        ErrorHint.AllowRowLevelSecurity => "Connect as a role that bypasses row-level security, or pass -AllowRowLevelSecurity to take exactly the rows the policies show this role.",
        ErrorHint.NameTwoProfiles => "Name another database with -Destination (or -Source); Get-DbProfile shows where each profile points.",
        _ => null,
    };

    private static ErrorRecord WithAdvice(ErrorRecord record, string? advice)
    {
        if (advice is not null)
        {
            record.ErrorDetails = new ErrorDetails($"{record.Exception.Message} {advice}") { RecommendedAction = advice };
        }

        return record;
    }
}
