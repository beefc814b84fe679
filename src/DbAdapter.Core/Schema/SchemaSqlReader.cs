using DbAdapter.Core.Diagnostics;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Reads a schema.sql into the expected <see cref="SchemaModel"/>: tables with their columns and
/// constraints, indexes, triggers and functions. The text goes through a real tokenizer, so comments,
/// strings, quoted identifiers and dollar-quoted bodies never confuse it.
/// </summary>
public static class SchemaSqlReader
{
    /// <summary>Reads SQL text.</summary>
    /// <param name="sql">The schema SQL.</param>
    /// <param name="sourceFile">The file it came from, for messages and <see cref="SchemaModel.SourceFile"/>.</param>
    /// <param name="defaultSchema">Schema of unqualified names (until a SET search_path in the file changes it).</param>
    /// <returns>The model; statements not read are listed in <see cref="SchemaModel.Warnings"/>.</returns>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.SchemaFileInvalid"/> when the text has no table or an unterminated string,
    /// quoted identifier, comment or dollar quote.
    /// </exception>
    public static SchemaModel Read(string sql, string? sourceFile = null, string defaultSchema = "public")
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentException.ThrowIfNullOrEmpty(defaultSchema);
        return SchemaStatementReader.Read(sql, sourceFile, defaultSchema);
    }

    /// <summary>
    /// Reads a schema file. The file is read and hashed every time; the model of bytes this process has
    /// read before is shared (<see cref="SchemaFileCache"/>), so the model returned must be read only.
    /// </summary>
    /// <param name="path">Path of the file; the model's <see cref="SchemaModel.SourceFile"/> is its full path.</param>
    /// <param name="defaultSchema">Schema of unqualified names.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <exception cref="DbAdapterException">
    /// <see cref="ErrorIds.SchemaFileNotFound"/> when the file does not exist;
    /// <see cref="ErrorIds.SchemaFileInvalid"/> when it cannot be read or holds no readable table.
    /// </exception>
    public static async Task<SchemaModel> ReadFileAsync(string path, string defaultSchema, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var bytes = await UserFile.ReadBytesAsync(fullPath, UserFileKind.Schema, ct).ConfigureAwait(false);

        // Of the very bytes read: a plan file records it, and an imported plan is refused when the file differs.
        var sha256 = ContentHash.Sha256(bytes);
        if (SchemaFileCache.Find(fullPath, defaultSchema, sha256) is { } known)
        {
            return known;
        }

        var model = Read(UserFile.DecodeText(bytes), fullPath, defaultSchema);
        model.SourceSha256 = sha256;
        SchemaFileCache.Add(fullPath, defaultSchema, sha256, bytes.Length, model);
        return model;
    }
}
