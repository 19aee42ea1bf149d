"""What two bot thresholds cost and buy: lesson 02's trade-off, one function per question.

A bot filter's behaviour rules have thresholds (``BotRules.max_pages_per_minute``,
``BotRules.fast_form_seconds``). Strict thresholds catch more bots and remove more people;
loose ones leave bots in, and bots distort every rate. :func:`tradeoff` answers, for one
pair of thresholds: what the filter removes, how well (precision and recall against the
answer key, :func:`helpers.metrics.scores`) and what conversion rate it leaves.
:func:`inputs` judges once what no threshold changes, so each :func:`tradeoff` takes
milliseconds; :func:`sweep` tries a range of one threshold.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._frames import need_rows, need_table, need_times, need_unique
from .bots import BotRules, label
from .formatting import percent
from .metrics import scores

__all__ = ["RANGES", "Tradeoff", "inputs", "sweep", "tradeoff"]


#: The thresholds :func:`tradeoff` moves, with the values lesson 02 tries.
RANGES: dict[str, np.ndarray] = {
    "fast_form_seconds": np.arange(0.5, 12.01, 0.5),
    "max_pages_per_minute": np.arange(5, 61, 5),
}


def inputs(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    events: pd.DataFrame,
    *,
    conversion: str = "newsletter_signup",
    rules: BotRules | None = None,
) -> pd.DataFrame:
    """What :func:`tradeoff` needs, computed once: the part no threshold changes.

    The user-agent layer and the behaviour rules that do not move (``too_fast``,
    ``schedule``) are judged here, once, with :func:`helpers.bots.label`. Each call of
    :func:`tradeoff` then re-runs only the two rules it changes (pages per
    minute, fast form) on the few columns kept here, which takes milliseconds.

    Parameters
    ----------
    sessions : DataFrame
        The sessions, with the columns :func:`helpers.bots.label` needs (``session_id``, ``user_agent``,
        ``duration_s``, ``pageviews``, ``form_seconds``, ``started_at``, ``landing_page``,
        ``visitor_id`` or ``ip``).
    answer_key : DataFrame
        ``session_id`` and ``segment``: the truth, used only to grade the filter.
    events : DataFrame
        ``session_id`` and ``event_name``.
    conversion : str, default "newsletter_signup"
        The event whose rate per session is followed: the share of kept sessions with at
        least one such event.
    rules : BotRules, optional
        Thresholds of the fixed rules (``BotRules()`` by default). Its
        ``max_pages_per_minute`` and ``fast_form_seconds`` are where the thresholds start.

    Returns
    -------
    DataFrame
        One row per session, in the order of ``sessions``: ``session_id``, ``duration_s``,
        ``pageviews``, ``form_seconds``, ``fixed_bot`` (flagged by the rules that do not
        move), ``truth_bot`` (a bot in the answer key) and ``converted``. ``attrs`` holds
        ``conversion`` and ``rules``.

    Raises
    ------
    KeyError
        When a frame lacks a column.
    ValueError
        When no event is named ``conversion``, or sessions are missing from the answer key.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "session_id": ["a", "b", "c"],
    ...     "user_agent": ["Mozilla/5.0 (compatible; Googlebot/2.1; "
    ...                    "+http://www.google.com/bot.html)", "Mozilla/5.0 (Windows NT 10.0; "
    ...                    "Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0", "Mozilla/5.0 "
    ...                    "(Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0"],
    ...     "duration_s": [3.0, 120.0, 40.0], "pageviews": [1, 4, 1],
    ...     "form_seconds": [None, 25.0, 1.2]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c"], "segment": ["bot", "stumbled", "bot"]})
    >>> e = pd.DataFrame({"session_id": ["b", "c"], "event_name": ["newsletter_signup"] * 2})
    >>> rules = BotRules(schedule_min_sessions=None)
    >>> inputs(s, k, e, rules=rules)[["session_id", "fixed_bot", "truth_bot", "converted"]]
      session_id  fixed_bot  truth_bot  converted
    0          a       True       True      False
    1          b      False      False       True
    2          c      False       True       True
    """
    func = "inputs"
    rules = BotRules() if rules is None else rules
    if not isinstance(rules, BotRules):
        raise TypeError(f"{func}(): rules must be a bots.BotRules; got {type(rules).__name__}.")
    need_table(func, "sessions", sessions, ("session_id", "duration_s", "pageviews", "form_seconds"))
    need_table(func, "answer_key", answer_key, ("session_id", "segment"))
    if "started_at" in sessions.columns:
        need_times(func, "sessions", sessions, ["started_at"])
    need_unique(func, "sessions", sessions, "session_id")
    need_table(func, "events", events, ("session_id", "event_name"))
    names = events["event_name"].astype("string")
    is_conversion = names.eq(conversion).fillna(False).to_numpy(dtype=bool)
    if not is_conversion.any():
        known = ", ".join(sorted(names.dropna().unique()))
        raise ValueError(f"{func}(): no event is named {conversion!r}. Events: {known}.")

    fixed_rules = dataclasses.replace(rules, max_pages_per_minute=None, fast_form_seconds=None)
    fixed = label(sessions, fixed_rules)["is_bot"].to_numpy(dtype=bool)

    ids = sessions["session_id"].astype("string").to_numpy()
    key = pd.Series(
        answer_key["segment"].astype("string").to_numpy(),
        index=answer_key["session_id"].astype("string").to_numpy(),
    )
    segment = key[~key.index.duplicated()].reindex(ids)
    if segment.isna().any():
        absent = ids[segment.isna().to_numpy()]
        raise ValueError(
            f"{func}(): {len(absent)} session(s) are not in the answer key, e.g. "
            f"{list(absent[:3])}. Use the answer key of the same data set."
        )
    converted = pd.Series(ids).isin(events.loc[is_conversion, "session_id"].astype("string"))
    inputs = pd.DataFrame(
        {
            "session_id": ids,
            "duration_s": sessions["duration_s"].to_numpy(),
            "pageviews": sessions["pageviews"].to_numpy(),
            "form_seconds": sessions["form_seconds"].to_numpy(),
            "fixed_bot": fixed,
            "truth_bot": segment.eq("bot").to_numpy(dtype=bool),
            "converted": converted.to_numpy(dtype=bool),
        }
    )
    inputs.attrs.update(conversion=conversion, rules=rules)
    return inputs


@dataclasses.dataclass(frozen=True)
class Tradeoff(Mapping):
    """What two bot thresholds remove, how well, and the conversion rate they leave.

    Built by :func:`tradeoff`. Also a read-only mapping of its fields, so
    ``result["rate"]`` works and a list of them makes a DataFrame.

    Attributes
    ----------
    max_pages_per_minute, fast_form_seconds : float or None
        The two thresholds (None: the rule is off).
    sessions, removed, kept : int
        All sessions, those flagged, those kept (``kept + removed == sessions``).
    precision, recall, f1 : float
        The filter graded against the answer key (:func:`helpers.metrics.scores`).
    false_alarms, missed : int
        Humans removed; bots kept.
    conversion : str
        The event followed.
    conversions : int
        Kept sessions with the event.
    rate, rate_with_bots, rate_truth : float
        Share of the kept sessions with the event; of all sessions; of the real humans'
        sessions (answer key).
    """

    max_pages_per_minute: float | None
    fast_form_seconds: float | None
    sessions: int
    removed: int
    kept: int
    precision: float
    recall: float
    f1: float
    false_alarms: int
    missed: int
    conversion: str
    conversions: int
    rate: float
    rate_with_bots: float
    rate_truth: float

    def __getitem__(self, name: str) -> Any:
        if name not in self._names():
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @property
    def headline(self) -> str:
        """The key figure as text.

        >>> r = Tradeoff(30, 3.0, 10, 5193, 0, 0.99403, 0.99942, 0.99, 0, 0,
        ...              "newsletter_signup", 0, 0.041838, 0.0, 0.0)
        >>> r.headline
        'Newsletter signup rate 4.18% · 5,193 removed · precision 99.4% · recall 99.9%'
        """
        name = self.conversion.replace("_", " ")
        return (
            f"{name[:1].upper()}{name[1:]} rate {percent(self.rate, 2)} · "
            f"{self.removed:,} removed · precision {percent(self.precision)} · "
            f"recall {percent(self.recall)}"
        )

    @property
    def value(self) -> float:
        """The conversion rate left, rounded to 6 decimals."""
        return round(float(self.rate), 6)

    def __repr__(self) -> str:
        return f"Tradeoff({self.headline})"


def _inputs_rows(func: str, inputs: pd.DataFrame) -> None:
    """One row per session, at least one: a rate of nothing, or of a session twice, is refused."""
    need_rows(func, "inputs", inputs, "Make it with bot_thresholds.inputs(sessions, answer_key, events).")
    if "session_id" in inputs.columns:
        need_unique(func, "inputs", inputs, "session_id")


def tradeoff(
    inputs: pd.DataFrame,
    max_pages_per_minute: float | None = 30.0,
    fast_form_seconds: float | None = 3.0,
) -> Tradeoff:
    """Two bot thresholds in: what the filter removes, how well, and the rate it leaves.

    The two thresholds replace those of the rules in ``inputs`` (``None`` switches a rule
    off, as in ``BotRules``); every other rule keeps its verdict from
    :func:`inputs`. Only the two moving rules run, through :func:`helpers.bots.label`.

    Parameters
    ----------
    inputs : DataFrame
        From :func:`inputs`.
    max_pages_per_minute : float or None, default 30.0
        ``BotRules.max_pages_per_minute``: sessions (of at least three pages) faster than
        this are flagged.
    fast_form_seconds : float or None, default 3.0
        ``BotRules.fast_form_seconds``: forms sent faster than this are flagged.

    Returns
    -------
    Tradeoff

    Examples
    --------
    >>> inputs = pd.DataFrame({
    ...     "session_id": ["a", "b", "c", "d"], "duration_s": [6.0, 300.0, 60.0, 30.0],
    ...     "pageviews": [12, 5, 1, 2], "form_seconds": [None, 31.0, 0.8, None],
    ...     "fixed_bot": [False, False, False, True],
    ...     "truth_bot": [True, False, True, True],
    ...     "converted": [False, True, True, False]})
    >>> result = tradeoff(inputs, 30, 3.0)
    >>> result["removed"], result["recall"], result["rate"], result["rate_with_bots"]
    (3, 1.0, 1.0, 0.5)
    >>> tradeoff(inputs, 30, None)["rate"]   # the fast-form rule off
    1.0
    >>> tradeoff(inputs, None, None)["removed"]
    1
    """
    need_table(
        "tradeoff",
        "inputs",
        inputs,
        ("duration_s", "pageviews", "form_seconds", "fixed_bot", "truth_bot", "converted"),
        "Make it with bot_thresholds.inputs(sessions, answer_key, events).",
    )
    _inputs_rows("tradeoff", inputs)
    rules = inputs.attrs.get("rules") or BotRules()
    moving = dataclasses.replace(
        rules,
        missing_ua=False,
        too_fast_seconds=None,
        schedule_min_sessions=None,
        max_pages_per_minute=None if max_pages_per_minute is None else float(max_pages_per_minute),
        fast_form_seconds=None if fast_form_seconds is None else float(fast_form_seconds),
    )
    if moving.enabled:
        # Behaviour only: an empty agent column with missing_ua=False gives no UA verdict.
        frame = inputs[["duration_s", "pageviews", "form_seconds"]].assign(_no_agent="")
        moved = label(frame, moving, ua_column="_no_agent", fallback=False)["is_bot"]
        moved = moved.to_numpy(dtype=bool)
    else:
        moved = np.zeros(len(inputs), dtype=bool)
    is_bot = inputs["fixed_bot"].to_numpy(dtype=bool) | moved
    truth = inputs["truth_bot"].to_numpy(dtype=bool)
    converted = inputs["converted"].to_numpy(dtype=bool)
    graded = scores(int((is_bot & truth).sum()), int((is_bot & ~truth).sum()),
                    int((~is_bot & truth).sum()))
    kept = ~is_bot

    def share(mask: np.ndarray) -> float:
        return float(converted[mask].mean()) if mask.any() else math.nan

    return Tradeoff(
        max_pages_per_minute=max_pages_per_minute,
        fast_form_seconds=fast_form_seconds,
        sessions=len(inputs),
        removed=int(is_bot.sum()),
        kept=int(kept.sum()),
        precision=graded.precision,
        recall=graded.recall,
        f1=graded.f1,
        false_alarms=graded.fp,
        missed=graded.fn,
        conversion=str(inputs.attrs.get("conversion", "conversion")),
        conversions=int(converted[kept].sum()),
        rate=share(kept),
        rate_with_bots=share(np.ones(len(inputs), dtype=bool)),
        rate_truth=share(~truth),
    )


def sweep(
    inputs: pd.DataFrame,
    rule: str = "fast_form_seconds",
    thresholds: Iterable[float] | None = None,
    **fixed: float | None,
) -> pd.DataFrame:
    """:func:`tradeoff` for a range of one threshold: a row per value tried.

    Each row re-runs the two moving rules through :func:`helpers.bots.label`, whose checks of
    the columns speak for it.

    Parameters
    ----------
    inputs : DataFrame
        From :func:`inputs`.
    rule : {"fast_form_seconds", "max_pages_per_minute"}, default "fast_form_seconds"
        The threshold to vary.
    thresholds : sequence of float, optional
        The values to try; by default :data:`RANGES` for that rule.
    **fixed
        The other threshold, e.g. ``max_pages_per_minute=30`` (its default otherwise).

    Returns
    -------
    DataFrame
        Column ``threshold`` (the value tried), then every field of :class:`Tradeoff`;
        ready for ``plots.precision_recall``.

    Examples
    --------
    >>> inputs = pd.DataFrame({
    ...     "session_id": ["a", "b"], "duration_s": [60.0, 90.0], "pageviews": [1, 1],
    ...     "form_seconds": [1.0, 8.0], "fixed_bot": [False, False],
    ...     "truth_bot": [True, False], "converted": [True, True]})
    >>> sweep(inputs, thresholds=[0.5, 2, 10])[["threshold", "removed", "recall"]]
       threshold  removed  recall
    0        0.5        0     0.0
    1        2.0        1     1.0
    2       10.0        2     1.0
    """
    if rule not in RANGES:
        raise ValueError(
            f"sweep(): rule must be one of {', '.join(RANGES)}; got {rule!r}."
        )
    unknown = set(fixed) - set(RANGES)
    if unknown or rule in fixed:
        others = ", ".join(r for r in RANGES if r != rule)
        raise TypeError(
            f"sweep(): fix only the other threshold by name ({others}); got "
            f"{', '.join(sorted(fixed))}."
        )
    need_table(
        "sweep", "inputs", inputs,
        ("duration_s", "pageviews", "form_seconds", "fixed_bot", "truth_bot", "converted"),
        "Make it with bot_thresholds.inputs(sessions, answer_key, events).",
    )
    _inputs_rows("sweep", inputs)
    values = RANGES[rule] if thresholds is None else thresholds
    rows = [
        {"threshold": float(v), **tradeoff(inputs, **{rule: float(v)}, **fixed)}
        for v in values
    ]
    return pd.DataFrame(rows)
