using DbAdapter.Core.Diagnostics;

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
    public static Task<DbConfig> LoadAsync(string path, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
