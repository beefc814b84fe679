using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Backup;

/// <summary>What a check of a backup file found: a problem of the file's content is a finding, never an exception.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="IsValid">No errors (warnings allowed).</param>
/// <param name="Errors">Each names the table, the 0-based row index and the field where it can.</param>
/// <param name="Warnings">Orphans, count mismatches, tables outside the schema...</param>
public sealed record BackupValidation(string Path, bool IsValid, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Checks a backup file offline (no db.toml, no server), streaming it once. With a backup schema it
/// also checks keys, natural keys and how the tables hang together.
/// </summary>
public static class BackupFileCheck
{
    /// <param name="path">The backup file (absolute).</param>
    /// <param name="schema">The backup schema, or null to check the file alone.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="DbAdapterException">BackupFileNotFound (the file is missing), BackupFileInvalid (it cannot be opened).</exception>
    public static async Task<BackupValidation> RunAsync(string path, BackupSchema? schema, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var validator = new BackupFileValidator(schema, trackKeys: true);
        var reader = await BackupFileReader.OpenAsync(path, ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                await BackupFileScan.ScanAsync(reader, validator, null, null, ct).ConfigureAwait(false);
            }
            catch (BackupFileFormatException ex)
            {
                // Broken JSON is what the file holds, so it is a finding like any other.
                validator.Malformed(ex.Message);
            }
            catch (IOException ex)
            {
                // A gzip stream that is not gzip after its magic bytes, or a read failure midway.
                validator.Malformed($"the file cannot be read to the end: {ex.Message}");
            }

            var warnings = schema is null ? validator.Warnings : [.. schema.Warnings, .. validator.Warnings];
            return new BackupValidation(reader.Path, validator.IsValid, validator.Errors, warnings);
        }
    }
}
