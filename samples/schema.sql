-- Expected schema of the sample application (used by the README's demo and by the runbooks).
-- Test-DbSchema compares a live database with this file; Get-DbFixPlan repairs drift from it.

CREATE TABLE IF NOT EXISTS categories (
    id SERIAL PRIMARY KEY,
    slug TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    user_id UUID
);

CREATE TABLE IF NOT EXISTS products (
    id SERIAL PRIMARY KEY,
    slug TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id),
    price INTEGER DEFAULT 0,
    active BOOLEAN DEFAULT TRUE,
    user_id UUID
);

CREATE TABLE IF NOT EXISTS items (
    a SERIAL PRIMARY KEY,
    b VARCHAR(100) NOT NULL,
    c TEXT,
    d INTEGER DEFAULT 0,
    e BOOLEAN DEFAULT FALSE,
    f TIMESTAMP DEFAULT NOW(),
    g VARCHAR(50)
);

CREATE INDEX IF NOT EXISTS products_category_idx ON products (category_id);
