"""Conversion lag: a lead buys weeks after it arrived, so a rate read too early is too low.

- :func:`bought_at_creation`: the leads whose lead record *was* a purchase (a customer
  from its first moment: reported on its own line, never in a lead -> purchase rate);
- :func:`conversion_lag`: how many of a cohort's customers were known 0, 1, 2... weeks
  after the window closed;
- :func:`lag_curve`: the share of eventual customers known after each number of days;
- :func:`cohort_rates`: weekly cohorts compared fairly: read once mature, or each lead given
  the same fixed conversion window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._frames import need_columns as _need_columns
from ._frames import need_frame as _need_frame
from ._frames import need_rows as _need_rows
from ._frames import need_times as _need_times
from ._frames import need_unique as _need_unique
from .conversions import rate

__all__ = ["bought_at_creation", "cohort_rates", "conversion_lag", "lag_curve"]



def bought_at_creation(
    leads: pd.DataFrame, *, created: str = "created_at", converted_at: str = "became_customer_at"
) -> pd.Series:
    """True for leads whose lead record *was* a purchase: customers from their first moment.

    Their customer date is not after their creation date. Such a lead never "went on to buy":
    it is reported on its own line, never in the numerator (or denominator) of a
    lead -> customer rate.

    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01", "2025-01-01"], utc=True),
    ...     "became_customer_at": pd.to_datetime(["2025-01-01", "2025-01-09"], utc=True)})
    >>> bought_at_creation(leads).tolist()
    [True, False]
    """
    func = "bought_at_creation"
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, [created, converted_at],
                  "Pass created= and converted_at= with your column names.")
    leads = _need_times(func, "leads", leads, [created, converted_at])
    if leads[created].isna().any():
        raise ValueError(f"{func}(): leads has {int(leads[created].isna().sum())} lead(s) without "
                         f"{created}; a lag starts at creation: drop or fill them first.")
    return (leads[converted_at].notna() & (leads[converted_at] <= leads[created])).rename(
        "bought_at_creation")


def _checked_leads(func: str, leads: pd.DataFrame, created: str, converted_at: str) -> pd.DataFrame:
    """The leads with both times in UTC, after the checks every lag function shares: a
    frame with both columns, zoned times, a creation time on every lead, rows, unique ids."""
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, [created, converted_at],
                  "Pass created= and converted_at= with your column names.")
    leads = _need_times(func, "leads", leads, [created, converted_at])
    if leads[created].isna().any():
        raise ValueError(f"{func}(): leads has {int(leads[created].isna().sum())} lead(s) without "
                         f"{created}; a lag starts at creation: drop or fill them first.")
    _need_rows(func, "leads", leads, "Pass the CRM export (data.load_leads()).")
    if "lead_id" in leads.columns:
        _need_unique(func, "leads", leads, "lead_id")
    return leads


def conversion_lag(
    leads: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    weeks: Sequence[float] = (0, 1, 2, 4, 6),
    created: str = "created_at",
    converted_at: str = "became_customer_at",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The same lead -> customer rate, read at the window's end and 1, 2, 4... weeks later.

    Sales arrive after the leads: a CRM read on the last day of the traffic window knows only
    the customers who bought fast, so a rate read too early understates. The leads are those
    created between ``start`` and ``end``, without the ones that :func:`bought_at_creation`;
    a lead counts as a customer at a reading when its ``converted_at`` is on or before it.

    Returns
    -------
    DataFrame
        One row per reading: ``weeks_after`` the window's end, ``read_at``, ``customers``,
        ``leads``, ``rate``, ``low``, ``high``.

    Examples
    --------
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-02"] * 4, utc=True),
    ...     "became_customer_at": pd.to_datetime(["2025-01-05", "2025-01-20", None, None], utc=True)})
    >>> conversion_lag(leads, "2025-01-01", "2025-01-10", weeks=(0, 2))[["weeks_after", "customers", "leads"]]
       weeks_after  customers  leads
    0            0          1      4
    1            2          2      4
    """
    func = "conversion_lag"
    leads = _checked_leads(func, leads, created, converted_at)
    zone = getattr(leads[created].dt, "tz", None)
    begin, finish = (pd.Timestamp(t) for t in (start, end))
    if zone is not None:
        begin, finish = (t.tz_localize(zone) if t.tzinfo is None else t for t in (begin, finish))
    if finish < begin:
        raise ValueError(f"{func}(): end ({finish}) is before start ({begin}).")
    in_window = (leads[created] >= begin) & (leads[created] <= finish)
    cohort = leads.loc[in_window & ~bought_at_creation(leads, created=created,
                                                        converted_at=converted_at)]
    rows = []
    for after in weeks:
        read_at = finish + pd.Timedelta(weeks=float(after))
        known = int((cohort[converted_at] <= read_at).sum())
        r = rate(known, len(cohort), confidence=confidence, unit="leads") if len(cohort) else None
        rows.append({"weeks_after": after, "read_at": read_at, "customers": known,
                     "leads": len(cohort), "rate": r.value if r else np.nan,
                     "low": r.low if r else np.nan, "high": r.high if r else np.nan})
    return pd.DataFrame(rows)


def lag_curve(
    leads: pd.DataFrame,
    *,
    days: int = 60,
    created: str = "created_at",
    converted_at: str = "became_customer_at",
) -> pd.DataFrame:
    """Of the leads who went on to buy, the share who had bought within 0, 1, ... ``days`` days.

    Leads that :func:`bought_at_creation` are left out (their lag is not a lag).

    Returns
    -------
    DataFrame
        ``days`` and ``share`` (between 0 and 1), one row per day.
    """
    func = "lag_curve"
    leads = _checked_leads(func, leads, created, converted_at)
    later = leads.loc[leads[converted_at].notna() & ~bought_at_creation(
        leads, created=created, converted_at=converted_at)]
    lag = ((later[converted_at] - later[created]).dt.total_seconds() / 86_400).to_numpy()
    grid = np.arange(days + 1)
    share = (np.searchsorted(np.sort(lag), grid, side="right") / len(lag)) if len(lag) else \
        np.full(len(grid), np.nan)
    return pd.DataFrame({"days": grid, "share": share})


def cohort_rates(
    leads: pd.DataFrame,
    start: Any,
    end: Any,
    read_at: Any,
    *,
    within_days: float | None = None,
    cohort_days: int = 7,
    created: str = "created_at",
    converted_at: str = "became_customer_at",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The lead -> customer rate of each weekly cohort, as a CRM read at ``read_at`` knows it.

    Comparing cohorts read on the same day is unfair to the young ones: they have had less
    time to buy. The two fixes, both here: read later, once every cohort is **mature**, or give
    every lead the same fixed **conversion window** (``within_days``: only purchases within
    that many days of the lead count), and read once the youngest lead has had it in full.

    The leads are those created between ``start`` and ``end``, without the ones that
    :func:`bought_at_creation`; cohort ``k`` holds those created ``k * cohort_days`` to
    ``(k + 1) * cohort_days`` days after ``start``'s midnight.

    Returns
    -------
    DataFrame
        One row per cohort: ``cohort`` (its first day), ``leads``, ``customers``, ``rate``,
        ``low``, ``high`` and ``complete``: True when every lead of the cohort has had its
        whole conversion window by ``read_at`` (always False without ``within_days``: more
        sales may come).

    Examples
    --------
    >>> leads = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-09"], utc=True),
    ...     "became_customer_at": pd.to_datetime(["2025-01-03", "2025-01-30", "2025-01-12"], utc=True)})
    >>> t = cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-01-20", within_days=7)
    >>> t[["leads", "customers", "complete"]].values.tolist()
    [[2, 1, True], [1, 1, False]]
    """
    func = "cohort_rates"
    if isinstance(cohort_days, bool) or not isinstance(cohort_days, int | np.integer) or cohort_days < 1:
        raise ValueError(f"{func}(): cohort_days must be a whole number of days, at least 1, got {cohort_days!r}.")
    if within_days is not None and not within_days > 0:
        raise ValueError(f"{func}(): within_days must be a number of days above 0 (or None), got {within_days!r}.")
    leads = _checked_leads(func, leads, created, converted_at)
    zone = getattr(leads[created].dt, "tz", None)
    begin, finish, read = (pd.Timestamp(t) for t in (start, end, read_at))
    if zone is not None:
        begin, finish, read = (t.tz_localize(zone) if t.tzinfo is None else t for t in (begin, finish, read))
    if finish < begin:
        raise ValueError(f"{func}(): end ({finish}) is before start ({begin}).")
    if read < finish:
        raise ValueError(f"{func}(): read_at ({read}) is before end ({finish}); read the CRM after the window.")
    in_window = (leads[created] >= begin) & (leads[created] <= finish)
    cohort = leads.loc[in_window & ~bought_at_creation(leads, created=created, converted_at=converted_at),
                       [created, converted_at]]
    origin = begin.normalize()
    number = ((cohort[created] - origin) // pd.Timedelta(days=cohort_days)).astype("int64")
    won = cohort[converted_at].le(read)
    if within_days is not None:
        won &= (cohort[converted_at] - cohort[created]).le(pd.Timedelta(days=float(within_days)))
    rows = []
    for k in range(int((finish - origin) // pd.Timedelta(days=cohort_days)) + 1):
        mine = (number == k).to_numpy()
        n, x = int(mine.sum()), int(won[mine].sum())
        first_day = origin + pd.Timedelta(days=k * cohort_days)
        youngest = min(first_day + pd.Timedelta(days=cohort_days), finish)
        r = rate(x, n, confidence=confidence, unit="leads") if n else None
        rows.append({
            "cohort": first_day, "leads": n, "customers": x,
            "rate": r.value if r else np.nan, "low": r.low if r else np.nan, "high": r.high if r else np.nan,
            "complete": bool(within_days is not None
                             and youngest + pd.Timedelta(days=float(within_days)) <= read),
        })
    return pd.DataFrame(rows)
