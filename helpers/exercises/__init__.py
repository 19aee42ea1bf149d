"""The kit's exercises, one module per lesson: ``lesson00.py``, ``lesson01.py``...

:mod:`helpers.check` imports ``lessonNN.py`` the first time an exercise ``"N.M"`` is checked, so
a lesson's expected answers are only computed in the lesson that uses them. A lesson module
only *registers* exercises (see :func:`helpers.check.register`); it must not load data or
compute anything at import time: expected answers are no-argument functions, called when the
learner checks an answer, and they compute through the domain modules (``traffic``, ``bots``,
``leads``, ``pipeline``...), never through ``helpers.explorers``.

One cache serves every lesson, keyed on the data files: :func:`frame` gives one of the kit's
files as a DataFrame, :func:`derived` (or the :func:`cached` decorator) keeps anything computed
from them. Both are recomputed as soon as a data file changes on disk (a regenerated data set,
or ``KIT_DATA`` pointing somewhere else), so checking an answer twice is fast and never stale.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

__all__ = ["DATA_DIR", "cached", "data_folder", "data_stamp", "derived", "frame"]

#: The kit's data folder in the source tree (``data/`` next to the ``helpers`` package).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"

_NAMES = ("sessions", "events", "leads", "answer_key")
_T = TypeVar("_T")

#: The one derived-data cache: key -> (data stamp, value).
_CACHE: dict[Hashable, tuple[Any, Any]] = {}


def data_folder() -> Path:
    """The folder the kit's data is read from (``helpers.data``'s choice)."""
    from helpers import data

    return data.kit_data_dir()


def data_stamp() -> tuple[Any, ...]:
    """Changes whenever one of the kit's data files changes on disk (or the folder does)."""
    folder = data_folder()
    stamp: list[Any] = [str(folder)]
    for name in _NAMES:
        try:
            stat = (folder / f"{name}.csv").stat()
            stamp.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


def derived(key: Hashable, compute: Callable[[], _T]) -> _T:
    """``compute()``, kept under ``key`` until a data file changes.

    Parameters
    ----------
    key : hashable
        Names the value, e.g. ``("lesson03", "visitors")``; include every argument the value
        depends on.
    compute : callable
        Makes the value from the data; called again after a data file changes.
    """
    stamp = data_stamp()
    kept = _CACHE.get(key)
    if kept is None or kept[0] != stamp:
        kept = (stamp, compute())
        _CACHE[key] = kept
    return kept[1]


def cached(function: Callable[..., _T]) -> Callable[..., _T]:
    """Decorator: :func:`derived` for a function of hashable arguments (one entry per call).

    A wrong answer runs several diagnoses, each needing the same tables; the learner should
    get the feedback at once.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        return derived(key, lambda: function(*args, **kwargs))

    return wrapper


def _load(name: str) -> pd.DataFrame:
    from helpers import data

    return getattr(data, f"load_{name}")(data_folder() / f"{name}.csv")


def frame(name: str) -> pd.DataFrame:
    """One of the kit's data files as a DataFrame: "sessions", "events", "leads", "answer_key".

    Cached until a file changes; each call returns a new shallow copy (pandas copy-on-write),
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
    return derived(("file", name), lambda: _load(name)).copy(deep=False)
