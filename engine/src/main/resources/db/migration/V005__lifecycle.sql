-- Product analytics (issue: product analytics). Owned by the lifecycle package.

-- Every stage change of a product, one row per run of months in the same stage. entered_on is the
-- first day of the first month evaluated in that stage. Rewritten for a product each time its
-- lifecycle is analysed, so it always matches the current data and rules.
CREATE TABLE product_stage_history (
    product_id  BIGINT NOT NULL,
    stage       VARCHAR NOT NULL,
    confidence  DOUBLE,
    entered_on  DATE NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

-- The latest lifecycle and trend analysis of each product, as of as_of (the end date analysed).
-- Growth figures are on the product's sale lines per 1000 sale lines of the store in a month
-- (so shop-wide seasonality and growth cancel out), trend figures on net revenue per month.
-- trend_p_value is the two-sided Mann-Kendall p-value of the Theil-Sen slope trend_slope.
-- seasonal is NULL when the history is shorter than two years.
CREATE TABLE product_lifecycle (
    product_id           BIGINT PRIMARY KEY,
    as_of                DATE NOT NULL,
    stage                VARCHAR NOT NULL,
    confidence           DOUBLE NOT NULL,
    launch_date          DATE,
    last_sale_date       DATE,
    age_months           DOUBLE,
    months_without_sales INTEGER,
    smoothed_level       DOUBLE,
    growth               DOUBLE,
    growth_change        DOUBLE,
    peak_smoothed_level  DOUBLE,
    trend_months         INTEGER,
    trend_slope          DOUBLE,
    trend_p_value        DOUBLE,
    mom_growth           DOUBLE,
    yoy_growth           DOUBLE,
    seasonal             BOOLEAN,
    lag12_autocorrelation DOUBLE,
    computed_at          TIMESTAMP NOT NULL
);

-- Association rules antecedent -> consequent from baskets (one order, or one customer and day when
-- the order id is missing). support = share of all baskets with both, confidence = P(consequent |
-- antecedent), lift = confidence / P(consequent). Replaced as a whole by each affinity run.
CREATE TABLE product_affinity (
    antecedent_id BIGINT NOT NULL,
    consequent_id BIGINT NOT NULL,
    baskets_both  BIGINT NOT NULL,
    support       DOUBLE NOT NULL,
    confidence    DOUBLE NOT NULL,
    lift          DOUBLE NOT NULL,
    PRIMARY KEY (antecedent_id, consequent_id)
);

-- One row per lifecycle or affinity run with the settings used, so a report can say what it shows.
-- transactions_seen lets a reader tell whether the data changed since the run.
CREATE SEQUENCE product_run_seq START 1;
CREATE TABLE product_analysis_runs (
    id                BIGINT PRIMARY KEY,
    kind              VARCHAR NOT NULL,
    computed_at       TIMESTAMP NOT NULL,
    window_start      DATE,
    window_end        DATE,
    transactions_seen BIGINT NOT NULL,
    baskets           BIGINT,
    products          BIGINT,
    rules             BIGINT,
    settings_json     VARCHAR NOT NULL
);
