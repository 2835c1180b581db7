-- title: Products of a category (the catalogue page)
-- serves: the catalogue page
-- indexes: Product_categoryId_idx
SELECT p.id, p.sku, p.name, p.price
FROM "Product" p
WHERE p."categoryId" = 3
