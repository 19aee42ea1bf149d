"""The kit's exercises, one module per lesson: ``lesson00.py``, ``lesson01.py``...

:mod:`helpers.check` imports ``lessonNN.py`` the first time an exercise ``"N.M"`` is checked, so
a lesson's expected answers are only computed in the lesson that uses them. A lesson module
only *registers* exercises (see :func:`helpers.check.register`); it must not load data or
compute anything at import time: expected answers are no-argument functions, called when the
learner checks an answer.

Use :func:`frame` to get the kit's data inside those functions: it loads through
``helpers.data`` and keeps the frame until the file changes on disk, so that checking an answer
twice is fast and a regenerated data set is picked up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DATA_DIR", "frame"]

#: The kit's data folder (``data/`` next to the ``helpers`` package).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

_NAMES = ("sessions", "events", "leads", "answer_key")
_CACHE: dict[str, tuple[Any, pd.DataFrame]] = {}


def _folder() -> Path:
    """The data folder the expected answers are computed from (``KIT_DATA`` aware)."""
    from helpers import data

    return data.kit_data_dir()


def _load(name: str) -> pd.DataFrame:
    try:
        from helpers import data
    except ImportError:  # helpers.data not written yet: read the CSV as it is
        data = None
    loader = getattr(data, f"load_{name}", None) if data is not None else None
    if loader is not None:
        return loader()
    return pd.read_csv(_folder() / f"{name}.csv")


def frame(name: str) -> pd.DataFrame:
    """One of the kit's data files as a DataFrame: "sessions", "events", "leads", "answer_key".

    Cached until the file changes; each call returns a new shallow copy (pandas copy-on-write),
    so an expected-answer function may add columns to it without touching the cache.

    Raises
    ------
    ValueError
        For a name that is not one of the kit's files.
    """
    if name not in _NAMES:
        raise ValueError(
            f"frame(): {name!r} is not one of the kit's data files: {', '.join(_NAMES)}."
        )
    path = _folder() / f"{name}.csv"
    try:
        stat = path.stat()
        stamp: Any = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    cached = _CACHE.get(name)
    if cached is None or stamp is None or cached[0] != stamp:
        loaded = _load(name)
        _CACHE[name] = (stamp, loaded)
        cached = _CACHE[name]
    return cached[1].copy(deep=False)
