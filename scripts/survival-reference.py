#!/usr/bin/env python3
"""Writes the reference values of the Kaplan–Meier duration estimate (publication spec §1) as JSON
fixtures under crates/stats/tests/survival/, computed by Python `lifelines`, so the Rust estimate is
checked against an implementation it shares no code with. lifelines is not a test dependency: the
fixtures are committed, and this script is run again only when a data set is added or changed.

Run from the repository root (lifelines 0.30.3, numpy 2.4.6, pandas 2.3.3, scipy 1.17.1 when the
fixtures were written):

  python3 -m venv /tmp/kmvenv && /tmp/kmvenv/bin/pip install lifelines==0.30.3
  /tmp/kmvenv/bin/python scripts/survival-reference.py

What is lifelines' own and what is the spec's
- The survival column and the 95% band (`survival_function_`, `confidence_interval_`: the log(−log)
  transform of Greenwood's variance, lifelines' default) are lifelines' numbers, unchanged. lifelines
  gives the band [1, 1] where the survival is 1 (its variance is 0/0 there and it fills the gap with
  1) and [0, 0] where the survival is 0; the Rust estimate does the same.
- lifelines' tables have a row per time with a case (and 0); the spec has a row per whole month from
  0 to the largest month with a case. Months without a case carry the previous row's survival and
  band (a step function) with no events or censorings; `at_risk` there is the cases not removed at an
  earlier time (lifelines' `removed` column).
- The median and its interval are the spec's, read off that month grid: the smallest month where the
  survival (or the band's low or high end) is ≤ 0.5, compared with a tolerance of 1e-12.
  lifelines' `median_survival_time_` and `median_survival_times(confidence_interval_)` compare
  exactly, and lifelines computes the survival as exp(Σ log((n−d)/n)): in data set
  `exactly_half_in_lifelines` a survival of exactly one half comes out as 0.5000000000000001 and
  lifelines' own median skips to a later month. (In data set `exactly_half` it is a running product
  of the fractions, as the Rust estimate computes it, that overshoots one half.) Each fixture keeps
  lifelines' own median and interval under `lifelines`, for the record; the Rust test checks the
  spec's.
- Survival at 3, 6, 12 and 24 months is the grid's value, `null` past the largest month with a case
  (the last month anyone is at risk). lifelines' `survival_function_at_times` would carry the last
  value on for ever.
"""
import json
import math
import os
import random
import sys

import lifelines
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

OUT = os.path.join("crates", "stats", "tests", "survival")
MILESTONES = (3, 6, 12, 24)
HALF = 0.5 + 1e-12


def cases(*groups):
    """(months, event, how many) groups as a list of single cases, in the order given."""
    return [[m, e] for m, e, k in groups for _ in range(k)]


def generated(seed, size):
    """Families followed up for up to three years, rehoused at a rate of about 6% a month, a quarter
    lost from view before their report: a realistic mix of ties, censorings and long tails."""
    rng = random.Random(seed)
    out = []
    for _ in range(size):
        # Whole months until rehousing: geometric, drawn through the inverse of its distribution.
        rehoused = int(math.log(1.0 - rng.random()) / math.log(1.0 - 0.06))
        followed = int(rng.random() * 37)
        if rng.random() < 0.25:
            followed = int(rng.random() * (followed + 1))
        out.append([min(rehoused, followed), 1 if rehoused <= followed else 0])
    return out


DATA_SETS = {
    "ties": (
        "(a) ties: several rehousings in the same month, one censoring between them",
        cases((2, 1, 3), (4, 1, 2), (5, 0, 1), (7, 1, 4), (9, 1, 1), (12, 1, 2)),
    ),
    "censored_with_events": (
        "(b) censorings in the same months as rehousings (events come first), some months without cases",
        cases((1, 1, 1), (3, 1, 2), (3, 0, 2), (6, 1, 1), (6, 0, 3), (8, 1, 2), (8, 0, 1),
              (11, 0, 1), (13, 1, 1), (13, 0, 1)),
    ),
    "rehoused_in_month_zero": (
        "(c) rehousings and a censoring in month 0",
        cases((0, 1, 2), (0, 0, 1), (1, 1, 1), (2, 0, 2), (4, 1, 3), (5, 0, 1), (9, 1, 1)),
    ),
    "median_not_reached": (
        "(d) few rehousings: the survival stays above one half, the median and the interval's high end are not reached",
        cases((1, 0, 2), (2, 1, 1), (3, 0, 3), (5, 1, 1), (6, 0, 2), (8, 1, 1), (10, 0, 4),
              (14, 0, 2), (18, 0, 1)),
    ),
    "everyone_rehoused": (
        "(e) the survival reaches 0: the last families at risk are all rehoused in the same month",
        cases((1, 1, 1), (2, 0, 1), (3, 1, 2), (5, 1, 1), (7, 0, 1), (8, 1, 2)),
    ),
    "generated": (
        "(f) 5000 families drawn with seed 20250415 (see generated() in scripts/survival-reference.py)",
        generated(20250415, 5000),
    ),
    "exactly_half": (
        "(g) a survival of exactly one half in month 4 (8/10 · 6/8 · 5/6), which a running product "
        "of the fractions overshoots by an ulp",
        cases((1, 1, 2), (2, 1, 2), (4, 1, 1), (5, 0, 1), (7, 1, 2), (9, 0, 2)),
    ),
    "exactly_half_in_lifelines": (
        "(g) a survival of exactly one half in month 3 (4/6 · 3/4), which lifelines overshoots by an "
        "ulp: its own median skips to month 6",
        cases((1, 1, 2), (3, 1, 1), (4, 0, 1), (6, 1, 1), (8, 0, 1)),
    ),
    "nobody_rehoused": (
        "all censored: the survival is 1 throughout, the band [1, 1], nothing reached",
        cases((0, 0, 1), (2, 0, 2), (3, 0, 1), (7, 0, 3)),
    ),
    "one_family": (
        "one family, rehoused after 4 months",
        cases((4, 1, 1)),
    ),
}


def smallest_month_at_most_half(column):
    hits = [m for m, v in column.items() if v <= HALF]
    return int(hits[0]) if hits else None


def finite_or_none(value):
    return None if math.isinf(value) else int(value)


def reference(about, data):
    durations = [m for m, _ in data]
    observed = [e for _, e in data]
    kmf = KaplanMeierFitter().fit(durations, event_observed=observed)
    last = max(durations)
    grid = range(0, last + 1)

    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    low, high = ci.iloc[:, 0], ci.iloc[:, 1]
    table = kmf.event_table
    # A step function: each month takes the last row of lifelines' tables at or before it.
    on_grid = lambda s: s.reindex(grid, method="ffill")  # noqa: E731
    survival, ci_low, ci_high = on_grid(sf), on_grid(low), on_grid(high)
    # lifelines has `at_risk` only at its own times; on the grid, it is the cases not removed in an
    # earlier month (checked against lifelines' column at its times, and against a plain count).
    removed_through = on_grid(table["removed"].cumsum())
    at_risk = {m: len(data) - (int(removed_through[m - 1]) if m > 0 else 0) for m in grid}
    for m in table.index:
        assert at_risk[int(m)] == int(table.loc[m, "at_risk"]), m
    events = table["observed"].reindex(grid, fill_value=0)
    censored = table["censored"].reindex(grid, fill_value=0)

    rows = []
    for m in grid:
        row = {
            "month": m,
            "at_risk": int(at_risk[m]),
            "events": int(events[m]),
            "censored": int(censored[m]),
            "survival": float(survival[m]),
            "ci_low": float(ci_low[m]),
            "ci_high": float(ci_high[m]),
        }
        assert all(math.isfinite(row[k]) for k in ("survival", "ci_low", "ci_high")), row
        assert row["at_risk"] == sum(1 for d in durations if d >= m), row
        rows.append(row)

    lifelines_ci = median_survival_times(ci)
    return {
        "about": about,
        "cases": data,
        "n": len(data),
        "events": int(sum(observed)),
        "censored": len(data) - int(sum(observed)),
        "table": rows,
        "median_months": smallest_month_at_most_half(survival),
        "median_ci": [smallest_month_at_most_half(ci_low), smallest_month_at_most_half(ci_high)],
        "survival_at": {
            str(m): (float(survival[m]) if m <= last else None) for m in MILESTONES
        },
        "lifelines": {
            "version": lifelines.__version__,
            "median_survival_time": finite_or_none(kmf.median_survival_time_),
            "median_ci": [finite_or_none(v) for v in lifelines_ci.iloc[0]],
        },
    }


def main():
    if not os.path.isdir(os.path.join("crates", "stats")):
        sys.exit("run from the repository root")
    os.makedirs(OUT, exist_ok=True)
    for name, (about, data) in DATA_SETS.items():
        fixture = reference(about, data)
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w", encoding="utf-8") as f:
            # One table row per line keeps a diff of a changed fixture readable; the generated
            # cases stay on one line.
            head = {k: v for k, v in fixture.items() if k not in ("cases", "table")}
            f.write("{\n")
            for k, v in head.items():
                f.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
            f.write(f'  "cases": {json.dumps(fixture["cases"], separators=(",", ":"))},\n')
            f.write('  "table": [\n')
            f.write(",\n".join("    " + json.dumps(r) for r in fixture["table"]))
            f.write("\n  ]\n}\n")
        print(f"{path}: n={fixture['n']} median={fixture['median_months']} "
              f"ci={fixture['median_ci']} lifelines={fixture['lifelines']}")


if __name__ == "__main__":
    main()
