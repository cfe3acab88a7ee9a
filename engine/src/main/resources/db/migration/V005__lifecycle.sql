-- Product lifecycle stage history (issue: product analytics). Owned by the lifecycle package.
CREATE TABLE product_stage_history (
    product_id  BIGINT NOT NULL,
    stage       VARCHAR NOT NULL,
    confidence  DOUBLE,
    entered_on  DATE NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
