"""Benchmark data: three tiers made once by ``helpers.synth`` and cached in ``benchmarks/cache/``.

* ``100k`` and ``1M``: ``python -m helpers.synth --out benchmarks/cache/<tier> --scale N``
  (default seed 2025) writes the four CSV files (the loading benchmark reads them);
  the frames the other benchmarks use are those CSVs read by ``helpers.data.load_*``,
  cut to the columns the benchmarks need and pickled to ``frames.pkl``.
* ``10M``: never generated in one go (1M sessions take 2.7 GB at peak). Ten chunks of
  ``generate(SynthConfig(seed=2025 + c, visitors=<1M sessions' worth>))``, c = 0..9, each
  made in its own subprocess, with the chunk digit put after the id prefix
  (``s0000001`` -> ``s30000001`` in chunk 3, same for visitor ids), so ids are disjoint;
  concatenated and pickled (no CSV: nothing reads it as CSV).

Columns kept: sessions as in ``SESSION_COLS`` plus ``converted`` (the session has a
``purchase`` event), events as in ``EVENT_COLS``, leads as in ``LEAD_COLS``.
"""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(__file__).resolve().parent / "cache"
TIERS: dict[str, int] = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
CSV_TIERS = ("100k", "1M")
SEED = 2025
CHUNKS = 10

SESSION_COLS = ["session_id", "visitor_id", "started_at", "channel", "landing_page", "device",
                "country", "user_agent", "ip", "duration_s", "pageviews", "is_returning",
                "form_seconds"]
EVENT_COLS = ["visitor_id", "timestamp", "event_name", "page"]
LEAD_COLS = ["lead_id", "visitor_id", "name", "email", "country"]


def tier_dir(tier: str) -> Path:
    return CACHE / tier


def frames_path(tier: str) -> Path:
    return tier_dir(tier) / "frames.pkl"


def compact(sessions: pd.DataFrame, events: pd.DataFrame, leads: pd.DataFrame) -> dict:
    """Keep the columns the benchmarks need; add ``sessions.converted``."""
    bought = events.loc[events["event_name"] == "purchase", "session_id"].unique()
    s = sessions[SESSION_COLS].copy()
    s["converted"] = sessions["session_id"].isin(bought).to_numpy(dtype=bool)
    return {"sessions": s, "events": events[EVENT_COLS].copy(), "leads": leads[LEAD_COLS].copy()}


def _log(msg: str) -> None:
    print(f"[cache] {msg}", flush=True)


def _dump(obj, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=5)
    tmp.replace(path)


def load(tier: str) -> dict:
    """The cached frames of a tier (build them first with :func:`ensure`)."""
    with open(frames_path(tier), "rb") as fh:
        return pickle.load(fh)


# ----------------------------------------------------------------------------- CSV tiers
def _build_csv_tier(tier: str) -> None:
    from helpers import data

    folder = tier_dir(tier)
    if not (folder / "sessions.csv").exists() or not (folder / "events.csv").exists():
        _log(f"{tier}: python -m helpers.synth --out {folder} --scale {TIERS[tier]}")
        subprocess.run([sys.executable, "-m", "helpers.synth", "--out", str(folder),
                        "--scale", str(TIERS[tier]), "--seed", str(SEED)], check=True)
    if not frames_path(tier).exists():
        _log(f"{tier}: reading the CSVs with helpers.data loaders -> {frames_path(tier)}")
        frames = compact(data.load_sessions(folder / "sessions.csv"),
                         data.load_events(folder / "events.csv"),
                         data.load_leads(folder / "leads.csv"))
        _dump(frames, frames_path(tier))


# ----------------------------------------------------------------------------- 10M tier
def _prefixed(values: pd.Series, chunk: int) -> pd.Series:
    """``s0000001`` -> ``s<chunk>0000001`` (missing stays missing)."""
    return values.str[:1] + str(chunk) + values.str[1:]


def make_chunk(chunk: int, out: Path) -> None:
    """One 1M-session chunk of the 10M tier (run in its own process: ~3 GB peak)."""
    from helpers import synth

    cfg = synth.SynthConfig(seed=SEED + chunk,
                            visitors=synth._visitors_for(TIERS["1M"], synth.SynthConfig().bot_share))
    ds = synth.generate(cfg)
    frames = compact(ds.sessions, ds.events, ds.leads)
    del ds
    gc.collect()
    s, e, ld = frames["sessions"], frames["events"], frames["leads"]
    s["session_id"] = _prefixed(s["session_id"], chunk)
    ld["lead_id"] = _prefixed(ld["lead_id"], chunk)
    # visitor ids: rename the distinct ones once and share the new strings between frames
    codes, uniques = pd.factorize(s["visitor_id"])
    new = _prefixed(pd.Series(uniques, dtype="str"), chunk).to_numpy(dtype=object)
    s["visitor_id"] = pd.array(new[codes], dtype="str")
    index = pd.Index(uniques)
    for frame in (e, ld):
        pos = index.get_indexer(frame["visitor_id"])
        frame["visitor_id"] = pd.array(np.where(pos >= 0, new[pos], None), dtype="str")
    _dump(frames, out)


def _build_10m() -> None:
    folder = tier_dir("10M")
    folder.mkdir(parents=True, exist_ok=True)
    parts = [folder / f"chunk{c}.pkl" for c in range(CHUNKS)]
    todo = [c for c in range(CHUNKS) if not parts[c].exists()]
    running: list[tuple[int, subprocess.Popen, float]] = []
    while todo or running:  # two chunk processes at a time (two cores)
        while todo and len(running) < 2:
            c = todo.pop(0)
            _log(f"10M: generating chunk {c} (seed {SEED + c})")
            p = subprocess.Popen([sys.executable, "-m", "benchmarks.tiers", "--chunk", str(c),
                                  str(parts[c])])
            running.append((c, p, time.perf_counter()))
        c, p, t0 = running.pop(0)
        if p.wait() != 0:
            raise RuntimeError(f"benchmarks: generating chunk {c} of the 10M tier failed")
        _log(f"10M: chunk {c} done in {time.perf_counter() - t0:.0f} s")
    _log("10M: concatenating the chunks")
    pieces: dict[str, list] = {"sessions": [], "events": [], "leads": []}
    for path in parts:
        with open(path, "rb") as fh:
            frames = pickle.load(fh)
        for k in pieces:
            pieces[k].append(frames[k])
    frames = {k: pd.concat(v, ignore_index=True) for k, v in pieces.items()}
    del pieces
    _dump(frames, frames_path("10M"))
    for path in parts:
        path.unlink()


def ensure(tier: str) -> Path:
    """Build the tier's cache if it is not there yet; return its frames path."""
    if frames_path(tier).exists():
        return frames_path(tier)
    tier_dir(tier).mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if tier in CSV_TIERS:
        _build_csv_tier(tier)
    elif tier == "10M":
        _build_10m()
    else:
        raise ValueError(f"benchmarks: unknown tier {tier!r}; use one of {', '.join(TIERS)}")
    _log(f"{tier}: cache ready in {time.perf_counter() - t0:.0f} s")
    return frames_path(tier)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--chunk"]:
        make_chunk(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        for name in sys.argv[1:] or list(TIERS):
            ensure(name)
