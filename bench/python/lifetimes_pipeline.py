#!/usr/bin/env python3
"""The CLV pipeline a user would run with Python's lifetimes on the cli bench's CSV, for comparison with
`clv import` + `clv score --refit` (see README, "Benchmarks", the cli benchmark).

Same definitions as clv's: purchase lines with a negative amount (returns) left out, same-day lines merged
into one purchase, times in weeks counted in whole days (freq="D", freq_multiplier=7), BG/NBD and
Gamma-Gamma (on repeat customers with a positive mean spend) by maximum likelihood without penalty, and
lifetimes' customer_lifetime_value over 12 months at 1 % a month. The scores are written to a CSV, as
clv writes its scores to the store.

Usage: lifetimes_pipeline.py INPUT.csv OUTPUT.csv
Prints one JSON line: seconds per step and the fitted parameters.
"""
import json
import sys
import time

started = time.perf_counter()
import pandas as pd  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import summary_data_from_transaction_data  # noqa: E402

steps = {"imports": time.perf_counter() - started}


def step(name, since):
    now = time.perf_counter()
    steps[name] = now - since
    return now


source, target = sys.argv[1], sys.argv[2]
t = time.perf_counter()
lines = pd.read_csv(source, usecols=["customer_id", "date", "amount"], dtype={"customer_id": str}, parse_dates=["date"])
lines = lines[lines["amount"] >= 0]
t = step("read_csv", t)
summary = summary_data_from_transaction_data(lines, "customer_id", "date", monetary_value_col="amount",
                                             freq="D", freq_multiplier=7)
t = step("summary", t)
bgf = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
t = step("bgnbd_fit", t)
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["frequency"], repeat["monetary_value"])
t = step("gamma_gamma_fit", t)
summary["p_alive"] = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
summary["clv"] = ggf.customer_lifetime_value(bgf, summary["frequency"], summary["recency"], summary["T"],
                                             summary["monetary_value"], time=12, discount_rate=0.01, freq="W").values
t = step("scores", t)
summary.to_csv(target)
step("write", t)
print(json.dumps({
    "customers": int(len(summary)),
    "seconds": steps,
    "total_seconds": time.perf_counter() - started,
    "bgnbd": {k: float(v) for k, v in bgf.params_.items()},
    "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()},
    "total_clv": float(summary["clv"].sum()),
}))
