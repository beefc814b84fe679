namespace DbAdapter.Core.Backup;

/// <summary>How a column's values are read from the server and written as JSON.</summary>
internal enum BackupValueKind
{
    /// <summary>Read as text (numeric, money, enums, intervals, anything without a JSON form): a JSON string.</summary>
    Text,

    /// <summary>int2/int4/int8: a JSON number.</summary>
    Integer,

    /// <summary>float8: a JSON number (NaN and infinities as strings, which JSON lacks).</summary>
    Double,

    /// <summary>float4: a JSON number in its shortest single-precision form.</summary>
    Single,

    Boolean,

    /// <summary>ISO-8601 with offset, in UTC.</summary>
    TimestampTz,

    /// <summary>ISO-8601 without offset.</summary>
    Timestamp,

    /// <summary>yyyy-MM-dd.</summary>
    Date,

    /// <summary>HH:mm:ss[.ffffff].</summary>
    Time,

    Uuid,

    /// <summary>json/jsonb: the JSON value itself.</summary>
    Json,

    /// <summary>bytea: base64.</summary>
    Bytes,
}
