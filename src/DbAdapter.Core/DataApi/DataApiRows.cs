using System.Globalization;
using System.Text.Json;
using DbAdapter.Core.Backup;
using DbAdapter.Core.Client;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// A user's rows read through the Data API: the Data API's counterpart of <see cref="UserRows"/>,
/// for a profile that has no database url. The backup schema is bound to the tables the OpenAPI
/// description shows; each table is read with
/// <c>GET /rest/v1/&lt;table&gt;?select=*&amp;&lt;user_field&gt;=eq.&lt;id&gt;&amp;order=&lt;pk&gt;.asc&amp;limit=N</c>,
/// page after page by key (<c>&lt;pk&gt;=gt.&lt;last key&gt;</c>) until a page comes back empty, so a
/// server's max-rows cap only makes pages smaller and rows written meanwhile neither shift nor repeat
/// rows. Under a parent, a row is taken only when its parent is NULL or one of the parent rows taken
/// (the same rule the database side's filter applies). There is no snapshot across requests: tables
/// are read one after the other, parents first.
/// </summary>
/// <param name="client">The Data API.</param>
/// <param name="reporter">Receives the warnings.</param>
/// <param name="tables">The tables that will be read: only the keys of those a child of theirs needs are remembered.</param>
internal sealed class DataApiRows(DataApiClient client, IOperationReporter reporter, IReadOnlyList<BackupTable> tables)
{
    /// <summary>Rows asked for per request (Supabase's default max-rows is 1000 too; a lower cap only makes pages smaller).</summary>
    public const int PageSize = 1000;

    // The tables some other table hangs under: only their keys are looked at again (to take a child row
    // only under a parent row taken); a leaf table's keys (most of the rows, as a rule) are not kept.
    private readonly HashSet<BackupTable> _parents = tables.Where(t => t.Parent is not null).Select(t => t.Parent!.Table).ToHashSet();

    // The keys taken of each parent table read so far.
    private readonly Dictionary<BackupTable, HashSet<string>> _taken = [];

    /// <summary>
    /// Binds <paramref name="schema"/> to the tables the Data API describes in the profile's schemas
    /// (BackupSchemaInvalid naming the entry, as for a database).
    /// </summary>
    /// <remarks>
    /// Once the Data API has accepted the key (the description is read with it), the key's role is
    /// checked as <see cref="UserRows"/> checks a database role: row-level security applies to every
    /// role but service_role, so rows read with another key are the ones its policies show, and
    /// without <paramref name="allowRowLevelSecurity"/> that is RowLevelSecurityActive before a row is read.
    /// </remarks>
    public static async Task<BackupTableSet> BindAsync(DataApiClient client, BackupSchema schema, bool allowRowLevelSecurity, IOperationReporter reporter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reporter);
        var target = client.Target;
        var candidates = BackupSchemaBinder.CandidateTables(schema, target.Schemas);
        var columns = new Dictionary<TableName, TableColumns>();
        foreach (var schemaName in candidates.Select(c => c.Schema).Distinct(StringComparer.Ordinal))
        {
            using var description = await client.GetDescriptionAsync(schemaName, ct).ConfigureAwait(false);
            var described = DataApiDescription.Tables(description.RootElement, schemaName);
            foreach (var table in candidates.Where(c => c.Schema == schemaName && described.ContainsKey(c)))
            {
                columns[table] = described[table];
            }
        }

        var set = BackupSchemaBinder.Bind(schema, target.Schemas, target.ProfileName, columns);
        CheckKeyRole(target, allowRowLevelSecurity, reporter);
        return set;
    }

    private static void CheckKeyRole(Profiles.DataApiTarget target, bool allow, IOperationReporter reporter)
    {
        var key = DataApiKeyRole.Of(target.RequireKey());
        if (key.BypassesRowLevelSecurity)
        {
            return;
        }

        var who = $"The Data API key of profile '{target.ProfileName}' (from {target.KeyVariable})";
        if (key.Role is null)
        {
            reporter.Warning($"{who} names no role DbAdapter knows (neither a Supabase JWT nor an sb_ key): if row-level security applies to its role, only the rows the policies show it are read.");
        }
        else if (allow)
        {
            reporter.Warning($"{who} acts as role '{key.Role}', which row-level security applies to: only the rows the tables' policies show that role are read.");
        }
        else
        {
            throw new DbAdapterException(
                ErrorIds.RowLevelSecurityActive,
                DbErrorKind.PermissionDenied,
                $"{who} acts as role '{key.Role}', which row-level security applies to: the Data API returns only the rows the tables' policies show that role (none without a policy), so the user's rows would come out incomplete without a word. Nothing was read or written. Use the project's service_role key (or an sb_secret_ key).",
                target.ProfileName,
                hint: ErrorHint.AllowRowLevelSecurity);
        }
    }

    /// <summary>
    /// Reads the user's rows of <paramref name="table"/> (after its parent), in key order, handing
    /// each row taken to <paramref name="row"/>; returns how many were taken.
    /// </summary>
    public async Task<long> ReadAsync(BackupTable table, string userId, Func<JsonElement, CancellationToken, ValueTask> row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        HashSet<string>? parentKeys = null;
        if (table.Parent is { } parent && !_taken.TryGetValue(parent.Table, out parentKeys))
        {
            throw new InvalidOperationException($"{parent.Table.Key} must be read (and named to this reader) before {table.Key}.");
        }

        var keys = _parents.Contains(table) ? _taken[table] = new HashSet<string>(StringComparer.Ordinal) : null;
        var what = $"the rows of {table.Name}";
        long taken = 0, owned = 0;
        string? after = null;
        while (true)
        {
            var (body, range) = await client.GetAsync(PageUri(table, userId, after), table.Name.Schema, what, ct).ConfigureAwait(false);
            using (body)
            {
                var rows = body.RootElement;
                if (rows.ValueKind != JsonValueKind.Array)
                {
                    throw DataApiErrors.NotItsAnswer(client.Target, what, $"an array of rows was expected, the answer is {JsonKinds.Describe(rows.ValueKind)}.");
                }

                CheckRange(range, rows.GetArrayLength(), what);
                if (rows.GetArrayLength() == 0)
                {
                    break;
                }

                string? last = null;
                foreach (var item in rows.EnumerateArray())
                {
                    owned++;
                    last = Key(item, table.Pk.Name, what);
                    if (parentKeys is not null && Reference(item, table.Parent!.Field.Name) is { } reference && !parentKeys.Contains(reference))
                    {
                        continue;
                    }

                    keys?.Add(last);
                    taken++;
                    await row(item, ct).ConfigureAwait(false);
                }

                if (last == after)
                {
                    throw DataApiErrors.NotItsAnswer(client.Target, what, $"the page after key {after} began again at that key: the filter on {table.Pk.Name} was not applied.");
                }

                after = last;
            }
        }

        if (owned > taken)
        {
            reporter.Warning(string.Create(
                CultureInfo.InvariantCulture,
                $"{owned - taken} row(s) of {table.Key} owned by the user hang under a {table.Parent!.Table.Key} row that is not the user's (another user's, or missing): they are left out, since their parent is not taken."));
        }

        return taken;
    }

    /// <summary>The request for one page: names quoted where PostgREST needs it, every part percent-encoded.</summary>
    internal static string PageUri(BackupTable table, string userId, string? after)
    {
        var pk = DataApiLiteral.Name(table.Pk.Name);
        var uri = string.Create(
            CultureInfo.InvariantCulture,
            $"{Uri.EscapeDataString(table.Name.Name)}?select=*&{DataApiLiteral.Name(table.User.Name)}=eq.{DataApiLiteral.Value(userId)}&order={pk}.asc&limit={PageSize}");
        return after is null ? uri : $"{uri}&{pk}=gt.{DataApiLiteral.Value(after)}";
    }

    /// <summary>A key as text: a string as it is, a number as written (so a parent's key and a child's reference compare equal).</summary>
    private string Key(JsonElement row, string column, string what) =>
        Reference(row, column) ?? throw DataApiErrors.NotItsAnswer(client.Target, what, $"a row came without its key {column}.");

    private static string? Reference(JsonElement row, string column) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty(column, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>Content-Range ("0-999/*", "*/0", "0-9/42") must agree with the rows in the body: a cut answer is refused.</summary>
    private void CheckRange(string? range, int count, string what)
    {
        if (range is null)
        {
            return;
        }

        var slash = range.IndexOf('/', StringComparison.Ordinal);
        var span = (slash < 0 ? range : range[..slash]).Trim();
        var dash = span.IndexOf('-', StringComparison.Ordinal);
        var expected = span == "*" ? 0
            : dash > 0 && long.TryParse(span[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from) && long.TryParse(span[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                ? to - from + 1
                : -1;
        if (expected != count)
        {
            throw DataApiErrors.NotItsAnswer(client.Target, what, string.Create(CultureInfo.InvariantCulture, $"its Content-Range ({range}) does not match the {count} row(s) it holds."));
        }
    }
}
