using System.Globalization;
using System.Text;

namespace DbAdapter.Core.Tests.Corpus;

/// <summary>
/// Writes a schema file in the exact form of <c>pg_dump --schema-only --clean --if-exists --no-owner</c>
/// (PostgreSQL 15): the \restrict line, the SET prelude with set_config('search_path', '', false), the
/// --clean section that drops every object IF EXISTS before creating it, "-- Name: ...; Type: ..."
/// headers, fully qualified names, serial columns as CREATE SEQUENCE + OWNED BY + SET DEFAULT,
/// identity columns as ALTER COLUMN ... ADD GENERATED, partitions as tables of their own attached
/// with ATTACH PARTITION, inheritance, keys and foreign keys as ALTER TABLE ONLY ... ADD CONSTRAINT,
/// an enum, a domain, a trigger function, a view per unit, comments and grants. Any size: a number of units
/// repeats one small accounting schema (5 tables, 2 of them partitions; every fifth unit adds an
/// inheritance pair), about 270 lines each. Uses no DbAdapter type, so the benchmarks link it too.
/// </summary>
public static class PgDumpCorpus
{
    public const string Schema = "app";

    /// <summary>The file for <paramref name="units"/> units (tables: units × 5, plus 2 per fifth unit).</summary>
    public static string Generate(int units)
    {
        var text = new StringBuilder(units * 9000);
        text.Append("""
            --
            -- PostgreSQL database dump
            --

            \restrict QzrYt0dbadapterCorpus0000000000000000000000000000000000000000

            -- Dumped from database version 15.18
            -- Dumped by pg_dump version 15.18

            SET statement_timeout = 0;
            SET lock_timeout = 0;
            SET idle_in_transaction_session_timeout = 0;
            SET client_encoding = 'UTF8';
            SET standard_conforming_strings = on;
            SELECT pg_catalog.set_config('search_path', '', false);
            SET check_function_bodies = false;
            SET xmloption = content;
            SET client_min_messages = warning;
            SET row_security = off;


            """);

        Clean(text, units);
        Header(text, Schema, "SCHEMA", "-");
        text.Append("CREATE SCHEMA app;\n\n\n");
        Header(text, "entry_state", "TYPE", Schema);
        text.Append("CREATE TYPE app.entry_state AS ENUM (\n    'draft',\n    'booked',\n    'void'\n);\n\n\n");
        Header(text, "money", "DOMAIN", Schema);
        text.Append("CREATE DOMAIN app.money AS numeric(14,2)\n\tCONSTRAINT money_check CHECK ((VALUE > ('-1000000000'::integer)::numeric));\n\n\n");
        Header(text, "touch()", "FUNCTION", Schema);
        text.Append("""
            CREATE FUNCTION app.touch() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END;
            $$;


            """);
        text.Append("SET default_tablespace = '';\n\nSET default_table_access_method = heap;\n\n");

        // pg_dump writes one kind of object after the other, for every table, in this order.
        Action<StringBuilder, int>[] sections = [Tables, Attachments, Defaults, Constraints, Indexes, Triggers, ForeignKeys, Grants];
        foreach (var section in sections)
        {
            for (var u = 1; u <= units; u++)
            {
                section(text, u);
            }
        }

        text.Append("""
            --
            -- PostgreSQL database dump complete
            --

            \unrestrict QzrYt0dbadapterCorpus0000000000000000000000000000000000000000


            """);
        return text.ToString();
    }

    private static bool HasInheritance(int unit) => unit % 5 == 0;

    /// <summary>One object as pg_dump writes it: its header, its statement, two blank lines.</summary>
    private static void Entry(StringBuilder text, string name, string type, string sql)
    {
        Header(text, name, type, Schema);
        text.Append(sql).Append("\n\n\n");
    }

    private static void Header(StringBuilder text, string name, string type, string schema) =>
        text.Append(CultureInfo.InvariantCulture, $"--\n-- Name: {name}; Type: {type}; Schema: {schema}; Owner: -\n--\n\n");

    /// <summary>The --clean section: everything dropped IF EXISTS, dependants first.</summary>
    private static void Clean(StringBuilder text, int units)
    {
        for (var u = units; u >= 1; u--)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                DROP TRIGGER IF EXISTS account_{u}_touch ON app.account_{u};
                DROP VIEW IF EXISTS app.account_{u}_open;
                ALTER TABLE IF EXISTS ONLY app.ledger_{u} DROP CONSTRAINT IF EXISTS ledger_{u}_account_fkey;
                ALTER TABLE IF EXISTS app.entry_{u} DROP CONSTRAINT IF EXISTS entry_{u}_account_fkey;
                DROP INDEX IF EXISTS app.entry_{u}_booked_idx;
                DROP INDEX IF EXISTS app.account_{u}_name_idx;
                ALTER TABLE IF EXISTS ONLY app.ledger_{u} DROP CONSTRAINT IF EXISTS ledger_{u}_pkey;
                ALTER TABLE IF EXISTS ONLY app.entry_{u}_2025 DROP CONSTRAINT IF EXISTS entry_{u}_2025_pkey;
                ALTER TABLE IF EXISTS ONLY app.entry_{u}_2024 DROP CONSTRAINT IF EXISTS entry_{u}_2024_pkey;
                ALTER TABLE IF EXISTS ONLY app.entry_{u} DROP CONSTRAINT IF EXISTS entry_{u}_pkey;
                ALTER TABLE IF EXISTS ONLY app.account_{u} DROP CONSTRAINT IF EXISTS account_{u}_pkey;
                ALTER TABLE IF EXISTS ONLY app.account_{u} DROP CONSTRAINT IF EXISTS account_{u}_code_key;
                ALTER TABLE IF EXISTS app.ledger_{u} ALTER COLUMN id DROP DEFAULT;
                ALTER TABLE IF EXISTS app.account_{u} ALTER COLUMN id DROP DEFAULT;
                DROP SEQUENCE IF EXISTS app.ledger_{u}_id_seq;
                DROP TABLE IF EXISTS app.ledger_{u};
                DROP TABLE IF EXISTS app.entry_{u}_2025;
                DROP TABLE IF EXISTS app.entry_{u}_2024;
                DROP TABLE IF EXISTS app.entry_{u};
                DROP SEQUENCE IF EXISTS app.account_{u}_id_seq;
                DROP TABLE IF EXISTS app.account_{u};

                """);
            if (HasInheritance(u))
            {
                text.Append(CultureInfo.InvariantCulture, $"ALTER TABLE IF EXISTS app.archived_account_{u} ALTER COLUMN archived_at DROP DEFAULT;\nDROP TABLE IF EXISTS app.archived_account_{u};\nDROP TABLE IF EXISTS app.archive_base_{u};\n");
            }
        }

        text.Append("DROP FUNCTION IF EXISTS app.touch();\nDROP DOMAIN IF EXISTS app.money;\nDROP TYPE IF EXISTS app.entry_state;\nDROP SCHEMA IF EXISTS app;\n");
    }

    private static void Tables(StringBuilder text, int u)
    {
        Header(text, $"account_{u}", "TABLE", Schema);
        text.Append(CultureInfo.InvariantCulture, $$"""
            CREATE TABLE app.account_{{u}} (
                id integer NOT NULL,
                code character varying(20) NOT NULL,
                name character varying(100) NOT NULL,
                balance app.money DEFAULT 0 NOT NULL,
                nickname character varying(15) DEFAULT NULL::character varying,
                meta jsonb DEFAULT '{}'::jsonb,
                flags text[] DEFAULT '{}'::text[],
                opened date DEFAULT CURRENT_DATE,
                created_at timestamp with time zone DEFAULT now() NOT NULL,
                updated_at timestamp with time zone DEFAULT now() NOT NULL
            );


            """);
        Entry(text, $"TABLE account_{u}", "COMMENT", $"COMMENT ON TABLE app.account_{u} IS 'Accounts of unit {u}; code is the customer''s own.';");
        Header(text, $"account_{u}_id_seq", "SEQUENCE", Schema);
        text.Append(CultureInfo.InvariantCulture, $"""
            CREATE SEQUENCE app.account_{u}_id_seq
                AS integer
                START WITH 1
                INCREMENT BY 1
                NO MINVALUE
                NO MAXVALUE
                CACHE 1;


            """);
        Entry(text, $"account_{u}_id_seq", "SEQUENCE OWNED BY", $"ALTER SEQUENCE app.account_{u}_id_seq OWNED BY app.account_{u}.id;");

        Header(text, $"entry_{u}", "TABLE", Schema);
        text.Append(CultureInfo.InvariantCulture, $"""
            CREATE TABLE app.entry_{u} (
                id bigint NOT NULL,
                account_id integer NOT NULL,
                amount numeric(12,2) DEFAULT 0 NOT NULL,
                state app.entry_state DEFAULT 'draft'::app.entry_state NOT NULL,
                booked date NOT NULL,
                memo text
            )
            PARTITION BY RANGE (booked);


            """);
        foreach (var year in new[] { 2024, 2025 })
        {
            Header(text, $"entry_{u}_{year}", "TABLE", Schema);
            text.Append(CultureInfo.InvariantCulture, $"""
                CREATE TABLE app.entry_{u}_{year} (
                    id bigint NOT NULL,
                    account_id integer NOT NULL,
                    amount numeric(12,2) DEFAULT 0 NOT NULL,
                    state app.entry_state DEFAULT 'draft'::app.entry_state NOT NULL,
                    booked date NOT NULL,
                    memo text
                );


                """);
        }

        Header(text, $"entry_{u}_id_seq", "SEQUENCE", Schema);
        text.Append(CultureInfo.InvariantCulture, $"""
            ALTER TABLE app.entry_{u} ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
                SEQUENCE NAME app.entry_{u}_id_seq
                START WITH 1
                INCREMENT BY 1
                NO MINVALUE
                NO MAXVALUE
                CACHE 1
            );


            """);

        Header(text, $"ledger_{u}", "TABLE", Schema);
        text.Append(CultureInfo.InvariantCulture, $"""
            CREATE TABLE app.ledger_{u} (
                id bigint NOT NULL,
                account_id integer,
                period character(7) NOT NULL,
                opening app.money,
                closing app.money,
                note text DEFAULT 'a, ''b''; c'::text
            );


            """);
        Header(text, $"ledger_{u}_id_seq", "SEQUENCE", Schema);
        text.Append(CultureInfo.InvariantCulture, $"""
            CREATE SEQUENCE app.ledger_{u}_id_seq
                START WITH 1
                INCREMENT BY 1
                NO MINVALUE
                NO MAXVALUE
                CACHE 1;


            """);
        Entry(text, $"ledger_{u}_id_seq", "SEQUENCE OWNED BY", $"ALTER SEQUENCE app.ledger_{u}_id_seq OWNED BY app.ledger_{u}.id;");

        Entry(text, $"account_{u}_open", "VIEW", string.Create(CultureInfo.InvariantCulture, $"""
            CREATE VIEW app.account_{u}_open AS
             SELECT account_{u}.id,
                account_{u}.code,
                lower((account_{u}.name)::text) AS name
               FROM app.account_{u}
              WHERE (account_{u}.balance > (0)::numeric);
            """));

        if (HasInheritance(u))
        {
            Entry(text, $"archive_base_{u}", "TABLE", $"CREATE TABLE app.archive_base_{u} (\n    archived_at timestamp with time zone DEFAULT now() NOT NULL,\n    reason text\n);");
            Entry(text, $"archived_account_{u}", "TABLE", $"CREATE TABLE app.archived_account_{u} (\n    account_id integer NOT NULL\n)\nINHERITS (app.archive_base_{u});");
        }
    }

    private static void Attachments(StringBuilder text, int u)
    {
        foreach (var year in new[] { 2024, 2025 })
        {
            Entry(text, $"entry_{u}_{year}", "TABLE ATTACH", $"ALTER TABLE ONLY app.entry_{u} ATTACH PARTITION app.entry_{u}_{year} FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01');");
        }
    }

    private static void Defaults(StringBuilder text, int u)
    {
        Entry(text, $"account_{u} id", "DEFAULT", $"ALTER TABLE ONLY app.account_{u} ALTER COLUMN id SET DEFAULT nextval('app.account_{u}_id_seq'::regclass);");
        Entry(text, $"ledger_{u} id", "DEFAULT", $"ALTER TABLE ONLY app.ledger_{u} ALTER COLUMN id SET DEFAULT nextval('app.ledger_{u}_id_seq'::regclass);");
        if (HasInheritance(u))
        {
            // pg_dump writes a child's inherited default again: the child has a default of its own.
            Entry(text, $"archived_account_{u} archived_at", "DEFAULT", $"ALTER TABLE ONLY app.archived_account_{u} ALTER COLUMN archived_at SET DEFAULT now();");
        }
    }

    private static void Constraints(StringBuilder text, int u)
    {
        Entry(text, $"account_{u} account_{u}_code_key", "CONSTRAINT", $"ALTER TABLE ONLY app.account_{u}\n    ADD CONSTRAINT account_{u}_code_key UNIQUE (code);");
        Entry(text, $"account_{u} account_{u}_pkey", "CONSTRAINT", $"ALTER TABLE ONLY app.account_{u}\n    ADD CONSTRAINT account_{u}_pkey PRIMARY KEY (id);");
        Entry(text, $"entry_{u} entry_{u}_pkey", "CONSTRAINT", $"ALTER TABLE ONLY app.entry_{u}\n    ADD CONSTRAINT entry_{u}_pkey PRIMARY KEY (id, booked);");
        foreach (var year in new[] { 2024, 2025 })
        {
            Entry(text, $"entry_{u}_{year} entry_{u}_{year}_pkey", "CONSTRAINT", $"ALTER TABLE ONLY app.entry_{u}_{year}\n    ADD CONSTRAINT entry_{u}_{year}_pkey PRIMARY KEY (id, booked);");
        }

        Entry(text, $"ledger_{u} ledger_{u}_pkey", "CONSTRAINT", $"ALTER TABLE ONLY app.ledger_{u}\n    ADD CONSTRAINT ledger_{u}_pkey PRIMARY KEY (id);");
    }

    private static void Indexes(StringBuilder text, int u)
    {
        Entry(text, $"account_{u}_name_idx", "INDEX", $"CREATE INDEX account_{u}_name_idx ON app.account_{u} USING btree (lower((name)::text));");
        Entry(text, $"entry_{u}_booked_idx", "INDEX", $"CREATE INDEX entry_{u}_booked_idx ON ONLY app.entry_{u} USING btree (booked) WHERE (state <> 'void'::app.entry_state);");
        foreach (var year in new[] { 2024, 2025 })
        {
            Entry(text, $"entry_{u}_{year}_booked_idx", "INDEX", $"CREATE INDEX entry_{u}_{year}_booked_idx ON app.entry_{u}_{year} USING btree (booked) WHERE (state <> 'void'::app.entry_state);");
            Entry(text, $"entry_{u}_{year}_pkey", "INDEX ATTACH", $"ALTER INDEX app.entry_{u}_pkey ATTACH PARTITION app.entry_{u}_{year}_pkey;");
            Entry(text, $"entry_{u}_{year}_booked_idx", "INDEX ATTACH", $"ALTER INDEX app.entry_{u}_booked_idx ATTACH PARTITION app.entry_{u}_{year}_booked_idx;");
        }
    }

    private static void Triggers(StringBuilder text, int u)
    {
        Entry(text, $"account_{u} account_{u}_touch", "TRIGGER", $"CREATE TRIGGER account_{u}_touch BEFORE UPDATE ON app.account_{u} FOR EACH ROW EXECUTE FUNCTION app.touch();");
    }

    private static void Grants(StringBuilder text, int u) =>
        Entry(text, $"TABLE account_{u}", "ACL", $"GRANT SELECT ON TABLE app.account_{u} TO PUBLIC;");

    private static void ForeignKeys(StringBuilder text, int u)
    {
        Entry(text, $"entry_{u} entry_{u}_account_fkey", "FK CONSTRAINT", $"ALTER TABLE app.entry_{u}\n    ADD CONSTRAINT entry_{u}_account_fkey FOREIGN KEY (account_id) REFERENCES app.account_{u}(id) ON DELETE CASCADE;");
        Entry(text, $"ledger_{u} ledger_{u}_account_fkey", "FK CONSTRAINT", $"ALTER TABLE ONLY app.ledger_{u}\n    ADD CONSTRAINT ledger_{u}_account_fkey FOREIGN KEY (account_id) REFERENCES app.account_{u}(id);");
    }
}
