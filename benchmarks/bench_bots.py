"""Benchmark of ``helpers.bots.label`` against row-by-row ``crawleruseragents.is_crawler``.

Two workloads of ``n`` sessions (default one million), user agents drawn from real pools
(fake_useragent's browser strings and crawler-user-agents' example crawlers, ~15% bots):

* ``few``: about 5,000 distinct agents, the usual shape of web traffic;
* ``distinct``: every agent different (each real string gets a unique build number),
  the worst case for a per-distinct-agent design.

``label()`` runs with every behaviour rule on (median of 3 runs). The baseline maps
``is_crawler`` over the rows; it is timed (median of 3, after a warm-up call that compiles
its patterns) on a sample of ``baseline_rows`` rows and extrapolated linearly to ``n``
(it works row by row with no caching, so its cost is linear in rows).

Run ``python -m benchmarks.bench_bots [n]`` (from the kit folder) or call :func:`run`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

BOT_SHARE = 0.15
DISTINCT_FEW = 5_000


def _pools() -> tuple[list[str], list[str]]:
    import crawleruseragents
    import fake_useragent

    path = Path(fake_useragent.__file__).parent / "data" / "browsers.jsonl"
    with path.open(encoding="utf-8") as handle:
        browsers = sorted({json.loads(line)["useragent"] for line in handle})
    crawlers = sorted(
        {i for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA for i in d["instances"]}
    )
    return browsers, crawlers


def _sessions(agents: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(agents)
    start = pd.Timestamp("2025-03-01", tz="UTC")
    return pd.DataFrame(
        {
            "session_id": pd.Series([f"s{i:07d}" for i in range(n)], dtype="str"),
            "visitor_id": pd.Series(
                [f"v{i:06d}" for i in rng.integers(0, n // 3 + 1, n)], dtype="str"
            ),
            "ip": pd.Series([f"198.51.100.{i}" for i in rng.integers(0, 256, n)], dtype="str"),
            "started_at": start + pd.to_timedelta(rng.integers(0, 28 * 86400, n), unit="s"),
            "landing_page": pd.Series(
                rng.choice(["/", "/blog", "/shop", "/guide", "/contact"], n), dtype="str"
            ),
            "user_agent": pd.Series(agents, dtype="str"),
            "duration_s": rng.exponential(90.0, n).round(1),
            "pageviews": rng.integers(1, 9, n),
            "form_seconds": np.where(rng.random(n) < 0.05, rng.exponential(30.0, n), np.nan),
        }
    )


def build(n: int, *, distinct: bool, seed: int = 7) -> pd.DataFrame:
    """Sessions with ~5,000 distinct agents, or with all agents distinct."""
    rng = np.random.default_rng(seed)
    browsers, crawlers = _pools()
    if distinct:
        is_bot = rng.random(n) < BOT_SHARE
        base = np.where(
            is_bot,
            np.array(crawlers, dtype=object)[rng.integers(0, len(crawlers), n)],
            np.array(browsers, dtype=object)[rng.integers(0, len(browsers), n)],
        )
        agents = np.array([f"{a} build/{i:07d}" for i, a in enumerate(base)], dtype=object)
    else:
        n_bot = int(DISTINCT_FEW * BOT_SHARE)
        n_human = DISTINCT_FEW - n_bot
        human = [
            f"{b} build/{i}" if i >= len(browsers) else b
            for i, b in enumerate(browsers * (n_human // len(browsers) + 1))
        ][:n_human]
        bot = [
            f"{c} build/{i}" if i >= len(crawlers) else c
            for i, c in enumerate(crawlers * (n_bot // len(crawlers) + 1))
        ][:n_bot]
        is_bot = rng.random(n) < BOT_SHARE
        agents = np.where(
            is_bot,
            np.array(bot, dtype=object)[rng.integers(0, len(bot), n)],
            np.array(human, dtype=object)[rng.integers(0, len(human), n)],
        )
    return _sessions(agents, rng)


def _time(func, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``repeat`` calls.

    CPU time (this process only) is reported too because the machines the kit runs on
    are often shared: other processes inflate wall-clock time, not CPU time.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def run(n: int = 1_000_000, *, repeat: int = 3, baseline_rows: int = 20_000) -> dict:
    """Time label() and the row-by-row baseline on both workloads; return the figures.

    Returns
    -------
    dict
        ``{"n": n, "few": {...}, "distinct": {...}}``, each with ``distinct_agents``,
        ``label_s`` (median wall-clock), ``label_cpu_s`` (median CPU time of this
        process), ``baseline_s`` (extrapolated), ``baseline_rows_timed``,
        ``baseline_cpu_s`` (extrapolated CPU time), ``speedup`` (wall-clock) and ``bots``
        (sessions flagged).
    """
    import crawleruseragents

    from helpers import bots

    bots.label(build(2_000, distinct=False).head(50))  # build the matcher once (lazy)
    figures: dict = {"n": n}
    for name, distinct in (("few", False), ("distinct", True)):
        sessions = build(n, distinct=distinct)
        label_s, label_cpu_s = _time(lambda s=sessions: bots.label(s), repeat)
        flagged = int(bots.label(sessions)["is_bot"].sum())
        sample = sessions["user_agent"].head(min(baseline_rows, n)).tolist()
        crawleruseragents.is_crawler("warm-up")  # compiles its patterns on first use
        sample_s, sample_cpu_s = _time(
            lambda a=sample: [crawleruseragents.is_crawler(x) for x in a], repeat)
        baseline_s = sample_s * n / len(sample)
        figures[name] = {
            "distinct_agents": int(sessions["user_agent"].nunique()),
            "label_s": round(label_s, 3),
            "label_cpu_s": round(label_cpu_s, 3),
            "baseline_s": round(baseline_s, 2),
            "baseline_cpu_s": round(sample_cpu_s * n / len(sample), 2),
            "baseline_rows_timed": len(sample),
            "speedup": round(baseline_s / label_s, 1),
            "bots": flagged,
        }
    return figures


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1_000_000
    figures = run(n)
    print(f"bots.label() on {n:,} sessions (median of 3; all behaviour rules on)")
    print(
        "baseline: crawleruseragents.is_crawler mapped over the rows, timed on "
        f"{figures['few']['baseline_rows_timed']:,} rows and extrapolated linearly"
    )
    for name, title in (("few", "~5k distinct agents"), ("distinct", "all agents distinct")):
        f = figures[name]
        print(
            f"  {title:<22} {f['distinct_agents']:>9,} distinct  label {f['label_s']:7.3f} s"
            f" (cpu {f['label_cpu_s']:.3f} s)"
            f"  baseline ~{f['baseline_s']:8.1f} s  speed-up {f['speedup']:7.1f}x"
            f"  flagged {f['bots']:,}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
