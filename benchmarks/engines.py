"""Engine benchmarks: the kit's metrics on pandas, DuckDB and Spark side by side.

``python -m benchmarks.engines`` (``make bench`` runs it after the pandas tiers):

* **10M** (the cached 10M tier: ~10M sessions, ~34.5M events) written once to Parquet
  (``benchmarks/cache/10M/parquet/``); **100M** (~30M sessions, ~103M events: the 10M
  Parquet three times, each copy with its own ids, written by DuckDB without loading it
  into Python).
* Operations: the rate table of sessions by channel, the same for human sessions only
  (``bots.label`` with :data:`helpers.engines.ENGINE_RULES`, then ``rate_table``), and
  the ordered funnel page_view -> add_to_cart -> begin_checkout -> purchase by visitor.
* pandas reads the Parquet files into frames (timed apart as "load") and runs the kit's
  functions; DuckDB runs ``helpers.engines.duckdb`` with one call over the files; Spark
  (local mode, every core, a 6 GB heap) runs ``helpers.engines.spark`` over the same files (its start-up
  is timed apart). Every engine's answer is checked against pandas' (counts equal, rates
  within 1e-12) before a figure is kept.
* Each measurement runs in a fresh process; peak memory is the peak resident size of that
  process and its children (Spark's JVM), sampled every 50 ms.
* The pandas-only 10M figures the issue asks for: ``bots.label``, ``personas.visitors``
  and ``leads.qualify`` beside a row-wise ``apply`` baseline (sampled, extrapolated).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks import tiers

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
STEPS = ["page_view", "add_to_cart", "begin_checkout", "purchase"]
START, END = "<!-- engines:start -->", "<!-- engines:end -->"
PARQUET = {"coerce_timestamps": "us", "allow_truncated_timestamps": True, "index": False}


def pq_dir(tier: str) -> Path:
    return tiers.CACHE / tier / "parquet"


def glob(tier: str, table: str) -> str:
    return str(pq_dir(tier) / table / "*.parquet")


# ----------------------------------------------------------------------------- data
def prepare(tier: str) -> None:
    """Write the tier's Parquet files once (10M from the pickled frames, 100M with DuckDB)."""
    done = pq_dir(tier) / "DONE"
    if done.exists():
        return
    if tier in tiers.TIERS:  # 10M (100k and 1M for a quick try)
        tiers.ensure(tier)
        frames = tiers.load(tier)
        for table in ("sessions", "events"):
            frame = frames[table]
            (pq_dir(tier) / table).mkdir(parents=True, exist_ok=True)
            step = -(-len(frame) // 8)
            for i in range(8):  # eight files, as an export folder would hold
                frame.iloc[i * step:(i + 1) * step].to_parquet(
                    pq_dir(tier) / table / f"part-{i}.parquet", **PARQUET)
        del frames
    elif tier == "100M":
        prepare("10M")
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET temp_directory = '{tiers.CACHE / 'duckdb-tmp'}'")
        for table in ("sessions", "events"):
            (pq_dir(tier) / table).mkdir(parents=True, exist_ok=True)
            ids = ["session_id", "visitor_id"] if table == "sessions" else ["visitor_id"]
            for copy in range(3):  # each copy gets its own ids: 'v1...' -> 'vA1...'
                tag = "ABC"[copy]
                cols = ", ".join(
                    f"left({c}, 1) || '{tag}' || substr({c}, 2) AS {c}" for c in ids)
                con.execute(
                    f"COPY (SELECT * REPLACE ({cols}) FROM read_parquet('{glob('10M', table)}')) "
                    f"TO '{pq_dir(tier) / table / f'part-{copy}.parquet'}' (FORMAT parquet)")
    else:
        raise ValueError(f"engines bench: unknown tier {tier!r}")
    done.write_text("ok")


# ----------------------------------------------------------------------------- memory
def _rss_tree(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


class PeakMemory:
    """Samples the resident size of this process tree every 50 ms in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_tree(os.getpid()))
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_tree(os.getpid()))


# ----------------------------------------------------------------------------- one run
def _timed(func):
    t0, c0 = time.perf_counter(), time.process_time()
    out = func()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _frame_json(frame) -> dict:
    return json.loads(frame.to_json(orient="split", default_handler=str))


def run_one(engine: str, op: str, tier: str) -> dict:
    """One measurement, in this (fresh) process."""
    import warnings

    from scipy import stats  # noqa: F401  (imported before the clock starts, for every engine)

    from helpers import bots, conversions
    from helpers.engines import ENGINE_RULES

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    rec: dict = {"engine": engine, "op": op, "tier": tier}
    with PeakMemory() as mem:
        if engine == "pandas":
            import pandas as pd

            table = "events" if op == "funnel" else "sessions"
            cols = (["visitor_id", "timestamp", "event_name"] if op == "funnel" else
                    ["session_id", "channel", "converted"] if op == "rate_table" else None)
            frame, rec["load_wall"], rec["load_cpu"] = _timed(
                lambda: pd.read_parquet(pq_dir(tier) / table, columns=cols))
            rec["rows"] = len(frame)
            if op == "funnel":
                result, rec["wall"], rec["cpu"] = _timed(lambda: conversions.funnel(frame, STEPS))
            elif op == "rate_table":
                result, rec["wall"], rec["cpu"] = _timed(
                    lambda: conversions.rate_table(frame, "channel"))
            else:  # human rate table
                def human():
                    labelled = bots.label(frame, ENGINE_RULES)
                    return conversions.rate_table(labelled[~labelled["is_bot"].to_numpy(bool)],
                                                  "channel")
                result, rec["wall"], rec["cpu"] = _timed(human)
        elif engine == "duckdb":
            from helpers.engines import duckdb as eng

            path = glob(tier, "events" if op == "funnel" else "sessions")
            con = eng.connect(temp_directory=str(tiers.CACHE / "duckdb-tmp"))
            rec["threads"] = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
            if op == "funnel":
                result, rec["wall"], rec["cpu"] = _timed(lambda: eng.funnel(path, STEPS, con=con))
            else:
                rules = ENGINE_RULES if op == "human_rate_table" else None
                result, rec["wall"], rec["cpu"] = _timed(
                    lambda: eng.rate_table(path, by="channel", bot_rules=rules, con=con))
        elif engine == "spark":
            from helpers.engines import spark as eng

            spark, rec["start_wall"], _ = _timed(lambda: eng.session(memory="6g"))
            path = glob(tier, "events" if op == "funnel" else "sessions")
            if op == "funnel":
                result, rec["wall"], rec["cpu"] = _timed(lambda: eng.funnel(path, STEPS, spark=spark))
            else:
                rules = ENGINE_RULES if op == "human_rate_table" else None
                result, rec["wall"], rec["cpu"] = _timed(
                    lambda: eng.rate_table(path, by="channel", bot_rules=rules, spark=spark))
            spark.stop()
        else:
            raise ValueError(engine)
    rec["peak_rss"] = mem.peak
    rec["result"] = _frame_json(result)
    return rec


def run_pandas_only(tier: str) -> list[dict]:
    """bots.label, personas.visitors and leads.qualify (with its apply baseline) at ``tier``."""

    import numpy as np

    from benchmarks.workloads import TARGET_COUNTRIES, qualify_row_baseline
    from helpers import bots, leads, personas

    frames = tiers.load(tier)
    s, e, ld = frames["sessions"], frames["events"], frames["leads"]
    out = []
    with PeakMemory() as mem:
        labelled, wall, cpu = _timed(lambda: bots.label(s))
    out.append({"engine": "pandas", "op": "bots.label", "tier": tier, "rows": len(s),
                "wall": wall, "cpu": cpu, "peak_rss": mem.peak})
    humans = labelled[~labelled["is_bot"].to_numpy(bool)]
    with PeakMemory() as mem:
        _, wall, cpu = _timed(lambda: personas.visitors(humans, e))
    out.append({"engine": "pandas", "op": "personas.visitors (human sessions + events)",
                "tier": tier, "rows": len(humans), "wall": wall, "cpu": cpu, "peak_rss": mem.peak})
    bot_visitors = labelled.loc[labelled["is_bot"].to_numpy(bool), "visitor_id"].drop_duplicates()
    rules = leads.QualifyRules(target_countries=TARGET_COUNTRIES)
    with PeakMemory() as mem:
        q, wall, cpu = _timed(lambda: leads.qualify(ld, rules, bot_visitors=bot_visitors))
    row_ok = qualify_row_baseline(rules, bot_visitors)

    sample = ld.head(50_000)
    naive, bwall, bcpu = _timed(lambda: sample.apply(row_ok, axis=1))
    if not (q["qualified"].head(len(sample)).to_numpy() == naive.to_numpy(bool)).all():
        raise AssertionError("leads.qualify and the apply baseline disagree")
    scale = len(ld) / len(sample)
    out.append({"engine": "pandas", "op": "leads.qualify", "tier": tier, "rows": len(ld),
                "wall": wall, "cpu": cpu, "peak_rss": mem.peak,
                "baseline": {"name": "df.apply(rules, axis=1)", "wall": bwall * scale,
                             "cpu": bcpu * scale, "sample": len(sample)}})
    del np
    return out


# ----------------------------------------------------------------------------- checks
def check_equal(a: dict, b: dict, what: str) -> None:
    """Counts equal, rates within 1e-12 (rows matched by their first column)."""
    import numpy as np
    import pandas as pd

    fa = pd.DataFrame(**{k: a[k] for k in ("columns", "data")})
    fb = pd.DataFrame(**{k: b[k] for k in ("columns", "data")})
    key = fa.columns[0]
    fa = fa.assign(**{key: fa[key].astype(str)}).sort_values(key, ignore_index=True)
    fb = fb.assign(**{key: fb[key].astype(str)}).sort_values(key, ignore_index=True)
    if list(fa.columns) != list(fb.columns) or not fa[key].equals(fb[key]):
        raise AssertionError(f"{what}: different rows or columns")
    for c in fa.columns[1:]:
        x, y = fa[c].to_numpy(float), fb[c].to_numpy(float)
        if c in ("rate", "low", "high", "step_rate", "overall_rate", "drop_off_share"):
            ok = np.allclose(x, y, rtol=0, atol=1e-12, equal_nan=True)
        else:
            ok = np.array_equal(x, y, equal_nan=True)
        if not ok:
            raise AssertionError(f"{what}: column {c} differs: {x} vs {y}")


# ----------------------------------------------------------------------------- report
def _gb(x) -> str:
    return "" if not x else f"{x / 2**30:.1f} GiB"


def _s(x) -> str:
    return "" if x is None else (f"{x:.2f}" if x < 100 else f"{x:,.0f}")


def report(records: list[dict], info: dict) -> str:
    lines = [START, "## Engines: pandas, DuckDB and Spark side by side", "",
             f"Made by `python -m benchmarks.engines` on {info['date']} (load averages "
             f"{info['load_before']} -> {info['load_after']}); each row is one fresh process. "
             "Wall and CPU seconds of the operation alone; pandas' Parquet load and Spark's "
             "start-up are shown apart. Peak memory: the peak resident size of the process "
             "and its children (Spark's JVM), including the input frames pandas holds. Every engine's answer equals pandas' (counts "
             "exactly, rates within 1e-12), checked before the figure was kept.", "",
             "| tier | operation | rows | engine | wall s | CPU s | x pandas (wall) | "
             "pandas load s / Spark start s | peak memory |",
             "|---|---|---|---|---|---|---|---|---|"]
    base = {(r["tier"], r["op"]): r for r in records if r["engine"] == "pandas" and "error" not in r}
    for r in records:
        if "error" in r:
            lines.append(f"| {r['tier']} | {r['op']} | | {r['engine']} | not run: {r['error']} | | | | |")
            continue
        p = base.get((r["tier"], r["op"]))
        ratio = f"{r['wall'] / p['wall']:.2f}x" if p and r["engine"] != "pandas" else ""
        if r.get("baseline"):
            b = r["baseline"]
            ratio = f"apply baseline {b['cpu']:.1f} s CPU: {b['cpu'] / r['cpu']:.0f}x faster"
        extra = _s(r.get("load_wall")) if "load_wall" in r else _s(r.get("start_wall"))
        rows = f"{r['rows']:,}" if isinstance(r.get("rows"), int) else ""
        lines.append(f"| {r['tier']} | {r['op']} | {rows} | {r['engine']} | {_s(r['wall'])} | "
                     f"{_s(r['cpu'])} | {ratio} | {extra} | {_gb(r.get('peak_rss'))} |")
    lines += ["", info.get("notes", ""), END]
    return "\n".join(lines)


def restore(path: Path = RESULTS) -> None:
    """Put the section of the last engines run (``cache/engines.json``) back into ``path``."""
    saved = tiers.CACHE / "engines.json"
    if saved.exists():
        got = json.loads(saved.read_text())
        notes = RESULTS.parent / "ENGINES_NOTES.md"
        got["info"]["notes"] = notes.read_text() if notes.exists() else ""
        write(report([{k: v for k, v in r.items() if k != "result"} for r in got["records"]],
                     got["info"]), path)


def write(section: str, path: Path = RESULTS) -> None:
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def _available() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


# ----------------------------------------------------------------------------- main
PLAN = [  # (engine, op, tier)
    *[(e, op, t) for t in ("100k", "1M", "10M") for op in ("rate_table", "human_rate_table", "funnel")
      for e in ("pandas", "duckdb", "spark")],
    *[(e, op, "100M") for op in ("rate_table", "funnel") for e in ("pandas", "duckdb")],
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.engines", description=__doc__.split("\n")[0])
    p.add_argument("--tiers", default="10M,100M", help="10M, 100M or both (default)")
    p.add_argument("--engines", default="pandas,duckdb,spark")
    p.add_argument("--no-pandas-only", action="store_true", help="skip bots/personas/qualify at 10M")
    p.add_argument("--one", nargs=3, metavar=("ENGINE", "OP", "TIER"), help=argparse.SUPPRESS)
    p.add_argument("--pandas-only", metavar="TIER", help=argparse.SUPPRESS)
    p.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.one or a.pandas_only:
        got = run_one(*a.one) if a.one else run_pandas_only(a.pandas_only)
        a.json.write_text(json.dumps(got, default=str))
        return 0
    chosen = [t.strip() for t in a.tiers.split(",") if t.strip()]
    engines = [e.strip() for e in a.engines.split(",")]
    info = {"load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    records: list[dict] = []
    status = 0
    for tier in chosen:  # tier by tier, the report rewritten after each: a stopped run keeps its figures
        print(f"[engines] preparing the {tier} Parquet files", flush=True)
        t0 = time.perf_counter()
        prepare(tier)
        info[f"prepare_{tier}_s"] = round(time.perf_counter() - t0)
        jobs = [(e, op, t) for e, op, t in PLAN if t == tier and e in engines]
        if not a.no_pandas_only and tier in tiers.TIERS:
            jobs.insert(0, ("pandas-only", "", tier))
        for engine, op, _ in jobs:
            out = tiers.CACHE / f"engine-{engine}-{op}-{tier}.json"
            cmd = ([sys.executable, "-m", "benchmarks.engines", "--pandas-only", tier]
                   if engine == "pandas-only"
                   else [sys.executable, "-m", "benchmarks.engines", "--one", engine, op, tier])
            if engine == "pandas" and tier == "100M" and _available() < 16 * 2**30:
                records.append({"engine": engine, "op": op, "tier": tier,
                                "error": f"skipped: {_available() / 2**30:.0f} GiB free (needs 16)"})
                continue
            print(f"[engines] {engine} {op} {tier} ...", flush=True)
            t0 = time.perf_counter()
            code = subprocess.run([*cmd, "--json", str(out)]).returncode
            if code or not out.exists():
                status = 1
                records.append({"engine": engine, "op": op, "tier": tier,
                                "error": f"exit {code}, see the log"})
                continue
            got = json.loads(out.read_text())
            records += got if isinstance(got, list) else [got]
            print(f"[engines] done in {time.perf_counter() - t0:.0f} s", flush=True)
        _finish(records, info)
    return status


def _finish(records: list[dict], info: dict) -> None:
    """Check every engine's answer against pandas', then save and write the report."""
    pandas = {(r["tier"], r["op"]): r for r in records if r["engine"] == "pandas" and "result" in r}
    for r in records:
        if r["engine"] in ("duckdb", "spark") and "result" in r and (r["tier"], r["op"]) in pandas:
            check_equal(r["result"], pandas[(r["tier"], r["op"])]["result"],
                        f"{r['engine']} {r['op']} {r['tier']}")
            r["checked"] = True
    info["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    notes = RESULTS.parent / "ENGINES_NOTES.md"
    info["notes"] = notes.read_text() if notes.exists() else ""
    (tiers.CACHE / "engines.json").write_text(json.dumps({"info": info, "records": records}, default=str))
    write(report([{k: v for k, v in r.items() if k != "result"} for r in records], info))
    print(report(records, info))


if __name__ == "__main__":
    sys.exit(main())
