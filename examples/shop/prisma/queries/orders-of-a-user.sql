-- title: A user's latest orders (the account page)
-- serves: the account page, which lists a customer's 20 newest orders
-- indexes: Order_userId_createdAt_idx
SELECT o.id, o.status, o.total, o."createdAt"
FROM "Order" o
WHERE o."userId" = 7
ORDER BY o."createdAt" DESC
LIMIT 20
