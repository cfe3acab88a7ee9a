package io.clvanalytics.server.dashboard;

import io.clvanalytics.server.store.Row;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard shows.
 *
 * @param kpis        the key figures with their comparison
 * @param period      the compared periods in words ("last 90 days to 2025-12-31 vs the 90 days before")
 * @param model       the model run the CLV figures come from, empty before the first fit
 * @param dataEnd     the newest transaction's date, empty for an empty store
 * @param scored      true when customers have CLV scores (the CLV charts have data)
 * @param cohorts     the cohort heat map
 */
public record DashboardPage(List<Kpi> kpis, String period, Optional<Row> model, Optional<String> dataEnd, boolean scored,
                            CohortMatrix cohorts) {}
