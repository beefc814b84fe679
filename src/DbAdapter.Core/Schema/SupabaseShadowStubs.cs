using DbAdapter.Core.Profiles;
using DbAdapter.Core.Sql;

namespace DbAdapter.Core.Schema;

/// <summary>
/// Stand-ins for the Supabase platform in a shadow database. A Supabase schema.sql refers to what the
/// platform made (a foreign key to auth.users, a trigger on it, auth.uid() in a policy, storage.objects
/// in a storage policy), and a throwaway database made from template0 has none of it, so the file
/// would fail at its first reference. Before the file runs, the platform's schemas are created there,
/// with the few tables and functions user files refer to, in a minimal shape of our own: a key and the
/// columns people join and filter on. They are never read back: only the profile's schemas are, and
/// a schema the profile names, or one the file creates itself, gets no stand-in.
/// Roles (anon, authenticated, service_role) belong to the whole server and are not created: the
/// shadow server must have them when the file's policies or grants name them (a Supabase server has).
/// </summary>
internal static class SupabaseShadowStubs
{
    private static readonly Dictionary<string, string[]> Objects = new(StringComparer.Ordinal)
    {
        ["auth"] =
        [
            """
            CREATE TABLE auth.users (
                id uuid PRIMARY KEY, instance_id uuid, aud varchar(255), role varchar(255), email varchar(255),
                phone text UNIQUE, email_confirmed_at timestamptz, last_sign_in_at timestamptz,
                raw_app_meta_data jsonb, raw_user_meta_data jsonb, is_anonymous boolean NOT NULL DEFAULT false,
                created_at timestamptz, updated_at timestamptz, deleted_at timestamptz)
            """,
            "CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$",
            "CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '') $$",
            "CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.email', true), '') $$",
            "CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$",
        ],
        ["storage"] =
        [
            "CREATE TABLE storage.buckets (id text PRIMARY KEY, name text NOT NULL, owner uuid, public boolean DEFAULT false, created_at timestamptz, updated_at timestamptz)",
            "CREATE TABLE storage.objects (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), bucket_id text REFERENCES storage.buckets (id), name text, owner uuid, metadata jsonb, created_at timestamptz, updated_at timestamptz)",
            "CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1] $$",
            "CREATE FUNCTION storage.filename(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)] $$",
        ],
    };

    /// <summary>
    /// The platform schemas a shadow database of <paramref name="target"/>'s schema file gets stand-ins
    /// for: none unless it is a Supabase profile; never one its <c>schemas</c> name.
    /// </summary>
    public static IReadOnlyList<string> SchemasFor(ConnectionTarget target) =>
        PlatformSchemas.Supabase.Concat(PlatformSchemas.SupabaseFamilies).Where(s => PlatformSchemas.IsIgnored(target, s)).ToList();

    /// <summary>The statements that make <paramref name="schemas"/> and their stand-ins, one statement each.</summary>
    public static IReadOnlyList<string> Statements(IEnumerable<string> schemas)
    {
        var statements = new List<string>();
        foreach (var schema in schemas)
        {
            statements.Add($"CREATE SCHEMA {SqlIdentifier.Quote(schema)}");
            statements.AddRange(Objects.GetValueOrDefault(schema) ?? []);
        }

        return statements;
    }

    /// <summary>The schemas the file creates itself (CREATE SCHEMA [IF NOT EXISTS] name): those get no stand-in.</summary>
    public static ISet<string> CreatedBy(IEnumerable<SqlStatement> statements)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            var c = statement.Cursor();
            if (c.AcceptWord("create") && c.AcceptWord("schema"))
            {
                c.AcceptWords("if", "not", "exists");
                if (!c.AtEnd && c.Current.IsName)
                {
                    created.Add(c.ReadName("a schema name"));
                }
            }
        }

        return created;
    }
}
