using System.Globalization;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Rows;

/// <summary>A column of a staged table: where it sits in the source's rows and in the scratch tables.</summary>
/// <param name="SourcePosition">Position among the source's columns.</param>
/// <param name="Column">The destination column.</param>
/// <param name="Ordinal">Position among the staged columns: raw "v{Ordinal}" (text), typed "c{Ordinal}".</param>
internal sealed record StagedColumn(int SourcePosition, ColumnInfo Column, int Ordinal)
{
    public string Raw => string.Create(CultureInfo.InvariantCulture, $"v{Ordinal}");

    public string Typed => string.Create(CultureInfo.InvariantCulture, $"c{Ordinal}");
}

/// <summary>
/// One table of the source in the destination's scratch space: a raw table of text values
/// (ord, err, v0...) filled by COPY, then a typed table (ord, state, keys, c0...) the engine works
/// on. Both live in pg_temp and are dropped at the end of the restore's transaction.
/// </summary>
internal sealed class StagedTable
{
    private readonly string _index;

    public StagedTable(BackupTable table, IReadOnlyList<StagedColumn> columns)
    {
        Table = table;
        Columns = columns;
        _index = table.Index.ToString(CultureInfo.InvariantCulture);
        Raw = "pg_temp." + SqlIdentifier.Quote("dbadapter_raw_" + _index);
        Typed = "pg_temp." + SqlIdentifier.Quote("dbadapter_rows_" + _index);
        Pk = Find(table.Pk);
        Slug = table.Slug is null ? null : Find(table.Slug);
        Parent = table.Parent is null ? null : Find(table.Parent.Field);
        References = table.OptionalRefs.Select(r => (r, Find(r.Field))).Where(r => r.Item2 is not null).Select(r => (r.r, r.Item2!)).ToList();
    }

    public BackupTable Table { get; }

    /// <summary>The staged columns, in source order: every column of the source the destination can take, except its owner column.</summary>
    public IReadOnlyList<StagedColumn> Columns { get; }

    /// <summary>Quoted name of the raw table.</summary>
    public string Raw { get; }

    /// <summary>Quoted name of the typed table.</summary>
    public string Typed { get; }

    public StagedColumn? Pk { get; }

    public StagedColumn? Slug { get; }

    public StagedColumn? Parent { get; }

    /// <summary>Optional references present in the source, with their staged columns.</summary>
    public IReadOnlyList<(BackupReference Reference, StagedColumn Column)> References { get; }

    /// <summary>Rows staged (ord runs from 0 to Rows - 1).</summary>
    public long Rows { get; set; }

    /// <summary>True once the typed table exists.</summary>
    public bool IsTyped { get; set; }

    /// <summary>
    /// The statement that indexes the raw (or the typed) table by ord, once: neither has an index while
    /// it is filled (one maintained for every row cost a 100k restore ~55 ms); the isolation of a
    /// refused row, which works on ever narrower ranges and single rows, builds it when it starts.
    /// </summary>
    public string IndexOrd(bool typed) =>
        $"CREATE INDEX IF NOT EXISTS {SqlIdentifier.Quote($"dbadapter_{(typed ? "rows" : "raw")}_{_index}_ord")} ON {(typed ? Typed : Raw)} (ord)";

    private StagedColumn? Find(ColumnInfo column) => Columns.FirstOrDefault(c => ReferenceEquals(c.Column, column) || c.Column.Name == column.Name);
}
