namespace DbAdapter.Core.Schema;

/// <summary>
/// What a schema read or comparison sent to the server. It exists so tests and the benchmark can
/// prove the work is a fixed number of catalog queries whatever the table count: a regression to
/// a query per table shows up here long before it shows up as a slow Test-DbSchema on a big database.
/// </summary>
public sealed class SchemaQueryStatistics
{
    private int _statements;
    private int _roundTrips;

    /// <summary>SQL statements executed (each statement of a batch counts).</summary>
    public int Statements => _statements;

    /// <summary>Round trips to the server (a batch is one).</summary>
    public int RoundTrips => _roundTrips;

    /// <summary>Records one round trip carrying <paramref name="statements"/> statements.</summary>
    internal void Record(int statements)
    {
        Interlocked.Add(ref _statements, statements);
        Interlocked.Increment(ref _roundTrips);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Statements} statements in {RoundTrips} round trips";
}
