#!/usr/bin/env python3
"""Writes the reference values of the Kaplan–Meier duration estimate (publication spec §1) as JSON
fixtures under crates/stats/tests/survival/, computed by Python `lifelines`, so the Rust estimate is
checked against an implementation it shares no code with. lifelines is not a test dependency: the
fixtures are committed, and this script is run again only when a data set is added or changed.

Run from the repository root (lifelines 0.30.3, numpy 2.4.6, pandas 2.3.3, scipy 1.17.1 when the
fixtures were written):

  python3 -m venv /tmp/kmvenv && /tmp/kmvenv/bin/pip install lifelines==0.30.3
  /tmp/kmvenv/bin/python scripts/survival-reference.py

Report mode: the whole of `report duration --format json` for an interchange CSV of cases
(`/work/shared/spec/interchange.md`), each case's duration worked out here again from the spec, not by
the Rust code, and the estimates by lifelines. The fixtures under crates/cli/tests/survival/ were
written with (from the repository root; the generated file is not committed, the Rust test
crates/cli/tests/duration.rs generates it again with the same arguments):

  /tmp/kmvenv/bin/python scripts/survival-reference.py report /work/shared/data/quickscan-2025.csv \
      crates/cli/tests/survival/quickscan-2025.report.json
  dakwacht generate --cases 20000 --seed 17 --output /tmp/gen17.csv
  /tmp/kmvenv/bin/python scripts/survival-reference.py report /tmp/gen17.csv \
      crates/cli/tests/survival/generated-20000-seed17.report.json

  (add --cases to print each case's contribution, one line per case, to standard output)

The generated file was written by a release build of dakwacht (crates/cli/src/generate.rs last
changed in commit 806d761, the same on main and survival when the fixture was written): 4,434,345
bytes, FNV-1a 0x0a2e1cbd0b891494, which the Rust test checks before it compares anything else.

Each case contributes, as `publication.md` §1 and the interchange spec's "Duration of homelessness"
say it:
- nothing, when `situation_after` is unknown or `housed` (every other living situation is homeless);
- an exclusion (`excluded`), when `situation_after` is homeless but `home_lost_on` is unknown or the
  end is: no `rehoused_on`, `current_situation` not homeless (unknown or `housed`), and no
  `last_seen_on` with a homeless `last_seen_situation`;
- else an observation (months, event): months = whole calendar months from `home_lost_on` to the end
  (`rehoused_on`, else `reported_on` when `current_situation` is homeless, else `last_seen_on`),
  `(y2−y1)·12 + (m2−m1)`, minus 1 when both dates have a day and the end's day is before the start's
  (a month-precision `YYYY-MM` ignores days); event = 1 exactly when the end is `rehoused_on`.
  A family lost from view (no `rehoused_on`, `current_situation` unknown) counts in the optimistic
  bound as rehoused after the same months and in the pessimistic one as censored after the whole
  months from `home_lost_on` to `reported_on`; every other case counts the same in all three.
Cells are trimmed, `unknown` (any case) is empty and codes are matched case-insensitively, as the
import reads them.

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
import csv
import datetime
import json
import math
import os
import random
import re
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
    return {"about": about, "cases": data, **estimate(data)}


def estimate(data):
    """The spec's quantities of one Kaplan–Meier estimate over (months, event) cases, read off
    lifelines (see the notes at the top)."""
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


# ---------------------------------------------------------------------------------------------------
# Report mode: an interchange CSV of cases to the JSON of `report duration --format json`.

# The living situations of interchange.md; every one but `housed` is homeless.
LIVING_SITUATIONS = {
    "housed", "rough_sleeping", "night_shelter", "family_shelter", "womens_shelter", "hotel",
    "institution", "car", "tent", "caravan", "holiday_home", "squat", "other_non_conventional",
    "social_network",
}
HOMELESS = LIVING_SITUATIONS - {"housed"}


class Problem(Exception):
    pass


def parse_day_or_month(text, month_allowed):
    """(year, month, day) of `YYYY-MM-DD`, or (year, month, None) of `YYYY-MM` where allowed."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = datetime.date.fromisoformat(text)  # raises on 2023-02-29 and the like
        return (day.year, day.month, day.day)
    if month_allowed and re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12 or year < 1:
            raise Problem(f"not a month: {text!r}")
        return (year, month, None)
    raise Problem(f"not a date{' or month' if month_allowed else ''}: {text!r}")


def whole_months(start, end):
    """Whole calendar months from start to end (interchange.md): (y2−y1)·12 + (m2−m1), minus 1 when
    both have a day and the end's day is before the start's."""
    months = (end[0] - start[0]) * 12 + (end[1] - start[1])
    if start[2] is not None and end[2] is not None and end[2] < start[2]:
        months -= 1
    return months


def check_whole_months():
    """The whole-month rule on its edge cases (the same as core's date tests)."""
    d = lambda text: parse_day_or_month(text, month_allowed=True)  # noqa: E731
    for start, end, months in [
        ("2024-01-15", "2024-07-15", 6),
        ("2024-01-15", "2024-07-14", 5),  # end day before start day
        ("2024-01-31", "2024-02-29", 0),
        ("2023-12-01", "2024-01-01", 1),  # across a year
        ("2024-01", "2024-07-01", 6),  # month precision: days ignored on both sides
        ("2024-01-31", "2024-07", 6),
        ("2024-03", "2025-03-17", 12),
        ("2024-03", "2024-03-01", 0),
    ]:
        assert whole_months(d(start), d(end)) == months, (start, end, months)


def read_cases(path):
    """The rows of an interchange CSV as dicts of lower-case column name to trimmed cell."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = list(csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for line in rows[1:]:
        if all(not c.strip() for c in line):
            continue
        out.append({h: (line[i].strip() if i < len(line) else "") for i, h in enumerate(header)})
    return out


def known(row, column):
    """A cell where empty and the literal `unknown` (any case) mean unknown: None then."""
    value = row.get(column, "")
    return None if value == "" or value.lower() == "unknown" else value


def situation(row, column):
    value = known(row, column)
    if value is None:
        return None
    value = value.lower()
    if value not in LIVING_SITUATIONS:
        raise Problem(f"{column}: not a living situation: {value!r}")
    return value


def contribution(row):
    """What one case contributes: ("outside",), ("excluded",) or ("counted", main, optimistic,
    pessimistic), each observation a [months, event] pair."""
    after = situation(row, "situation_after")
    if after not in HOMELESS:  # unknown or housed
        return ("outside",)
    lost = known(row, "home_lost_on")
    if lost is None:
        return ("excluded",)
    start = parse_day_or_month(lost, month_allowed=True)
    reported = parse_day_or_month(row["reported_on"], month_allowed=False)
    rehoused = known(row, "rehoused_on")
    current = situation(row, "current_situation")
    seen_on = known(row, "last_seen_on")
    seen_situation = situation(row, "last_seen_situation")
    if (seen_on is None) != (seen_situation is None):
        raise Problem("last_seen_on and last_seen_situation come as a pair")
    if rehoused is not None:
        end, event = parse_day_or_month(rehoused, month_allowed=False), 1
    elif current in HOMELESS:
        end, event = reported, 0
    elif seen_situation in HOMELESS:
        end, event = parse_day_or_month(seen_on, month_allowed=False), 0
    else:
        return ("excluded",)
    months = whole_months(start, end)
    if months < 0:
        raise Problem(f"the end {end} precedes the loss {start}")
    main = [months, event]
    if rehoused is None and current is None:
        # Lost from view while homeless (the end above can only be the last sighting).
        assert event == 0 and seen_situation in HOMELESS
        until_report = whole_months(start, reported)
        if until_report < months:
            raise Problem(f"reported_on {reported} before last_seen_on {seen_on}")
        return ("counted", main, [months, 1], [until_report, 0])
    return ("counted", main, main, main)


def report_of_cases(path, show_cases):
    rows = read_cases(path)
    keys = [(r["organisation"], r["case_ref"]) for r in rows]
    if len(set(keys)) != len(keys):
        sys.exit(f"{path}: a case appears twice")
    main, optimistic, pessimistic, excluded = [], [], [], 0
    for line, row in enumerate(rows, start=2):
        try:
            c = contribution(row)
        except (Problem, ValueError) as problem:
            sys.exit(f"{path}, case {row.get('case_ref')!r} (row {line}): {problem}")
        if show_cases:
            print(row["case_ref"], *c[:1], *(f"{m}{'+' if e == 0 else ''}" for m, e in c[1:]))
        if c[0] == "excluded":
            excluded += 1
        elif c[0] == "counted":
            main.append(c[1])
            optimistic.append(c[2])
            pessimistic.append(c[3])
    if not main:
        sys.exit(f"{path}: no case with a duration")
    est, opt, pes = estimate(main), estimate(optimistic), estimate(pessimistic)
    assert est["n"] == opt["n"] == pes["n"]
    bound = lambda e: {"median_months": e["median_months"], "survival_at": e["survival_at"]}  # noqa: E731
    return {
        "n": est["n"],
        "events": est["events"],
        "censored": est["censored"],
        "excluded": excluded,
        "median_months": est["median_months"],
        "median_ci": est["median_ci"],
        "survival_at": est["survival_at"],
        "table": est["table"],
        "optimistic": bound(opt),
        "pessimistic": bound(pes),
    }


def write_report(report, path):
    """The report's JSON, one table row per line (a diff of a changed fixture stays readable)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for k, v in report.items():
            if k == "table":
                f.write('  "table": [\n')
                f.write(",\n".join("    " + json.dumps(r) for r in v))
                f.write("\n  ],\n")
            else:
                end = ",\n" if k != "pessimistic" else "\n"
                f.write(f"  {json.dumps(k)}: {json.dumps(v)}{end}")
        f.write("}\n")
    # What was written reads back as the report.
    with open(path, encoding="utf-8") as f:
        assert json.load(f) == report


def report_main(args):
    show_cases = "--cases" in args
    args = [a for a in args if a != "--cases"]
    if len(args) != 2:
        sys.exit("usage: survival-reference.py report CASES.csv OUT.json [--cases]")
    source, target = args
    check_whole_months()
    report = report_of_cases(source, show_cases)
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    write_report(report, target)
    print(f"{target}: n={report['n']} events={report['events']} censored={report['censored']} "
          f"excluded={report['excluded']} median={report['median_months']} "
          f"ci={report['median_ci']} optimistic={report['optimistic']['median_months']} "
          f"pessimistic={report['pessimistic']['median_months']}", file=sys.stderr)


def main():
    if sys.argv[1:2] == ["report"]:
        report_main(sys.argv[2:])
        return
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
