package io.clvanalytics.engine.lifecycle;

/**
 * "Baskets holding the antecedent also hold the consequent". {@code support} = share of all
 * baskets holding both, {@code confidence} = P(consequent | antecedent), {@code lift} =
 * confidence / P(consequent) (above 1: bought together more often than by chance).
 */
public record AssociationRule(long antecedentId, String antecedentCode, String antecedentName,
                              long consequentId, String consequentCode, String consequentName,
                              long basketsBoth, double support, double confidence, double lift) {}
