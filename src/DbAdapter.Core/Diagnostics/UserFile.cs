using System.Text;

namespace DbAdapter.Core.Diagnostics;

/// <summary>
/// What a file a user names is to the messages: what it is called, which error ids its failures get,
/// and what to do when it is missing.
/// </summary>
/// <param name="Description">"Configuration file", "Schema file"...: the start of every message.</param>
/// <param name="NotFoundId">ErrorId when the file (or its folder) does not exist.</param>
/// <param name="UnreadableId">ErrorId when it exists but cannot be read (permissions, I/O).</param>
/// <param name="NotFoundAdvice">What to do about a missing file, one sentence.</param>
/// <param name="Hint">The action a front end offers for a missing file.</param>
public sealed record UserFileKind(string Description, string NotFoundId, string UnreadableId, string NotFoundAdvice, ErrorHint Hint = ErrorHint.None)
{
    public static UserFileKind Config { get; } = new(
        "Configuration file", ErrorIds.ConfigNotFound, ErrorIds.ConfigInvalid, "Create it (see DbAdapter's sample db.toml) or name an existing one.", ErrorHint.NameConfigFile);

    public static UserFileKind Schema { get; } = new(
        "Schema file", ErrorIds.SchemaFileNotFound, ErrorIds.SchemaFileInvalid, "Name the path of your schema.sql.", ErrorHint.NameSchemaFile);

    public static UserFileKind ColumnDefinitions { get; } = new(
        "Column definitions file", ErrorIds.ColumnDefinitionsInvalid, ErrorIds.ColumnDefinitionsInvalid, "Name the path of your column-defs JSON.");

    public static UserFileKind FixPlan { get; } = new(
        "Plan file", ErrorIds.FixPlanInvalid, ErrorIds.FixPlanInvalid, "Name the path of an exported plan (JSON).");

    public static UserFileKind BackupSchema { get; } = new(
        "Backup schema file", ErrorIds.BackupSchemaInvalid, ErrorIds.BackupSchemaInvalid, "Name the path of your backup-schema JSON.", ErrorHint.NameBackupSchema);

    public static UserFileKind BackupFile { get; } = new(
        "Backup file", ErrorIds.BackupFileNotFound, ErrorIds.BackupFileInvalid, "Check the path: a backup reports the full path of the file it wrote.");
}

/// <summary>
/// The one way the engine reads a file a user named (db.toml, schema.sql, column-defs, backup files):
/// the path is made absolute once, and every I/O failure becomes a DbAdapterException with the kind's
/// error id, naming the file, instead of an IOException with no ErrorId.
/// </summary>
public static class UserFile
{
    /// <summary>Reads the whole file as text (UTF-8, a BOM honoured).</summary>
    public static async Task<string> ReadTextAsync(string path, UserFileKind kind, CancellationToken ct)
    {
        var fullPath = FullPath(path);
        try
        {
            return await File.ReadAllTextAsync(fullPath, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw Failure(ex, fullPath, kind);
        }
    }

    /// <summary>Reads the whole file as text, synchronously (for callers that cannot wait on async work).</summary>
    public static string ReadText(string path, UserFileKind kind)
    {
        var fullPath = FullPath(path);
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw Failure(ex, fullPath, kind);
        }
    }

    /// <summary>Reads the whole file as bytes.</summary>
    public static async Task<byte[]> ReadBytesAsync(string path, UserFileKind kind, CancellationToken ct)
    {
        var fullPath = FullPath(path);
        try
        {
            return await File.ReadAllBytesAsync(fullPath, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw Failure(ex, fullPath, kind);
        }
    }

    /// <summary>Bytes read with <see cref="ReadBytesAsync"/> as text, decoded as <see cref="ReadTextAsync"/> would (UTF-8, a BOM honoured).</summary>
    public static string DecodeText(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Opens the file for asynchronous sequential reading (large files that are streamed).</summary>
    public static FileStream OpenRead(string path, UserFileKind kind)
    {
        var fullPath = FullPath(path);
        try
        {
            return new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            throw Failure(ex, fullPath, kind);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="fullPath"/> atomically: under a temporary name in
    /// the same folder (so the rename stays on one file system), flushed to disk, then renamed over the
    /// target (<see cref="Publish"/>). A reader sees the old file or the new one, never half of one; on failure the temporary
    /// file is removed and the I/O exception passes through for the caller to word.
    /// </summary>
    public static async Task WriteAtomicallyAsync(string fullPath, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);
        var temp = Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", $"{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            Publish(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Gives a file written and flushed under the temporary name <paramref name="temp"/> its name
    /// <paramref name="fullPath"/> (in the same folder), and flushes the folder so that the name is on
    /// disk too (<see cref="FolderSync"/>): after a power cut the file is there under its name, or the
    /// old one is, never the new content under the temporary name.
    /// </summary>
    public static void Publish(string temp, string fullPath, bool overwrite)
    {
        File.Move(temp, fullPath, overwrite);
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
        {
            FolderSync.TrySync(folder);
        }
    }

    /// <summary>
    /// The error for a failed write of <paramref name="fullPath"/> (<paramref name="ex"/> from
    /// <see cref="WriteAtomicallyAsync"/>): PermissionDenied for a refused access, WriteError otherwise.
    /// </summary>
    public static DbAdapterException WriteFailure(Exception ex, string fullPath, string errorId, string message)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new DbAdapterException(errorId, ex is UnauthorizedAccessException ? DbErrorKind.PermissionDenied : DbErrorKind.WriteError, message, fullPath, ex);
    }

    /// <summary>The error for an I/O failure <paramref name="ex"/> met while reading <paramref name="fullPath"/> (also for failures while streaming it).</summary>
    public static DbAdapterException Failure(Exception ex, string fullPath, UserFileKind kind)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(kind);
        return ex switch
        {
            FileNotFoundException or DirectoryNotFoundException => new DbAdapterException(
                kind.NotFoundId, DbErrorKind.ObjectNotFound, $"{kind.Description} not found: {fullPath}. {kind.NotFoundAdvice}", fullPath, ex, kind.Hint),
            UnauthorizedAccessException => new DbAdapterException(
                kind.UnreadableId, DbErrorKind.PermissionDenied, $"{kind.Description} {fullPath} cannot be read: access denied.", fullPath, ex),
            _ => new DbAdapterException(
                kind.UnreadableId, DbErrorKind.ResourceUnavailable, $"{kind.Description} {fullPath} cannot be read: {ex.Message}", fullPath, ex),
        };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            // Best effort: a stray temporary file is harmless and the original error matters more.
        }
    }

    private static string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetFullPath(path);
    }

    private static bool IsIoFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;
}
