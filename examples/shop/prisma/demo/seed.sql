-- Deterministic demo data for the shop example. Parameters (transaction settings set by the toolkit's
-- seed runner): demo.scale (1 = 200 users, 400 products, 1,000 orders), demo.seed.
-- Every status but 'cancelled' is used; a few notes are in mixed case; a few products share a name;
-- some products point at a brand that does not exist (the acceptance catalogue relies on these).
CREATE OR REPLACE FUNCTION pg_temp.n(base int) RETURNS int LANGUAGE sql AS $$
  SELECT greatest(1, round(base * current_setting('demo.scale')::numeric))::int
$$;
CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT (('x' || substr(md5(current_setting('demo.seed') || ':' || salt || ':' || i), 1, 8))::bit(32)::bigint) / 4294967296.0
$$;

INSERT INTO "Category" (name) SELECT 'Category ' || g FROM generate_series(1, 8) g;
INSERT INTO "Brand" (name) SELECT 'Brand ' || g FROM generate_series(1, 12) g;
INSERT INTO "Tag" (name) SELECT 'tag-' || g FROM generate_series(1, 10) g;

INSERT INTO "User" (email, name, role, "createdAt")
SELECT 'user' || g || '@example.com',
       CASE WHEN g % 17 = 0 THEN NULL ELSE 'User number ' || g END,
       (CASE WHEN g % 50 = 0 THEN 'admin' ELSE 'customer' END)::"Role",
       timestamp '2025-01-01' + g * interval '1 hour'
FROM generate_series(1, pg_temp.n(200)) g;

INSERT INTO "_TagToUser" ("A", "B")
SELECT 1 + (u % 10), u FROM generate_series(1, pg_temp.n(200)) u;

INSERT INTO "Product" (sku, name, description, price, stock, labels, "brandId", "categoryId")
SELECT 'SKU-' || lpad(g::text, 6, '0'),
       'Product ' || (CASE WHEN g % 97 = 0 THEN 1 ELSE g END),
       CASE WHEN g % 5 = 0 THEN NULL ELSE 'A fine product' END,
       round((5 + pg_temp.rnd(g, 'price') * 495)::numeric, 2),
       floor(pg_temp.rnd(g, 'stock') * 100)::int,
       ARRAY['label-' || (g % 7), 'label-' || (g % 3)],
       CASE WHEN g % 41 = 0 THEN 999 ELSE 1 + (g % 12) END,
       1 + (g % 8)
FROM generate_series(1, pg_temp.n(400)) g;

INSERT INTO "Order" ("userId", status, note, total, "createdAt")
SELECT 1 + (g % pg_temp.n(200)),
       (ARRAY['pending', 'paid', 'shipped']::"OrderStatus"[])[1 + (g % 3)],
       CASE WHEN g % 11 = 0 THEN 'Leave At The Door' WHEN g % 7 = 0 THEN 'gift wrap' ELSE NULL END,
       round((10 + pg_temp.rnd(g, 'total') * 990)::numeric, 2),
       timestamp '2025-02-01' + g * interval '1 minute'
FROM generate_series(1, pg_temp.n(1000)) g;

INSERT INTO "OrderItem" ("orderId", "productId", quantity)
SELECT o, 1 + ((o * 7 + k) % pg_temp.n(400)), 1 + (k % 3)
FROM generate_series(1, pg_temp.n(1000)) o, generate_series(0, 1) k;

INSERT INTO "Review" ("orderId", "productId", rating)
SELECT "orderId", "productId", 1 + ("orderId" % 5) FROM "OrderItem" WHERE "orderId" % 4 = 0;
