-- The sample schema as an older release left it: items lacks b, e and f; products lacks price
-- and active; and someone added a table by hand. The demo builds its "drifted" database from this.

CREATE TABLE categories (
    id SERIAL PRIMARY KEY,
    slug TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    user_id UUID
);

CREATE TABLE products (
    id SERIAL PRIMARY KEY,
    slug TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id),
    user_id UUID
);

CREATE TABLE items (
    a SERIAL PRIMARY KEY,
    c TEXT,
    d INTEGER DEFAULT 0,
    g VARCHAR(50)
);

CREATE TABLE audit_notes (id SERIAL PRIMARY KEY, note TEXT);

CREATE INDEX products_category_idx ON products (category_id);
