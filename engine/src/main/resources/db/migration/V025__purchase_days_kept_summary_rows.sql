-- The store's purchase days (PurchaseDays): one row per customer and day with purchase lines (no returns, no
-- negative amounts) and the day's summed amount, plus guest days (customer_id NULL, one row per import and day,
-- for the purchase range only). Day-timed RFM summaries that exclude returns read it instead of the lines.
CREATE TABLE clv_purchase_days (
    customer_id BIGINT,
    date        DATE NOT NULL,
    amount      DECIMAL(38,4)  -- NULL when none of the day's purchase lines has an amount
);

-- The DataVersion.transactions the rows above are current for (no row: never built, so not current).
CREATE TABLE clv_purchase_days_state (
    transactions_version VARCHAR NOT NULL
);

-- A stored RFM summary keeps its rows from the second command on the same data and options (RfmSummary.keepRows):
-- entries stored before this migration all have theirs.
ALTER TABLE clv_summaries ADD COLUMN rows_stored BOOLEAN DEFAULT true;
