-- Guest purchases (owned by the product package). `clv import --missing-customer guest` keeps lines
-- without a customer id as purchases by no known customer: customer_id is NULL on them. Product
-- metrics, baskets and store revenue include them. Customer analyses (CLV fits, retention, cohorts,
-- customer counts) read only lines with a customer id.
ALTER TABLE transactions ALTER COLUMN customer_id DROP NOT NULL;
