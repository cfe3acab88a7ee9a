-- Archives of old transactions moved to Parquet files by `clv archive` (owned by the ops package).
CREATE SEQUENCE archive_seq START 1;
CREATE TABLE archives (
    id          BIGINT PRIMARY KEY,
    before_date DATE NOT NULL,
    file        VARCHAR NOT NULL,
    rows        BIGINT NOT NULL,
    amount_sum  DECIMAL(38,4),
    first_date  DATE,
    last_date   DATE,
    created_at  TIMESTAMP NOT NULL
);

-- Every transaction, archived or not. `clv archive` redefines it to add each archive file.
CREATE VIEW transactions_all AS SELECT * FROM transactions;
