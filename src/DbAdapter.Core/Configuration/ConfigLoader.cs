using System.Globalization;
using DbAdapter.Core.Diagnostics;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;

namespace DbAdapter.Core.Configuration;

/// <summary>Reads db.toml with Tomlyn (DESIGN 4.1).</summary>
public static class ConfigLoader
{
    /// <summary>File name looked for in the current location when no -ConfigPath is given.</summary>
    public const string DefaultFileName = "db.toml";

    /// <summary>
    /// Loads and validates <paramref name="path"/> (absolute). Throws <see cref="DbAdapterException"/>
    /// with <see cref="ErrorIds.ConfigNotFound"/> when the file is missing and
    /// <see cref="ErrorIds.ConfigInvalid"/> (message naming file, line and column) when it is not valid.
    /// Unknown keys end up in <see cref="DbConfig.Warnings"/>.
    /// </summary>
    public static async Task<DbConfig> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // Callers pass absolute paths (resolved against the PowerShell location); normalising keeps
        // "a/../db.toml" out of messages and gives relative entries a clean base.
        var fullPath = Path.GetFullPath(path);
        var text = await UserFile.ReadTextAsync(fullPath, UserFileKind.Config, cancellationToken).ConfigureAwait(false);
        return Parse(text, fullPath);
    }

    /// <summary>
    /// Loads <paramref name="path"/> synchronously, for callers that must not wait on asynchronous
    /// work they cannot cancel (an argument completer runs on the pipeline thread). Same errors as
    /// <see cref="LoadAsync"/>.
    /// </summary>
    public static DbConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Parse(UserFile.ReadText(fullPath, UserFileKind.Config), fullPath);
    }

    /// <summary>Parses db.toml text as if read from <paramref name="filePath"/> (absolute).</summary>
    internal static DbConfig Parse(string text, string filePath)
    {
        // Found before parsing: a syntax error message may quote the line that holds a password.
        var secrets = SecretRedactor.FindSecretsInToml(text);

        // The syntax tree validates what the object reader tolerates (a key defined twice is an
        // error in TOML, but the reader keeps the last value), so it is the gate.
        var document = SyntaxParser.Parse(text, filePath, validate: true);
        if (document.HasErrors)
        {
            var error = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw SyntaxError(filePath, error.Span.Start.Line + 1, error.Span.Start.Column + 1, error.Message, document.Diagnostics.Count(d => d.Kind == DiagnosticMessageKind.Error), secrets);
        }

        var metadata = new TomlMetadataStore();
        var options = new TomlSerializerOptions
        {
            SourceName = filePath,
            MetadataStore = metadata,
            DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
        };

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text, options) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw SyntaxError(filePath, ex.Line ?? 0, ex.Column ?? 0, FirstMessage(ex), 1, secrets);
        }

        var context = new TomlConfigContext(filePath, metadata, secrets);
        return DbConfigReader.Read(TomlNode.Root(table, context), context);
    }

    private static DbAdapterException SyntaxError(string filePath, int line, int column, string what, int errorCount, IReadOnlyList<string> secrets)
    {
        var more = errorCount > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({errorCount - 1} more error(s) follow; fix this one first)") : string.Empty;
        var message = string.Create(CultureInfo.InvariantCulture, $"{filePath}({line},{column}): {what.TrimEnd('.')}.{more}");

        // No inner exception: Tomlyn's own message may quote the offending line verbatim.
        return new DbAdapterException(ErrorIds.ConfigInvalid, DbErrorKind.InvalidData, SecretRedactor.Scrub(message, secrets), filePath);
    }

    private static string FirstMessage(TomlException ex) =>
        ex.Diagnostics?.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error)?.Message ?? ex.Message;
}
