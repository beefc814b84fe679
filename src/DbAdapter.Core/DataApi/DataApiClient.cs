using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// Reads from a Supabase project's Data API (PostgREST) with the profile's key: GET only, every
/// request sent with the apikey and Authorization: Bearer headers and the schema as Accept-Profile,
/// bounded by a timeout and by the caller's token (Ctrl+C). Failures come out as DbAdapterException
/// (<see cref="DataApiErrors"/>); no message carries the key.
/// </summary>
internal sealed class DataApiClient : IDisposable
{
    /// <summary>How long one request may take before the Data API counts as unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    // Rows nest a jsonb value two levels down, and jsonb nests far deeper than the parser's default 64.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 1000 };

    private readonly HttpClient _http;
    private readonly string _key;

    /// <param name="target">The profile's Data API; its key must be set (ConfigInvalid naming the variable otherwise).</param>
    public DataApiClient(DataApiTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        _key = target.RequireKey();
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }, disposeHandler: true)
        {
            BaseAddress = target.RestUrl,

            // The timeout is per request, through the token, so Ctrl+C and the timeout are told apart.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public DataApiTarget Target { get; }

    /// <summary>The OpenAPI description PostgREST serves for <paramref name="schema"/> at its root.</summary>
    public async Task<JsonDocument> GetDescriptionAsync(string schema, CancellationToken ct)
    {
        var (document, _) = await GetAsync(string.Empty, schema, $"the description of schema {schema}", ct).ConfigureAwait(false);
        return document;
    }

    /// <summary>
    /// GETs <paramref name="relativeUri"/> (relative to /rest/v1/) and parses the JSON answer; the
    /// Content-Range header ("0-999/*", "*/0"), when present, comes along as sent.
    /// </summary>
    /// <param name="relativeUri">Path and query, every part already URL-encoded.</param>
    /// <param name="schema">The schema the request is about (Accept-Profile).</param>
    /// <param name="what">What is read, for messages ("the rows of public.items").</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<(JsonDocument Body, string? Range)> GetAsync(string relativeUri, string schema, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relativeUri, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("apikey", _key);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Accept-Profile", schema);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                throw DataApiErrors.FromResponse(Target, response.StatusCode, text, what);
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    var document = await JsonDocument.ParseAsync(stream, ParseOptions, timeout.Token).ConfigureAwait(false);
                    // PostgREST's Content-Range has no unit ("0-999/*"), which the typed header refuses.
                    var range = response.Content.Headers.NonValidated.TryGetValues("Content-Range", out var values) ? values.ToString() : null;
                    return (document, range);
                }
                catch (JsonException ex)
                {
                    throw DataApiErrors.NotItsAnswer(Target, what, string.Create(CultureInfo.InvariantCulture, $"the answer (HTTP {(int)response.StatusCode}) is not JSON: {ex.Message}"));
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw DataApiErrors.Unreachable(Target, what, $"no answer within {RequestTimeout.TotalSeconds:0} seconds", null);
        }
        catch (HttpRequestException ex)
        {
            throw DataApiErrors.Unreachable(Target, what, ex.Message, ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
