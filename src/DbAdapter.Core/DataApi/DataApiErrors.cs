using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DbAdapter.Core.Diagnostics;
using DbAdapter.Core.Profiles;

namespace DbAdapter.Core.DataApi;

/// <summary>
/// The Data API's failures in the engine's terms. PostgREST answers an error with a JSON object
/// (code, message, details, hint) and an HTTP status: 401 and 403 mean the key (or its role) was
/// refused, and become AuthenticationFailed; anything else is DataApiFailed with PostgREST's own
/// words; no answer at all is ConnectionFailed. Every text is scrubbed of the key first.
/// </summary>
internal static class DataApiErrors
{
    private const int MaxQuoted = 500;

    public static DbAdapterException FromResponse(DataApiTarget target, HttpStatusCode status, string body, string what)
    {
        var code = (int)status;
        var said = Describe(body);
        var where = Where(target);
        return status switch
        {
            HttpStatusCode.Unauthorized => new DbAdapterException(
                ErrorIds.AuthenticationFailed,
                DbErrorKind.AuthenticationError,
                target.Redact($"{where} refused the key from {target.KeyVariable} while reading {what} (HTTP 401: {said}). Check that {target.KeyVariable} holds the project's service-role key (Project Settings, API keys)."),
                target.ProfileName,
                hint: ErrorHint.SetDataApiKey),
            HttpStatusCode.Forbidden => new DbAdapterException(
                ErrorIds.AuthenticationFailed,
                DbErrorKind.PermissionDenied,
                target.Redact($"{where} does not let the key from {target.KeyVariable} read {what} (HTTP 403: {said}). The service-role key may read every table; another key's role needs SELECT on it."),
                target.ProfileName,
                hint: ErrorHint.SetDataApiKey),
            _ => new DbAdapterException(
                ErrorIds.DataApiFailed,
                code is 404 ? DbErrorKind.ObjectNotFound : code >= 500 ? DbErrorKind.ResourceUnavailable : DbErrorKind.InvalidOperation,
                target.Redact(string.Create(CultureInfo.InvariantCulture, $"{where} failed to give {what} (HTTP {code}: {said}). Nothing was written.")),
                target.ProfileName),
        };
    }

    /// <summary>The Data API could not be reached (DNS, refused connection, TLS, timeout).</summary>
    public static DbAdapterException Unreachable(DataApiTarget target, string what, string reason, Exception? inner) => new(
        ErrorIds.ConnectionFailed,
        DbErrorKind.ConnectionError,
        target.Redact($"{Where(target)} could not be reached for {what}: {reason} Check supabase_url and the network. Nothing was written."),
        target.ProfileName,
        inner);

    /// <summary>An answer that is not what PostgREST sends (a proxy's page, a cut-off body...).</summary>
    public static DbAdapterException NotItsAnswer(DataApiTarget target, string what, string problem) => new(
        ErrorIds.DataApiFailed,
        DbErrorKind.InvalidData,
        target.Redact($"{Where(target)} gave an answer for {what} that cannot be used: {problem} Nothing was written."),
        target.ProfileName);

    private static string Where(DataApiTarget target) => $"The Data API of profile '{target.ProfileName}' ({target.RestUrl})";

    /// <summary>PostgREST's error object as one line ("PGRST301: JWT expired (details) Hint: ..."), or the start of a body that is not one.</summary>
    private static string Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var text = new StringBuilder();
                AppendField(text, document.RootElement, "code", string.Empty, ": ");
                AppendField(text, document.RootElement, "message", string.Empty, string.Empty);
                AppendField(text, document.RootElement, "details", " (", ")");
                AppendField(text, document.RootElement, "hint", " Hint: ", string.Empty);
                if (text.Length > 0)
                {
                    return text.ToString().TrimEnd(' ', ':');
                }
            }
        }
        catch (JsonException)
        {
            // Not PostgREST's JSON (a gateway's page): quoted as text below.
        }

        var trimmed = body.Trim();
        return trimmed.Length == 0 ? "no details" : trimmed.Length > MaxQuoted ? trimmed[..MaxQuoted] + "..." : trimmed;
    }

    private static void AppendField(StringBuilder text, JsonElement error, string name, string before, string after)
    {
        if (error.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            var shown = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            if (!string.IsNullOrWhiteSpace(shown))
            {
                text.Append(before).Append(shown.Length > MaxQuoted ? shown[..MaxQuoted] + "..." : shown).Append(after);
            }
        }
    }
}
