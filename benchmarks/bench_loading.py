"""Loading with full validation beside the bare pyarrow CSV reader, on the same files.

``python -m benchmarks.bench_loading [--folder benchmarks/cache/1m] [--repeat 3]``

For each kit file it times ``helpers.data.load_*`` (read through pyarrow, every column
typed, every check run) and ``pd.read_csv(path, engine="pyarrow")`` (the bare reader, no
types beyond what it infers, no checks), medians of ``--repeat`` runs of wall-clock and CPU
time, and prints the ratio. Target (issue 20): ratio <= 1.5 at 1M sessions / 3.4M events.
Make the folder with ``python -m helpers.synth --scale 1000000 --out benchmarks/cache/1m``.
``run(folder, repeat)`` returns the records for ``make bench`` (``benchmarks.run``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

from helpers import data

TARGET = 1.5
LOADERS = (("sessions.csv", "data.load_sessions", data.load_sessions),
           ("events.csv", "data.load_events", data.load_events),
           ("leads.csv", "data.load_leads", data.load_leads))


def _timed(fn, repeat: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        del out
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def run(folder: str | Path, repeat: int = 3) -> list[dict]:
    """Time every loader beside ``pd.read_csv(engine="pyarrow")``; one record per file."""
    folder = Path(folder)
    records = []
    for name, op, loader in LOADERS:
        path = folder / name
        bw, bc, bare = _timed(lambda p=path: pd.read_csv(p, engine="pyarrow"), repeat)
        del bare
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", data.UnmappedValuesWarning)
            lw, lc, frame = _timed(lambda p=path, f=loader: f(p), repeat)
        records.append({"op": op, "file": name, "rows": len(frame), "wall": lw, "cpu": lc,
                        "bare_wall": bw, "bare_cpu": bc, "ratio_wall": lw / bw,
                        "ratio_cpu": lc / bc})
        del frame
    return records


def table(records: list[dict]) -> str:
    lines = ["| loader | rows | load + validate (s, wall / CPU) | pd.read_csv(engine='pyarrow') "
             "(s, wall / CPU) | ratio wall / CPU |", "|---|---:|---:|---:|---:|"]
    for r in records:
        lines.append(f"| `{r['op']}` | {r['rows']:,} | {r['wall']:.2f} / {r['cpu']:.2f} | "
                     f"{r['bare_wall']:.2f} / {r['bare_cpu']:.2f} | "
                     f"{r['ratio_wall']:.2f} / {r['ratio_cpu']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_loading",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="benchmarks/cache/1m",
                        help="folder with sessions.csv, events.csv, leads.csv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not (Path(args.folder) / "sessions.csv").exists():
        print(f"bench_loading: no sessions.csv in {args.folder}. Make it with: python -m "
              f"helpers.synth --scale 1000000 --out {args.folder}", file=sys.stderr)
        return 2
    records = run(args.folder, args.repeat)
    print(table(records))
    worst = max(r["ratio_wall"] for r in records)
    print(f"worst ratio {worst:.2f} (target <= {TARGET})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
