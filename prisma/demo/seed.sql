-- Realistic SoleFlip data, generated server-side and deterministically: every value is a function of
-- (seed, table, row number), never of execution order. Parameters arrive as transaction settings
-- (the toolkit's seed runner sets them):
--   demo.seed, demo.scale (1 = SoleFlip's real size: 763 products, 1,106 stock rows and 1,106 orders);
--   demo.products, demo.stock, demo.orders: exact counts instead of the scale's;
--   demo.needs_enrichment: share of products with a gap (empty: the backlog's own shares).
-- Works on the pre-fix structure (every order has a StockX number) and on the after-fix one.
SELECT set_config('demo.products', coalesce(nullif(current_setting('demo.products', true), ''), greatest(1, round(763 * current_setting('demo.scale')::numeric))::text), true),
       set_config('demo.stock', coalesce(nullif(current_setting('demo.stock', true), ''), greatest(1, round(1106 * current_setting('demo.scale')::numeric))::text), true),
       set_config('demo.orders', coalesce(nullif(current_setting('demo.orders', true), ''), greatest(1, round(1106 * current_setting('demo.scale')::numeric))::text), true),
       set_config('demo.needs_enrichment', coalesce(current_setting('demo.needs_enrichment', true), ''), true);
DO $$ BEGIN
  IF current_setting('demo.orders')::bigint > current_setting('demo.stock')::bigint THEN
    RAISE EXCEPTION 'every order sells one stock row: orders (%) cannot outnumber stock (%)', current_setting('demo.orders'), current_setting('demo.stock');
  END IF;
END $$;
CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT (('x' || substr(md5(current_setting('demo.seed') || ':' || salt || ':' || i), 1, 8))::bit(32)::bigint) / 4294967296.0
$$;
CREATE OR REPLACE FUNCTION pg_temp.uid(i bigint, salt text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT md5(current_setting('demo.seed') || ':uuid:' || salt || ':' || i)::uuid
$$;
CREATE OR REPLACE FUNCTION pg_temp.pick(i bigint, salt text, options text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT options[1 + floor(pg_temp.rnd(i, salt) * array_length(options, 1))::int]
$$;

INSERT INTO platform.marketplace (id, name, slug, fee_percentage, supports_fees, active)
SELECT pg_temp.uid(n, 'marketplace'), name, slug, fee, true, true
FROM (VALUES (1, 'StockX', 'stockx', 9.50), (2, 'eBay', 'ebay', 12.90), (3, 'GOAT', 'goat', 9.50), (4, 'Alias', 'alias', 9.50),
             (5, 'Kleinanzeigen', 'kleinanzeigen', 0.00), (6, 'Laced', 'laced', 12.00), (7, 'WTN', 'wtn', 8.00), (8, 'KLEKT', 'klekt', 15.00))
     AS m(n, name, slug, fee);

INSERT INTO catalog.category (id, name, slug, path)
SELECT pg_temp.uid(n, 'category'), name, lower(replace(name, ' ', '-')), lower(replace(name, ' ', '-'))
FROM (VALUES (1, 'Sneakers'), (2, 'Running'), (3, 'Basketball'), (4, 'Lifestyle'), (5, 'Skate'), (6, 'Boots'), (7, 'Slides'), (8, 'Apparel'))
     AS c(n, name);

INSERT INTO catalog.brand (id, name, slug)
SELECT pg_temp.uid(n, 'brand'), name, lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))
FROM unnest(ARRAY['Nike', 'Jordan', 'Adidas', 'New Balance', 'Asics', 'Puma', 'Reebok', 'Converse', 'Vans', 'Salomon', 'Hoka', 'On',
                  'Yeezy', 'Saucony', 'Mizuno', 'Diadora', 'Karhu', 'Onitsuka Tiger', 'Veja', 'Autry', 'Birkenstock', 'Crocs', 'Timberland',
                  'Dr. Martens', 'UGG', 'Clarks', 'Merrell', 'Brooks', 'Under Armour', 'Fila', 'Le Coq Sportif', 'Lacoste', 'Ellesse',
                  'Kappa', 'Umbro', 'Hummel', 'Li-Ning', 'Anta', 'Peak', 'Xtep', 'Bape', 'Off-White', 'Fear of God', 'Balenciaga',
                  'Gucci', 'Prada', 'Maison Margiela', 'Rick Owens', 'Common Projects', 'Golden Goose', 'Alexander McQueen', 'Amiri',
                  'Louis Vuitton', 'Dior', 'Loewe', 'Stone Island', 'Supreme', 'Palace', 'Stussy', 'Kith', 'Aime Leon Dore', 'Carhartt WIP',
                  'Patta', 'Corteiz', 'Sp5der']) WITH ORDINALITY AS b(name, n);

INSERT INTO catalog.sizes (id, category_id, value, standardized_value, region)
SELECT pg_temp.uid(n, 'size'), pg_temp.uid(1 + (n % 2), 'category'),
       (CASE region WHEN 'EU' THEN 35 + (k - 1) * 0.5 ELSE 3.5 + (k - 1) * 0.5 END)::text, 3.5 + (k - 1) * 0.5, region
FROM (SELECT row_number() OVER () AS n, k, region
      FROM unnest(ARRAY['EU', 'US', 'UK']) AS r(region), generate_series(1, 29) AS k) AS s
WHERE n <= 86;

INSERT INTO supplier.profile (id, name, slug, display_name, supplier_type, status, country, preferred)
SELECT pg_temp.uid(n, 'supplier'), 'Supplier ' || n, 'supplier-' || n, 'Supplier ' || n,
       pg_temp.pick(n, 'supplier-type', ARRAY['retail', 'outlet', 'private', 'wholesale']), 'active',
       pg_temp.pick(n, 'supplier-country', ARRAY['DE', 'NL', 'FR', 'IT', 'UK']), n % 3 = 0
FROM generate_series(1, 12) AS n;

INSERT INTO catalog.product (id, sku, brand_id, category_id, name, description, retail_price, avg_resale_price, release_date,
                             stockx_product_id, style_code, enrichment_data, last_enriched_at)
SELECT pg_temp.uid(n, 'product'),
       'SKU-' || lpad(n::text, 8, '0'),
       pg_temp.uid(1 + floor(pg_temp.rnd(n, 'product-brand') * 65)::int, 'brand'),
       pg_temp.uid(1 + floor(pg_temp.rnd(n, 'product-category') * 8)::int, 'category'),
       pg_temp.pick(n, 'product-model', ARRAY['Dunk Low', 'Air Force 1', 'Air Max 90', 'Samba OG', '550', 'Gel-Kayano 14', 'Air Jordan 1 High', 'Gazelle', '990v6', 'XT-6'])
         || ' ' || pg_temp.pick(n, 'product-colour', ARRAY['Panda', 'Triple White', 'Bred', 'Sail', 'Cream', 'Grey Fog', 'University Blue', 'Black Gum']),
       CASE WHEN gaps.description THEN NULL ELSE 'Deadstock, original box. Colourway ' || n END,
       CASE WHEN gaps.retail_price THEN NULL ELSE round((80 + pg_temp.rnd(n, 'product-price') * 170)::numeric, 2) END,
       round((90 + pg_temp.rnd(n, 'product-resale') * 400)::numeric, 2),
       CASE WHEN gaps.release_date THEN NULL ELSE timestamptz '2015-01-01' + (pg_temp.rnd(n, 'product-release') * 3650) * interval '1 day' END,
       'sx-' || n, 'SC' || lpad(n::text, 6, '0'),
       CASE WHEN pg_temp.rnd(n, 'product-enriched') < 0.4 THEN jsonb_build_object('source', 'stockx', 'version', 2) END,
       CASE WHEN pg_temp.rnd(n, 'product-enriched') < 0.4 THEN timestamptz '2025-10-01' END
FROM generate_series(1, current_setting('demo.products')::bigint) AS n
CROSS JOIN LATERAL (
  SELECT CASE WHEN backlog THEN pg_temp.rnd(n, 'gap-description') < 0.35 ELSE needs AND which < 0.34 END AS description,
         CASE WHEN backlog THEN pg_temp.rnd(n, 'gap-price') < 0.25 ELSE needs AND which >= 0.34 AND which < 0.67 END AS retail_price,
         CASE WHEN backlog THEN pg_temp.rnd(n, 'gap-release') < 0.30 ELSE needs AND which >= 0.67 END AS release_date
  FROM (
    -- backlog: each field missing independently (the job's own shares); otherwise a product that needs
    -- enrichment (with the given probability) misses exactly one of the three fields
    SELECT current_setting('demo.needs_enrichment') = '' AS backlog,
           pg_temp.rnd(n, 'gap') < nullif(current_setting('demo.needs_enrichment'), '')::float8 AS needs,
           pg_temp.rnd(n, 'gap-which') AS which
  ) AS shares
) AS gaps;

INSERT INTO inventory.stock (id, product_id, size_id, supplier_id, quantity, purchase_price, purchase_date, supplier, status, location,
                             listed_stockx, listed_alias, listed_local, detailed_status)
SELECT pg_temp.uid(n, 'stock'),
       pg_temp.uid(1 + floor(pg_temp.rnd(n, 'stock-product') * current_setting('demo.products')::bigint)::bigint, 'product'),
       pg_temp.uid(1 + floor(pg_temp.rnd(n, 'stock-size') * 86)::int, 'size'),
       CASE WHEN pg_temp.rnd(n, 'stock-supplier') < 0.7 THEN pg_temp.uid(1 + floor(pg_temp.rnd(n, 'stock-supplier-id') * 12)::int, 'supplier') END,
       1,
       round((60 + pg_temp.rnd(n, 'stock-price') * 200)::numeric, 2),
       timestamptz '2024-01-01' + (pg_temp.rnd(n, 'stock-date') * 660) * interval '1 day',
       'Supplier ' || (1 + floor(pg_temp.rnd(n, 'stock-supplier-id') * 12)::int),
       CASE WHEN n <= current_setting('demo.orders')::bigint THEN 'sold'
            ELSE pg_temp.pick(n, 'stock-status', ARRAY['in_stock', 'listed', 'listed_stockx', 'presale', 'available', 'reserved']) END,
       pg_temp.pick(n, 'stock-location', ARRAY['Shelf A', 'Shelf B', 'Shelf C', 'Warehouse']),
       pg_temp.rnd(n, 'stock-listed') < 0.5, pg_temp.rnd(n, 'stock-alias') < 0.2, pg_temp.rnd(n, 'stock-local') < 0.1,
       (CASE WHEN n <= current_setting('demo.orders')::bigint THEN 'sale_completed' ELSE 'available' END)::inventory.inventory_status
FROM generate_series(1, current_setting('demo.stock')::bigint) AS n;

INSERT INTO sales.listing (id, inventory_item_id, stockx_listing_id, status, amount, currency_code, inventory_type)
SELECT pg_temp.uid(n, 'listing'), pg_temp.uid(n, 'stock'), 'L-' || n,
       pg_temp.pick(n, 'listing-status', ARRAY['ACTIVE', 'PENDING', 'active']),
       round((100 + pg_temp.rnd(n, 'listing-amount') * 300)::numeric, 2), 'EUR', 'STANDARD'
FROM generate_series(1, current_setting('demo.stock')::bigint) AS n
WHERE pg_temp.rnd(n, 'listed') < 0.3;

-- One order per sold stock item. Before the fix every order had a StockX number; about 2% have no
-- platform_id yet (the fix's repair fills them).
INSERT INTO sales."order" (id, inventory_item_id, listing_id, stockx_order_number, status, amount, currency_code, sold_at,
                           gross_sale, net_proceeds, payout_received, platform_id, external_id, platform_fee, shipping_cost,
                           buyer_destination_country)
SELECT pg_temp.uid(n, 'order'), pg_temp.uid(n, 'stock'),
       CASE WHEN pg_temp.rnd(n, 'listed') < 0.3 THEN pg_temp.uid(n, 'listing') END,
       'SX-' || lpad(n::text, 9, '0'),
       CASE WHEN platform = 1 THEN pg_temp.pick(n, 'order-status', ARRAY['COMPLETED', 'COMPLETED', 'SHIPPED', 'PENDING', 'CANCELED', 'CANCELLED'])
            ELSE pg_temp.pick(n, 'order-status', ARRAY['completed', 'completed', 'pending', 'processing', 'verified']) END,
       round((120 + pg_temp.rnd(n, 'order-amount') * 380)::numeric, 2), 'EUR',
       timestamptz '2024-02-01' + (pg_temp.rnd(n, 'order-date') * 640) * interval '1 day',
       round((120 + pg_temp.rnd(n, 'order-amount') * 380)::numeric, 2),
       round((100 + pg_temp.rnd(n, 'order-amount') * 340)::numeric, 2),
       pg_temp.rnd(n, 'order-payout') < 0.8,
       CASE WHEN pg_temp.rnd(n, 'order-no-platform') < 0.02 THEN NULL ELSE pg_temp.uid(platform, 'marketplace') END,
       'EXT-' || n, round((5 + pg_temp.rnd(n, 'order-fee') * 30)::numeric, 2), 5.99,
       pg_temp.pick(n, 'order-country', ARRAY['DE', 'AT', 'NL', 'FR', 'IT', 'ES', 'PL'])
FROM generate_series(1, current_setting('demo.orders')::bigint) AS n
CROSS JOIN LATERAL (
  SELECT CASE WHEN pg_temp.rnd(n, 'order-platform') < 0.7 THEN 1 ELSE 2 + floor(pg_temp.rnd(n, 'order-platform-other') * 7)::int END AS platform
) AS p;

ANALYZE;
