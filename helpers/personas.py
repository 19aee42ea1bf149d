"""Personas as observable signals: scoring, assigning, profiling, and data-driven segments.

A persona (say, "the home barista") is a story about a buyer. To find such
people in web traffic, the story must become *signals* you can observe for a
visitor: the topics they read, their device, channel, country, time of day,
whether they come back. :func:`visitors` builds one row of those signals per
visitor; a :class:`Persona` is a list of weighted :class:`Criterion` on them;
:func:`score` says how well each visitor fits (0 to 1); :func:`assign` picks
the best persona or ``"none"``.

Personas are hypotheses. :func:`segments` finds groups in the data without
any story, and :func:`compare_segments` sets the two side by side.

Examples
--------
>>> import pandas as pd
>>> from helpers import personas
>>> v = pd.DataFrame({"visitor_id": ["a", "b"], "mobile_share": [1.0, 0.0],
...                   "reads_espresso": [True, False]})
>>> fan = personas.Persona("espresso_fan", "Reads about espresso on the phone.", (
...     personas.Criterion("reads_espresso", values=(True,), weight=2),
...     personas.Criterion("mobile_share", low=0.5)))
>>> personas.score(v, fan).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._frames import contains as _contains
from ._frames import need_columns as _need_columns
from ._frames import need_flags as _need_flags
from ._frames import need_frame as _need_frame
from ._frames import need_unique as _need_unique
from ._frames import need_zone as _need_zone
from .metrics import scores as _scores
from .rules import Condition
from .traffic import visitor_segments

__all__ = [
    "BUILDER_DEVICES",
    "BUILDER_TIMES",
    "DEFAULT_PERSONAS",
    "DEFAULT_TOPICS",
    "Criterion",
    "Persona",
    "PersonaMatch",
    "assign",
    "build_persona",
    "compare_segments",
    "evaluate",
    "history_before",
    "match_persona",
    "profile",
    "score",
    "segments",
    "silhouette_sweep",
    "topics",
    "visitors",
]








# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Criterion:
    """One observable signal a persona expects, with how much it matters.

    Met when the visitor's ``signal`` is one of ``values``, or (for numbers)
    between ``low`` and ``high`` inclusive (either bound may be omitted).
    A missing value never meets a criterion. The test is a :class:`helpers.rules.Condition`,
    the same as a lead-score rule's.

    Parameters
    ----------
    signal : str
        A column of the visitors frame (see :func:`visitors`), e.g.
        ``"mobile_share"``, ``"main_channel"``, ``"reads_espresso"``.
    values : tuple, optional
        Accepted values, e.g. ``("social", "organic_search")`` or ``(True,)``.
    low, high : float, optional
        A numeric range, e.g. ``low=0.5`` for "at least half".
    weight : float, default 1.0
        Positive and finite.

    Examples
    --------
    >>> Criterion("main_channel", values=("social", "organic_search"))
    Criterion(signal='main_channel', values=('social', 'organic_search'), low=None, high=None, weight=1.0)
    >>> Criterion("mobile_share", low=0.5, weight=0)
    Traceback (most recent call last):
    ...
    ValueError: Criterion(): weight for 'mobile_share' must be positive and finite, got 0. Use a weight such as 1 or 2; remove the criterion to ignore the signal.
    """

    signal: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.signal, str) or not self.signal:
            raise TypeError(f"Criterion(): signal must be a column name, got {self.signal!r}.")
        w = self.weight
        if isinstance(w, bool) or not isinstance(w, int | float | np.number) or not np.isfinite(w) or w <= 0:
            raise ValueError(
                f"Criterion(): weight for {self.signal!r} must be positive and finite, got {w!r}. "
                "Use a weight such as 1 or 2; remove the criterion to ignore the signal."
            )
        object.__setattr__(self, "weight", float(w))
        if self.values is None and self.low is None and self.high is None:
            raise ValueError(
                f"Criterion(): {self.signal!r} needs values=(...) or a range low=/high=, "
                "e.g. Criterion('mobile_share', low=0.5)."
            )
        object.__setattr__(self, "values", self.condition.values)  # checked, as a tuple

    @property
    def condition(self) -> Condition:
        """The test itself, shared with lead-score rules: :class:`helpers.rules.Condition`."""
        return Condition(self.signal, self.values, self.low, self.high, owner="Criterion")

    def describe(self) -> str:
        """The criterion in words, e.g. ``'mobile_share >= 0.5'``."""
        return self.condition.describe()

    def met(self, frame: pd.DataFrame) -> np.ndarray:
        """Boolean array: which rows of ``frame`` meet the criterion."""
        return self.condition.met(frame)


@dataclass(frozen=True)
class Persona:
    """A persona as weighted criteria on observable signals.

    Parameters
    ----------
    name : str
        Short id, e.g. ``"home_barista"``.
    description : str
        One sentence for people.
    criteria : tuple of Criterion
        On visitor signals (see :func:`visitors`).
    firmographics : tuple of Criterion, optional
        On lead (CRM) columns such as ``company_size`` and ``industry``; used
        by :func:`score` only with ``firmographics=True``.

    Examples
    --------
    >>> p = Persona("night_owl", "Browses late.", (Criterion("evening_share", low=0.5),))
    >>> p.stated()
    ['evening_share >= 0.5']
    """

    name: str
    description: str
    criteria: tuple[Criterion, ...]
    firmographics: tuple[Criterion, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name or self.name == "none":
            raise ValueError(f"Persona(): name must be a non-empty string other than 'none', got {self.name!r}.")
        for attr in ("criteria", "firmographics"):
            items = getattr(self, attr)
            if isinstance(items, Criterion):
                items = (items,)
            items = tuple(items)
            for c in items:
                if not isinstance(c, Criterion):
                    raise TypeError(
                        f"Persona(): {attr} of {self.name!r} must be Criterion objects, got {type(c).__name__}."
                    )
            object.__setattr__(self, attr, items)
        if not self.criteria:
            raise ValueError(f"Persona(): {self.name!r} has no criteria; give at least one Criterion.")

    def stated(self, firmographics: bool = False) -> list[str]:
        """The criteria in words."""
        crit = self.criteria + (self.firmographics if firmographics else ())
        return [c.describe() for c in crit]


# --------------------------------------------------------------------------- visitor signals

DEFAULT_TOPICS: Mapping[str, str] = {
    "brewing": r"^/blog/.*(brew|pour-over|press|aeropress|v60|chemex|filter|ratio|drip)",
    "espresso": r"^/blog/.*(espresso|latte|milk|crema|portafilter|tamp|cappuccino|grinder)",
    "beans": r"^/blog/.*(bean|roast-level|origin|blend|decaf)",
    "office": r"^/blog/.*(office|productivity)|^/pricing",
    "cafe_business": r"^/blog/.*(cafe|café|business|menu|margin|wholesale)",
    "wholesale": r"^/wholesale",
    "gear": r"^/shop/.*(grinder|kettle|scale|dripper|machine|press|pour-over|gear|tamper|jug)",
    "shop": r"^/shop|^/cart|^/checkout",
    "contact": r"^/contact",
    "blog": r"^/blog",
}
"""Topic -> regular expression on the page path of page views. Change it for your site."""


def _mode(keys: pd.Series, values: pd.Series, name: str) -> pd.Series:
    """Most frequent value per key (ties: alphabetical first), vectorised."""
    df = pd.DataFrame({"k": keys.to_numpy(), "v": values.astype("string").to_numpy()}).dropna()
    sizes = df.groupby(["k", "v"], sort=True).size().rename("n").reset_index()
    sizes = sizes.sort_values(["k", "n", "v"], ascending=[True, False, True], kind="stable")
    best = sizes.drop_duplicates("k")
    return pd.Series(best["v"].to_numpy(), index=best["k"].to_numpy(), name=name, dtype="string")


def _as_time(func: str, col: pd.Series, name: str) -> pd.Series:
    """``col`` as UTC times (hours and weekdays are read in UTC); naive times are refused."""
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        try:
            col = pd.to_datetime(col, utc=True, format="ISO8601")
        except (ValueError, TypeError) as err:
            raise TypeError(f"{func}(): column {name!r} must hold timestamps ({err}). Parse it with pd.to_datetime.") from None
    return _need_zone(func, "sessions", col, name)


def history_before(
    sessions: pd.DataFrame, events: pd.DataFrame | None, until: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Each visitor's sessions (and their events) from before ``until``: what a persona may
    see when it is used to explain a conversion.

    A persona assigned from everything a visitor did also sees the visit that converted them
    (the contact form sits on the wholesale pages an office manager reads), so it "explains"
    the conversion with the conversion itself. Assign from the history before it instead:
    ``assign(visitors(*history_before(sessions, events, lead_at)))``.

    Parameters
    ----------
    sessions, events : DataFrame
        As for :func:`visitors` (``events`` may be None).
    until : Series
        Indexed by ``visitor_id``: the moment each visitor converted. Visitors not in it
        (they never converted) keep all their sessions; a session counts when it *started*
        before the moment.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3"], "visitor_id": ["a", "a", "b"],
    ...     "started_at": pd.to_datetime(["2025-02-03 09:00", "2025-02-05 09:00", "2025-02-04 12:00"], utc=True)})
    >>> kept, _ = history_before(s, None, pd.Series({"a": pd.Timestamp("2025-02-05 09:00", tz="UTC")}))
    >>> kept["session_id"].tolist()
    ['s1', 's3']
    """
    func = "history_before"
    _need_frame(func, "sessions", sessions)
    _need_columns(func, "sessions", sessions, ["session_id", "visitor_id", "started_at"])
    if not isinstance(until, pd.Series):
        raise TypeError(f"{func}(): until must be a Series indexed by visitor_id, got {type(until).__name__}.")
    if not until.notna().any():  # nobody converted (e.g. a web log without leads): keep all
        keep = np.ones(len(sessions), dtype=bool)
    else:
        limit = sessions["visitor_id"].map(until)
        keep = (limit.isna() | (sessions["started_at"] < limit)).to_numpy(dtype=bool)
    kept = sessions[keep]
    if events is None:
        return kept, None
    return kept, events[events["session_id"].isin(kept["session_id"]).to_numpy(dtype=bool)]


def visitors(
    sessions: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    topics: Mapping[str, str] = DEFAULT_TOPICS,
    person: str = "visitor_id",
) -> pd.DataFrame:
    """One row per visitor with the signals personas are made of.

    Parameters
    ----------
    sessions : DataFrame
        One row per session: ``visitor_id``, ``started_at``, ``channel``,
        ``device``; ``country``, ``is_returning``, ``pageviews`` and
        ``duration_s`` are used when present. Filter bots out first.
    events : DataFrame, optional
        One row per event (``visitor_id``, ``event_name``, ``page``): adds
        the topics read. Without it there are no ``topic_*``/``reads_*`` columns.
    topics : mapping of str to str
        Topic name -> regular expression on page paths.
    person : str, default "visitor_id"

    Returns
    -------
    DataFrame
        Indexed by ``visitor_id``, sorted, with: ``sessions``, ``returning``
        (came back, or flagged returning), ``mobile_share``,
        ``desktop_share``, ``tablet_share``, ``main_device``,
        ``main_channel``, ``main_country``, ``typical_hour`` (median start
        hour, UTC), ``evening_share`` (18:00-23:59), ``office_hours_share``
        (weekdays 09:00-16:59), ``weekend_share``, ``pageviews``,
        ``mean_duration_s``; with events, ``topic_<t>`` (share of the
        visitor's page views on topic t), ``reads_<t>`` (read it at least
        once) and one ``did_<event>`` flag per non-page-view event.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "b"], "channel": ["social", "social", "email"],
    ...     "device": ["mobile", "desktop", "desktop"],
    ...     "started_at": pd.to_datetime(["2024-03-02 20:00", "2024-03-04 21:00", "2024-03-05 10:00"], utc=True)})
    >>> v = visitors(s)
    >>> v[["sessions", "returning", "mobile_share", "main_channel"]]
                sessions  returning  mobile_share main_channel
    visitor_id
    a                  2       True           0.5       social
    b                  1      False           0.0        email
    >>> v[["evening_share", "weekend_share"]]
                evening_share  weekend_share
    visitor_id
    a                     1.0            0.5
    b                     0.0            0.0
    """
    func = "visitors"
    _need_frame(func, "sessions", sessions)
    _need_columns(func, "sessions", sessions, [person, "started_at", "channel", "device"])
    if len(sessions) == 0:
        raise ValueError(f"{func}(): sessions is empty; there are no visitors to describe. Pass a non-empty sessions table, e.g. bots.filter(sessions).")
    if "session_id" in sessions.columns:
        _need_unique(func, "sessions", sessions, "session_id")

    def _index_in(values: pd.Series, table) -> np.ndarray:
        """Position of each value in ``table`` (-1 when absent): pyarrow's hash in C."""
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            value_set = pa.array(pd.Series(table).astype("string").array, from_pandas=True)
            if isinstance(value_set, pa.ChunkedArray):
                value_set = value_set.combine_chunks()
            found = pc.index_in(
                pa.array(pd.Series(values).astype("string").array, from_pandas=True),
                value_set=value_set,
                skip_nulls=False,  # a missing value matches a missing value, as isin does
            )
            return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        except ImportError:  # pragma: no cover - pyarrow comes with the kit
            return pd.Index(pd.Series(table).astype("string")).get_indexer(pd.Series(values).astype("string"))

    s = sessions[sessions[person].notna()]
    key = s[person].astype("string")
    # number the visitors once (sorted, so code order is the index order); every
    # aggregate below groups small integers instead of hashing the ids again
    g, ids = pd.factorize(key, sort=True)
    n_vis = len(ids)
    index = pd.Index(ids.to_numpy(dtype=object, na_value=None))
    started = _as_time(func, s["started_at"], "started_at")
    hour = started.dt.hour.to_numpy()
    weekday = started.dt.day_of_week.to_numpy()
    device = s["device"].astype("string").str.lower()
    base = pd.DataFrame({
        "k": g,
        "one": 1,
        "mobile": device.eq("mobile").fillna(False).to_numpy(dtype=bool),
        "desktop": device.eq("desktop").fillna(False).to_numpy(dtype=bool),
        "tablet": device.eq("tablet").fillna(False).to_numpy(dtype=bool),
        "evening": hour >= 18,
        "office": (weekday < 5) & (hour >= 9) & (hour < 17),
        "weekend": weekday >= 5,
        "hour": hour.astype("float64"),
        "ret": (_need_flags(func, s, "is_returning", "True for a returning visitor",
                            "Load sessions with helpers.data, or drop the column.")
                if "is_returning" in s else False),
        "pv": (pd.to_numeric(s["pageviews"], errors="coerce").to_numpy() if "pageviews" in s else np.nan),
        "dur": (pd.to_numeric(s["duration_s"], errors="coerce").to_numpy() if "duration_s" in s else np.nan),
    })
    grouped = base.groupby("k", sort=True)
    n = grouped["one"].sum()
    out = pd.DataFrame({"sessions": n.astype("int64")})
    out["returning"] = (n > 1) | grouped["ret"].any()
    for dev in ("mobile", "desktop", "tablet"):
        out[f"{dev}_share"] = grouped[dev].mean()

    def mode(values: pd.Series, name: str) -> pd.Series:
        """Most frequent value per visitor (ties: alphabetical first), on integer codes."""
        vcode, vnames = pd.factorize(values.astype("string"), sort=True, use_na_sentinel=True)
        keep = vcode >= 0
        pair, counts = np.unique(g[keep].astype(np.int64) * len(vnames) + vcode[keep], return_counts=True)
        who, what = pair // len(vnames), pair % len(vnames)
        order = np.lexsort((what, -counts, who))  # by visitor, most sessions, then name
        first = order[np.r_[True, who[order][1:] != who[order][:-1]]]
        return pd.Series(pd.array(np.asarray(vnames, dtype=object)[what[first]], dtype="string"),
                         index=who[first], name=name)

    out["main_device"] = mode(s["device"], "main_device")
    out["main_channel"] = mode(s["channel"], "main_channel")
    if "country" in s:
        out["main_country"] = mode(s["country"], "main_country")
    out["typical_hour"] = grouped["hour"].median()
    out["evening_share"] = grouped["evening"].mean()
    out["office_hours_share"] = grouped["office"].mean()
    out["weekend_share"] = grouped["weekend"].mean()
    if "pageviews" in s:
        out["pageviews"] = grouped["pv"].sum().astype("int64")
    if "duration_s" in s:
        out["mean_duration_s"] = grouped["dur"].mean()
    out.index = index
    if events is not None:
        _need_frame(func, "events", events)
        _need_columns(func, "events", events, [person, "event_name", "page"])
        ev = events[events[person].notna()]
        if "session_id" in ev.columns and "session_id" in s.columns:
            # only the events of the sessions passed: a visitor seen in a bot session and a
            # human one must not inherit the bot's page views when bots were filtered out
            ev = ev[_index_in(ev["session_id"], s["session_id"]) >= 0]
        # each event's visitor number (-1: a visitor with no session here, left out)
        ek = _index_in(ev[person], ids)
        mine = ek >= 0
        is_view = ev["event_name"].eq("page_view").fillna(False).to_numpy(dtype=bool)
        # match each distinct page once (dozens), not every event (millions); a missing
        # page is matched as "" (code -1 picks the appended last entry)
        page_code, distinct = pd.factorize(ev["page"], use_na_sentinel=True)
        pages = pd.Series([*map(str, distinct), ""], dtype="string")
        views = np.bincount(ek[mine & is_view], minlength=n_vis).astype("float64")
        for t, pattern in topics.items():
            hit = is_view & _contains(pages, pattern, case=False)[page_code]
            hits = np.bincount(ek[mine & hit], minlength=n_vis).astype("float64")
            with np.errstate(divide="ignore", invalid="ignore"):
                out[f"topic_{t}"] = np.where(views > 0, hits / np.maximum(views, 1), 0.0)
            out[f"reads_{t}"] = hits > 0
        others = ev.loc[~is_view, "event_name"].astype("string")
        if len(others):
            names, name_of = pd.factorize(others, sort=True, use_na_sentinel=True)
            other_k = ek[~is_view]
            for j, name in enumerate(name_of):
                did = np.zeros(n_vis, dtype=bool)
                did[other_k[(names == j) & (other_k >= 0)]] = True
                out[f"did_{name}"] = did
    out.index.name = person
    return out


# --------------------------------------------------------------------------- scoring


def _check_persona(func: str, persona: Any) -> Persona:
    if not isinstance(persona, Persona):
        raise TypeError(f"{func}(): persona must be a Persona, got {type(persona).__name__}.")
    return persona


def _need_shares(func: str, visitors: pd.DataFrame, signals: Iterable[str]) -> None:
    """A share is between 0 and 1, never missing (personas.visitors builds them so)."""
    for signal in signals:
        if not (signal.endswith("_share") or signal.startswith("topic_")) or signal not in visitors:
            continue
        col = visitors[signal]
        share = None if pd.api.types.is_datetime64_any_dtype(col.dtype) or not (
            pd.api.types.is_numeric_dtype(col.dtype)) else col.astype("float64")
        if share is None or share.isna().any() or ((share < 0) | (share > 1)).any():
            raise ValueError(
                f"{func}(): visitors[{signal!r}] must hold shares (numbers between 0 and 1) with "
                "none missing; build the frame with personas.visitors(sessions, events)."
            )


def score(visitors: pd.DataFrame, persona: Persona, *, firmographics: bool = False) -> pd.Series:
    """How well each visitor fits a persona: the weighted share of its criteria met.

    Parameters
    ----------
    visitors : DataFrame
        One row per visitor with the persona's signal columns (see :func:`visitors`).
    persona : Persona
    firmographics : bool, default False
        Also use the persona's firmographic criteria (the frame must then hold
        lead columns such as ``company_size`` and ``industry``).

    Returns
    -------
    Series
        Floats between 0 and 1, same index as ``visitors``, named after the persona.

    Examples
    --------
    >>> v = pd.DataFrame({"main_channel": ["social", "email", None], "mobile_share": [0.9, 0.2, 0.6]})
    >>> p = Persona("x", "An example.", (Criterion("main_channel", values=("social",), weight=3),
    ...                                  Criterion("mobile_share", low=0.5)))
    >>> score(v, p).tolist()
    [1.0, 0.0, 0.25]
    """
    func = "score"
    _need_frame(func, "visitors", visitors)
    persona = _check_persona(func, persona)
    crit = persona.criteria + (persona.firmographics if firmographics else ())
    _need_columns(
        func, "visitors", visitors, [c.signal for c in crit],
        "Build the frame with personas.visitors(sessions, events), or change the persona's criteria.",
    )
    _need_shares(func, visitors, [c.signal for c in crit])
    total = sum(c.weight for c in crit)
    points = np.zeros(len(visitors))
    for c in crit:  # loop over criteria (a handful), each vectorised
        points += np.where(c.met(visitors), c.weight, 0.0)
    return pd.Series(points / total, index=visitors.index, name=persona.name)


def assign(
    visitors: pd.DataFrame,
    personas: Sequence[Persona] | None = None,
    min_score: float = 0.5,
    *,
    firmographics: bool = False,
) -> pd.DataFrame:
    """Give each visitor the persona they fit best, or ``"none"``.

    Parameters
    ----------
    visitors : DataFrame
        One row per visitor (see :func:`visitors`).
    personas : sequence of Persona, default DEFAULT_PERSONAS
        On a tie, the persona listed first wins.
    min_score : float, default 0.5
        A visitor whose best score is below this gets ``"none"``.
    firmographics : bool, default False
        Passed to :func:`score`.

    Returns
    -------
    DataFrame
        A copy of ``visitors`` plus ``score_<name>`` per persona, ``persona``
        and ``persona_score`` (the best score).

    Examples
    --------
    >>> v = pd.DataFrame({"mobile_share": [0.9, 0.1, 0.5]}, index=["a", "b", "c"])
    >>> phone = Persona("phone", "Mostly on a phone.", (Criterion("mobile_share", low=0.6),))
    >>> desk = Persona("desk", "Mostly at a desk.", (Criterion("mobile_share", high=0.4),))
    >>> assign(v, [phone, desk])[["persona", "persona_score"]]
      persona  persona_score
    a   phone            1.0
    b    desk            1.0
    c    none            0.0
    """
    func = "assign"
    _need_frame(func, "visitors", visitors)
    personas = DEFAULT_PERSONAS if personas is None else personas
    if isinstance(personas, Persona):
        personas = (personas,)
    personas = tuple(personas)
    if not personas:
        raise ValueError(f"{func}(): personas is empty; give at least one Persona.")
    for p in personas:
        _check_persona(func, p)
    names = [p.name for p in personas]
    if len(set(names)) != len(names):
        raise ValueError(f"{func}(): persona names repeat ({', '.join(names)}); give each a unique name.")
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1:
        raise ValueError(f"{func}(): min_score must be between 0 and 1, got {min_score!r}.")
    scores = np.column_stack([score(visitors, p, firmographics=firmographics).to_numpy() for p in personas])
    best = scores.argmax(axis=1) if len(visitors) else np.zeros(0, dtype=int)
    best_score = scores.max(axis=1) if len(visitors) else np.zeros(0)
    label = np.where(best_score >= min_score, np.asarray(names, dtype=object)[best], "none")
    out = visitors.copy()
    for i, name in enumerate(names):
        out[f"score_{name}"] = scores[:, i]
    out["persona"] = pd.Series(label, index=visitors.index, dtype="string")
    out["persona_score"] = best_score
    return out


# --------------------------------------------------------------------------- profile


def _observed(col: pd.Series, crit: Criterion | None) -> float:
    if pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype):
        return float(col.astype("float64").mean()) if len(col) else np.nan
    if crit is not None and crit.values is not None:
        return float(col.isin(list(crit.values)).mean()) if len(col) else np.nan
    return np.nan


def profile(
    frame: pd.DataFrame,
    by: str = "persona",
    personas: Sequence[Persona] | None = None,
    *,
    features: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each persona's stated profile beside what its visitors actually look like.

    Parameters
    ----------
    frame : DataFrame
        Visitors with a group column ``by`` (e.g. from :func:`assign` or
        :func:`segments`) and the signal columns.
    by : str, default "persona"
    personas : sequence of Persona, default DEFAULT_PERSONAS
        Groups named after a persona get one row per criterion.
    features : sequence of str, optional
        Extra columns to average for every group (the only rows for groups
        that are not personas, such as k-means segments).

    Returns
    -------
    DataFrame
        ``group``, ``signal``, ``stated`` (the criterion in words, empty for
        extra features), ``observed`` (the group's mean; for a category, the
        share of the group with an accepted value), ``everyone`` (the same over
        the whole frame), ``met`` (share of the group meeting the criterion),
        ``visitors`` (group size).

    Examples
    --------
    >>> v = pd.DataFrame({"mobile_share": [0.9, 0.7, 0.1], "persona": ["phone", "phone", "none"]})
    >>> phone = Persona("phone", "Mostly on a phone.", (Criterion("mobile_share", low=0.6),))
    >>> profile(v, personas=[phone])
       group        signal              stated  observed  everyone  met  visitors
    0  phone  mobile_share  mobile_share >= 0.6       0.8  0.566667  1.0         2
    """
    func = "profile"
    _need_frame(func, "frame", frame)
    _need_columns(func, "frame", frame, [by], "Assign personas (assign) or segments (segments) first.")
    personas = DEFAULT_PERSONAS if personas is None else tuple(personas)
    by_name = {p.name: p for p in personas}
    features = list(features or [])
    _need_columns(func, "frame", frame, features)
    used = [c.signal for g in pd.unique(frame[by].dropna()) if str(g) in by_name
            for c in by_name[str(g)].criteria]
    _need_columns(func, "frame", frame, used,
                  "Build the frame with personas.visitors(sessions, events), or pass personas=.")
    _need_shares(func, frame, used)
    ids = frame["visitor_id"] if "visitor_id" in frame.columns else frame.index.to_series()
    if "visitor_id" in (ids.name, frame.index.name):
        _need_unique(func, "frame", pd.DataFrame({"visitor_id": ids.to_numpy()}), "visitor_id",
                     "Pass one row per visitor, e.g. personas.assign(personas.visitors(...)).")
    rows = []
    groups = frame[by]
    for g in pd.unique(groups.dropna()):  # loop over groups (a handful)
        sub = frame[groups.eq(g).fillna(False).to_numpy(dtype=bool)]
        p = by_name.get(str(g))
        if p is not None:
            for c in p.criteria:
                if c.signal not in frame.columns:
                    continue
                rows.append({
                    "group": g, "signal": c.signal, "stated": c.describe(),
                    "observed": _observed(sub[c.signal], c),
                    "everyone": _observed(frame[c.signal], c),
                    "met": float(c.met(sub).mean()) if len(sub) else np.nan,
                    "visitors": len(sub),
                })
        for f in features:
            rows.append({
                "group": g, "signal": f, "stated": "",
                "observed": _observed(sub[f], None), "everyone": _observed(frame[f], None),
                "met": np.nan, "visitors": len(sub),
            })
    cols = ["group", "signal", "stated", "observed", "everyone", "met", "visitors"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- segments


def _feature_matrix(func: str, frame: pd.DataFrame, features: Sequence[str]) -> np.ndarray:
    _need_frame(func, "visitors", frame)
    if isinstance(features, str):
        features = [features]
    features = list(features)
    if not features:
        raise ValueError(f"{func}(): features is empty; name the numeric columns to cluster on.")
    _need_columns(func, "visitors", frame, features)
    for f in features:
        dt = frame[f].dtype
        if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt)):
            raise TypeError(
                f"{func}(): feature {f!r} is {dt}, not numeric. Use numeric or True/False columns; "
                f"for a category, make indicator columns with pd.get_dummies(visitors[{f!r}])."
            )
    x = frame[features].astype("float64").to_numpy()
    if np.isnan(x).any():
        bad = [f for f, m in zip(features, np.isnan(x).any(axis=0), strict=True) if m]
        raise ValueError(f"{func}(): features {bad} have missing values; fill them (e.g. .fillna(0)) first.")
    return x


def _one_thread():
    """k-means on one thread: on a busy 2-core laptop, OpenMP threads fighting for the cores
    made a silhouette sweep 50x slower (47 s instead of 0.6 s); one thread is also repeatable.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def segments(
    visitors: pd.DataFrame,
    k: int,
    features: Sequence[str],
    *,
    random_state: int = 0,
) -> pd.Series:
    """Data-driven segments: k-means on standardised features.

    Parameters
    ----------
    visitors : DataFrame
        One row per visitor.
    k : int
        Number of segments, at least 2 and fewer than the visitors.
    features : sequence of str
        Numeric or boolean columns; each is scaled to mean 0 and standard
        deviation 1 so that no unit dominates.
    random_state : int, default 0

    Returns
    -------
    Series
        Segment number (0 .. k-1) per visitor, same index, named ``segment``.

    Examples
    --------
    >>> v = pd.DataFrame({"mobile_share": [1, 0.9, 0, 0.1], "evening_share": [1, 0.8, 0, 0.2]})
    >>> seg = segments(v, 2, ["mobile_share", "evening_share"])
    >>> bool(seg.iloc[0] == seg.iloc[1] != seg.iloc[2] == seg.iloc[3])
    True
    """
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    func = "segments"
    x = _feature_matrix(func, visitors, features)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 2 <= k < len(visitors):
        raise ValueError(f"{func}(): k must be a whole number from 2 to {len(visitors) - 1} (fewer than the visitors), got {k!r}.")
    # k-means depends on the order of its rows: fit on the rows in the order of their ids (the
    # index; personas.visitors sorts it so), so shuffled visitors get the same segments
    try:
        order = np.argsort(visitors.index.to_numpy(), kind="stable")
    except TypeError:  # ids of mixed types: compare them as text
        order = np.argsort(visitors.index.astype(str).to_numpy(), kind="stable")
    scaled = StandardScaler().fit_transform(x[order])
    with _one_thread():
        fitted = KMeans(n_clusters=int(k), n_init=10, random_state=random_state).fit_predict(scaled)
    labels = np.empty_like(fitted)
    labels[order] = fitted
    # a cluster's number is arbitrary: number them by their mean features (smallest first), so
    # the same clusters get the same numbers whatever the ids or the row order
    means = pd.DataFrame(x).groupby(labels).mean()
    ranking = sorted(means.index, key=lambda c: tuple(means.loc[c].round(12)))
    renumber = np.empty(int(k), dtype=labels.dtype)
    renumber[np.asarray(ranking, dtype=int)] = np.arange(len(ranking))
    labels = renumber[labels]
    return pd.Series(labels, index=visitors.index, name="segment")


def silhouette_sweep(
    visitors: pd.DataFrame,
    features: Sequence[str],
    ks: Iterable[int] = range(2, 9),
    *,
    random_state: int = 0,
    sample_size: int | None = 5000,
) -> pd.DataFrame:
    """Silhouette score and inertia of k-means for several k, to choose k.

    The silhouette (from -1 to 1, higher is better separated) is computed on
    a random sample of ``sample_size`` visitors for speed (``None`` for all).

    Returns
    -------
    DataFrame
        ``k``, ``silhouette``, ``inertia``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> v = pd.DataFrame({"x": np.r_[rng.normal(0, .1, 50), rng.normal(5, .1, 50)],
    ...                   "y": np.r_[rng.normal(0, .1, 50), rng.normal(5, .1, 50)]})
    >>> sweep = silhouette_sweep(v, ["x", "y"], ks=[2, 3, 4])
    >>> int(sweep.loc[sweep["silhouette"].idxmax(), "k"])
    2
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    func = "silhouette_sweep"
    if isinstance(visitors, pd.DataFrame) and len(visitors) < 3:
        raise ValueError(f"{func}(): visitors has {len(visitors)} row(s); a sweep needs at least 3. Pass personas.visitors(...) of your sessions.")
    x = _feature_matrix(func, visitors, features)
    scaled = StandardScaler().fit_transform(x)
    rows = []
    for k in ks:  # a handful of k values
        if not 2 <= k < len(visitors):
            raise ValueError(f"{func}(): every k must be from 2 to {len(visitors) - 1}, got {k}.")
        with _one_thread():
            km = KMeans(n_clusters=int(k), n_init=10, random_state=random_state).fit(scaled)
        size = None if sample_size is None or sample_size >= len(visitors) else sample_size
        sil = silhouette_score(scaled, km.labels_, sample_size=size, random_state=random_state)
        rows.append({"k": int(k), "silhouette": float(sil), "inertia": float(km.inertia_)})
    return pd.DataFrame(rows)


def compare_segments(
    assigned: pd.DataFrame | pd.Series,
    segmented: pd.DataFrame | pd.Series,
    *,
    normalize: bool | str = False,
) -> pd.DataFrame:
    """Crosstab of hand-made personas against data-driven segments.

    Parameters
    ----------
    assigned : DataFrame with a ``persona`` column, or Series of personas
    segmented : DataFrame with a ``segment`` column, or Series of segments
        Aligned on the index (the same visitors).
    normalize : bool or {"index", "columns"}, default False
        As in :func:`pandas.crosstab`: ``"index"`` shows, for each persona,
        how its visitors spread over the segments.

    Examples
    --------
    >>> p = pd.Series(["a", "a", "b", "none"], name="persona")
    >>> s = pd.Series([0, 0, 1, 1], name="segment")
    >>> compare_segments(p, s)
    segment  0  1
    persona
    a        2  0
    b        0  1
    none     0  1
    """
    func = "compare_segments"
    a = assigned["persona"] if isinstance(assigned, pd.DataFrame) else assigned
    s = segmented["segment"] if isinstance(segmented, pd.DataFrame) else segmented
    if not isinstance(a, pd.Series) or not isinstance(s, pd.Series):
        raise TypeError(f"{func}(): pass a frame (or Series) of personas and one of segments.")
    if not a.index.equals(s.index):
        missing = len(a.index.difference(s.index)) + len(s.index.difference(a.index))
        if missing:
            raise ValueError(f"{func}(): assigned and segmented cover different visitors ({missing} differ); use the same visitors frame for both.")
        s = s.reindex(a.index)
    return pd.crosstab(a.rename("persona"), s.rename("segment"), normalize=normalize)


# --------------------------------------------------------------------------- evaluate


def evaluate(
    assigned: pd.DataFrame,
    answer_key: pd.DataFrame,
    *,
    person: str = "visitor_id",
    persona: str = "persona",
) -> pd.DataFrame:
    """Precision and recall of persona assignment against the answer key.

    The answer key has one row per session; a visitor's true persona is the
    most frequent non-empty persona across their sessions (``"none"`` when
    there is none). Only visitors in ``assigned`` are graded. Precision, recall and F1
    come from :func:`helpers.metrics.scores` (NaN for 0 / 0).

    Returns
    -------
    DataFrame
        Indexed by persona (plus ``any persona``: persona vs none): ``assigned``,
        ``true``, ``correct``, ``precision``, ``recall``, ``f1``.

    Examples
    --------
    >>> a = pd.DataFrame({"persona": ["x", "x", "none"]}, index=pd.Index(["v1", "v2", "v3"], name="visitor_id"))
    >>> key = pd.DataFrame({"visitor_id": ["v1", "v2", "v3"], "persona": ["x", None, "x"]})
    >>> evaluate(a, key)[["assigned", "true", "correct", "precision", "recall"]]
                 assigned  true  correct  precision  recall
    persona
    x                   2     2        1        0.5     0.5
    any persona         2     2        1        0.5     0.5
    """
    func = "evaluate"
    _need_frame(func, "assigned", assigned)
    _need_frame(func, "answer_key", answer_key)
    _need_columns(func, "answer_key", answer_key, [person, persona])
    pred = assigned[persona] if persona in assigned else None
    if pred is None:
        raise KeyError(f"{func}(): assigned has no column {persona!r}; pass the result of assign().")
    if person in assigned.columns:
        pred = pd.Series(pred.to_numpy(), index=assigned[person].astype("string").to_numpy())
    else:
        pred = pd.Series(pred.to_numpy(), index=assigned.index.astype("string"))
    key = answer_key[[person, persona]].copy()
    key[persona] = key[persona].astype("string")
    key = key[~(key[persona].isna() | key[persona].str.strip().eq(""))]
    if key.empty:
        raise ValueError(
            f"{func}(): answer_key has no {persona!r} label in any row, so there is nothing to "
            "grade against (everyone would read as 'none'). Pass the answer key with its persona "
            "column, e.g. data.load_answer_key()."
        )
    truth = _mode(key[person].astype("string"), key[persona], "truth")
    named = set(pred.dropna().astype(str)) - {"none"}
    if named and not named & set(truth.astype(str)):
        raise ValueError(
            f"{func}(): no persona of answer_key (e.g. {str(truth.iloc[0])!r}) is one that assigned "
            f"uses (e.g. {sorted(named)[0]!r}); pass the answer key of the same data, with its "
            f"{persona!r} column."
        )
    truth = truth.reindex(pred.index).fillna("none")
    pred = pred.astype("string").fillna("none")
    rows = {}
    names = sorted((set(truth.unique()) | set(pred.unique())) - {"none"})
    for name in [*names, "any persona"]:
        if name == "any persona":
            p, t = pred.ne("none"), truth.ne("none")
            correct = int((p & t & pred.eq(truth)).sum())
        else:
            p, t = pred.eq(name), truth.eq(name)
            correct = int((p & t).sum())
        n_p, n_t = int(p.sum()), int(t.sum())
        graded = _scores(correct, n_p - correct, n_t - correct)  # one rule for 0 / 0
        rows[name] = {"assigned": n_p, "true": n_t, "correct": correct, "precision": graded.precision,
                      "recall": graded.recall, "f1": graded.f1}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "persona"
    return out


# --------------------------------------------------------------------------- defaults

DEFAULT_PERSONAS: tuple[Persona, ...] = (
    Persona(
        "home_barista",
        "A coffee hobbyist who reads brewing and espresso guides on the phone in the evening and buys beans and gear.",
        (
            Criterion("reads_gear", values=(True,), weight=2),
            Criterion("reads_espresso", values=(True,), weight=1.5),
            Criterion("reads_brewing", values=(True,)),
            Criterion("mobile_share", low=0.5),
            Criterion("evening_share", low=0.3),
            Criterion("returning", values=(True,)),
        ),
    ),
    Persona(
        "office_manager",
        "Buys an office-coffee plan: reads pricing and office posts at a desk in office hours and uses the contact form.",
        (
            Criterion("reads_office", values=(True,), weight=2),
            Criterion("desktop_share", low=0.6, weight=1.5),
            Criterion("office_hours_share", low=0.5),
            Criterion("reads_contact", values=(True,)),
            Criterion("reads_wholesale", values=(True,)),
        ),
        firmographics=(
            Criterion("company_size", low=10, high=500),
            Criterion("industry", values=("software", "agency", "legal", "healthcare")),
        ),
    ),
    Persona(
        "cafe_owner",
        "Runs a café and buys wholesale: reads café-business posts and the wholesale page, often referred by partners.",
        (
            Criterion("reads_cafe_business", values=(True,), weight=2),
            Criterion("reads_wholesale", values=(True,), weight=2),
            Criterion("main_channel", values=("referral", "organic_search")),
            Criterion("mobile_share", high=0.5),
            Criterion("reads_contact", values=(True,)),
        ),
        firmographics=(
            Criterion("company_size", low=1, high=50),
            Criterion("industry", values=("hospitality",)),
        ),
    ),
)
"""The kit's three personas, as observable signals (see data/README.md).

Starting points to test, not truths. On the kit's data (bots filtered with
``bots.label``) ``assign(visitors(humans, events))`` finds about four in five
potential buyers, and roughly 60-65% of the visitors it labels with a persona
really have that persona.
"""


# --------------------------------------------------------------------------- persona builder
# Lesson 03's builder: a persona from a few choices, matched to the human visitors and graded
# with the answer key (which only grades).

#: The "when" choices of the persona builder: signal of :func:`visitors` and the least share
#: of the visitor's sessions it needs.
BUILDER_TIMES: dict[str, tuple[str, float]] = {
    "office hours": ("office_hours_share", 0.5),
    "evenings": ("evening_share", 0.3),
    "weekends": ("weekend_share", 0.5),
}

#: The devices the persona builder offers; "desktop" means desktop_share >= 0.5.
BUILDER_DEVICES: tuple[str, ...] = ("desktop", "mobile", "tablet")


def topics(visitors: pd.DataFrame) -> list[str]:
    """The topics ``visitors`` has a ``reads_<topic>`` column for: :data:`DEFAULT_TOPICS`' first.

    >>> topics(pd.DataFrame(columns=["reads_zines", "reads_office", "mobile_share"]))
    ['office', 'zines']
    """
    have = [c[len("reads_"):] for c in visitors.columns if str(c).startswith("reads_")]
    known = [t for t in DEFAULT_TOPICS if t in have]
    return known + sorted(set(have) - set(known))


def build_persona(
    topic: str = "office",
    device: str = "desktop",
    time_of_day: str = "office hours",
    channel: str = "any",
    *,
    topic_weight: float = 2.0,
    name: str = "my_persona",
) -> Persona:
    """A :class:`Persona` from the persona builder's choices.

    Each choice other than ``"any"`` adds one criterion: reading a topic (weight
    ``topic_weight``), a device for at least half of the visits, a time of day
    (:data:`BUILDER_TIMES`), a main channel (weight 1 each).

    Parameters
    ----------
    topic : str, default "office"
        A topic of :data:`DEFAULT_TOPICS` (criterion ``reads_<topic>``).
    device : str, default "desktop"
        One of :data:`BUILDER_DEVICES` (criterion ``<device>_share >= 0.5``).
    time_of_day : str, default "office hours"
        A key of :data:`BUILDER_TIMES`.
    channel : str, default "any"
        A marketing channel (criterion ``main_channel = <channel>``).
    topic_weight : float, default 2.0
    name : str, default "my_persona"

    Returns
    -------
    Persona

    Raises
    ------
    ValueError
        When every choice is "any" (a persona needs a criterion) or a choice is unknown.

    Examples
    --------
    >>> build_persona("espresso", "mobile", "evenings").stated()
    ['reads_espresso = True', 'mobile_share >= 0.5', 'evening_share >= 0.3']
    """
    func = "build_persona"
    criteria = []
    if topic != "any":
        criteria.append(Criterion(f"reads_{topic}", values=(True,), weight=topic_weight))
    if device != "any":
        if device not in BUILDER_DEVICES:
            raise ValueError(
                f"{func}(): device {device!r} is not one of {', '.join(BUILDER_DEVICES)} or 'any'."
            )
        criteria.append(Criterion(f"{device}_share", low=0.5))
    if time_of_day != "any":
        if time_of_day not in BUILDER_TIMES:
            raise ValueError(
                f"{func}(): time_of_day {time_of_day!r} is not one of "
                f"{', '.join(BUILDER_TIMES)} or 'any'."
            )
        signal, least = BUILDER_TIMES[time_of_day]
        criteria.append(Criterion(signal, low=least))
    if channel != "any":
        criteria.append(Criterion("main_channel", values=(channel,)))
    if not criteria:
        raise ValueError(
            f"{func}(): every choice is 'any', so the persona has no criterion. Pick a topic, "
            "a device, a time of day or a channel."
        )
    return Persona(name, "Built in the lesson-03 persona builder.", tuple(criteria))


@dataclass(frozen=True)
class PersonaMatch:
    """What the persona builder finds: who matches, and how many are potential buyers.

    Built by :func:`match_persona`.

    Attributes
    ----------
    persona : Persona
        The persona built from the choices.
    min_score : float
        Visitors scoring at least this match.
    visitors : int
        Human visitors scored.
    matched : int
        Visitors who match.
    buyers : int
        Matched visitors who are potential buyers in the answer key.
    all_buyers : int
        Potential buyers among all the visitors scored.
    by_segment : Series
        Matched visitors per true segment (answer key).
    """

    persona: Persona
    min_score: float
    visitors: int
    matched: int
    buyers: int
    all_buyers: int
    by_segment: pd.Series = field(compare=False)

    @property
    def _graded(self) -> Any:
        return _scores(self.buyers, self.matched - self.buyers, self.all_buyers - self.buyers)

    @property
    def precision(self) -> float:
        """Share of the matched visitors who are potential buyers (NaN when none match)."""
        return self._graded.precision

    @property
    def recall(self) -> float:
        """Share of all potential buyers that the persona matches (NaN when there are none)."""
        return self._graded.recall

    @property
    def headline(self) -> str:
        """The key figure, e.g. ``'1,020 humans match · 790 potential buyers · precision 77%'``."""
        precision = "n/a" if not self.matched else f"{self.precision:.0%}"
        return (
            f"{self.matched:,} humans match · {self.buyers:,} potential buyers · "
            f"precision {precision}"
        )

    @property
    def value(self) -> float:
        """The precision, rounded to 6 decimals (NaN when nobody matches)."""
        return round(self.precision, 6) if self.matched else float("nan")

    def summary(self) -> str:
        """The key figure as text (the same as :attr:`headline`)."""
        return self.headline

    def __repr__(self) -> str:
        rule = " + ".join(self.persona.stated())
        recall = "n/a" if not self.all_buyers else f"{self.recall:.0%}"
        return (
            f"PersonaMatch({rule}; min score {self.min_score:g}: {self.headline}, "
            f"recall {recall} of {self.all_buyers:,} potential buyers)"
        )


def match_persona(
    visitors: pd.DataFrame,
    truth: pd.DataFrame | pd.Series,
    topic: str = "office",
    device: str = "desktop",
    time_of_day: str = "office hours",
    channel: str = "any",
    min_score: float = 0.5,
) -> PersonaMatch:
    """Build a persona from a few choices, match it to visitors, grade it with the answer key.

    The persona is built with :func:`build_persona` (its :class:`Criterion` s) and each
    visitor scored with :func:`score`; their checks speak for it.

    Fast when ``truth`` is already one segment per visitor
    (:func:`helpers.traffic.visitor_segments`): the visitor signals are computed once,
    before, with :func:`visitors`, and each call only scores them.

    Parameters
    ----------
    visitors : DataFrame
        Human visitors (bots filtered out first), one row each, as :func:`visitors`
        returns (indexed by ``visitor_id``).
    truth : DataFrame or Series
        The answer key (``visitor_id``, ``segment``) or its
        :func:`helpers.traffic.visitor_segments`. Used only to grade: a matched visitor is a
        potential buyer when their segment is ``potential_buyer``.
    topic, device, time_of_day, channel : str
        The choices, see :func:`build_persona` (``"any"`` leaves a signal out).
    min_score : float, default 0.5
        Visitors whose :func:`score` is at least this match.

    Returns
    -------
    PersonaMatch

    Examples
    --------
    >>> v = pd.DataFrame({"reads_office": [True, True, False, True],
    ...                   "desktop_share": [1.0, 0.0, 1.0, 1.0],
    ...                   "office_hours_share": [1.0, 0.0, 1.0, 0.0]},
    ...                  index=pd.Index(["a", "b", "c", "d"], name="visitor_id"))
    >>> truth = pd.Series(["potential_buyer", "stumbled", "stumbled", "potential_buyer"],
    ...                   index=["a", "b", "c", "d"])
    >>> match_persona(v, truth, min_score=0.75).headline
    '2 humans match · 2 potential buyers · precision 100%'
    >>> match_persona(v, truth, min_score=0.5).headline
    '4 humans match · 2 potential buyers · precision 50%'
    """
    func = "match_persona"
    if not isinstance(visitors, pd.DataFrame):
        raise TypeError(
            f"{func}(): visitors must be a DataFrame (personas.visitors(humans, events)), got "
            f"{type(visitors).__name__}."
        )
    if isinstance(min_score, bool) or not isinstance(min_score, int | float | np.number) or not (
        0 <= float(min_score) <= 1
    ):
        raise ValueError(f"{func}(): min_score must be between 0 and 1, got {min_score!r}.")
    if len(visitors) == 0:
        raise ValueError(f"{func}(): visitors is empty; pass personas.visitors(humans, events).")
    ids = visitors["visitor_id"] if "visitor_id" in visitors.columns else visitors.index.to_series()
    _need_unique(func, "visitors", pd.DataFrame({"visitor_id": ids.to_numpy()}), "visitor_id",
                 "Pass personas.visitors(...), which has one row per visitor.")
    persona = build_persona(topic, device, time_of_day, channel)
    missing = [c.signal for c in persona.criteria if c.signal not in visitors.columns]
    if missing:
        raise KeyError(
            f"{func}(): visitors has no column {missing[0]!r}. Build it with "
            "personas.visitors(humans, events) (events add the reads_<topic> columns)."
        )
    hit = score(visitors, persona).to_numpy() >= float(min_score) - 1e-12
    segment = visitor_segments(truth)
    # the visitor's id: the column when there is one (what reset_index() gives), else the index
    keys = (visitors["visitor_id"] if "visitor_id" in visitors.columns else visitors.index.to_series())
    keys = pd.Index(keys.astype("string").to_numpy())
    seg = pd.Series(segment.reindex(keys).to_numpy(), index=visitors.index, dtype="string")
    if len(visitors) and seg.isna().all():
        raise ValueError(
            f"{func}(): no visitor of visitors is in truth (e.g. {str(keys[0])!r}), so nothing can "
            "be graded. Pass visitors indexed by visitor_id (personas.visitors(...)), or with a "
            "visitor_id column, and the answer key of the same data."
        )
    seg = seg.fillna("unknown")
    is_buyer = seg.eq("potential_buyer").to_numpy(dtype=bool)
    counts = seg[hit].value_counts()
    # potential buyers first, then the humans who are not, then bots the filter missed
    first = ("potential_buyer", "loyal_customer", "stumbled", "bot")
    order = [s for s in first if s in counts.index or s == "potential_buyer"]
    order += sorted(set(counts.index) - set(order))
    by_segment = counts.reindex(order, fill_value=0).astype("int64").rename("visitors")
    by_segment.index.name = "segment"
    return PersonaMatch(
        persona=persona,
        min_score=float(min_score),
        visitors=len(visitors),
        matched=int(hit.sum()),
        buyers=int((hit & is_buyer).sum()),
        all_buyers=int(is_buyer.sum()),
        by_segment=by_segment,
    )
