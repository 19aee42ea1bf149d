"""``python -m helpers.synth``: the command line, with one-line errors for bad arguments."""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

from helpers.synth.config import SynthConfig
from helpers.synth.forms import forms, write_forms
from helpers.synth.generator import generate
from helpers.synth.networks import networks, write_networks
from helpers.synth.nurture import nurture, write_nurture
from helpers.synth.spend import spend
from helpers.synth.writer import write, write_spend


# ------------------------------------------------------------------- command line
def _visitors_for(sessions: int, bot_share: float) -> int:
    """Human visitors that give about ``sessions`` sessions in all (28-day window).

    Visits per visitor: stumbled 0.63 x (1 + 0.08), loyal 0.06 x (1 + 3), potential buyers
    0.31 x (1 + 1), typed out from ``SEGMENTS``' visitor shares and ``RETURN_VISITS`` (update
    them together). It assumes 28 days: with ``--days 10`` ``--scale 5000`` makes ~3,900.
    """
    per_visitor = 0.63 * 1.08 + 0.06 * 4.0 + 0.31 * 2.0
    return max(10, round(sessions * (1 - bot_share) / per_visitor))


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number, got {text!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number
    return parse


def _bot_share(text: str) -> float:
    """An argparse type: a share of sessions between 0 and 0.9."""
    try:
        share = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a share between 0 and 0.9, like 0.22, got {text!r}") from None
    if not (math.isfinite(share) and 0 <= share <= 0.9):
        raise argparse.ArgumentTypeError(
            f"must be a share between 0 and 0.9, like 0.22 (not a percentage), got {text}")
    return share


def _output_folder(text: str) -> Path:
    """An argparse type: a folder that exists or can be made, and can be written to."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder, like data or my_cohort")
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    existing = next(parent for parent in (folder, *folder.parents) if parent.exists())
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"cannot make {text}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write to {existing} (permission denied)")
    return folder


def _argument_parser() -> argparse.ArgumentParser:
    """The command line's options; defaults come from ``SynthConfig``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.synth",
                                     description="Generate the kit's synthetic data as CSV.")
    default = SynthConfig()
    parser.add_argument("--out", required=True, type=_output_folder,
                        help="folder to write the four CSV files to")
    parser.add_argument("--seed", type=_whole_number(0), default=default.seed)
    parser.add_argument("--start", default=default.start, help="first day, YYYY-MM-DD (UTC)")
    parser.add_argument("--days", type=_whole_number(1), default=default.days)
    parser.add_argument("--visitors", type=_whole_number(10), default=default.visitors,
                        help="human visitors")
    parser.add_argument("--bot-share", type=_bot_share, default=default.bot_share)
    parser.add_argument("--scale", type=_whole_number(1), default=None, metavar="SESSIONS",
                        help="about this many sessions (overrides --visitors), for benchmarks")
    parser.add_argument("--ga4", type=Path, default=None, metavar="FILE",
                        help="also write the traffic as a GA4 BigQuery export "
                             "(.json/.jsonl or .parquet; read it with data.from_ga4)")
    parser.add_argument("--access-log", type=Path, default=None, metavar="FILE",
                        help="also write the traffic as a combined-format web server log "
                             "(read it with data.from_access_log)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.synth --out data [--seed ... --scale N]``.

    ``--ga4 FILE`` and ``--access-log FILE`` also write the generated traffic as a GA4
    BigQuery export and as a web server log (:mod:`helpers.exports`).

    Bad arguments end with argparse's one-line error (exit status 2), never a traceback.
    """
    parser = _argument_parser()
    arguments = parser.parse_args(argv)
    visitors = (_visitors_for(arguments.scale, arguments.bot_share) if arguments.scale
                else arguments.visitors)
    try:
        config = SynthConfig(seed=arguments.seed, start=arguments.start, days=arguments.days,
                             visitors=visitors, bot_share=arguments.bot_share)
    except ValueError as exc:
        parser.error(str(exc))
    began = time.perf_counter()
    try:
        dataset = generate(config)
    except MemoryError:
        parser.error(f"not enough memory for {visitors:,} visitors over {config.days} days; "
                     "use fewer --visitors, a smaller --scale or fewer --days")
    generated = time.perf_counter() - began
    try:
        paths = write(dataset, arguments.out)
        paths["spend"] = write_spend(
            spend(dataset.sessions, config.seed, config.start, config.days), arguments.out)
        paths["networks"] = write_networks(networks(), arguments.out)
        paths["forms"] = write_forms(forms(), arguments.out)
        paths["nurture"] = write_nurture(
            nurture(dataset.leads, config.seed, config.start, config.days), arguments.out)
        if arguments.ga4 is not None or arguments.access_log is not None:
            from helpers import exports  # the kit's traffic in the formats analysts meet

            if arguments.ga4 is not None:
                paths["ga4"] = exports.to_ga4(dataset, arguments.ga4)
            if arguments.access_log is not None:
                paths["access_log"] = exports.to_access_log(dataset, arguments.access_log)
    except OSError as exc:
        parser.error(f"cannot write to {arguments.out}: {exc.strerror or exc}")
    written = time.perf_counter() - began - generated
    megabytes = sum(path.stat().st_size for path in paths.values()) / 1e6
    print(f"{len(dataset.sessions):,} sessions, {len(dataset.events):,} events, "
          f"{len(dataset.leads):,} leads -> {arguments.out} ({megabytes:.1f} MB; generated in "
          f"{generated:.1f} s, written in {written:.1f} s)")
    return 0
