namespace DbAdapter.Core.Profiles;

/// <summary>
/// The schemas a Supabase project's platform owns (Auth, Storage, Realtime, the extensions, the
/// pooler, migrations and logs): the one list of them. A <c>provider = "supabase"</c> profile never
/// compares, reports, repairs or backs up anything in them unless its <c>schemas</c> name the schema:
/// Supabase creates and migrates them itself, and a user's schema.sql or backup has no say there.
/// </summary>
public static class PlatformSchemas
{
    /// <summary>The provider whose platform schemas these are.</summary>
    public const string SupabaseProvider = "supabase";

    /// <summary>The Supabase platform's schemas, by exact name.</summary>
    public static IReadOnlyList<string> Supabase { get; } =
    [
        "auth", "storage", "realtime", "extensions", "graphql", "graphql_public", "vault", "pgsodium",
        "pgsodium_masks", "supabase_functions", "supabase_migrations", "net", "cron", "pgbouncer",
    ];

    /// <summary>Families of Supabase schemas by prefix: <c>_realtime</c>, <c>_analytics</c> and their versioned siblings.</summary>
    public static IReadOnlyList<string> SupabaseFamilies { get; } = ["_realtime", "_analytics"];

    /// <summary>True when <paramref name="schema"/> is one of the Supabase platform's schemas.</summary>
    public static bool IsSupabase(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Supabase.Contains(schema, StringComparer.Ordinal)
            || SupabaseFamilies.Any(f => schema.StartsWith(f, StringComparison.Ordinal));
    }

    /// <summary>
    /// True when <paramref name="target"/> leaves <paramref name="schema"/> alone: a Supabase profile
    /// and a platform schema its <c>schemas</c> do not name.
    /// </summary>
    public static bool IsIgnored(ConnectionTarget target, string schema) =>
        IgnoresAny(target) && IsSupabase(schema) && !target.Schemas.Contains(schema, StringComparer.Ordinal);

    /// <summary>True when <paramref name="target"/> may leave a schema alone at all (a Supabase profile).</summary>
    public static bool IgnoresAny(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return string.Equals(target.Provider, SupabaseProvider, StringComparison.Ordinal);
    }
}
