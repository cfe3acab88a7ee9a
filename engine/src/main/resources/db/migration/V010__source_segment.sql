-- customers.segment is the segment the analyses assign (retention's RFM segment once it has run). The
-- segment a customer file or the transactions carried is kept apart in source_segment, so scoring
-- never overwrites imported data. Stores never scored keep their segment as the source one.
ALTER TABLE customers ADD COLUMN source_segment VARCHAR;
UPDATE customers SET source_segment = segment WHERE NOT EXISTS (SELECT 1 FROM retention_runs);
