-- The distribution of each scored customer's number of purchases over the scoring horizon, from
-- the purchase model: P(exactly 0), P(exactly 1), P(exactly 2) and P(3 or more). They sum to 1.
ALTER TABLE customer_scores ADD COLUMN p_purchases_0 DOUBLE;
ALTER TABLE customer_scores ADD COLUMN p_purchases_1 DOUBLE;
ALTER TABLE customer_scores ADD COLUMN p_purchases_2 DOUBLE;
ALTER TABLE customer_scores ADD COLUMN p_purchases_3_plus DOUBLE;
