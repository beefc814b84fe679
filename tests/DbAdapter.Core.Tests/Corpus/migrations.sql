-- Every migration of a service, concatenated in order (migrations/*.up.sql), as its CI builds the
-- schema. Much of it lives in DO blocks, so only shadow mode can know the result.

-- 0001_create_orders.up.sql
BEGIN;
CREATE TABLE orders (
    id          bigserial PRIMARY KEY,
    customer    text NOT NULL,
    total_cents integer NOT NULL DEFAULT 0,
    note        text
);
COMMIT;

-- 0002_order_lines.up.sql
BEGIN;
DO $migration$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'order_lines') THEN
        CREATE TABLE order_lines (
            order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
            line     integer NOT NULL,
            sku      text NOT NULL,
            qty      integer NOT NULL DEFAULT 1,
            PRIMARY KEY (order_id, line)
        );
    END IF;
END
$migration$;
COMMIT;

-- 0003_rename_customer.up.sql
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'customer') THEN
        ALTER TABLE orders RENAME COLUMN customer TO customer_email;
        ALTER TABLE orders ALTER COLUMN customer_email TYPE varchar(254);
    END IF;
END $$;

-- 0004_money.up.sql: cents become numeric, the note goes
DO $$
BEGIN
    ALTER TABLE orders ADD COLUMN total numeric(12, 2);
    UPDATE orders SET total = total_cents / 100.0;
    ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
    ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;
    ALTER TABLE orders DROP COLUMN total_cents;
    ALTER TABLE orders DROP COLUMN IF EXISTS note;
END $$;

-- 0005_events_partitioned.up.sql: one partition per quarter, made in a loop
CREATE TABLE events (
    id       bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint,
    kind     text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);

DO $$
DECLARE
    q date := date '2024-01-01';
BEGIN
    WHILE q < date '2025-01-01' LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
            'events_' || to_char(q, 'YYYY') || 'q' || to_char(q, 'Q'),
            q,
            q + interval '3 months');
        q := q + interval '3 months';
    END LOOP;
END $$;

-- 0006_status.up.sql
CREATE TYPE order_status AS ENUM ('new', 'paid');
ALTER TYPE order_status ADD VALUE 'shipped';
ALTER TYPE order_status ADD VALUE 'cancelled' BEFORE 'shipped';
ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'new';

-- 0007_helpers.up.sql
CREATE OR REPLACE FUNCTION add_audit_columns(target regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now()', target);
    EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS created_by text', target);
END
$fn$;

SELECT add_audit_columns('orders');
SELECT add_audit_columns('order_lines');

-- 0008_drop_legacy.up.sql
CREATE TABLE legacy_exports (id int);
DO $$ BEGIN EXECUTE 'DROP TABLE legacy_exports'; END $$;
