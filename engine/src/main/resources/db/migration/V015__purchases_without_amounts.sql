-- Purchase logs without amounts (owned by the ingest package). A file of customer ids and dates only (event
-- logs, BTYD research data) imports with amount NULL on every line: purchase models, retention, cohorts and
-- survival use the dates; spend models and money figures need amounts and say so when the store has none.
ALTER TABLE transactions ALTER COLUMN amount DROP NOT NULL;
