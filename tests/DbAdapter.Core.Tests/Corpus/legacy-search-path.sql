--
-- structure.sql in the form older pg_dump versions (and the Rails apps that keep their output)
-- write: SET search_path per schema, unqualified names, serial columns as sequences OWNED BY.
-- Compared with schemas app, public.
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET client_min_messages = warning;

CREATE SCHEMA app;

SET search_path = app, pg_catalog;

CREATE TYPE mood AS ENUM (
    'happy',
    'meh',
    'sad'
);

CREATE DOMAIN email AS text
    CONSTRAINT email_check CHECK ((VALUE ~~ '%@%'::text));

SET default_tablespace = '';

SET default_with_oids = false;

CREATE TABLE people (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    mail email,
    mood mood DEFAULT 'meh'::mood,
    nickname character varying(15) DEFAULT NULL::character varying,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);

CREATE SEQUENCE people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE people_id_seq OWNED BY people.id;

CREATE TABLE posts (
    id bigint NOT NULL,
    person_id integer,
    title character varying,
    body text,
    published boolean DEFAULT false NOT NULL,
    score numeric(8,2) DEFAULT 0.0
);

CREATE SEQUENCE posts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE posts_id_seq OWNED BY posts.id;

CREATE TABLE measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer DEFAULT 0
)
PARTITION BY RANGE (logdate);

CREATE TABLE measurements_y2024 PARTITION OF measurements
FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE measurements_y2025 PARTITION OF measurements
FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE cities (
    name text NOT NULL,
    population real,
    elevation integer
);

CREATE TABLE capitals (
    state character(2) NOT NULL
)
INHERITS (cities);

ALTER TABLE ONLY people ALTER COLUMN id SET DEFAULT nextval('people_id_seq'::regclass);

ALTER TABLE ONLY posts ALTER COLUMN id SET DEFAULT nextval('posts_id_seq'::regclass);

ALTER TABLE ONLY people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);

ALTER TABLE ONLY posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);

CREATE INDEX index_posts_on_person_id ON posts USING btree (person_id);

CREATE UNIQUE INDEX index_people_on_mail ON people USING btree (mail) WHERE (mail IS NOT NULL);

ALTER TABLE ONLY posts
    ADD CONSTRAINT fk_rails_posts_person FOREIGN KEY (person_id) REFERENCES people(id);

CREATE VIEW published_posts AS
 SELECT posts.id,
    posts.title
   FROM posts
  WHERE posts.published;

SET search_path = public, pg_catalog;

CREATE TABLE schema_migrations (
    version character varying NOT NULL
);

CREATE TABLE ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);

ALTER TABLE ONLY schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY ar_internal_metadata
    ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);

SET search_path TO "$user", public;

INSERT INTO "schema_migrations" (version) VALUES
('20240101000000'),
('20240215093000');
