"""Money: what the leads of each channel cost and what their customers bring back.

The source articles call conversions the return on what marketing spends. With the spend file
(``spend.csv``: EUR per channel and day, from ``python -m helpers.synth``) and the leads you
count, :func:`channel_returns` gives per channel, each with its denominator named:

- **cost per lead** = spend / leads;
- **cost per customer** (cost per acquisition, CPA) = spend / customers;
- **revenue** = the customers' first orders, and **return on ad spend** (ROAS) = revenue / spend;
- **customer rate** = customers / leads, a ratio of counts, so it comes with its interval
  (:func:`helpers.conversions.rate`).

A lead belongs to the channel of its visitor's first session (first-touch attribution,
:func:`helpers.traffic.first_touch`); leads without a web visit (trade show, shop) belong to no
channel and are left out, and said so in the table's ``attrs``. Channels without spend have a
spend of 0 and no cost figures (``NaN``): their leads are not free, their cost is elsewhere
(content, time), which a spend file does not show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._frames import need_frame, need_numbers, need_rows, need_table, need_unique
from .conversions import rate
from .traffic import first_touch

__all__ = ["channel_returns", "load_spend", "validate_spend"]

_SPEND_COLUMNS = ("date", "channel", "clicks", "spend")


def validate_spend(spend: pd.DataFrame) -> pd.DataFrame:
    """Check a spend table: the columns, no negative or missing spend or clicks, one row per
    channel and day. Returns it unchanged; raises with the column and the fix otherwise.

    Examples
    --------
    >>> validate_spend(pd.DataFrame({"date": ["2025-02-03"], "channel": ["email"],
    ...                              "clicks": [0], "spend": [-1.0]}))
    Traceback (most recent call last):
    ...
    ValueError: validate_spend(): spend has 1 negative or missing value(s), e.g. row 0: -1.0. Fix: write the amount spent, 0 for none.
    """
    func = "validate_spend"
    need_table(func, "spend", spend, _SPEND_COLUMNS)
    for column, what in (("spend", "the amount spent, 0 for none"), ("clicks", "the billed clicks, 0 for none")):
        values = pd.to_numeric(spend[column], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            first = bad.to_numpy().nonzero()[0][0]
            raise ValueError(
                f"{func}(): {column} has {int(bad.sum())} negative or missing value(s), e.g. row "
                f"{spend.index[first]!r}: {spend[column].tolist()[first]!r}. Fix: write {what}."
            )
    repeated = spend.duplicated(["date", "channel"], keep=False)
    if repeated.any():
        pairs = spend.loc[repeated, ["date", "channel"]].astype(str).agg(" ".join, axis=1)
        raise ValueError(
            f"{func}(): spend has {int(repeated.sum())} rows for the same channel and day, e.g. "
            f"{', '.join(pairs.unique()[:3])}. Fix: add them up into one row per channel and day."
        )
    return spend


def load_spend(path: str | Path | None = None) -> pd.DataFrame:
    """Read the spend file (default: the kit's ``spend.csv``), typed and validated.

    Returns
    -------
    DataFrame
        ``date`` (UTC midnight of the day), ``channel``, ``clicks`` (int), ``spend`` (EUR).

    Examples
    --------
    >>> bool(load_spend()["spend"].sum() > 0)
    True
    """
    from ._csv import data_file
    from .data import kit_data_dir

    with data_file("load_spend", path, kit_data_dir() / "spend.csv",
                   f"your spend CSV (columns {', '.join(_SPEND_COLUMNS)})") as where:
        raw = pd.read_csv(where, dtype={"date": str, "channel": str})
    validate_spend(raw)
    return pd.DataFrame({
        "date": pd.to_datetime(raw["date"], utc=True, format="ISO8601"),
        "channel": raw["channel"].astype(str),
        "clicks": raw["clicks"].astype("int64"),
        "spend": raw["spend"].astype("float64"),
    })


def channel_returns(
    spend: pd.DataFrame,
    sessions: pd.DataFrame,
    leads: pd.DataFrame,
    *,
    customer: str = "is_customer",
    revenue: str = "first_order_value",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Spend, leads, customers, revenue and their ratios per channel.

    Parameters
    ----------
    spend : DataFrame
        From :func:`load_spend` (``channel``, ``clicks``, ``spend``), for the same period.
    sessions : DataFrame
        Human sessions (bots filtered out), for first-touch channels.
    leads : DataFrame
        The leads to count, one row each, with ``visitor_id``, a boolean ``customer`` column and
        ``revenue`` (missing counts as 0). Apply the lead definitions first (created in the
        window, not spam, not created by a purchase): this function counts what it is given.
    customer, revenue : str
        Column names in ``leads``.
    confidence : float, default 0.95
        For the interval of the customer rate.

    Returns
    -------
    DataFrame
        One row per channel (channels in ``sessions`` or ``spend``): ``spend``, ``clicks``,
        ``leads``, ``customers``, ``revenue``, ``cost_per_lead``, ``cost_per_customer``,
        ``roas``, ``customer_rate``, ``low``, ``high``. ``attrs["unattributed"]``: the leads
        without a web visit, left out.

    Examples
    --------
    >>> s = pd.DataFrame({"visitor_id": ["a", "b"], "channel": ["email", "direct"],
    ...     "started_at": pd.to_datetime(["2025-02-03", "2025-02-03"], utc=True)})
    >>> ld = pd.DataFrame({"visitor_id": ["a", "b", None], "is_customer": [True, False, True],
    ...                    "first_order_value": [40.0, None, 90.0]})
    >>> sp = pd.DataFrame({"channel": ["email"], "clicks": [0], "spend": [20.0]})
    >>> t = channel_returns(sp, s, ld)
    >>> t[["channel", "spend", "leads", "customers", "cost_per_lead", "roas"]].values.tolist()
    [['direct', 0.0, 1, 0, nan, nan], ['email', 20.0, 1, 1, 20.0, 2.0]]
    >>> t.attrs["unattributed"]
    1
    """
    func = "channel_returns"
    need_table(func, "spend", spend, ("channel", "clicks", "spend"))
    need_table(func, "leads", leads, ("visitor_id", customer, revenue))
    need_frame(func, "sessions", sessions)
    need_rows(func, "spend", spend, "Pass the spend table (money.load_spend()).")
    amounts = need_numbers(func, spend, "spend", "fill a day without spend with 0.")
    clicks = need_numbers(func, spend, "clicks", "fill a day without clicks with 0.")
    if (amounts < 0).any() or (clicks < 0).any():
        raise ValueError(
            f"{func}(): spend has {int(((amounts < 0) | (clicks < 0)).sum())} row(s) with a negative "
            "spend or clicks; check the export (a refund is not a negative spend) and fix those rows."
        )
    if "date" in spend.columns:
        day = pd.DataFrame({"date and channel": spend["date"].astype(str) + " " + spend["channel"].astype(str)})
        need_unique(func, "spend", day, "date and channel",
                    "Sum them first, e.g. spend.groupby(['date', 'channel'], as_index=False)"
                    "[['spend', 'clicks']].sum().")
    is_customer = leads[customer]
    if not (pd.api.types.is_bool_dtype(is_customer) and not is_customer.isna().any()):
        raise TypeError(
            f"{func}(): leads[{customer!r}] must be True/False for every lead; got "
            f"{is_customer.dtype}. Fix: e.g. leads['stage'].eq('customer')."
        )
    channel_of = first_touch(sessions).set_index("visitor_id")["channel"].astype(str)
    lead_channel = leads["visitor_id"].map(channel_of)
    attributed = lead_channel.notna().to_numpy()
    frame = pd.DataFrame({
        "channel": lead_channel[attributed].to_numpy(),
        "customer": is_customer[attributed].to_numpy(dtype=bool),
        "revenue": pd.to_numeric(leads[revenue], errors="coerce").fillna(0.0)[attributed].to_numpy()
        * is_customer[attributed].to_numpy(dtype=bool),
    })
    per_lead = frame.groupby("channel").agg(leads=("customer", "size"), customers=("customer", "sum"),
                                            revenue=("revenue", "sum"))
    paid = pd.DataFrame({"channel": spend["channel"].astype(str).to_numpy(), "spend": amounts,
                         "clicks": clicks}).groupby("channel")[["spend", "clicks"]].sum()
    channels = sorted(set(per_lead.index) | set(paid.index) | set(channel_of.unique()))
    out = pd.DataFrame(index=pd.Index(channels, name="channel"))
    out["spend"] = paid["spend"].reindex(channels).fillna(0.0).astype(float)
    out["clicks"] = paid["clicks"].reindex(channels).fillna(0).astype("int64")
    for col in ("leads", "customers"):
        out[col] = per_lead[col].reindex(channels).fillna(0).astype("int64")
    out["revenue"] = per_lead["revenue"].reindex(channels).fillna(0.0).astype(float)
    has_spend = out["spend"] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_per_lead"] = np.where(has_spend & (out["leads"] > 0), out["spend"] / out["leads"], np.nan)
        out["cost_per_customer"] = np.where(has_spend & (out["customers"] > 0),
                                            out["spend"] / out["customers"], np.nan)
        out["roas"] = np.where(has_spend, out["revenue"] / out["spend"], np.nan)
    rates = [rate(c, n, confidence) if n else None for c, n in zip(out["customers"], out["leads"], strict=True)]
    out["customer_rate"] = [r.value if r else np.nan for r in rates]
    out["low"] = [r.low if r else np.nan for r in rates]
    out["high"] = [r.high if r else np.nan for r in rates]
    result = out.reset_index()
    result.attrs["unattributed"] = int((~attributed).sum())
    return result
