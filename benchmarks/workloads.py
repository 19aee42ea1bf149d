"""The benchmarked operations, their baselines, and the DuckDB cross-checks.

Every ``bench_*`` function takes the tier's frames and a :class:`Plan` and returns one
or more result records (plain dicts, JSON-ready):

``op``, ``tier``, ``rows`` and ``unit`` (what was processed), ``wall``/``cpu`` (median
seconds of ``runs`` calls), ``baseline`` (name, seconds, how it was measured),
``duckdb`` (seconds, checked equal), ``peak`` (tracemalloc peak extra bytes of one call)
beside ``frame_deep`` (``memory_usage(deep=True)`` of the input) and ``frame_distinct``
(counting each shared string object once).

Baselines that work row by row are timed on a sample and extrapolated linearly (their
cost is linear in rows: no caching, no vectorisation); each record says so.
"""

from __future__ import annotations

import gc
import math
import re
import statistics
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.measure import frame_bytes, peak_extra, timed

FUNNEL_STEPS = ["page_view", "add_to_cart", "begin_checkout", "purchase"]
TARGET_COUNTRIES = frozenset({"DE", "NL", "BE", "FR", "AT", "GB", "IE", "DK", "SE", "ES", "IT",
                              "PL", "CH"})


@dataclass(frozen=True)
class Plan:
    tier: str
    repeat: int  # runs of our code (median)
    baseline_repeat: int  # runs of a sampled baseline (median)
    sample: int  # rows (or people) a row-by-row baseline is timed on
    memory: bool = True


def _record(plan: Plan, op: str, rows: int, unit: str, wall: float, cpu: float, runs: int,
            **extra) -> dict:
    rec = {"tier": plan.tier, "op": op, "rows": int(rows), "unit": unit,
           "wall": wall, "cpu": cpu, "runs": runs}
    rec.update(extra)
    return rec


def _memory(plan: Plan, func, *inputs: pd.DataFrame) -> dict:
    if not plan.memory:
        return {}
    deep, distinct = frame_bytes(*inputs)
    return {"peak": peak_extra(func), "frame_deep": deep, "frame_distinct": distinct}


class Mismatch(AssertionError):
    """Our result and a reference (DuckDB, or a row-by-row baseline) differ."""


def _check(what: str, ok: bool, detail: str) -> None:
    if not ok:
        raise Mismatch(f"benchmarks: {what} differ: {detail}")


# ----------------------------------------------------------------------------- loading
LOADERS = (("data.load_sessions", "load_sessions", "sessions.csv"),
           ("data.load_events", "load_events", "events.csv"),
           ("data.load_leads", "load_leads", "leads.csv"))
BARE_READER = 'pd.read_csv(path, engine="pyarrow"), inferred dtypes, no checks'


def bench_load(plan: Plan, folder: Path) -> list[dict]:
    """Each loader (read, type, validate) beside ``pd.read_csv(path, engine="pyarrow")``.

    The two are timed alternately on the same file (loader, reader, loader, reader, ...)
    so that both see the same load on a shared machine; medians of ``plan.repeat`` runs
    each. Issue 20's target: loader / reader <= 1.5 (wall) at 1M sessions / 3.4M events.
    """
    from helpers import data

    out = []
    for op, loader_name, name in LOADERS:
        path = folder / name
        if not path.exists():
            continue
        loader = getattr(data, loader_name)
        lw, lc, bw, bc = [], [], [], []
        frame = None
        for _ in range(max(1, plan.repeat)):
            for fn, walls, cpus in ((lambda p=path: pd.read_csv(p, engine="pyarrow"), bw, bc),
                                    (lambda p=path, f=loader: f(p), lw, lc)):
                frame = None
                gc.collect()
                w0, c0 = time.perf_counter(), time.process_time()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", data.UnmappedValuesWarning)
                    frame = fn()
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
        rows = len(frame)
        wall, cpu = statistics.median(lw), statistics.median(lc)
        bwall, bcpu = statistics.median(bw), statistics.median(bc)
        mem = {}
        if plan.memory:
            deep, distinct = frame_bytes(frame)
            del frame
            mem = {"peak": peak_extra(lambda p=path, f=loader: f(p)), "frame_deep": deep,
                   "frame_distinct": distinct, "frame_is": "the loaded frame"}
        out.append(_record(plan, op, rows, "rows", wall, cpu, plan.repeat,
                           baseline={"name": BARE_READER, "wall": bwall, "cpu": bcpu,
                                     "how": "full file, runs alternating with the loader's"},
                           load_ratio={"wall": wall / bwall, "cpu": cpu / bcpu},
                           **mem))
    return out


# ----------------------------------------------------------------------------- bots
def _is_crawler_baseline(agents: pd.Series, plan: Plan) -> dict:
    import crawleruseragents

    sample = agents.head(min(plan.sample, len(agents))).fillna("").tolist()
    crawleruseragents.is_crawler("warm-up")
    bw, bc, _ = timed(lambda: [crawleruseragents.is_crawler(a) for a in sample],
                      plan.baseline_repeat)
    scale = len(agents) / len(sample)
    return {"name": "crawleruseragents.is_crawler per row", "wall": bw * scale,
            "cpu": bc * scale, "how": f"{len(sample):,} rows timed, extrapolated linearly"}


def bench_bots_synth(plan: Plan, frames: dict) -> list[dict]:
    from helpers import bots

    s = frames["sessions"]
    bots.label(s.head(100))  # builds the matcher once (lazy, cached)
    wall, cpu, labelled = timed(lambda: bots.label(s), plan.repeat)
    distinct = int(s["user_agent"].nunique())
    rec = _record(plan, "bots.label, kit data", len(s), "sessions", wall, cpu, plan.repeat,
                  detail=f"{distinct:,} distinct agents, all rules on",
                  baseline=_is_crawler_baseline(s["user_agent"], plan),
                  **_memory(plan, lambda: bots.label(s), s))
    return [rec]


def bench_bots_workloads(plan: Plan, n: int) -> list[dict]:
    """``benchmarks.bench_bots``: ~5k distinct agents, and every agent distinct."""
    from benchmarks import bench_bots
    from helpers import bots

    figures = bench_bots.run(n, repeat=plan.repeat, baseline_rows=plan.sample)
    out = []
    for key, title in (("few", "bots.label, ~5k agents"), ("distinct", "bots.label, all distinct")):
        f = figures[key]
        mem = {}
        if plan.memory:
            sessions = bench_bots.build(n, distinct=key == "distinct")
            mem = _memory(plan, lambda s=sessions: bots.label(s), sessions)
            del sessions
        out.append(_record(
            plan, title, n, "sessions", f["label_s"], f["label_cpu_s"], plan.repeat,
            detail=f"{f['distinct_agents']:,} distinct agents (benchmarks/bench_bots.py)",
            baseline={"name": "crawleruseragents.is_crawler per row", "wall": f["baseline_s"],
                      "cpu": f["baseline_cpu_s"],
                      "how": f"{f['baseline_rows_timed']:,} rows timed, extrapolated linearly"},
            **mem))
    return out


# ----------------------------------------------------------------------------- personas
def _naive_visitors(s: pd.DataFrame, ev: pd.DataFrame, topics) -> pd.DataFrame:
    """The core of personas.visitors with a Python loop over visitors (the naive way)."""
    compiled = {t: re.compile(p, re.IGNORECASE) for t, p in topics.items()}
    views = ev[ev["event_name"] == "page_view"]
    pages_of = {k: g["page"].tolist() for k, g in views.groupby("visitor_id", sort=False)}
    rows = {}
    for vid, g in s.groupby("visitor_id", sort=False):
        hours = [t.hour for t in g["started_at"]]
        days = [t.dayofweek for t in g["started_at"]]
        n = len(g)
        row = {"sessions": n,
               "mobile_share": sum(d == "mobile" for d in g["device"]) / n,
               "evening_share": sum(h >= 18 for h in hours) / n,
               "office_hours_share": sum(d < 5 and 9 <= h < 17 for h, d in
                                         zip(hours, days, strict=True)) / n,
               "weekend_share": sum(d >= 5 for d in days) / n,
               "main_channel": sorted(g["channel"].astype(str).value_counts().items(),
                                      key=lambda kv: (-kv[1], kv[0]))[0][0]}
        pages = [p for p in pages_of.get(vid, []) if isinstance(p, str)]
        for t, rx in compiled.items():
            hits = sum(1 for p in pages if rx.search(p))
            row[f"topic_{t}"] = hits / len(pages_of.get(vid, [])) if pages_of.get(vid) else 0.0
        rows[vid] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def bench_personas(plan: Plan, frames: dict) -> tuple[list[dict], pd.DataFrame]:
    from helpers import personas

    s, ev = frames["sessions"], frames["events"]
    wall, cpu, v = timed(lambda: personas.visitors(s, ev), plan.repeat)
    # baseline: a Python loop over a sample of visitors, extrapolated by visitors
    people = s["visitor_id"].drop_duplicates().head(plan.sample // 4)
    keep = set(people)
    s_sample = s[s["visitor_id"].isin(keep)]
    ev_sample = ev[ev["visitor_id"].isin(keep)]
    bw, bc, naive = timed(lambda: _naive_visitors(s_sample, ev_sample, personas.DEFAULT_TOPICS),
                          plan.baseline_repeat)
    ours = personas.visitors(s_sample, ev_sample).loc[naive.index]
    for col in ("sessions", "mobile_share", "evening_share", "office_hours_share",
                "weekend_share", "topic_brewing", "topic_office", "topic_shop"):
        _check(f"personas.visitors and the per-visitor loop ({col})",
               np.allclose(ours[col].to_numpy(float), naive[col].to_numpy(float), atol=1e-12),
               f"first rows ours {ours[col].head(3).tolist()} loop {naive[col].head(3).tolist()}")
    _check("personas.visitors and the per-visitor loop (main_channel)",
           (ours["main_channel"].astype(str).to_numpy() == naive["main_channel"].to_numpy()).all(),
           "main_channel")
    scale = v.shape[0] / len(people)
    rec_v = _record(plan, "personas.visitors", len(s) + len(ev), "sessions+events", wall, cpu,
                    plan.repeat, detail=f"{len(v):,} visitors",
                    baseline={"name": "Python loop over visitors (groupby + re)",
                              "wall": bw * scale, "cpu": bc * scale,
                              "how": f"{len(people):,} visitors timed, extrapolated linearly "
                                     "by visitors; results checked equal on the sample"},
                    **_memory(plan, lambda: personas.visitors(s, ev), s, ev))

    wall, cpu, assigned = timed(lambda: personas.assign(v), plan.repeat)
    sample = v.head(min(plan.sample, len(v)))
    plist = personas.DEFAULT_PERSONAS

    def row_assign(row):
        best, best_score = "none", -1.0
        for p in plist:
            total = sum(c.weight for c in p.criteria)
            pts = 0.0
            for c in p.criteria:
                x = row[c.signal]
                if c.values is not None:
                    hit = not pd.isna(x) and x in c.values
                else:
                    hit = not pd.isna(x) and (c.low is None or x >= c.low) and (
                        c.high is None or x <= c.high)
                pts += c.weight if hit else 0.0
            if pts / total > best_score:
                best, best_score = p.name, pts / total
        return best if best_score >= 0.5 else "none"

    bw, bc, naive = timed(lambda: sample.apply(row_assign, axis=1), plan.baseline_repeat)
    mine = assigned["persona"].head(len(sample)).astype(str).to_numpy()
    _check("personas.assign and apply(axis=1)", (mine == naive.astype(str).to_numpy()).all(),
           f"{int((mine != naive.astype(str).to_numpy()).sum())} visitors differ")
    scale = len(v) / len(sample)
    rec_a = _record(plan, "personas.assign (score x3)", len(v), "visitors", wall, cpu,
                    plan.repeat,
                    baseline={"name": "df.apply(score, axis=1)", "wall": bw * scale,
                              "cpu": bc * scale,
                              "how": f"{len(sample):,} rows timed, extrapolated linearly; "
                                     "checked equal on the sample"},
                    **_memory(plan, lambda: personas.assign(v), v))
    return [rec_v, rec_a], v


# ----------------------------------------------------------------------------- rate table
_RATE_SQL = """
SELECT CASE WHEN GROUPING(channel) = 1 THEN 'Total' ELSE CAST(channel AS VARCHAR) END AS channel,
       GROUPING(channel) AS is_total,
       SUM(CAST(converted AS BIGINT)) AS conversions, COUNT(*) AS sessions
FROM sessions GROUP BY GROUPING SETS ((channel), ()) ORDER BY is_total, channel
"""
# the Wilson interval in SQL, from the counts (z passed in, as rate_table uses scipy's)
_WILSON_SQL = f"""
WITH c AS ({_RATE_SQL}),
w AS (SELECT *, CAST(conversions AS DOUBLE) / sessions AS q, CAST(sessions AS DOUBLE) AS n FROM c)
SELECT channel, conversions, sessions, q AS rate,
  CASE WHEN conversions = 0 THEN 0.0 ELSE GREATEST(0.0, LEAST(1.0,
     (q + $z*$z / (2*n)) / (1 + $z*$z / n)
     - $z * SQRT(q * (1 - q) / n + $z*$z / (4 * n * n)) / (1 + $z*$z / n))) END AS low,
  CASE WHEN conversions = sessions THEN 1.0 ELSE GREATEST(0.0, LEAST(1.0,
     (q + $z*$z / (2*n)) / (1 + $z*$z / n)
     + $z * SQRT(q * (1 - q) / n + $z*$z / (4 * n * n)) / (1 + $z*$z / n))) END AS high
FROM w ORDER BY is_total, channel
"""


def bench_rate_table(plan: Plan, frames: dict, con) -> list[dict]:
    from scipy import stats

    from helpers import conversions

    s = frames["sessions"]
    wall, cpu, table = timed(lambda: conversions.rate_table(s, "channel"), plan.repeat)
    z = float(stats.norm.isf(0.025))
    con.register("sessions", s)
    dw, dc, rows = timed(lambda: con.execute(_WILSON_SQL, {"z": z}).fetchall(), plan.repeat)
    # same groups (compared by name; the order of the groups is not part of the check)
    ref = pd.DataFrame(rows, columns=["channel", "conversions", "sessions", "rate", "low", "high"])
    mine = table.assign(channel=table["channel"].astype(str)).set_index("channel")
    ref = ref.set_index("channel")
    _check("rate_table and DuckDB (groups)", sorted(mine.index) == sorted(ref.index),
           f"{sorted(mine.index)} vs {sorted(ref.index)}")
    ref = ref.loc[mine.index]
    for col in ("conversions", "sessions"):
        _check(f"rate_table and DuckDB ({col})",
               (mine[col].to_numpy() == ref[col].to_numpy()).all(),
               f"{mine[col].tolist()} vs {ref[col].tolist()}")
    for col in ("rate", "low", "high"):
        diff = float(np.max(np.abs(mine[col].to_numpy(float) - ref[col].to_numpy(float))))
        _check(f"rate_table and DuckDB ({col})", diff <= 1e-12, f"max difference {diff:.3g}")

    # naive baseline: a Python loop over rows, then the Wilson formula per group
    sample = s[["channel", "converted"]].head(min(plan.sample * 5, len(s)))

    def row_loop():
        counts: dict = {}
        for row in sample.itertuples(index=False):
            c = counts.setdefault(row.channel, [0, 0])
            c[0] += bool(row.converted)
            c[1] += 1
        out = {}
        for ch, (x, n) in counts.items():
            q = x / n
            d = 1 + z * z / n
            centre = (q + z * z / (2 * n)) / d
            half = z * math.sqrt(q * (1 - q) / n + z * z / (4 * n * n)) / d
            out[ch] = (x, n, q, max(0.0, centre - half), min(1.0, centre + half))
        return out

    bw, bc, _ = timed(row_loop, plan.baseline_repeat)
    scale = len(s) / len(sample)
    return [_record(plan, "conversions.rate_table by channel", len(s), "sessions", wall, cpu,
                    plan.repeat,
                    baseline={"name": "Python loop over rows (itertuples)", "wall": bw * scale,
                              "cpu": bc * scale,
                              "how": f"{len(sample):,} rows timed, extrapolated linearly"},
                    duckdb={"wall": dw, "cpu": dc, "checked": "counts equal, rates within 1e-12",
                            "sql": "GROUP BY GROUPING SETS ((channel), ()) + Wilson in SQL"},
                    **_memory(plan, lambda: conversions.rate_table(s, "channel"), s))]


# ----------------------------------------------------------------------------- funnel
def _funnel_sql(steps: list[str]) -> str:
    cols = ",\n".join(f"  MIN(timestamp) FILTER (WHERE event_name = '{st}') AS t{i}"
                      for i, st in enumerate(steps))
    conds = []
    for j in range(len(steps)):
        parts = ["t0 IS NOT NULL"] + [f"t{i - 1} <= t{i}" for i in range(1, j + 1)]
        conds.append(f"COUNT(*) FILTER (WHERE {' AND '.join(parts)}) AS s{j}")
    names = ", ".join(f"'{st}'" for st in steps)
    return (f"WITH firsts AS (SELECT visitor_id,\n{cols}\nFROM events\n"
            f"WHERE visitor_id IS NOT NULL AND event_name IN ({names})\nGROUP BY visitor_id)\n"
            f"SELECT {', '.join(conds)} FROM firsts")


def _naive_funnel(ev: pd.DataFrame, steps: list[str]) -> list[int]:
    """Ordered funnel with a Python loop over people (the naive way)."""
    people = [0] * len(steps)
    for _, g in ev.groupby("visitor_id", sort=False):
        first: dict = {}
        for name, t in zip(g["event_name"].tolist(), g["timestamp"].tolist(), strict=True):
            if name in steps and (name not in first or t < first[name]):
                first[name] = t
        for j, st in enumerate(steps):
            if st not in first or (j and first[steps[j - 1]] > first[st]):
                break
            people[j] += 1
    return people


def bench_funnel(plan: Plan, frames: dict, con, *, label: str = "", events=None) -> list[dict]:
    from helpers import conversions

    ev = frames["events"] if events is None else events
    run = lambda: conversions.funnel(ev, FUNNEL_STEPS)  # noqa: E731
    wall, cpu, table = timed(run, plan.repeat)
    con.register("events", ev)
    sql = _funnel_sql(FUNNEL_STEPS)
    dw, dc, rows = timed(lambda: con.execute(sql).fetchall(), plan.repeat)
    ours = table["people"].tolist()
    _check("funnel and DuckDB (people per step)", ours == list(rows[0]), f"{ours} vs {rows[0]}")
    # naive baseline on the events of a sample of visitors, extrapolated by events
    people = ev["visitor_id"].dropna().drop_duplicates().head(plan.sample // 4)
    sample = ev[ev["visitor_id"].isin(set(people))]
    bw, bc, naive = timed(lambda: _naive_funnel(sample, FUNNEL_STEPS), plan.baseline_repeat)
    check = conversions.funnel(sample, FUNNEL_STEPS)["people"].tolist()
    _check("funnel and the per-visitor loop (sample)", check == naive, f"{check} vs {naive}")
    scale = len(ev) / len(sample)
    return [_record(plan, f"conversions.funnel, ordered{label}", len(ev), "events", wall, cpu,
                    plan.repeat, detail=" > ".join(FUNNEL_STEPS) + f"; people {ours}",
                    baseline={"name": "Python loop over visitors (groupby)", "wall": bw * scale,
                              "cpu": bc * scale,
                              "how": f"events of {len(people):,} visitors timed, extrapolated "
                                     "linearly by events; checked equal on the sample"},
                    duckdb={"wall": dw, "cpu": dc, "checked": "people per step equal",
                            "sql": "MIN(ts) FILTER per step, GROUP BY visitor, chained <="},
                    **_memory(plan, run, ev))]


# ----------------------------------------------------------------------------- leads
def qualify_row_baseline(rules, bot_visitors: pd.Series):
    """``leads.qualify``'s rules written row by row, for ``df.apply(row_ok, axis=1)``: the
    baseline both benchmarks (this module's and ``benchmarks.engines``') time against."""
    email_rx = re.compile(rules.email_pattern)
    junk = [re.compile(p) for p in rules.junk_patterns]
    bots_set = set(bot_visitors.dropna())

    def row_ok(row) -> bool:
        email = row["email"].strip() if isinstance(row["email"], str) else ""
        name = row["name"].strip().lower() if isinstance(row["name"], str) else ""
        if not email or not name or not email_rx.fullmatch(email):
            return False
        domain = email.rsplit("@", 1)[-1].lower()
        if any(domain == d or domain.endswith("." + d) for d in rules.disposable_domains):
            return False
        local = email.split("@", 1)[0].lower()
        if any(rx.search(local) or rx.search(name) for rx in junk):
            return False
        country = row["country"].strip().upper() if isinstance(row["country"], str) else ""
        if country and country not in rules.target_countries:
            return False
        return not (isinstance(row["visitor_id"], str) and row["visitor_id"] in bots_set)

    return row_ok


def bench_qualify(plan: Plan, frames: dict, bot_visitors: pd.Series) -> list[dict]:
    from helpers import leads as hl

    ld = frames["leads"]
    rules = hl.QualifyRules(target_countries=TARGET_COUNTRIES)
    run = lambda: hl.qualify(ld, rules, bot_visitors=bot_visitors)  # noqa: E731
    wall, cpu, out = timed(run, plan.repeat)
    sample = ld.head(min(plan.sample, len(ld)))
    row_ok = qualify_row_baseline(rules, bot_visitors)

    bw, bc, naive = timed(lambda: sample.apply(row_ok, axis=1), plan.baseline_repeat)
    mine = out["qualified"].head(len(sample)).to_numpy()
    _check("leads.qualify and apply(axis=1)", (mine == naive.to_numpy(bool)).all(),
           f"{int((mine != naive.to_numpy(bool)).sum())} leads differ")
    scale = len(ld) / len(sample)
    return [_record(plan, "leads.qualify", len(ld), "leads", wall, cpu, plan.repeat,
                    detail=f"{int(out['qualified'].sum()):,} qualified",
                    baseline={"name": "df.apply(rules, axis=1) with re", "wall": bw * scale,
                              "cpu": bc * scale,
                              "how": f"{len(sample):,} rows timed, extrapolated linearly; "
                                     "checked equal on the sample"},
                    **_memory(plan, run, ld))]
