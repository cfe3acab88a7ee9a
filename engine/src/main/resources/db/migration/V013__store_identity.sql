-- The store's identity: a UUID made once, when the store is created (or first migrated to this version).
-- Every backup records it, so a restore can tell this store's backups from another store's.
INSERT INTO store_meta(key, value, updated_at)
SELECT 'store_id', uuid()::VARCHAR, current_timestamp
WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE key = 'store_id');
