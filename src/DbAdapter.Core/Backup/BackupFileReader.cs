using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Backup;

/// <summary>
/// Reads a backup file as a stream of metadata, table starts, rows and table ends, holding one row
/// at a time: a file of a million rows takes as much memory as a file of ten. A gzip file (.json.gz,
/// recognised by its magic bytes, whatever its name) is decompressed on the fly. Malformed JSON is a
/// <see cref="BackupFileFormatException"/> naming the line and position.
/// </summary>
internal sealed class BackupFileReader : IAsyncDisposable
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1000 };

    private readonly FileStream _file;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _begun;
    private JsonReaderState _state = new(Options);
    private Mode _mode = Mode.Begin;
    private JsonDocument? _current;
    private long _rows;

    private BackupFileReader(string path, FileStream file, Stream stream)
    {
        Path = path;
        _file = file;
        _stream = stream;
    }

    private enum Mode
    {
        Begin,
        TopLevel,
        Value,
        InArray,
        Done,
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The current table's key (TableStart, Row, NotARow, TableEnd) or the current top-level key.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>0-based index of the current row in its table's array (Row, NotARow); the row count at TableEnd.</summary>
    public long RowIndex { get; private set; }

    /// <summary>The current value (Metadata, Row, NotARow, OtherValue); valid until the next read.</summary>
    public JsonElement Value => _current?.RootElement ?? default;

    /// <summary>Bytes of the file read so far, and its size: progress of a gzip file too.</summary>
    public (long Position, long Length) Progress => (_file.Position, _file.Length);

    /// <summary>Opens <paramref name="path"/> (BackupFileNotFound when missing).</summary>
    public static async Task<BackupFileReader> OpenAsync(string path, CancellationToken ct)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var file = UserFile.OpenRead(fullPath, UserFileKind.BackupFile);
        try
        {
            var magic = new byte[2];
            var read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            file.Position = 0;
            var stream = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true)
                : (Stream)file;
            return new BackupFileReader(fullPath, file, stream);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the next item.</summary>
    /// <exception cref="BackupFileFormatException">Not JSON, or not one JSON object.</exception>
    public async ValueTask<BackupFileToken> ReadAsync(CancellationToken ct)
    {
        _current?.Dispose();
        _current = null;
        while (true)
        {
            BackupFileToken? token;
            try
            {
                token = Step();
            }
            catch (JsonException ex)
            {
                throw Malformed(string.Create(
                    CultureInfo.InvariantCulture,
                    $"not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}"), ex);
            }

            if (token is { } found)
            {
                return found;
            }

            if (_eof)
            {
                throw Malformed("the file ends before its JSON is complete (a truncated or unfinished backup).");
            }

            await FillAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _current?.Dispose();
        if (!ReferenceEquals(_stream, _file))
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await _file.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The BackupFileInvalid error for a problem of this file.</summary>
    public DbAdapterException Invalid(string problem, Exception? inner = null, ErrorHint hint = ErrorHint.CheckBackupFile) =>
        new(ErrorIds.BackupFileInvalid, DbErrorKind.InvalidData, $"Backup file {Path}: {problem}", Path, inner, hint);

    private static BackupFileFormatException Malformed(string problem, Exception? inner = null) => new(problem, inner);

    /// <summary>Produces the next item from the buffer, or null when more bytes are needed.</summary>
    /// <remarks>Runs once per row: compiled optimized from the first call, not after a slow warm-up.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private BackupFileToken? Step()
    {
        if (!_begun)
        {
            if (_end - _start < 3 && !_eof)
            {
                return null;
            }

            // A UTF-8 byte order mark (some editors write one) is not JSON; skip it.
            if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
            {
                _start += 3;
            }

            _begun = true;
        }

        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            switch (_mode)
            {
                case Mode.Begin:
                    if (_eof && _buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
                    {
                        throw Malformed("the file is empty; a backup file is one JSON object.");
                    }

                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Malformed("a backup file is one JSON object ({\"metadata\": {...}, \"<table>\": [...]}), but this one starts with something else.");
                    }

                    Commit(ref reader, Mode.TopLevel);
                    continue;

                case Mode.TopLevel:
                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        Commit(ref reader, Mode.Done);
                        continue;
                    }

                    Key = reader.GetString()!;
                    Commit(ref reader, Mode.Value);
                    continue;

                case Mode.Value:
                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (reader.TokenType == JsonTokenType.StartArray && Key != "metadata")
                    {
                        _rows = 0;
                        Commit(ref reader, Mode.InArray);
                        return BackupFileToken.TableStart;
                    }

                    if (!TryParseValue(ref reader))
                    {
                        return null;
                    }

                    Commit(ref reader, Mode.TopLevel);
                    return Key == "metadata" ? BackupFileToken.Metadata : BackupFileToken.OtherValue;

                case Mode.InArray:
                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        RowIndex = _rows;
                        Commit(ref reader, Mode.TopLevel);
                        return BackupFileToken.TableEnd;
                    }

                    if (!TryParseValue(ref reader))
                    {
                        return null;
                    }

                    var isRow = _current!.RootElement.ValueKind == JsonValueKind.Object;
                    Commit(ref reader, Mode.InArray);
                    RowIndex = _rows++;
                    return isRow ? BackupFileToken.Row : BackupFileToken.NotARow;

                default:
                    // After the closing brace only whitespace may follow; the reader checks that.
                    if (reader.Read())
                    {
                        throw Malformed("there is more after the end of the backup's JSON object.");
                    }

                    if (!_eof)
                    {
                        _start = _end;
                        return null;
                    }

                    return BackupFileToken.End;
            }
        }
    }

    private bool TryParseValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var probe = reader;
            if (!probe.TrySkip())
            {
                return false;
            }
        }

        _current = JsonDocument.ParseValue(ref reader);
        return true;
    }

    private void Commit(ref Utf8JsonReader reader, Mode next)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        _mode = next;
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // One value (a row, the metadata) is larger than the buffer: grow it, a row must fit whole.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
