using System.Text.Json;

namespace DbAdapter.Core.Backup;

/// <summary>What wants to see a backup file's tables and rows as they stream past (a restore's staging).</summary>
internal interface IBackupFileVisitor
{
    ValueTask TableStartAsync(string key, CancellationToken ct);

    /// <summary>A row object; <paramref name="row"/> is valid only during the call.</summary>
    ValueTask RowAsync(long index, JsonElement row, CancellationToken ct);

    ValueTask TableEndAsync(long rows, CancellationToken ct);
}

/// <summary>One pass over a backup file: every item goes to the validator, tables and rows also to a visitor.</summary>
internal static class BackupFileScan
{
    /// <summary>Reads <paramref name="reader"/> to the end.</summary>
    /// <param name="reader">The file.</param>
    /// <param name="validator">Sees every item.</param>
    /// <param name="visitor">Sees tables and rows, or null.</param>
    /// <param name="progress">Called every few thousand rows with the bytes read and the file size.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="BackupFileFormatException">The file is not JSON or not one object.</exception>
    public static async Task ScanAsync(BackupFileReader reader, BackupFileValidator validator, IBackupFileVisitor? visitor, Action<long, long>? progress, CancellationToken ct)
    {
        var inTable = false;
        while (true)
        {
            var token = await reader.ReadAsync(ct).ConfigureAwait(false);
            switch (token)
            {
                case BackupFileToken.Metadata:
                    validator.Metadata(reader.Value);
                    break;
                case BackupFileToken.TableStart:
                    validator.TableStart(reader.Key);
                    inTable = true;
                    if (visitor is not null)
                    {
                        await visitor.TableStartAsync(reader.Key, ct).ConfigureAwait(false);
                    }

                    break;
                case BackupFileToken.Row:
                    validator.Row(reader.RowIndex, reader.Value);
                    if (visitor is not null)
                    {
                        await visitor.RowAsync(reader.RowIndex, reader.Value, ct).ConfigureAwait(false);
                    }

                    if (progress is not null && reader.RowIndex % 5_000 == 4_999)
                    {
                        var (position, length) = reader.Progress;
                        progress(position, length);
                    }

                    break;
                case BackupFileToken.NotARow:
                    validator.NotARow(reader.RowIndex, reader.Value.ValueKind);
                    break;
                case BackupFileToken.TableEnd:
                    validator.TableEnd(reader.RowIndex);
                    inTable = false;
                    if (visitor is not null)
                    {
                        await visitor.TableEndAsync(reader.RowIndex, ct).ConfigureAwait(false);
                    }

                    break;
                case BackupFileToken.OtherValue:
                    validator.OtherValue(reader.Key, reader.Value.ValueKind);
                    break;
                default:
                    System.Diagnostics.Debug.Assert(!inTable, "The reader ends only after the closing brace.");
                    validator.End();
                    return;
            }
        }
    }
}
