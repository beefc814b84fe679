using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Where a profile's expected schema comes from, decided but not read yet (see
/// <see cref="ExpectedSchema.PrepareAsync"/>): the schema file, and the reader or a shadow database.
/// </summary>
public sealed class ExpectedSchemaSource
{
    private readonly ConnectionTarget? _shadow;
    private readonly IOperationReporter _reporter;

    internal ExpectedSchemaSource(ResolvedProfile profile, string schemaFile, ConnectionTarget? shadow, IOperationReporter reporter)
    {
        Profile = profile;
        SchemaFile = schemaFile;
        _shadow = shadow;
        _reporter = reporter;
    }

    /// <summary>The profile whose expected schema this is.</summary>
    public ResolvedProfile Profile { get; }

    /// <summary>The schema file.</summary>
    public string SchemaFile { get; }

    /// <summary>
    /// True when the model comes from the reader, which needs nothing but the file and the CPU: it can
    /// be read while the server reads the live catalog. Shadow mode runs the file on a server, which
    /// would keep the live transaction open for as long: it is done first.
    /// </summary>
    public bool IsReader => _shadow is null;

    /// <summary>Reads the expected schema (reader or shadow mode), reporting what the reader skipped.</summary>
    public Task<ExpectedSchemaResult> LoadAsync(CancellationToken ct) => ExpectedSchema.LoadSourceAsync(this, _shadow, _reporter, ct);
}
