namespace DbAdapter.TestSupport;

/// <summary>
/// A database shaped like a Supabase project, written here from the platform's public description
/// (not its files): the platform's schemas (auth, storage, realtime, extensions, graphql,
/// graphql_public, vault, pgsodium, pgsodium_masks, supabase_functions, supabase_migrations, net,
/// cron, pgbouncer, _realtime, _analytics) each with a few objects, between them every kind the
/// comparer knows (tables, columns, keys, uniques, checks, foreign keys, indexes, sequences, an enum,
/// a domain, views, functions, a trigger); the anon, authenticated and service_role roles; and a
/// user's own tables in public with a foreign key to auth.users, row-level security and policies.
/// </summary>
public static class SupabaseProject
{
    /// <summary>A user of auth.users that the seeded rows belong to.</summary>
    public const string UserA = "aaaaaaaa-0000-4000-8000-00000000000a";

    /// <summary>Another user.</summary>
    public const string UserB = "bbbbbbbb-0000-4000-8000-00000000000b";

    /// <summary>
    /// The roles every Supabase project has. Roles belong to the whole server: made once, tolerating
    /// another test class making them at the same moment.
    /// </summary>
    public const string Roles = """
        DO $$
        DECLARE r record;
        BEGIN
            FOR r IN SELECT * FROM (VALUES ('anon', ''), ('authenticated', ''), ('service_role', ' BYPASSRLS')) AS v(name, extra) LOOP
                BEGIN
                    EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r.name) || r.extra;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;
                END;
            END LOOP;
        END
        $$;
        """;

    /// <summary>What the platform makes in a project: its schemas and their objects.</summary>
    public const string Platform = """
        CREATE SCHEMA auth;
        CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2', 'aal3');
        CREATE TABLE auth.users (
            id uuid PRIMARY KEY,
            instance_id uuid,
            aud varchar(255),
            role varchar(255),
            email varchar(255),
            encrypted_password varchar(255),
            email_confirmed_at timestamptz,
            raw_app_meta_data jsonb,
            raw_user_meta_data jsonb,
            is_anonymous boolean NOT NULL DEFAULT false,
            created_at timestamptz DEFAULT now(),
            updated_at timestamptz);
        CREATE INDEX users_instance_id_email_idx ON auth.users (instance_id, lower(email));
        CREATE TABLE auth.identities (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
            provider text NOT NULL,
            identity_data jsonb NOT NULL,
            UNIQUE (provider, user_id));
        CREATE TABLE auth.refresh_tokens (id bigserial PRIMARY KEY, token varchar(255) UNIQUE, user_id varchar(255), revoked boolean, created_at timestamptz);
        CREATE TABLE auth.mfa_factors (
            id uuid PRIMARY KEY,
            user_id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE,
            level auth.aal_level NOT NULL DEFAULT 'aal1',
            friendly_name text CHECK (length(friendly_name) < 256));
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
            AS $$ SELECT nullif(coalesce(current_setting('request.jwt.claim.sub', true), current_setting('request.jwt.claims', true)::jsonb ->> 'sub'), '')::uuid $$;
        CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE
            AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '') $$;
        CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE
            AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;

        CREATE SCHEMA storage;
        CREATE TABLE storage.buckets (id text PRIMARY KEY, name text NOT NULL, owner uuid REFERENCES auth.users (id), public boolean DEFAULT false, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
        CREATE TABLE storage.objects (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            bucket_id text REFERENCES storage.buckets (id),
            name text,
            owner uuid,
            metadata jsonb,
            created_at timestamptz DEFAULT now(),
            updated_at timestamptz DEFAULT now());
        CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
        CREATE FUNCTION storage.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
        CREATE TRIGGER objects_touch_updated_at BEFORE UPDATE ON storage.objects FOR EACH ROW EXECUTE FUNCTION storage.touch_updated_at();
        ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;

        CREATE SCHEMA realtime;
        CREATE TABLE realtime.schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0));
        CREATE TABLE realtime.subscription (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subscription_id uuid NOT NULL,
            entity regclass NOT NULL,
            claims jsonb NOT NULL,
            created_at timestamp NOT NULL DEFAULT timezone('utc', now()));
        CREATE TABLE realtime.messages (id bigserial PRIMARY KEY, topic text NOT NULL, extension text NOT NULL, payload jsonb, inserted_at timestamp NOT NULL DEFAULT now());

        CREATE SCHEMA extensions;
        CREATE FUNCTION extensions.uuid_generate_v4() RETURNS uuid LANGUAGE sql VOLATILE AS $$ SELECT gen_random_uuid() $$;
        CREATE VIEW extensions.pg_stat_statements_info AS SELECT 0::bigint AS dealloc, now() AS stats_reset;

        CREATE SCHEMA graphql;
        CREATE SEQUENCE graphql.seq_schema_version AS integer CYCLE;
        CREATE FUNCTION graphql.resolve(query text, variables jsonb DEFAULT '{}') RETURNS jsonb LANGUAGE sql AS $$ SELECT jsonb_build_object('query', query) $$;
        CREATE SCHEMA graphql_public;
        CREATE FUNCTION graphql_public.graphql("operationName" text DEFAULT NULL, query text DEFAULT NULL, variables jsonb DEFAULT NULL, extensions jsonb DEFAULT NULL)
            RETURNS jsonb LANGUAGE sql AS $$ SELECT graphql.resolve(query, coalesce(variables, '{}')) $$;

        CREATE SCHEMA vault;
        CREATE DOMAIN vault.secret_name AS text CHECK (VALUE <> '');
        CREATE TABLE vault.secrets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name vault.secret_name UNIQUE, secret text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE VIEW vault.decrypted_secrets AS SELECT id, name, secret AS decrypted_secret FROM vault.secrets;

        CREATE SCHEMA pgsodium;
        CREATE TYPE pgsodium.key_status AS ENUM ('default', 'valid', 'invalid', 'expired');
        CREATE TABLE pgsodium.key (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), status pgsodium.key_status DEFAULT 'valid', created timestamptz NOT NULL DEFAULT now());
        CREATE SCHEMA pgsodium_masks;
        CREATE VIEW pgsodium_masks.key_masks AS SELECT id, status FROM pgsodium.key;

        CREATE SCHEMA supabase_functions;
        CREATE TABLE supabase_functions.migrations (version text PRIMARY KEY, inserted_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE supabase_functions.hooks (id bigserial PRIMARY KEY, hook_table_id integer NOT NULL, hook_name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), request_id bigint);
        CREATE INDEX supabase_functions_hooks_request_id_idx ON supabase_functions.hooks (request_id);
        CREATE SCHEMA supabase_migrations;
        CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text);

        CREATE SCHEMA net;
        CREATE TABLE net.http_request_queue (id bigserial PRIMARY KEY, method text NOT NULL, url text NOT NULL, headers jsonb NOT NULL, body bytea, timeout_milliseconds integer NOT NULL);
        CREATE SCHEMA cron;
        CREATE TABLE cron.job (jobid bigserial PRIMARY KEY, schedule text NOT NULL, command text NOT NULL, active boolean NOT NULL DEFAULT true, jobname text);
        CREATE TABLE cron.job_run_details (runid bigserial PRIMARY KEY, jobid bigint REFERENCES cron.job (jobid), status text, start_time timestamptz);
        CREATE SCHEMA pgbouncer;
        CREATE FUNCTION pgbouncer.get_auth(p_usename text) RETURNS TABLE (username text, password text) LANGUAGE sql SECURITY DEFINER
            AS $$ SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = p_usename $$;

        CREATE SCHEMA _realtime;
        CREATE TABLE _realtime.tenants (id uuid PRIMARY KEY, name text, external_id text UNIQUE);
        CREATE SCHEMA _analytics;
        CREATE TABLE _analytics.sources (id bigserial PRIMARY KEY, name text, token uuid NOT NULL UNIQUE);
        """;

    /// <summary>
    /// The user's schema.sql: tables in public keyed by (or owned through) auth.users, a trigger on
    /// auth.users that makes each new user's profile, row-level security with policies for the
    /// authenticated role, and the grants the Data API roles get.
    /// </summary>
    public const string UserSchema = """
        CREATE TABLE public.profiles (
            id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
            username text UNIQUE,
            full_name text,
            updated_at timestamptz);
        CREATE TABLE public.notes (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
            slug text NOT NULL,
            body text,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (user_id, slug));
        CREATE INDEX notes_user_id_idx ON public.notes (user_id);

        ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
        ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Profiles are their owner's" ON public.profiles FOR SELECT TO authenticated USING (auth.uid() = id);
        CREATE POLICY "Owners manage their notes" ON public.notes FOR ALL TO authenticated
            USING (auth.uid() = user_id) WITH CHECK (auth.uid() = user_id);

        CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
            AS $$ BEGIN INSERT INTO public.profiles (id, full_name) VALUES (NEW.id, NEW.raw_user_meta_data ->> 'full_name'); RETURN NEW; END $$;
        CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();

        GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.profiles, public.notes TO authenticated, service_role;
        """;

    /// <summary>Two users (the trigger makes their profiles) and notes of each.</summary>
    public const string Seed = $$"""
        INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
            ('{{UserA}}', 'a@example.com', '{"full_name": "Ada"}'),
            ('{{UserB}}', 'b@example.com', '{"full_name": "Bob"}');
        INSERT INTO public.notes (user_id, slug, body) VALUES
            ('{{UserA}}', 'first', 'A one'), ('{{UserA}}', 'second', 'A two'), ('{{UserB}}', 'first', 'B one');
        INSERT INTO storage.buckets (id, name, owner) VALUES ('avatars', 'avatars', '{{UserA}}');
        """;

    /// <summary>The backup schema of the user's tables: rows owned through user_id, profiles through their key.</summary>
    public const string BackupSchemaJson = """
        {"tables": [
          {"name": "profiles", "pk": "id", "slug_field": "username", "user_field": "id"},
          {"name": "notes", "pk": "id", "slug_field": "slug", "user_field": "user_id"}
        ]}
        """;

    /// <summary>The whole project: roles, platform, the user's schema and rows.</summary>
    public const string Sql = Roles + "\n" + Platform + "\n" + UserSchema + "\n" + Seed;

    /// <summary>
    /// The schema file of a whole-database dump: the platform's objects and the user's, as
    /// <c>pg_dump</c> without a schema filter would give them.
    /// </summary>
    public const string DumpSchema = Platform + "\n" + UserSchema;
}
