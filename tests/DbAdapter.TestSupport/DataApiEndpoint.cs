using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DbAdapter.TestSupport;

/// <summary>
/// A stand-in for a Supabase project's Data API (PostgREST), over a REAL test database: there is no
/// PostgREST binary here. It serves the documented read subset on loopback (HttpListener, a free
/// port): <c>GET /rest/v1/</c> answers the OpenAPI (Swagger 2.0) description built from the catalog
/// (definitions, properties, format as PostgREST spells types; a domain over a built-in type shows
/// that type); <c>GET /rest/v1/&lt;table&gt;</c> takes <c>select=*</c>, filters
/// <c>&lt;col&gt;=eq|neq|gt|gte|lt|lte.&lt;value&gt;</c> (the value taken as it is, a double-quoted column name decoded, as PostgREST's grammar has it),
/// <c>order=&lt;col&gt;.asc|desc,...</c>, <c>limit</c>/<c>offset</c> and a <c>Range: a-b</c> header,
/// caps every answer at <see cref="MaxRows"/> like PostgREST's max-rows, answers Content-Range, and
/// renders rows with PostgreSQL's own json_agg, as PostgREST does. It checks the apikey and
/// Authorization: Bearer headers (401 with PostgREST's error JSON otherwise), answers errors as
/// {code, message, details, hint}, refuses every other method with 405, and records each request.
/// Names and values reach the database as psql variables, quoted by psql.
/// </summary>
public sealed partial class DataApiEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly PostgresServer _server;
    private readonly string _database;
    private readonly string _key;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    private DataApiEndpoint(PostgresServer server, string database, string key, int port)
    {
        _server = server;
        _database = database;
        _key = key;
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The project URL to put in supabase_url.</summary>
    public string ProjectUrl => $"http://127.0.0.1:{Port}";

    public int Port { get; }

    /// <summary>At most this many rows per answer (PostgREST's max-rows), or null for no cap.</summary>
    public int? MaxRows { get; set; }

    /// <summary>The session time zone the rows are rendered in (PostgREST uses the database's; a test can move it).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Called with the number of requests so far as each one arrives (a test's hook, e.g. to cancel mid-way).</summary>
    public Action<int>? OnRequest { get; set; }

    /// <summary>Every request received: method, path and query as sent, and the headers.</summary>
    public ConcurrentQueue<DataApiRequest> Requests { get; } = new();

    /// <summary>Starts an endpoint over <paramref name="database"/> that accepts <paramref name="key"/>.</summary>
    public static DataApiEndpoint Start(PostgresServer server, string database, string key)
    {
        ArgumentNullException.ThrowIfNull(server);
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new DataApiEndpoint(server, database, key, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and the listener: try another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);

        // Close alone: on Unix, Stop and then Close remove the listener's endpoint twice, and the second
        // removal binds the port again to look it up, failing when another socket has taken it meanwhile.
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // The listener was closed under the pending GetContextAsync: that is how the loop ends.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new DataApiRequest(request.HttpMethod, request.RawUrl ?? string.Empty, headers));
        OnRequest?.Invoke(Requests.Count);
        try
        {
            var (status, body, range) = await AnswerAsync(request, headers).ConfigureAwait(false);
            await RespondAsync(context.Response, status, body, range).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RespondAsync(context.Response, 500, Error("XX000", ex.Message, null, null), null).ConfigureAwait(false);
        }
    }

    private async Task<(int Status, string Body, string? Range)> AnswerAsync(HttpListenerRequest request, Dictionary<string, string> headers)
    {
        var path = (request.RawUrl ?? "/").Split('?', 2);
        if (!path[0].StartsWith("/rest/v1/", StringComparison.Ordinal))
        {
            return (404, Error("PGRST125", $"Invalid path specified in request URL", null, null), null);
        }

        if (headers.GetValueOrDefault("apikey") != _key || headers.GetValueOrDefault("Authorization") != $"Bearer {_key}")
        {
            return (401, Error("PGRST301", "JWSError JWSInvalidSignature", null, null), null);
        }

        if (request.HttpMethod != "GET")
        {
            return (405, Error("PGRST117", $"Unsupported HTTP method: {request.HttpMethod}", null, null), null);
        }

        var schema = headers.GetValueOrDefault("Accept-Profile") is { Length: > 0 } profile ? profile : "public";
        var table = Uri.UnescapeDataString(path[0]["/rest/v1/".Length..]);
        var query = ParseQuery(path.Length > 1 ? path[1] : string.Empty);
        try
        {
            if (table.Length == 0)
            {
                return (200, await DescriptionAsync(schema).ConfigureAwait(false), null);
            }

            return await RowsAsync(schema, table, query, headers.GetValueOrDefault("Range")).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (SqlState().Match(ex.Message) is { Success: true } m)
        {
            var code = m.Groups["code"].Value;
            var status = code == "42P01" ? 404 : code.StartsWith("42501", StringComparison.Ordinal) ? 403 : 400;
            return (status, Error(code, m.Groups["message"].Value.Trim(), null, null), null);
        }
        catch (ArgumentException ex)
        {
            return (400, Error("PGRST100", ex.Message, null, null), null);
        }
    }

    private async Task<string> DescriptionAsync(string schema)
    {
        var json = await _server.QueryTextAsync(_database, DescriptionSql, new Dictionary<string, string> { ["schema"] = schema }).ConfigureAwait(false);
        return json.TrimEnd('\n');
    }

    private async Task<(int, string, string?)> RowsAsync(string schema, string table, List<(string Key, string Value)> query, string? rangeHeader)
    {
        var variables = new Dictionary<string, string> { ["schema"] = schema, ["table"] = table, ["zone"] = TimeZone };
        var where = new List<string>();
        var order = new List<string>();
        long? limit = null;
        long offset = 0;
        foreach (var (key, value) in query)
        {
            switch (key)
            {
                case "select":
                    if (value != "*")
                    {
                        throw new ArgumentException("this endpoint serves select=* only");
                    }

                    break;
                case "order":
                    foreach (var term in SplitTopLevel(value))
                    {
                        var parts = SplitLiteral(term);
                        var name = $"o{variables.Count}";
                        variables[name] = parts[0];
                        var direction = parts.Count > 1 && parts[1] == "desc" ? "DESC" : "ASC";
                        order.Add($":\"{name}\" {direction}");
                    }

                    break;
                case "limit":
                    limit = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "offset":
                    offset = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    var dot = value.IndexOf('.', StringComparison.Ordinal);
                    var op = dot < 0 ? value : value[..dot];
                    var sqlOp = op switch
                    {
                        "eq" => "=",
                        "neq" => "<>",
                        "gt" => ">",
                        "gte" => ">=",
                        "lt" => "<",
                        "lte" => "<=",
                        _ => throw new ArgumentException($"\"failed to parse filter ({value})\" (line 1, column {dot + 2})"),
                    };
                    var column = $"c{variables.Count}";
                    variables[column] = Unquote(key);
                    var literal = $"v{variables.Count}";

                    // PostgREST takes a filter's single value as it is, quotes and all (only lists unquote).
                    variables[literal] = value[(dot + 1)..];
                    where.Add($":\"{column}\" {sqlOp} :'{literal}'");
                    break;
            }
        }

        if (rangeHeader is { } range && RangeHeader().Match(range) is { Success: true } r)
        {
            var from = long.Parse(r.Groups["from"].Value, CultureInfo.InvariantCulture);
            offset = from;
            if (r.Groups["to"].Success)
            {
                var count = long.Parse(r.Groups["to"].Value, CultureInfo.InvariantCulture) - from + 1;
                limit = limit is null ? count : Math.Min(limit.Value, count);
            }
        }

        if (MaxRows is { } max)
        {
            limit = limit is null ? max : Math.Min(limit.Value, max);
        }

        var sql = new StringBuilder("\\set VERBOSITY verbose\nSET TIME ZONE :'zone';\nSELECT coalesce(json_agg(_postgrest_t), '[]') FROM (SELECT * FROM :\"schema\".:\"table\"");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        if (order.Count > 0)
        {
            sql.Append(" ORDER BY ").AppendJoin(", ", order);
        }

        if (limit is { } l)
        {
            sql.Append(CultureInfo.InvariantCulture, $" LIMIT {l}");
        }

        sql.Append(CultureInfo.InvariantCulture, $" OFFSET {offset}) _postgrest_t;");
        var body = (await _server.QueryTextAsync(_database, sql.ToString(), variables).ConfigureAwait(false)).TrimEnd('\n');
        using var rows = JsonDocument.Parse(body);
        var n = rows.RootElement.GetArrayLength();
        return (200, body, n == 0 ? "*/*" : string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + n - 1}/*"));
    }

    /// <summary>A column name as PostgREST reads it: "a.b" in double quotes with \" and \\ escapes, or the text as it is.</summary>
    private static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return text;
        }

        var value = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length - 1)
            {
                i++;
            }

            value.Append(text[i]);
        }

        return value.ToString();
    }

    /// <summary>"col.asc" or "\"a.b\".desc": the name (unquoted) and the modifiers.</summary>
    private static List<string> SplitLiteral(string term)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < term.Length; i++)
        {
            var c = term[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\\' && quoted && i + 1 < term.Length)
            {
                current.Append(term[++i]);
                continue;
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            else
            {
                current.Append(c);
                continue;
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static IEnumerable<string> SplitTopLevel(string value)
    {
        var quoted = false;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '"' && (i == 0 || value[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (value[i] == ',' && !quoted)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }

    private static List<(string Key, string Value)> ParseQuery(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty))
            .ToList();

    private static string Error(string code, string message, string? details, string? hint) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["code"] = code, ["details"] = details, ["hint"] = hint, ["message"] = message });

    private static async Task RespondAsync(HttpListenerResponse response, int status, string body, string? range)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (range is not null)
        {
            response.Headers["Content-Range"] = range;
        }

        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    [GeneratedRegex(@"ERROR:\s+(?<code>[0-9A-Z]{5}):\s+(?<message>[^\n]*)")]
    private static partial Regex SqlState();

    [GeneratedRegex(@"^\s*(?<from>\d+)-(?<to>\d+)?\s*$")]
    private static partial Regex RangeHeader();

    // PostgREST's description: every table and view of the schema under "definitions", each column a
    // property whose "format" is format_type's spelling (a domain over a pg_catalog type shows that
    // type), primary keys noted in the description, NOT NULL columns listed as "required".
    private const string DescriptionSql = """
        WITH cols AS (
            SELECT c.relname, a.attnum, a.attname, a.attnotnull,
                   CASE WHEN t.typtype = 'd' AND bt.typnamespace = 'pg_catalog'::regnamespace
                        THEN format_type(t.typbasetype, NULL) ELSE format_type(a.atttypid, NULL) END AS fmt,
                   coalesce(bt.typcategory, t.typcategory) AS cat,
                   coalesce(bt.typname, t.typname) AS tname,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS pk
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
            WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ), tabs AS (
            SELECT relname,
                   json_object_agg(attname, json_strip_nulls(json_build_object(
                       'description', CASE WHEN pk THEN E'Note:\nThis is a Primary Key.<pk/>' END,
                       'format', fmt,
                       'type', CASE WHEN cat = 'A' THEN 'array' WHEN tname IN ('int2', 'int4', 'int8') THEN 'integer'
                                    WHEN cat = 'N' THEN 'number' WHEN cat = 'B' THEN 'boolean'
                                    WHEN tname IN ('json', 'jsonb') THEN NULL ELSE 'string' END,
                       'items', CASE WHEN cat = 'A' THEN json_build_object('type', 'string') END)) ORDER BY attnum) AS props,
                   coalesce(json_agg(attname ORDER BY attnum) FILTER (WHERE attnotnull), '[]') AS req
            FROM cols GROUP BY relname
        )
        SELECT json_build_object(
            'swagger', '2.0',
            'info', json_build_object('title', 'standard public schema', 'version', '12.2.0'),
            'basePath', '/',
            'schemes', json_build_array('http'),
            'consumes', json_build_array('application/json', 'application/vnd.pgrst.object+json', 'text/csv'),
            'produces', json_build_array('application/json', 'application/vnd.pgrst.object+json', 'text/csv'),
            'paths', coalesce((SELECT json_object_agg('/' || relname, json_build_object('get', json_build_object('tags', json_build_array(relname)))) FROM tabs), '{}'),
            'definitions', coalesce((SELECT json_object_agg(relname, json_build_object('type', 'object', 'required', req, 'properties', props)) FROM tabs), '{}'));
        """;
}

/// <summary>One request <see cref="DataApiEndpoint"/> received.</summary>
/// <param name="Method">GET, POST...</param>
/// <param name="Url">Path and query exactly as sent (percent-encoded).</param>
/// <param name="Headers">The request headers (names case-insensitive).</param>
public sealed record DataApiRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers);
