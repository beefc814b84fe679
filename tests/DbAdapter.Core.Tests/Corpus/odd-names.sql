-- A test fixture with several schemas and names that only work quoted: spaces, upper case,
-- key words, non-ASCII letters and a doubled quote. Compared with schemas
-- "Sales Dept", reporting, "ünïcode", "x""y" (in that order).

CREATE SCHEMA "Sales Dept";
CREATE SCHEMA reporting;
CREATE SCHEMA "ünïcode";
CREATE SCHEMA "x""y";

CREATE TYPE "Sales Dept"."Order State" AS ENUM ('new', 'paid', 'shipped', 'it''s complicated');
CREATE DOMAIN reporting.percent AS numeric(5, 2) CHECK (VALUE BETWEEN 0 AND 100);

SET search_path = "Sales Dept", public;

CREATE TABLE "Customers" (
    "Id"          serial PRIMARY KEY,
    "Full Name"   text NOT NULL,
    "e-mail"      varchar(200),
    "Group"       text DEFAULT 'retail',
    "ÄÖÜ"         integer DEFAULT 0
);

CREATE TABLE "Order Items" (
    "select"      bigserial PRIMARY KEY,
    "Customer"    integer NOT NULL REFERENCES "Customers" ("Id"),
    state         "Order State" NOT NULL DEFAULT 'new',
    "from"        date,
    "to"          date,
    "Amount €"    numeric(10, 2) NOT NULL DEFAULT 0,
    CHECK ("to" IS NULL OR "to" >= "from")
);

CREATE SEQUENCE "Invoice No" START WITH 1000 INCREMENT BY 10;

CREATE TABLE invoices (
    no            integer NOT NULL DEFAULT nextval('"Invoice No"'),
    "Order"       bigint REFERENCES "Order Items" ("select") ON DELETE CASCADE,
    issued        timestamp(0) with time zone DEFAULT CURRENT_TIMESTAMP(0)
);
ALTER SEQUENCE "Invoice No" OWNED BY invoices.no;

RESET search_path;

CREATE TABLE reporting."Daily Totals" (
    day        date PRIMARY KEY,
    total      numeric(14, 2) NOT NULL,
    share      reporting.percent,
    "Customer" integer REFERENCES "Sales Dept"."Customers" ("Id")
);

CREATE TABLE "ünïcode"."Straße" (
    "ñame"  text PRIMARY KEY,
    "größe" smallint CHECK ("größe" > 0),
    "日付"   date DEFAULT CURRENT_DATE
);

CREATE TABLE "x""y"."a""b" (
    "c""d"  integer,
    "e f"   text COLLATE "C" DEFAULT 'e f'
);

CREATE TABLE "x""y"."UPPER" (LIKE "x""y"."a""b" INCLUDING DEFAULTS, extra int);

CREATE INDEX "Order Items by customer" ON "Sales Dept"."Order Items" ("Customer", "from" DESC);
