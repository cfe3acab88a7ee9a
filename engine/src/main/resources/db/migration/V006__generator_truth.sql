-- The true values behind a generated demo store (owned by the generate package). Model tests
-- compare what they estimate with these. Empty in stores loaded from real data.

-- Per customer: purchase rate lambda (per week), dropout probability p after each repeat purchase,
-- the Gamma-Gamma spend scale nu, and when the customer dropped out (NULL while alive at the end).
CREATE TABLE generated_customer_truth (
    customer_id  BIGINT,
    "lambda"     DOUBLE,
    p            DOUBLE,
    nu           DOUBLE,
    dropout_date DATE,
    alive_at_end BOOLEAN
);

-- Per product: launch date and the lifecycle stage it is in at the generator end date by construction
-- (introduction, growth, maturity, decline or discontinued).
CREATE TABLE generated_product_truth (
    product_id        BIGINT,
    launch_date       DATE,
    stage_at_end      VARCHAR,
    discontinued_date DATE
);
