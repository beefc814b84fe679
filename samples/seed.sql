-- Sample rows for schema.sql: three categories, seven products, five items.
INSERT INTO categories (slug, name, user_id)
SELECT 'category-' || g, 'Category ' || g, '00000000-0000-0000-0000-000000000001'
FROM generate_series(1, 3) g;

INSERT INTO products (slug, name, category_id, user_id)
SELECT 'product-' || g, 'Product ' || g, 1 + g % 3, '00000000-0000-0000-0000-000000000001'
FROM generate_series(1, 7) g;

INSERT INTO items (b, c, d, g)
SELECT 'B' || g, 'item ' || g, g, 'g' || g
FROM generate_series(1, 5) g;
