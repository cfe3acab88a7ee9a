-- Core tables of a CLV Analytics store. Comments must not contain semicolons (statements are split on them).

-- Key/value facts about the store, such as the demo generator's true parameters (JSON).
CREATE TABLE store_meta (
    key        VARCHAR PRIMARY KEY,
    value      VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One row per import or generation run. content_sha256 makes re-importing the same file a no-op.
CREATE SEQUENCE import_batch_seq START 1;
CREATE TABLE import_batches (
    id             BIGINT PRIMARY KEY,
    kind           VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    content_sha256 VARCHAR,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP,
    rows_read      BIGINT,
    rows_imported  BIGINT,
    rows_rejected  BIGINT,
    details_json   VARCHAR
);

-- source_id is the id in the shop's own data (CustomerID, customer_id ...), id our surrogate.
-- Both are unique, kept so by their only writers (the importer creates a customer only for a source_id
-- not yet stored, the generator numbers its own). No PRIMARY KEY or UNIQUE index on purpose, as for
-- transactions: DuckDB checks such indexes row by row on insert and merges them at commit, which made
-- creating 1,000,000 customers the slowest step of an import. Lookups by id stay fast through the
-- row groups' min/max (ids are assigned in ascending order).
CREATE TABLE customers (
    id                    BIGINT NOT NULL,
    source_id             VARCHAR NOT NULL,
    name                  VARCHAR,
    country               VARCHAR,
    segment               VARCHAR,
    status                VARCHAR,
    acquisition_date      DATE,
    last_transaction_date DATE,
    clv                   DOUBLE,
    batch_id              BIGINT
);

-- is_product is false for non-product lines (postage, fees, discounts, manual adjustments).
-- Keys as in customers (unique, kept so by the importer and the generator, no index).
CREATE TABLE products (
    id              BIGINT NOT NULL,
    source_id       VARCHAR NOT NULL,
    name            VARCHAR,
    category        VARCHAR,
    subcategory     VARCHAR,
    is_product      BOOLEAN NOT NULL DEFAULT TRUE,
    lifecycle_stage VARCHAR,
    launch_date     DATE,
    batch_id        BIGINT
);

-- No primary key or foreign keys on purpose: bulk appends of millions of rows stay fast and
-- referential integrity is a data-quality check. amount is signed (returns are negative).
CREATE TABLE transactions (
    id          BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    product_id  BIGINT,
    order_id    VARCHAR,
    date        DATE NOT NULL,
    ts          TIMESTAMP,
    quantity    DOUBLE,
    unit_price  DECIMAL(18,4),
    amount      DECIMAL(18,4) NOT NULL,
    currency    VARCHAR,
    country     VARCHAR,
    is_return   BOOLEAN NOT NULL DEFAULT FALSE,
    batch_id    BIGINT NOT NULL,
    source_line BIGINT
);
