"""Micro and macro conversions, conversion rates with intervals, rate tables, funnels.

A *conversion* is an event you decided counts as progress for a campaign. A
*macro* conversion is the goal itself (a sale); a *micro* conversion is a step
towards it (a newsletter signup, a guide download). Which is which depends on
the campaign, so the catalogue is data you can change with :func:`catalogue`.

Every rate in this module is ``conversions / denominator`` where both are
counts of *people or units* (sessions, visitors, leads), never of events, and
every rate comes with a confidence interval (Wilson by default).

Examples
--------
>>> from helpers import conversions
>>> conversions.rate(10, 100)
Rate(10.0% (10 of 100, 95% CI 5.5%-17.4%))
>>> conversions.CATALOGUE["purchase"]
'macro'
>>> conversions.catalogue(contact_form="macro")["contact_form"]
'macro'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._frames import need_columns as _need_columns
from ._frames import need_frame as _need_frame
from ._frames import need_rows, need_table, need_zone
from ._frames import need_unique as _need_unique
from .formatting import p_value as _fmt_p
from .formatting import percent as _pct
from .formatting import points as _pts

__all__ = [
    "CATALOGUE", "CATALOGUE_CHOICES", "KINDS", "METHODS", "NOT_A_CONVERSION", "NOT_OFFERED",
    "Catalogue", "CatalogueCounts", "Comparison", "Conversion", "Rate",
    "catalogue", "catalogue_counts", "catalogue_from_choices", "compare", "count", "funnel",
    "interval", "offered_events", "rate", "rate_table",
]

KINDS: tuple[str, ...] = ("micro", "macro")
"""The two kinds of conversion."""

METHODS: Mapping[str, str] = MappingProxyType(
    {
        "wilson": "wilson",
        "clopper-pearson": "clopper-pearson",
        "clopper_pearson": "clopper-pearson",
        "beta": "clopper-pearson",
        "exact": "clopper-pearson",
        "jeffreys": "jeffreys",
    }
)
"""Interval methods :func:`rate` accepts, and the name each one is reported under."""


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Conversion:
    """One conversion event of the catalogue.

    Parameters
    ----------
    event : str
        The ``event_name`` in events.csv, e.g. ``"guide_download"``.
    kind : {"micro", "macro"}
        Macro: the goal of the campaign. Micro: a step towards it.
    label : str
        How lessons and charts name it.

    Examples
    --------
    >>> Conversion("purchase", "macro", "Purchase")
    Conversion(event='purchase', kind='macro', label='Purchase')
    >>> Conversion("purchase", "big", "Purchase")
    Traceback (most recent call last):
    ...
    ValueError: Conversion(): kind 'big' for event 'purchase' is not a kind of conversion. Use one of: 'micro', 'macro'.
    """

    event: str
    kind: str
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.event, str) or not self.event:
            raise TypeError(f"Conversion(): event must be a non-empty string, got {self.event!r}.")
        if self.kind not in KINDS:
            raise ValueError(
                f"Conversion(): kind {self.kind!r} for event {self.event!r} is not a kind of "
                "conversion. Use one of: 'micro', 'macro'."
            )
        if not self.label:
            object.__setattr__(self, "label", self.event.replace("_", " ").capitalize())


class Catalogue(Mapping[str, str]):
    """An immutable catalogue of conversions: a mapping ``event -> "micro" | "macro"``.

    Build changed copies with :func:`catalogue` (or :meth:`with_kinds`); the
    catalogue itself never changes.

    Examples
    --------
    >>> cat = Catalogue([Conversion("signup", "micro"), Conversion("purchase", "macro")])
    >>> dict(cat)
    {'signup': 'micro', 'purchase': 'macro'}
    >>> cat.macro
    ('purchase',)
    >>> cat.to_frame()
          event   kind     label
    0    signup  micro    Signup
    1  purchase  macro  Purchase
    """

    __slots__ = ("_items",)

    def __init__(self, conversions: Iterable[Conversion]) -> None:
        items: dict[str, Conversion] = {}
        for conv in conversions:
            if not isinstance(conv, Conversion):
                raise TypeError(
                    f"Catalogue(): expected Conversion objects, got {type(conv).__name__}. "
                    "Build them with Conversion(event, kind, label)."
                )
            if conv.event in items:
                raise ValueError(f"Catalogue(): event {conv.event!r} appears twice.")
            items[conv.event] = conv
        object.__setattr__(self, "_items", MappingProxyType(items))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Catalogue is immutable; use catalogue(...) to build a changed copy.")

    def __getitem__(self, event: str) -> str:
        try:
            return self._items[event].kind
        except KeyError:
            raise KeyError(
                f"Catalogue: {event!r} is not a conversion in this catalogue. "
                f"It has: {', '.join(self._items)}."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.values()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Catalogue):
            return tuple(self._items.values()) == tuple(other._items.values())
        return NotImplemented

    def __repr__(self) -> str:
        body = ", ".join(f"{c.event}={c.kind}" for c in self._items.values())
        return f"Catalogue({body})"

    @property
    def conversions(self) -> tuple[Conversion, ...]:
        """The :class:`Conversion` objects, in order."""
        return tuple(self._items.values())

    @property
    def micro(self) -> tuple[str, ...]:
        """Events that are micro conversions."""
        return tuple(e for e, c in self._items.items() if c.kind == "micro")

    @property
    def macro(self) -> tuple[str, ...]:
        """Events that are macro conversions."""
        return tuple(e for e, c in self._items.items() if c.kind == "macro")

    def label(self, event: str) -> str:
        """The display label of ``event``."""
        self[event]  # raises a clear KeyError when unknown
        return self._items[event].label

    def to_frame(self) -> pd.DataFrame:
        """The catalogue as a DataFrame with columns event, kind, label."""
        return pd.DataFrame(
            [(c.event, c.kind, c.label) for c in self._items.values()],
            columns=["event", "kind", "label"],
        )

    def with_kinds(self, overrides: Mapping[str, str | None]) -> Catalogue:
        """A copy with some kinds changed (see :func:`catalogue`)."""
        return catalogue(overrides, base=self)


CATALOGUE = Catalogue(
    [
        Conversion("newsletter_signup", "micro", "Newsletter signup"),
        Conversion("blog_comment", "micro", "Blog comment"),
        Conversion("social_follow", "micro", "Social follow"),
        Conversion("guide_download", "micro", "Guide download"),
        Conversion("contact_form", "micro", "Contact form"),
        Conversion("add_to_cart", "micro", "Add to cart"),
        Conversion("purchase", "macro", "Purchase"),
    ]
)
"""The default catalogue: a purchase is the macro conversion, everything else is micro.

A wholesale campaign would promote ``contact_form`` to macro (lesson 04):
``catalogue(contact_form="macro")``.
"""


def catalogue(
    overrides: Mapping[str, str | None] | None = None,
    *,
    base: Catalogue = CATALOGUE,
    **kinds: str | None,
) -> Catalogue:
    """Return a new catalogue with some events re-classified, added or removed.

    Parameters
    ----------
    overrides : mapping of str to {"micro", "macro", None}, optional
        ``event -> kind``. An event not yet in the catalogue is added; ``None``
        removes the event (it no longer counts as a conversion).
    base : Catalogue, default CATALOGUE
        The catalogue to start from; it is not changed.
    **kinds
        The same as ``overrides``, as keyword arguments.

    Returns
    -------
    Catalogue

    Raises
    ------
    ValueError
        When a kind is not ``"micro"``, ``"macro"`` or ``None``.

    Examples
    --------
    >>> wholesale = catalogue(contact_form="macro")
    >>> wholesale.macro
    ('contact_form', 'purchase')
    >>> CATALOGUE["contact_form"]          # the default is unchanged
    'micro'
    >>> catalogue({"begin_checkout": "micro", "social_follow": None}).micro
    ('newsletter_signup', 'blog_comment', 'guide_download', 'contact_form', 'add_to_cart', 'begin_checkout')
    >>> catalogue(purchase="goal")
    Traceback (most recent call last):
    ...
    ValueError: catalogue(): kind 'goal' for event 'purchase' is not a kind of conversion. Use 'micro', 'macro', or None to remove the event.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise TypeError(
            "catalogue(): overrides must be a mapping such as {'contact_form': 'macro'}, "
            f"got {type(overrides).__name__}."
        )
    if not isinstance(base, Catalogue):
        raise TypeError(f"catalogue(): base must be a Catalogue, got {type(base).__name__}.")
    changes = {**(dict(overrides) if overrides else {}), **kinds}
    for event, kind in changes.items():
        if kind is not None and kind not in KINDS:
            raise ValueError(
                f"catalogue(): kind {kind!r} for event {event!r} is not a kind of conversion. "
                "Use 'micro', 'macro', or None to remove the event."
            )
    out: list[Conversion] = []
    for conv in base.conversions:
        if conv.event in changes:
            kind = changes[conv.event]
            if kind is not None:
                out.append(Conversion(conv.event, kind, conv.label))
        else:
            out.append(conv)
    for event, kind in changes.items():
        if event not in base and kind is not None:
            out.append(Conversion(event, kind))
    return Catalogue(out)


# --------------------------------------------------------------------------- checks






def _check_confidence(func: str, confidence: Any) -> float:
    try:
        conf = float(confidence)
    except (TypeError, ValueError):
        raise TypeError(f"{func}(): confidence must be a number such as 0.95, got {confidence!r}.") from None
    if not 0 < conf < 1:
        hint = " (a share, not a percentage: use 0.95 for 95%)" if 1 < conf <= 100 else ""
        raise ValueError(f"{func}(): confidence must be between 0 and 1, got {confidence!r}{hint}.")
    return conf


def _check_method(func: str, method: str) -> str:
    key = str(method).lower()
    if key not in METHODS:
        raise ValueError(
            f"{func}(): unknown interval method {method!r}. Use one of: 'wilson', "
            "'clopper-pearson' (also called 'beta' or 'exact'), 'jeffreys'."
        )
    return METHODS[key]


# --------------------------------------------------------------------------- intervals


def interval(
    conversions: Any, denominator: Any, confidence: float = 0.95,
    method: str = "wilson",  # pragma: no mutate (_check_method lower-cases it: "WILSON" is the same)
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised confidence interval for proportions (arrays in, arrays out).

    Computed by :func:`statsmodels.stats.proportion.proportion_confint`
    (``method="wilson"``, ``"beta"`` or ``"jeffreys"``) on whole arrays, so a
    table of thousands of groups needs no Python loop. Two documented rules on
    top of it:

    - At the edges the bounds are exact: the lower bound is 0 at 0 conversions
      and the upper bound is 1 when everyone converted (Wilson's formula leaves
      ~1e-17 of rounding there; for Jeffreys this is the Brown, Cai & DasGupta
      2001 fix, so the interval always contains the rate).
    - The interval always contains the estimate ``conversions / denominator``.
      Past about 1e16 (where float64 no longer holds every count exactly)
      SciPy's beta quantiles lose precision, and past about 1e154 Wilson's
      formula overflows; a bound on the wrong side of the estimate is then
      set to the estimate (the true interval is narrower than float64 can
      show), and a Clopper-Pearson or Jeffreys bound SciPy cannot compute
      (``nan``) is replaced by the Wilson bound.

    Parameters
    ----------
    conversions, denominator : array-like of int
        Counts; ``0 <= conversions <= denominator`` and ``denominator > 0``
        (not checked here: :func:`rate` and :func:`rate_table` check).
    confidence : float, default 0.95
    method : {"wilson", "clopper-pearson", "jeffreys"}

    Returns
    -------
    (low, high) : tuple of numpy arrays, each within [0, 1]

    Examples
    --------
    >>> low, high = interval([10, 0], [100, 20])
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.0552, 0.0], [0.1744, 0.1611])
    >>> low, high = interval(10**154 // 3, 10**154)   # float64's limits: still holds 1/3
    >>> bool(low <= 1 / 3 <= high)
    True
    """
    # imported here: statsmodels and scipy.stats cost ~1 s, paid only when used
    from statsmodels.stats.proportion import proportion_confint

    method = _check_method("interval", method)
    conf = _check_confidence("interval", confidence)
    x = np.asarray(conversions, dtype="float64")
    n = np.asarray(denominator, dtype="float64")
    try:
        shape = np.broadcast_shapes(x.shape, n.shape)
    except ValueError:
        raise ValueError(
            f"interval(): conversions (shape {x.shape}) and denominator (shape {n.shape}) must "
            "have the same shape, or one of them be a single number; pair each group's "
            "conversions with its own denominator."
        ) from None
    x1, n1 = (np.broadcast_to(v, shape).ravel() for v in (x, n))
    sm_method = {"wilson": "wilson", "clopper-pearson": "beta", "jeffreys": "jeffreys"}[method]
    with np.errstate(all="ignore"):  # overflow warnings at counts near float64's limits
        low, high = proportion_confint(x1, n1, alpha=1.0 - conf, method=sm_method)  # float64 arrays
        if np.isnan(low).any() or np.isnan(high).any():  # (Wilson's own nan stays nan)
            w_low, w_high = proportion_confint(x1, n1, alpha=1.0 - conf, method="wilson")
            low = np.where(np.isnan(low), w_low, low)
            high = np.where(np.isnan(high), w_high, high)
        estimate = x1 / n1
    # exact 0 and 1 at the edges, and never an interval that misses the estimate
    low = np.where(x1 == 0, 0.0, np.fmin(low, estimate))
    high = np.where(x1 == n1, 1.0, np.fmax(high, estimate))
    return low.reshape(shape), high.reshape(shape)


# --------------------------------------------------------------------------- Rate


@dataclass(frozen=True)
class Rate:
    """A conversion rate with its confidence interval. Build it with :func:`rate`.

    Attributes
    ----------
    value : float
        The rate as a share between 0 and 1 (``percent`` gives it times 100).
    low, high : float
        The confidence interval, within [0, 1].
    conversions, denominator : int
        The counts it was computed from.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    method : str
        ``"wilson"``, ``"clopper-pearson"`` or ``"jeffreys"``.
    unit : str or None
        What the denominator counts ("visitors", "leads", ...), shown when set.

    Examples
    --------
    >>> r = rate(10, 100)
    >>> r
    Rate(10.0% (10 of 100, 95% CI 5.5%-17.4%))
    >>> print(r)
    10.0% (10 of 100, 95% CI 5.5%-17.4%)
    >>> r.percent
    10.0
    >>> r.format(2)
    '10.00% (10 of 100, 95% CI 5.52%-17.44%)'
    """

    value: float
    low: float
    high: float
    conversions: int
    denominator: int
    confidence: float = 0.95
    method: str = "wilson"
    unit: str | None = None

    @property
    def percent(self) -> float:
        """The rate times 100 (10.0 for 10%)."""
        return self.value * 100

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    @property
    def width(self) -> float:
        """``high - low``: how uncertain the rate is."""
        return self.high - self.low

    def format(self, digits: int = 1) -> str:
        """The rate as text, e.g. ``'10.0% (10 of 100, 95% CI 5.5%-17.4%)'``."""
        unit = f" {self.unit}" if self.unit else ""
        conf = f"{self.confidence * 100:g}%"
        return (
            f"{_pct(self.value, digits)} ({self.conversions:,} of {self.denominator:,}{unit}, "
            f"{conf} CI {_pct(self.low, digits)}-{_pct(self.high, digits)})"
        )

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"Rate({self.format()})"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (handy for building a DataFrame of rates)."""
        return {
            "conversions": self.conversions,
            "denominator": self.denominator,
            "rate": self.value,
            "low": self.low,
            "high": self.high,
        }


def _as_count(func: str, name: str, value: Any) -> int:
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{func}(): {name} must be a count (a whole number), got the boolean {value!r}.")
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple):
        raise TypeError(
            f"{func}(): {name} must be a single count, got a {type(value).__name__}. "
            "Count first, e.g. int(frame['converted'].sum()), or use rate_table() for groups."
        )
    if isinstance(value, int | np.integer):  # exact, even past float64's 2**53
        if value < 0:
            raise ValueError(f"{func}(): {name} must not be negative, got {value!r}.")
        return int(value)
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{func}(): {name} must be a count (a whole number), got {value!r}.") from None
    if not np.isfinite(as_float) or as_float != int(as_float):
        raise ValueError(
            f"{func}(): {name} must be a whole number, got {value!r}. "
            "Pass counts of people or units, not a rate or an average."
        )
    if as_float < 0:
        raise ValueError(f"{func}(): {name} must not be negative, got {value!r}.")
    return int(as_float)


def rate(
    conversions: int,
    denominator: int,
    confidence: float = 0.95,
    method: str = "wilson",  # pragma: no mutate (_check_method lower-cases it: "WILSON" is the same)
    *,
    unit: str | None = None,
) -> Rate:
    """Conversion rate ``conversions / denominator`` with a confidence interval.

    Parameters
    ----------
    conversions : int
        How many people (or sessions, or leads) converted.
    denominator : int
        How many there were in all: the same unit as ``conversions``.
    confidence : float, default 0.95
        Coverage of the interval, strictly between 0 and 1.
    method : {"wilson", "clopper-pearson", "jeffreys"}, default "wilson"
        ``"beta"`` and ``"exact"`` are other names for Clopper-Pearson. Wilson
        behaves well for small counts and rates near 0 or 1.
    unit : str, optional
        What the denominator counts, e.g. ``"visitors"``; shown when printed.

    Returns
    -------
    Rate

    Raises
    ------
    ValueError
        0 of 0 (nothing to divide by), more conversions than the denominator,
        negative or fractional counts, confidence outside (0, 1).

    Examples
    --------
    >>> rate(10, 100)
    Rate(10.0% (10 of 100, 95% CI 5.5%-17.4%))
    >>> rate(10, 100, method="clopper-pearson")
    Rate(10.0% (10 of 100, 95% CI 4.9%-17.6%))
    >>> print(rate(0, 40, unit="leads"))
    0.0% (0 of 40 leads, 95% CI 0.0%-8.8%)
    >>> rate(12, 10)
    Traceback (most recent call last):
    ...
    ValueError: rate(): conversions (12) is larger than denominator (10); did you count events instead of people?
    """
    conf = _check_confidence("rate", confidence)
    meth = _check_method("rate", method)
    x = _as_count("rate", "conversions", conversions)
    n = _as_count("rate", "denominator", denominator)
    if n == 0:
        raise ValueError(
            "rate(): denominator is 0, so there is nothing to divide by. "
            "Check the filter that built it: did it remove every row?"
        )
    if x > n:
        raise ValueError(
            f"rate(): conversions ({x}) is larger than denominator ({n}); "
            "did you count events instead of people?"
        )
    low, high = interval(x, n, conf, meth)
    value = x / n  # exact rounding even for counts float64 cannot hold (interval() rounds them)
    return Rate(
        value=value,
        low=min(float(low), value),
        high=max(float(high), value),
        conversions=x,
        denominator=n,
        confidence=conf,
        method=meth,
        unit=unit,
    )


# --------------------------------------------------------------------------- count


def count(
    events: pd.DataFrame,
    catalogue: Catalogue = CATALOGUE,
    *,
    per: str = "visitor_id",
    leads: pd.DataFrame | None = None,
    event_column: str = "event_name",
    by_event: bool = False,
    since: str | None = "auto",
    time: str = "timestamp",
) -> pd.DataFrame:
    """Count micro and macro conversions per person.

    A lead's conversion is an action taken *from the moment the lead exists*: with ``leads``
    that say when each lead was created, an event before that moment is not the lead's
    conversion and is not counted (the action that created the lead, at that moment, is).

    Parameters
    ----------
    events : DataFrame
        One row per event, with columns ``per`` and ``event_column``, counted as given
        (remove repeated rows first with :func:`helpers.traffic.deduplicate_events`).
    catalogue : Catalogue, default CATALOGUE
        Which events are conversions, and of which kind.
    per : str, default "visitor_id"
        The person column.
    leads : DataFrame, optional
        When given, a conversion counts only when it comes from a lead: the
        result has one row per distinct non-missing ``leads[per]`` (zeros for
        leads without conversions), and conversions by people who are not
        leads are left out. Without it, one row per person in ``events``.
    event_column : str, default "event_name"
    since : str or None, default "auto"
        ``leads``' creation-time column (auto: ``first_at``, else ``created_at``, when
        ``events`` has ``time``); earlier events are left out. ``None``: every event (the mistake).
    time : str, default "timestamp"
    by_event : bool, default False
        Also add one count column per catalogue event.

    Returns
    -------
    DataFrame
        Indexed by ``per``, with integer columns ``micro``, ``macro`` and
        ``conversions`` (their sum), in that order, then the events when
        ``by_event``.

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "a", "b", "c"],
    ...     "event_name": ["page_view", "newsletter_signup", "purchase", "blog_comment", "page_view"]})
    >>> count(ev)
                micro  macro  conversions
    visitor_id
    a               1      1            2
    b               1      0            1
    c               0      0            0
    >>> count(ev, leads=pd.DataFrame({"visitor_id": ["a", "c", None]}))
                micro  macro  conversions
    visitor_id
    a               1      1            2
    c               0      0            0
    """
    _need_frame("count", "events", events)
    if not isinstance(catalogue, Catalogue):
        raise TypeError(
            f"count(): catalogue must be a Catalogue, got {type(catalogue).__name__}. "
            "Build one with conversions.catalogue(...)."
        )
    _need_columns("count", "events", events, [per, event_column], "Rename it or pass per=... / event_column=....")
    names = events[event_column]
    person = events[per]
    if leads is not None:
        _need_frame("count", "leads", leads)
        _need_columns("count", "leads", leads, [per])
        people = pd.Index(leads[per].dropna().unique())
    else:
        people = pd.Index(person.dropna().unique())  # named per at the end
    kind = names.map(dict(catalogue)).astype("object")
    keep = kind.notna().to_numpy()  # a speed-up (crosstab drops no-kind rows); no person: not in people
    if leads is not None and since == "auto":
        since = next((c for c in ("first_at", "created_at") if c in leads.columns), None)
        since = since if time in events.columns else None
    if leads is not None and since is not None:
        _need_columns("count", "leads", leads, [since])
        _need_columns("count", "events", events, [time], "Pass time= with your events' time column.")
        created_at = need_zone("count", "leads", leads[since], since)
        created = created_at[leads[per].notna()].groupby(leads[per][leads[per].notna()]).min()
        if len(created.dropna()):  # no lead with a time (no leads at all): nothing to drop
            # UTC times both sides: plain bool, False (kept) where no lead or no time (NaT)
            early = need_zone("count", "events", events[time], time) < person.map(created)
            keep = keep & ~early.to_numpy()
    sub = pd.DataFrame({"person": person[keep].to_numpy(), "kind": kind[keep].to_numpy(),  # per="kind" too
                        "event": names[keep].to_numpy()})
    sub = sub[sub["person"].isin(people)]
    table = pd.crosstab(sub["person"], sub["kind"]).reindex(index=people, columns=list(KINDS), fill_value=0)
    out = table.astype("int64")
    out.columns.name = None
    out["conversions"] = out["micro"] + out["macro"]
    if by_event:
        per_event = pd.crosstab(sub["person"], sub["event"]).reindex(
            index=people, columns=list(catalogue), fill_value=0
        )
        out = out.join(per_event.astype("int64"))
    out.index.name = per
    return out


# --------------------------------------------------------------------------- rate_table

_UNIT_BY_ID = (("lead_id", "leads"), ("session_id", "sessions"), ("visitor_id", "visitors"))


def _infer_unit(frame: pd.DataFrame) -> str:
    for col, unit in _UNIT_BY_ID:
        if col in frame.columns:
            return unit
    return "rows"


def rate_table(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    *,
    converted: str = "converted",
    unit: str | None = None,
    confidence: float = 0.95,
    method: str = "wilson",  # pragma: no mutate (_check_method lower-cases it: "WILSON" is the same)
    total: bool = True,
) -> pd.DataFrame:
    """Conversion rate per group, with intervals and a total row.

    Input design: ``frame`` has **one row per unit** (a session, a visitor or
    a lead: the denominator) and a boolean column ``converted`` saying whether
    that unit converted. So the denominator of each group is its number of
    rows and the numerator its number of ``True`` values; a unit can never be
    counted twice. Build ``converted`` first, e.g. from :func:`count`.

    Parameters
    ----------
    frame : DataFrame
        One row per unit.
    by : str or list of str
        Column(s) to group by. Missing values form their own group.
    converted : str, default "converted"
        Boolean column (0/1 integers are accepted).
    unit : str, optional
        Name of the denominator column in the output, e.g. ``"visitors"``.
        By default it is inferred: ``"leads"`` when ``frame`` has ``lead_id``,
        else ``"sessions"`` with ``session_id``, else ``"visitors"`` with
        ``visitor_id``, else ``"rows"``.
    confidence : float, default 0.95
    method : str, default "wilson"
        As in :func:`rate`.
    total : bool, default True
        Add a last row labelled ``"Total"`` computed by summing the counts of
        the groups (never by averaging their rates).

    Returns
    -------
    DataFrame
        Columns: the ``by`` columns, ``conversions``, ``<unit>``, ``rate``,
        ``low``, ``high``.

    Examples
    --------
    >>> visitors = pd.DataFrame({
    ...     "visitor_id": list("abcdef"),
    ...     "channel": ["email", "email", "social", "social", "social", "social"],
    ...     "converted": [True, False, True, False, False, False]})
    >>> rate_table(visitors, "channel").round(3)
      channel  conversions  visitors   rate    low   high
    0   email            1         2  0.500  0.095  0.905
    1  social            1         4  0.250  0.046  0.699
    2   Total            2         6  0.333  0.097  0.700
    """
    func = "rate_table"
    _need_frame(func, "frame", frame)
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError(f"{func}(): by is empty; name at least one column to group by.")
    _need_columns(func, "frame", frame, keys, "Pass by= one of these columns.")
    _need_columns(
        func, "frame", frame, [converted],
        "Add a boolean column that says whether each row converted, or pass converted='your_column'.",
    )
    if len(frame) == 0:
        raise ValueError(f"{func}(): frame is empty, so there is nothing to count.")
    conf = _check_confidence(func, confidence)
    meth = _check_method(func, method)
    unit = unit or _infer_unit(frame)
    ids = unit if unit in frame else next((c for c, u in _UNIT_BY_ID if u == unit and c in frame), None)
    if ids is not None:  # one row per unit: a duplicated unit is refused, never counted twice
        _need_unique(func, "frame", frame, ids)
    col = frame[converted]
    if col.dtype == bool or str(col.dtype) == "boolean":
        if col.isna().any():
            raise ValueError(f"{func}(): column {converted!r} has missing values; fill them with False or drop those rows.")
    elif pd.api.types.is_numeric_dtype(col.dtype):
        values = col.to_numpy()
        bad = ~np.isin(values, (0, 1))
        if bad.any():
            example = values[bad][0].item()
            raise ValueError(
                f"{func}(): column {converted!r} must be True/False (or 0/1) per row, but has "
                f"{example!r}; did you count events instead of people? Use "
                f"frame[{converted!r}] > 0 to mark who converted."
            )
    else:
        raise TypeError(
            f"{func}(): column {converted!r} must be boolean (True when that row converted), "
            f"got dtype {col.dtype}."
        )
    flags = col.astype(bool)
    if len(keys) == 1 and isinstance(frame[keys[0]].dtype, pd.CategoricalDtype):
        out = _count_by_category(frame[keys[0]], flags.to_numpy(), keys[0], unit)
    else:
        grouper = [frame[k] for k in keys]
        grouped = flags.groupby(  # sorted (groupby's default), missing values a group of their own
            grouper,
            dropna=False,  # pragma: no mutate (pandas reads dropna=None as False: the same groups)
            observed=True,  # pragma: no mutate (pandas 3's default; 2.2's False adds unused categories)
        )
        agg = grouped.agg(["sum", "size"])
        out = agg.reset_index()
        out.columns = [*keys, "conversions", unit]
    return _rates_from_counts(out, keys, unit, conf, meth, total)


def _rates_from_counts(
    out: pd.DataFrame, keys: list[str], unit: str, conf: float, meth: str, total: bool
) -> pd.DataFrame:
    """The rest of :func:`rate_table` from per-group counts (``keys``, ``conversions``,
    ``unit``): the Total row, the rate and its interval. The engines (DuckDB, Spark) finish
    their counts here too, so the table has one definition."""
    out["conversions"] = out["conversions"].astype("int64")
    out[unit] = out[unit].astype("int64")
    if total:
        # a categorical key becomes plain values (as any non-text key does in the concat)
        for k in keys:
            if isinstance(out[k].dtype, pd.CategoricalDtype):
                out[k] = out[k].astype(object)
        row = {k: "Total" for k in keys}
        row["conversions"] = int(out["conversions"].sum())
        row[unit] = int(out[unit].sum())
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    x = out["conversions"].to_numpy()
    n = out[unit].to_numpy()
    low, high = interval(x, n, conf, meth)
    out["rate"] = x / n
    out["low"] = low
    out["high"] = high
    return out


def _step_codes(column: pd.Series, steps: list[str]) -> np.ndarray:
    """Position of each row's value in ``steps`` (-1 when it is not a step), vectorised."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # one small lookup per category; the entry appended last answers code -1 (a missing value)
        lookup = np.append(pd.Index(steps).get_indexer(column.cat.categories), -1)
        return lookup[column.cat.codes.to_numpy()]
    return pd.Index(steps).get_indexer(column)


def _compact(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Renumber non-negative integer codes 0..m-1 (m = distinct codes), keeping their order."""
    used = np.bincount(codes) > 0
    new = np.cumsum(used) - 1
    return new[codes].astype(np.int64), int(used.sum())


def _arrow_text(ids: pd.Series) -> Any:
    """``ids`` as a pyarrow string array when every value is text, else None.

    None also when pyarrow is not installed (it is optional, e.g. in JupyterLite) or the ids
    are numbers or a mix of types. ``ids`` has no missing values. The array may be chunked.
    """
    if ids.dtype.kind not in ("O", "U"):
        return None
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        array = pa.array(ids.array)
    except (TypeError, ValueError, pa.ArrowException):  # ids that are not all text
        return None
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    return None


def _person_codes(ids: pd.Series) -> tuple[np.ndarray, int]:
    """Number the distinct ids 0..n-1: (one int64 code per row, n). ``ids`` has no missing values.

    Category codes already number the people (no hashing at all); text is hashed by pyarrow in
    C (about twice as fast as pandas' hash table of Python strings); anything else by
    ``pd.factorize``.
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return _compact(ids.cat.codes.to_numpy())
    text = _arrow_text(ids)  # pragma: no mutate (None here sends text to pd.factorize, which numbers the people the same way: the Arrow path only saves time)
    if text is None:
        codes, uniques = pd.factorize(ids)
        return codes, len(uniques)
    encoded = text.dictionary_encode()
    if not hasattr(encoded, "indices"):  # a chunked array: one dictionary for all chunks
        encoded = encoded.combine_chunks()
    return encoded.indices.to_numpy().astype(np.int64), len(encoded.dictionary)


def _count_by_category(key: pd.Series, flags: np.ndarray, name: str, unit: str) -> pd.DataFrame:
    """Conversions and rows per category in one pass over the codes (np.bincount).

    The same table as ``groupby(observed=True, dropna=False, sort=True)``, about 5x faster on
    10M rows: observed categories in category order, then a missing-value group if any.
    """
    k = len(key.cat.categories)
    slot = key.cat.codes.to_numpy().astype(np.intp)
    slot[slot < 0] = k  # missing values go to the last slot
    # one bincount over (slot, converted) pairs gives both counts in a single pass
    pairs = np.bincount(slot * 2 + flags, minlength=2 * (k + 1)).reshape(k + 1, 2)
    rows = pairs.sum(axis=1)
    hits = pairs[:, 1]
    seen = np.flatnonzero(rows)
    values = pd.Categorical.from_codes(
        np.where(seen == k, -1, seen), dtype=key.dtype
    )
    return pd.DataFrame({name: values, "conversions": hits[seen], unit: rows[seen]})  # int64 in _rates_from_counts


# --------------------------------------------------------------------------- funnel


def funnel(
    events: pd.DataFrame,
    steps: Sequence[str],
    *,
    person: str = "visitor_id",
    time: str = "timestamp",
    step_column: str = "event_name",
    ordered: bool = True,
) -> pd.DataFrame:
    """People reaching each step of a funnel, in order, with the drop-off between steps.

    A person is counted at step *k* when they reached every earlier step, and
    (with ``ordered=True``) when their first time at step *k-1* is at or before
    their first time at step *k*. Steps are values of ``step_column``: event
    names by default; pass ``step_column="page"`` for a funnel of pages.
    Events without a person are ignored (they cannot be followed).

    Parameters
    ----------
    events : DataFrame
        One row per event.
    steps : sequence of str
        The steps in order, at least one, without repeats.
    person, time, step_column : str
        Column names.
    ordered : bool, default True
        With ``False``, a person counts at step *k* when they reached all steps
        up to *k* in any order.

    Returns
    -------
    DataFrame
        ``step``, ``people``, ``step_rate`` (share of the previous step),
        ``overall_rate`` (share of the first step), ``drop_off`` (people lost
        since the previous step) and ``drop_off_share`` (``1 - step_rate``).
        ``people`` never increases from one step to the next.

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "a", "b", "b", "c"],
    ...     "event_name": ["page_view", "add_to_cart", "purchase", "page_view", "purchase", "page_view"],
    ...     "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:05", "2024-01-01 10:09",
    ...                                  "2024-01-02 09:00", "2024-01-02 09:01", "2024-01-03 12:00"])})
    >>> funnel(ev, ["page_view", "add_to_cart", "purchase"]).round(3)
              step  people  step_rate  overall_rate  drop_off  drop_off_share
    0    page_view       3      1.000         1.000         0           0.000
    1  add_to_cart       1      0.333         0.333         2           0.667
    2     purchase       1      1.000         0.333         0           0.000
    """
    func = "funnel"
    _need_frame(func, "events", events)
    if isinstance(steps, str) or not isinstance(steps, Sequence):
        raise TypeError(f"{func}(): steps must be a list of step names, e.g. ['page_view', 'purchase'], got {steps!r}.")
    steps = list(steps)
    if not steps:
        raise ValueError(f"{func}(): steps is empty; give at least one step.")
    if len(set(steps)) != len(steps):
        raise ValueError(f"{func}(): steps {steps} repeat a step; each step must appear once.")
    cols = [person, step_column] + ([time] if ordered else [])
    _need_columns(func, "events", events, cols, "Rename it or pass person=..., time=..., step_column=....")
    need_rows(func, "events", events, "Pass the events of the people to follow (data.load_events()).")
    k = len(steps)
    codes = _step_codes(events[step_column], steps)
    who = events[person]
    mask = (codes >= 0) & who.notna().to_numpy()
    pcodes, n_people = _person_codes(who[mask])
    slot = pcodes * k + codes[mask]
    seen = (np.bincount(slot, minlength=n_people * k) > 0).reshape(n_people, k)
    if ordered:
        t = events[time]
        datetimes = pd.api.types.is_datetime64_any_dtype(t.dtype)  # pragma: no mutate (pd.to_datetime keeps a datetime column's instants: the check saves a copy)
        if not (datetimes or pd.api.types.is_numeric_dtype(t.dtype)):
            try:
                t = pd.to_datetime(t, utc=True, format="ISO8601")
            except (ValueError, TypeError) as err:
                raise TypeError(
                    f"{func}(): column {time!r} must hold timestamps; it could not be read as dates "
                    f"({err}). Parse it with pd.to_datetime first."
                ) from None
        if pd.api.types.is_datetime64_any_dtype(t.dtype):
            # the column's own unit: only the order of times within the column matters
            tv = pd.DatetimeIndex(t).asi8[mask]
        else:
            tv = t.to_numpy()[mask]
            if np.issubdtype(tv.dtype, np.integer):
                tv = tv.astype("int64")
            else:
                tv = tv.astype("float64")  # pragma: no mutate (astype(None) is float64 too)
        missing_t = t.isna().to_numpy()[mask]
        if missing_t.any():
            raise ValueError(f"{func}(): column {time!r} has {int(missing_t.sum())} missing times among the funnel's events; drop those rows or fill their times first.")
        # each person's first time at each step: the minimum from the largest value the
        # dtype holds (a slot nobody filled keeps it; ``seen`` says which slots are real)
        first = np.full(n_people * k, np.iinfo("int64").max if tv.dtype.kind == "i" else np.inf)
        np.minimum.at(first, slot, tv)
        first = first.reshape(n_people, k)
        reached = np.empty((n_people, k), dtype=bool)
        reached[:, 0] = seen[:, 0]
        for j in range(1, k):  # loop over steps (a handful), not over people
            reached[:, j] = reached[:, j - 1] & seen[:, j] & (first[:, j - 1] <= first[:, j])
    else:
        reached = np.logical_and.accumulate(seen, axis=1)
    people = reached.sum(axis=0).astype("int64")
    prev = np.concatenate([[people[0]], people[:-1]])
    # a step after one nobody reached has no rate (n/a): divide by NaN, never by 0
    step_rate = people / np.where(prev > 0, prev, np.nan)
    overall = people / (people[0] if people[0] > 0 else np.nan)
    return pd.DataFrame(
        {
            "step": steps,
            "people": people,
            "step_rate": step_rate,
            "overall_rate": overall,
            "drop_off": prev - people,
            "drop_off_share": 1.0 - step_rate,
        }
    )


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class Comparison:
    """Two rates compared. Build it with :func:`compare`.

    Attributes
    ----------
    a, b : Rate
    names : tuple of str
        How the verdict names ``a`` and ``b``.
    difference, difference_low, difference_high : float
        ``a.value - b.value`` and its interval (Newcombe's hybrid score
        interval), as shares.
    ratio, ratio_low, ratio_high : float
        ``a.value / b.value`` and its interval (log method); ``nan`` when ``b``
        has no conversions.
    p_value : float
        Two-sided two-proportion z-test (pooled), 1.0 when neither side can differ.
    confidence : float
    verdict : str
        One plain sentence that does not claim more than the data support.
    """

    a: Rate
    b: Rate
    names: tuple[str, str]
    difference: float
    difference_low: float
    difference_high: float
    ratio: float
    ratio_low: float
    ratio_high: float
    p_value: float
    confidence: float
    verdict: str

    @property
    def significant(self) -> bool:
        """Whether the p-value is below ``1 - confidence`` and the interval excludes 0."""
        return _clear(self.p_value, 1 - self.confidence, self.difference_low, self.difference_high)

    def __repr__(self) -> str:
        na, nb = self.names
        return (
            f"Comparison({na}: {self.a.format()}; {nb}: {self.b.format()}; "
            f"difference {self.difference * 100:+.1f} points "
            f"({self.confidence * 100:g}% CI {self.difference_low * 100:+.1f} to "
            f"{self.difference_high * 100:+.1f}); {_fmt_p(self.p_value)})"
        )

    def __str__(self) -> str:
        return self.verdict


def _clear(p_value: float, alpha: float, low: float, high: float) -> bool:
    """A clear difference (compare's verdict, Comparison.significant): p < alpha and 0 outside."""
    return bool(p_value < alpha and (low > 0 or high < 0))


def compare(a: Rate, b: Rate, confidence: float = 0.95, *, names: tuple[str, str] = ("A", "B")) -> Comparison:
    """Compare two rates: difference, ratio, p-value and a plain verdict.

    Parameters
    ----------
    a, b : Rate
        From :func:`rate`, on independent groups (two pages, two channels).
    confidence : float, default 0.95
        For both intervals; the verdict calls a difference clear only when the
        p-value is below ``1 - confidence`` *and* the interval excludes 0.
    names : (str, str), default ("A", "B")
        Used in the verdict.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> c = compare(rate(120, 1000), rate(80, 1000))
    >>> print(c.verdict)
    A's rate is higher than B's by 4.0 points (95% CI 1.4 to 6.6); a difference this large would be unlikely if both converted equally (p = 0.003).
    >>> print(compare(rate(5, 50), rate(6, 50)).verdict)  # doctest: +NORMALIZE_WHITESPACE
    We cannot tell these apart with this much data: A converts at 10.0% and B at 12.0%, and the interval for the difference (-2.0 points, 95% CI -15.1 to 11.0) includes zero (p = 0.75).
    """
    func = "compare"
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Rate):
            raise TypeError(f"{func}(): {name} must be a Rate from rate(conversions, denominator), got {type(value).__name__}.")
    conf = _check_confidence(func, confidence)
    alpha = 1 - conf
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    x1, n1, x2, n2 = a.conversions, a.denominator, b.conversions, b.denominator
    diff = a.value - b.value
    d_low, d_high = confint_proportions_2indep(x1, n1, x2, n2, alpha=alpha)  # the default: Newcombe
    if x2 > 0 and x1 > 0:
        r_low, r_high = confint_proportions_2indep(
            x1, n1, x2, n2,
            method="log",  # pragma: no mutate (statsmodels lower-cases it: "LOG" is the same method)
            compare="ratio", alpha=alpha)
        ratio = a.value / b.value
    else:  # nobody converted on one side: a ratio of 0 (none in a) or none at all (none in b)
        ratio = 0.0 if x2 > 0 else np.nan
        r_low = r_high = np.nan
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        p_value = 1.0
    else:
        _, p_value = proportions_ztest([x1, x2], [n1, n2])
    na, nb = names
    d_low, d_high, p_value = float(d_low), float(d_high), float(p_value)
    clear = _clear(p_value, alpha, d_low, d_high)
    hint_ci = f"{conf * 100:g}% CI"
    if clear:
        a_higher = diff > 0  # pragma: no mutate (diff = 0 gives p = 1, never clear)
        hi, lo = (na, nb) if a_higher else (nb, na)
        lo_pts, hi_pts = (d_low, d_high) if a_higher else (-d_high, -d_low)
        verdict = (
            f"{hi}'s rate is higher than {lo}'s by {abs(diff) * 100:.1f} points "
            f"({hint_ci} {_pts(lo_pts)} to {_pts(hi_pts)}); a difference this large would be "
            f"unlikely if both converted equally ({_fmt_p(p_value)})."
        )
    else:
        verdict = (
            f"We cannot tell these apart with this much data: {na} converts at {_pct(a.value)} "
            f"and {nb} at {_pct(b.value)}, and the interval for the difference ({diff * 100:+.1f} "
            f"points, {hint_ci} {_pts(d_low)} to {_pts(d_high)}) includes zero "
            f"({_fmt_p(p_value)})."
        )
        if p_value < alpha or d_low > 0 or d_high < 0:
            verdict = (
                f"Borderline: {na} converts at {_pct(a.value)} and {nb} at {_pct(b.value)} "
                f"(difference {diff * 100:+.1f} points, {hint_ci} {_pts(d_low)} to "
                f"{_pts(d_high)}, {_fmt_p(p_value)}); the test and the interval disagree, "
                "so collect more data before deciding."
            )
    return Comparison(
        a=a,
        b=b,
        names=(na, nb),
        difference=diff,
        difference_low=d_low,
        difference_high=d_high,
        ratio=float(ratio),
        ratio_low=float(r_low),
        ratio_high=float(r_high),
        p_value=p_value,
        confidence=conf,
        verdict=verdict,
    )


# --------------------------------------------------------------------------- catalogue editor
# Lesson 04: a campaign's catalogue given as one choice per event, and what it counts.

#: The choice that takes an event out of a catalogue.
NOT_A_CONVERSION = "not a conversion"

#: What the catalogue editor offers for each event.
CATALOGUE_CHOICES: tuple[str, ...] = ("micro", "macro", NOT_A_CONVERSION)

#: Events the catalogue editor leaves out by default: a page view is traffic, not a goal.
NOT_OFFERED: tuple[str, ...] = ("page_view",)


def offered_events(events: pd.DataFrame, extra: Iterable[str] = ()) -> list[str]:
    """The events a catalogue editor offers: :data:`CATALOGUE`'s first, then the others by
    frequency, then ``extra``; never those of :data:`NOT_OFFERED`.

    >>> offered_events(pd.DataFrame({"event_name": ["page_view", "begin_checkout"]}))[-1]
    'begin_checkout'
    """
    _need_columns("offered_events", "events", events, ["event_name"], "Pass the events table (data.load_events()).")
    seen = events["event_name"].dropna().astype(str).value_counts().index.tolist()
    names = list(CATALOGUE) + [e for e in seen if e not in CATALOGUE]
    names += [str(e) for e in extra if str(e) not in names]
    return [e for e in names if e not in NOT_OFFERED]


def catalogue_from_choices(
    choices: Mapping[str, Any] | None = None, base: Catalogue | None = None
) -> Catalogue:
    """A :class:`Catalogue` from the editor's choices, one per event.

    Parameters
    ----------
    choices : mapping of str to str, optional
        ``event -> "micro" | "macro" | "not a conversion"`` (``None`` also means not a
        conversion). Events left out keep their kind in ``base``.
    base : Catalogue, optional
        The catalogue to start from; :data:`CATALOGUE` by default.

    Returns
    -------
    Catalogue

    Raises
    ------
    ValueError
        For a choice that is not one of :data:`CATALOGUE_CHOICES`.

    Examples
    --------
    >>> cat = catalogue_from_choices({"contact_form": "macro", "blog_comment": "not a conversion"})
    >>> cat.macro
    ('contact_form', 'purchase')
    >>> "blog_comment" in cat
    False
    """
    base = CATALOGUE if base is None else base
    overrides: dict[str, str | None] = {}
    for event, choice in dict(choices or {}).items():
        text = None if choice is None else str(choice).strip().lower()
        if text in (None, "", "none", "not a conversion"):
            overrides[str(event)] = None
        elif text in KINDS:
            overrides[str(event)] = text
        else:
            raise ValueError(
                f"catalogue_from_choices(): {choice!r} for event {event!r} is not a choice. "
                f"Use one of: {', '.join(repr(c) for c in CATALOGUE_CHOICES)}."
            )
    return catalogue(overrides, base=base)


@dataclass(frozen=True)
class CatalogueCounts:
    """What a catalogue gives on the data: conversions from leads, by kind and by event.

    Built by :func:`catalogue_counts`.

    Attributes
    ----------
    catalogue : Catalogue
        The catalogue counted with.
    by_event : DataFrame
        One row per offered event: ``kind`` (micro, macro or "not a conversion"),
        ``events`` (how many times leads did it) and ``leads`` (how many leads did it at
        least once).
    micro, macro : int
        Micro and macro conversions (events) made by leads.
    leads : int
        Leads with a visitor id (the people whose events can be counted).
    leads_with_micro, leads_with_macro : int
        Leads with at least one micro / macro conversion.
    """

    catalogue: Catalogue
    by_event: pd.DataFrame = field(compare=False)
    micro: int
    macro: int
    leads: int
    leads_with_micro: int
    leads_with_macro: int

    @property
    def headline(self) -> str:
        """The key figure as text."""
        return (
            f"From leads: {self.micro:,} micro and {self.macro:,} macro conversions; "
            f"{self.leads_with_macro:,} of {self.leads:,} leads have a macro conversion"
        )

    @property
    def value(self) -> int:
        """The leads with a macro conversion."""
        return self.leads_with_macro

    @property
    def summary(self) -> str:
        """The key figure as text (the same as :attr:`headline`)."""
        return self.headline

    def totals(self) -> pd.DataFrame:
        """Micro and macro side by side: conversions (events) and leads (people)."""
        return pd.DataFrame(
            {
                "conversions": [self.micro, self.macro],
                "leads with one or more": [self.leads_with_micro, self.leads_with_macro],
            },
            index=pd.Index(["micro", "macro"], name="kind"),
        )

    def __repr__(self) -> str:
        return f"CatalogueCounts({self.headline})"


def catalogue_counts(
    events: pd.DataFrame,
    leads: pd.DataFrame,
    choices: Mapping[str, Any] | None = None,
    *,
    offered: Iterable[str] | None = None,
    per: str = "visitor_id",
) -> CatalogueCounts:
    """Count the conversions leads made under a catalogue given as one choice per event.

    Only events of leads count (:func:`count` with ``leads=``); pass events without bots,
    e.g. from :func:`helpers.traffic.human_events_and_leads`.

    Parameters
    ----------
    events : DataFrame
        One row per event, with ``per`` and ``event_name``.
    leads : DataFrame
        The leads, with ``per`` (e.g. from ``leads.identify``).
    choices : mapping of str to str, optional
        ``event -> "micro" | "macro" | "not a conversion"``; events left out keep their kind
        in :data:`CATALOGUE` (events not in it are not conversions).
    offered : sequence of str, optional
        The events of the ``by_event`` table; by default :func:`offered_events`.
    per : str, default "visitor_id"
        The person column.

    Returns
    -------
    CatalogueCounts

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "a", "b", "b", "c"],
    ...     "event_name": ["newsletter_signup", "contact_form", "purchase",
    ...                    "newsletter_signup", "contact_form", "blog_comment"]})
    >>> people = pd.DataFrame({"visitor_id": ["a", "b"]})
    >>> catalogue_counts(ev, people)
    CatalogueCounts(From leads: 4 micro and 1 macro conversions; 1 of 2 leads have a macro conversion)
    >>> catalogue_counts(ev, people, {"contact_form": "macro"}).leads_with_macro
    2
    >>> catalogue_counts(ev, people, {"contact_form": "macro"}).by_event
                      kind  events  leads
    event
    newsletter_signup  micro       2      2
    blog_comment       micro       0      0
    social_follow      micro       0      0
    guide_download     micro       0      0
    contact_form       macro       2      2
    add_to_cart        micro       0      0
    purchase           macro       1      1
    """
    func = "catalogue_counts"
    need_table(func, "events", events, (per, "event_name"))
    need_table(func, "leads", leads, (per,))
    need_rows(func, "events", events, "Pass the events table (data.load_events()).")
    for name, frame, col in (("events", events, "timestamp"), ("leads", leads, "created_at")):
        _ = need_zone(func, name, frame[col], col) if col in frame.columns else None  # zones agree
    chosen = catalogue_from_choices(choices)
    names = list(offered) if offered is not None else offered_events(events, chosen)
    per_lead = count(events, chosen, per=per, leads=leads)
    every = Catalogue([Conversion(e, "micro") for e in names])
    per_event = count(events, every, per=per, leads=leads, by_event=True)[names]
    by_event = pd.DataFrame(
        {
            "kind": [chosen[e] if e in chosen else CATALOGUE_CHOICES[2] for e in names],
            "events": per_event.sum().to_numpy(dtype="int64"),
            "leads": (per_event > 0).sum().to_numpy(dtype="int64"),
        },
        index=pd.Index(names, name="event"),
    )
    return CatalogueCounts(
        chosen,
        by_event,
        micro=int(per_lead["micro"].sum()),
        macro=int(per_lead["macro"].sum()),
        leads=len(per_lead),
        leads_with_micro=int((per_lead["micro"] > 0).sum()),
        leads_with_macro=int((per_lead["macro"] > 0).sum()),
    )
