namespace DbAdapter.Core.Profiles;

/// <summary>Environment variables as the engine sees them. An empty value counts as unset (DESIGN 4.3).</summary>
public interface IEnvironment
{
    /// <summary>The value, or null when unset or empty.</summary>
    string? Get(string name);
}

/// <summary>The process environment.</summary>
public sealed class ProcessEnvironment : IEnvironment
{
    public static readonly ProcessEnvironment Instance = new();

    public string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

/// <summary>A fixed set of variables (tests, embedded hosts).</summary>
public sealed class DictionaryEnvironment(IReadOnlyDictionary<string, string?> values) : IEnvironment
{
    public string? Get(string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
