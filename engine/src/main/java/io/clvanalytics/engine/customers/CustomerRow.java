package io.clvanalytics.engine.customers;

import java.time.LocalDate;

/**
 * One customer of a list. Score fields are null when the customer has no score in the latest
 * scoring run, risk fields when it has none in the latest retention run.
 *
 * @param customer     the customer's id in the shop's own data (source id)
 * @param lastPurchase the date of the newest transaction
 * @param valueAtRisk  CLV times churn probability (latest retention run)
 */
public record CustomerRow(String customer, String name, String country, String segment, String status,
                          LocalDate acquisitionDate, LocalDate lastPurchase, Double clv, Double pAlive,
                          Double expectedPurchases, Double churnProbability, Double valueAtRisk, String riskLevel,
                          String action) {}
