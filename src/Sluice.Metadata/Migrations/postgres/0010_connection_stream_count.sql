-- The number of selected streams, kept beside the catalog so listing connections does not parse every catalog
-- (that parse was most of a GET /api/v1/connections request). Written with the catalog on every insert and update.
ALTER TABLE connections ADD COLUMN stream_count INTEGER NOT NULL DEFAULT 0;
UPDATE connections SET stream_count = jsonb_array_length(catalog -> 'streams');
