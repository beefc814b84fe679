namespace DbAdapter.Core.Client;

/// <summary>
/// PostgreSQL's table lock modes, weakest first. For the modes the engine asks for (Share,
/// ShareRowExclusive, AccessExclusive) a later one conflicts with everything an earlier one does, so
/// the strongest of two requests on one table is the larger value.
/// </summary>
public enum TableLockMode
{
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}
