"""``write``: the kit's CSV format (stable and byte-reproducible)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import SCHEMAS, Dataset

# --------------------------------------------------------------------------- writing
_DECIMALS = {"duration_s": 1, "form_seconds": 1, "value": 2, "first_order_value": 2}


@lru_cache(maxsize=1)
def _clock() -> np.ndarray:
    """'THH:MM:SSZ' for every second of a day (built once)."""
    second = np.arange(86400)
    return np.array([f"T{hour:02d}:{minute:02d}:{sec:02d}Z" for hour, minute, sec in
                     zip(second // 3600, second // 60 % 60, second % 60, strict=True)],
                    dtype=object)


def _timestamp_text(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    """ISO-8601 UTC with ``Z``, whole seconds (dates formatted once per distinct day)."""
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    day, second_of_day = np.divmod(np.where(missing, 0, naive.astype(np.int64)), 86400)
    days, inverse = np.unique(day, return_inverse=True)
    dates = np.datetime_as_string((days * 86400).astype("datetime64[s]"), unit="D")
    return dates.astype(object)[inverse] + _clock()[second_of_day]


def _float_text(values: pd.Series, missing: np.ndarray, decimals: int) -> np.ndarray:
    """Fixed decimals, no exponent, computed on integers so it never rounds differently."""
    number = np.where(missing, 0.0, values.to_numpy(dtype=float, na_value=np.nan))
    scaled = np.round(np.abs(number) * 10**decimals).astype(np.int64)
    whole, fraction = np.divmod(scaled, 10**decimals)
    sign = np.where(number < 0, "-", "").astype(object)
    fraction_text = np.strings.zfill(fraction.astype(f"U{decimals}"), decimals).astype(object)
    return sign + whole.astype(str).astype(object) + "." + fraction_text


def _text(column, values: pd.Series) -> np.ndarray:
    """One column as an object array of CSV field strings ('' when missing)."""
    missing = values.isna().to_numpy(dtype=bool)
    if len(values) == 0:
        return np.zeros(0, dtype=object)
    if column.kind == "timestamp":
        text = _timestamp_text(values, missing)
    elif column.kind == "float":
        text = _float_text(values, missing, _DECIMALS.get(column.name, 2))
    elif column.kind in ("int", "Int"):
        text = np.where(missing, 0, values.to_numpy(dtype=float, na_value=0)).astype(
            np.int64).astype(str).astype(object)
    elif column.kind == "bool":
        text = np.where(values.to_numpy(dtype=bool), "True", "False").astype(object)
    elif column.kind == "category":
        codes = values.cat.codes.to_numpy()
        text = np.array((*map(str, values.cat.categories), ""), dtype=object)[codes]
    else:
        text = values.to_numpy(dtype=object, na_value="")
    if missing.any():
        text = np.where(missing, "", text)
    return text


def write(dataset: Dataset, folder: str | Path) -> dict[str, Path]:
    """Write a dataset as the kit's four CSV files (stable, byte-reproducible format).

    Parameters
    ----------
    dataset : Dataset
        From ``generate`` (or ``helpers.data.load_all``).
    folder : str or Path
        Where to write; created if needed. Nothing is written anywhere else.

    Returns
    -------
    dict
        ``name -> path`` of the files written.

    Examples
    --------
    >>> import tempfile
    >>> from helpers.synth import SynthConfig, generate
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write(generate(SynthConfig(visitors=100, days=7)), tmp)
    ...     sorted(p.name for p in paths.values())
    ['answer_key.csv', 'events.csv', 'leads.csv', 'sessions.csv']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for frame in ("sessions", "events", "leads", "answer_key"):
        table = getattr(dataset, frame)
        columns = [column for column in SCHEMAS[frame] if column.name in table.columns]
        texts = [_text(column, table[column.name]) for column in columns]
        path = folder / f"{frame}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column.name for column in columns])
            writer.writerows(zip(*texts, strict=True))
        paths[frame] = path
    return paths


def write_spend(spend_table: pd.DataFrame, folder: str | Path) -> Path:
    """Write the spend table (``helpers.synth.spend``) as ``spend.csv``: ``date``,
    ``channel``, ``clicks``, ``spend`` with two decimals, stable bytes."""
    path = Path(folder) / "spend.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = pd.DataFrame({
        "date": spend_table["date"].astype(str),
        "channel": spend_table["channel"].astype(str),
        "clicks": spend_table["clicks"].astype("int64").astype(str),
        "spend": _float_text(spend_table["spend"], np.zeros(len(spend_table), dtype=bool), 2),
    })
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(text.columns))
        writer.writerows(text.itertuples(index=False, name=None))
    return path
