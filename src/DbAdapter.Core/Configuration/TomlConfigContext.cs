using DbAdapter.Core.Diagnostics;
using Tomlyn.Serialization;

namespace DbAdapter.Core.Configuration;

/// <summary>What every <see cref="TomlNode"/> of one file shares: file, metadata, warnings and the secrets to keep out of messages.</summary>
internal sealed class TomlConfigContext(string filePath, TomlMetadataStore metadata, IEnumerable<string> secrets)
{
    private readonly List<string> _warnings = [];
    private readonly List<string> _secrets = [.. secrets];

    public string FilePath { get; } = filePath;

    public string Directory { get; } = ConfigPaths.DirectoryOf(filePath);

    public TomlMetadataStore Metadata { get; } = metadata;

    /// <summary>Warnings so far, scrubbed of every secret known now (parsed passwords included).</summary>
    public IReadOnlyList<string> Warnings => _warnings.Select(w => SecretRedactor.Scrub(w, _secrets)).ToList();

    /// <summary>A password value as parsed (escapes decoded), which the raw text scan may have missed.</summary>
    public void AddSecret(string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            _secrets.Add(secret);
        }
    }

    public void Warn(string message) => _warnings.Add(message);

    public DbAdapterException Invalid(string message) =>
        new(ErrorIds.ConfigInvalid, DbErrorKind.InvalidData, SecretRedactor.Scrub(message, _secrets), FilePath);
}
