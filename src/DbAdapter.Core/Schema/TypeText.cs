using System.Text.RegularExpressions;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Type spellings: the serial pseudo-types, and a text-only canonical form used when the server
/// cannot canonicalise a type (it does not exist there yet). The server's format_type() is the
/// reference; this only knows the aliases PostgreSQL documents for its built-in types.
/// </summary>
internal static partial class TypeText
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer",
        ["int4"] = "integer",
        ["int2"] = "smallint",
        ["int8"] = "bigint",
        ["bool"] = "boolean",
        ["varchar"] = "character varying",
        ["char"] = "character",
        ["bpchar"] = "character",
        ["decimal"] = "numeric",
        ["float"] = "double precision",
        ["float8"] = "double precision",
        ["float4"] = "real",
        ["timestamp"] = "timestamp without time zone",
        ["timestamptz"] = "timestamp with time zone",
        ["time"] = "time without time zone",
        ["timetz"] = "time with time zone",
        ["varbit"] = "bit varying",
    };

    /// <summary>
    /// The integer type behind a serial pseudo-type ("SERIAL" → "integer"), or null when
    /// <paramref name="type"/> is not one. A serial column is that type, NOT NULL, with a nextval() default.
    /// </summary>
    public static string? SerialBase(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.AsSpan().Trim();

        // serial .. smallserial: the length test spares looking closer at every other type (the reader
        // asks for each column of the file).
        if (name.Length is < 6 or > 11)
        {
            return null;
        }

        return name.Equals("serial", StringComparison.OrdinalIgnoreCase) || name.Equals("serial4", StringComparison.OrdinalIgnoreCase) ? "integer"
            : name.Equals("bigserial", StringComparison.OrdinalIgnoreCase) || name.Equals("serial8", StringComparison.OrdinalIgnoreCase) ? "bigint"
            : name.Equals("smallserial", StringComparison.OrdinalIgnoreCase) || name.Equals("serial2", StringComparison.OrdinalIgnoreCase) ? "smallint"
            : null;
    }

    /// <summary>True for a serial pseudo-type (SERIAL, BIGSERIAL, SMALLSERIAL and their numbered names).</summary>
    public static bool IsSerial(string type) => SerialBase(type) is not null;

    /// <summary>A text-only canonical form: folded, aliases resolved ("VARCHAR(50)[]" → "character varying(50)[]").</summary>
    public static string Canonical(string type)
    {
        var folded = SqlFragment.Fold(type);
        var match = Shape().Match(folded);
        if (!match.Success)
        {
            return folded;
        }

        var name = match.Groups["name"].Value;
        var modifier = match.Groups["mod"].Value;
        var rest = match.Groups["rest"].Value;
        // format_type ignores declared array bounds: "int[3]" is "integer[]".
        var arrays = string.Concat(Enumerable.Repeat("[]", match.Groups["arr"].Value.Count(c => c == '[')));

        if (rest.Length > 0)
        {
            // "timestamp(3) with time zone": already the long form, the modifier in the middle.
            return name + modifier + " " + rest + arrays;
        }

        if (Aliases.TryGetValue(name, out var canonical))
        {
            name = canonical;
        }

        // format_type prints the modifier of time types before the zone words: "timestamp(3) without time zone".
        var zone = name.IndexOf(" with", StringComparison.Ordinal);
        if (zone > 0 && modifier.Length > 0)
        {
            return name[..zone] + modifier + name[zone..] + arrays;
        }

        return name + modifier + arrays;
    }

    [GeneratedRegex(@"^(?<name>[a-z_][a-z0-9_ .""]*?)(?<mod>\([^)]*\))?(?: ?(?<rest>with(?:out)? time zone))?(?<arr>(?:\[\d*\])*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
