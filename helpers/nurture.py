"""Lead nurturing: the e-mail sequence, its hold-out, and what the e-mails did.

Brewlark sends each new lead a welcome and then one e-mail a week until the lead buys or the
sequence ends, and holds out a random share of its new leads who get none
(``nurture.csv``, written by :mod:`helpers.synth.nurture`). Two ways to read it:

- the **wrong** way: compare leads by how many e-mails they got. Leads who buy leave the
  sequence, so buyers got *fewer* e-mails: "more e-mails, fewer sales" is a selection effect,
  not what the e-mails do (:func:`emails_by_outcome` shows it);
- the **fair** way: compare the nurtured leads with the hold-out, over the same fixed time
  after each lead was created (:func:`effect`), since the hold-out was drawn at random.

The customer rate uses the kit's definitions: :func:`helpers.conversions.rate` with its
interval and :func:`helpers.conversions.compare` for the verdict; a lead counts as a customer
when its ``became_customer_at`` is within ``within_days`` of its ``created_at`` (a fixed
conversion window, lesson 05's fix for conversion lag).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frames import need_columns, need_frame, need_rows, need_unique, need_zone
from .conversions import Comparison, compare, rate

__all__ = ["NurtureEffect", "bought_by_day", "effect", "emails_by_outcome", "groups",
           "load_nurture", "validate_nurture"]


def load_nurture(path=None) -> pd.DataFrame:
    """Read the nurture e-mails (default: the kit's ``nurture.csv``), typed and checked.

    Examples
    --------
    >>> table = load_nurture()
    >>> sorted(table.columns)
    ['email', 'lead_id', 'sent_at', 'step']
    """
    from ._csv import data_file
    from .data import kit_data_dir

    func = "load_nurture"
    with data_file(func, path, kit_data_dir() / "nurture.csv",
                   "your e-mail log (columns lead_id, step, email, sent_at)") as where:
        raw = pd.read_csv(where, dtype={"lead_id": str, "email": str}, keep_default_na=False,
                          na_values={"sent_at": [""]})
    raw["sent_at"] = pd.to_datetime(raw["sent_at"], utc=True, format="ISO8601")
    return validate_nurture(raw, func=func)


def validate_nurture(table: pd.DataFrame, *, func: str = "validate_nurture") -> pd.DataFrame:
    """Check an e-mail log: ``lead_id``, ``step`` (0 = held out, 1, 2, ... = the e-mails in
    order), ``email``, ``sent_at`` (zone-aware; missing only for step 0). Nothing is dropped.

    A lead is either held out (one row, step 0) or nurtured (steps 1, 2, ... once each).
    """
    need_frame(func, "nurture", table)
    need_columns(func, "nurture", table, ["lead_id", "step", "email", "sent_at"],
                 "Pass the e-mail log: one row per e-mail sent (step 1, 2, ...) and one row with "
                 "step 0 per held-out lead.")
    out = table.copy()
    step = pd.to_numeric(out["step"], errors="coerce").astype("float64")
    if step.isna().any() or (step < 0).any() or (step % 1 != 0).any():
        bad = out.loc[(step.isna() | (step < 0) | (step % 1 != 0)).to_numpy(), "step"].head(3).tolist()
        raise ValueError(f"{func}(): column 'step' must hold whole numbers from 0, got e.g. "
                         f"{bad}. Fix: number the e-mails 1, 2, ... and mark held-out leads 0.")
    out["step"] = step.astype("int64")
    sent = out["sent_at"]
    if len(sent) and not pd.api.types.is_datetime64_any_dtype(sent):
        raise TypeError(f"{func}(): column 'sent_at' must hold times; got {sent.dtype}. Fix: "
                        "convert it with pd.to_datetime(..., utc=True).")
    if len(sent):
        out["sent_at"] = need_zone(func, "nurture", sent, "sent_at")
    missing = out["sent_at"].isna() & out["step"].gt(0)
    if missing.any():
        raise ValueError(f"{func}(): {int(missing.sum())} e-mail(s) (step > 0) have no sent_at, "
                         f"e.g. lead {out.loc[missing.to_numpy(), 'lead_id'].iloc[0]!r}. Fix: "
                         "fill the send time, or drop the rows of e-mails never sent.")
    need_unique(func, "nurture", out.assign(_key=out["lead_id"].astype(str) + "#"
                                            + out["step"].astype(str)), "_key")
    kinds = out.groupby("lead_id")["step"].agg(lambda s: (s.eq(0).any(), s.gt(0).any()))
    both = [lead for lead, (held, sent_any) in kinds.items() if held and sent_any]
    if both:
        raise ValueError(f"{func}(): lead(s) {both[:3]} are held out (step 0) and were sent "
                         "e-mails too. Fix: a lead is either held out or nurtured; correct "
                         "the log.")
    return out


def groups(nurture: pd.DataFrame) -> pd.Series:
    """``"nurtured"`` or ``"hold-out"`` per lead of the e-mail log, indexed by ``lead_id``.

    Examples
    --------
    >>> log = pd.DataFrame({"lead_id": ["L1", "L1", "L2"], "step": [1, 2, 0],
    ...     "email": ["welcome", "tips", ""],
    ...     "sent_at": pd.to_datetime(["2025-02-03", "2025-02-10", None], utc=True)})
    >>> groups(log).to_dict()
    {'L1': 'nurtured', 'L2': 'hold-out'}
    """
    return _groups(validate_nurture(nurture, func="groups"))


def _groups(log: pd.DataFrame) -> pd.Series:
    held = log.groupby("lead_id", sort=True)["step"].max().eq(0)
    return held.map({True: "hold-out", False: "nurtured"}).rename("group")


def emails_by_outcome(leads: pd.DataFrame, nurture: pd.DataFrame) -> pd.DataFrame:
    """E-mails received by the nurtured leads, by whether they became customers: the
    selection trap (buyers leave the sequence, so they got fewer). ``leads``, ``emails``
    (mean per lead) per ``became customer`` (True/False)."""
    func = "emails_by_outcome"
    log = validate_nurture(nurture, func=func)
    need_columns(func, "leads", leads, ["lead_id", "stage"], "Pass the CRM leads.")
    need_unique(func, "leads", leads, "lead_id")
    sent = log[log["step"].gt(0)].groupby("lead_id").size()
    need_rows(func, "nurture", sent, "Pass an e-mail log with at least one e-mail sent.")
    customer = leads.set_index("lead_id")["stage"].astype("string").eq("customer")
    missing = sent.index.difference(customer.index)
    if len(missing):
        raise ValueError(f"{func}(): {len(missing)} lead(s) of the e-mail log are not in leads, "
                         f"e.g. {list(missing[:3])}. Fix: pass the CRM the log belongs to.")
    frame = pd.DataFrame({"emails": sent, "became customer": customer.reindex(sent.index)
                          .fillna(False).astype(bool)})
    return frame.groupby("became customer")["emails"].agg(leads="size", emails="mean")


def _days_to_buy(func: str, crm: pd.DataFrame, who: pd.Series) -> pd.Series:
    """Days from each logged lead's creation to its purchase (missing: never bought), with
    lag's rule: a lead created by a purchase has no lag and is refused here (the sequence
    never writes to one; an analyst's log might)."""
    from .lag import bought_at_creation

    made = need_zone(func, "leads", crm["created_at"], "created_at").reindex(who.index)
    bought = need_zone(func, "leads", crm["became_customer_at"],
                       "became_customer_at").reindex(who.index)
    at_once = bought_at_creation(pd.DataFrame({"created_at": made, "became_customer_at": bought}))
    if at_once.any():
        raise ValueError(f"{func}(): {int(at_once.sum())} lead(s) of the e-mail log were created "
                         f"by a purchase (customers from their first moment), e.g. "
                         f"{list(who.index[at_once.to_numpy()][:3])}. Fix: leave them out of the "
                         "comparison; nurturing cannot have moved them.")
    return (bought - made).dt.total_seconds() / 86_400


def bought_by_day(leads: pd.DataFrame, nurture: pd.DataFrame, *,
                  days: tuple[int, ...] = (7, 14, 28, 42)) -> pd.DataFrame:
    """Time to customer, by group: the share of *all* each group's leads who had bought
    within each number of days of becoming a lead (a lag curve read at a few days).

    Read it across: the gap between the groups at each day is what the e-mails did to time
    to customer. (A median of days among buyers compares different people in each group: the
    hold-out's few buyers are not its typical leads.) The CRM must follow every lead for the
    longest number of days asked.

    Returns
    -------
    DataFrame
        Index ``days``; columns ``nurtured`` and ``hold-out`` (shares between 0 and 1).
    """
    func = "bought_by_day"
    need_columns(func, "leads", leads, ["lead_id", "created_at", "became_customer_at"],
                 "Pass the CRM leads (data.load_leads()).")
    need_unique(func, "leads", leads, "lead_id")
    log = validate_nurture(nurture, func=func)
    need_rows(func, "nurture", log, "Pass the e-mail log of the leads (nurture.load_nurture()).")
    who = _groups(log)
    crm = leads.set_index("lead_id")
    missing = who.index.difference(crm.index)
    if len(missing):
        raise ValueError(f"{func}(): {len(missing)} lead(s) of the e-mail log are not in leads, "
                         f"e.g. {list(missing[:3])}. Fix: pass the CRM the log belongs to.")
    if not days or any((not np.isfinite(d)) or d < 0 for d in days):
        raise ValueError(f"{func}(): days must be numbers of days from 0, got {days!r}.")
    lag = _days_to_buy(func, crm, who)
    table = {name: [float((lag[who.eq(name)] <= d).mean()) for d in days]
             for name in ("nurtured", "hold-out")}
    return pd.DataFrame(table, index=pd.Index(list(days), name="days"))


@dataclass(frozen=True)
class NurtureEffect:
    """What the e-mails did: the customer rate of each group within ``within_days`` of the
    lead's creation, and the comparison nurtured vs hold-out."""

    table: pd.DataFrame
    comparison: Comparison
    within_days: float

    @property
    def headline(self) -> str:
        n, h = self.table.loc["nurtured"], self.table.loc["hold-out"]
        verdict = ("clearly more often" if self.comparison.significant and n["rate"] > h["rate"]
                   else "not clearly differently" if not self.comparison.significant
                   else "clearly less often")
        return (f"Within {self.within_days:g} days, nurtured leads bought {verdict} than the "
                f"hold-out: {n['rate']:.1%} of {int(n['leads']):,} against {h['rate']:.1%} of "
                f"{int(h['leads']):,}.")


def effect(leads: pd.DataFrame, nurture: pd.DataFrame, *, within_days: float = 28,
           confidence: float = 0.95) -> NurtureEffect:
    """Nurtured vs hold-out: the share of each group who bought within ``within_days`` of
    becoming a lead, with intervals, the comparison, and the median days to buy.

    Parameters
    ----------
    leads : DataFrame
        The CRM (``lead_id``, ``created_at``, ``became_customer_at``).
    nurture : DataFrame
        The e-mail log (:func:`load_nurture`): which leads were nurtured or held out.
    within_days : float, default 28
        The fixed conversion window, the same for every lead (the data must follow every
        lead that long: the CRM export is at least this long after the last lead).

    Returns
    -------
    NurtureEffect
        ``table`` indexed by group (``nurtured``, ``hold-out``): ``leads``, ``customers``,
        ``rate``, ``low``, ``high``, ``median_days`` (of those who bought in the window);
        ``comparison`` nurtured vs hold-out (:func:`helpers.conversions.compare`).
    """
    func = "effect"
    if not np.isfinite(within_days) or within_days <= 0:
        raise ValueError(f"{func}(): within_days must be a positive number of days, got "
                         f"{within_days!r}.")
    need_columns(func, "leads", leads, ["lead_id", "created_at", "became_customer_at"],
                 "Pass the CRM leads (data.load_leads()).")
    need_unique(func, "leads", leads, "lead_id")
    log = validate_nurture(nurture, func=func)
    need_rows(func, "nurture", log, "Pass the e-mail log of the leads (nurture.load_nurture()).")
    who = _groups(log)
    crm = leads.set_index("lead_id")
    missing = who.index.difference(crm.index)
    if len(missing):
        raise ValueError(f"{func}(): {len(missing)} lead(s) of the e-mail log are not in leads, "
                         f"e.g. {list(missing[:3])}. Fix: pass the CRM the log belongs to.")
    days = _days_to_buy(func, crm, who)
    in_window = days.le(within_days).fillna(False)
    rows, rates = [], {}
    for name in ("nurtured", "hold-out"):
        mine = who.eq(name)
        if not mine.any():
            raise ValueError(f"{func}(): nurture has no {name} lead, so there is nothing to "
                             "compare. Fix: hold out a random share of the new leads (step 0).")
        r = rate(int(in_window[mine].sum()), int(mine.sum()), confidence=confidence, unit="leads")
        rates[name] = r
        rows.append({"group": name, "leads": r.denominator, "customers": r.conversions,
                     "rate": r.value, "low": r.low, "high": r.high,
                     "median_days": float(days[mine & in_window].median())
                     if (mine & in_window).any() else np.nan})
    table = pd.DataFrame(rows).set_index("group")
    return NurtureEffect(table, compare(rates["nurtured"], rates["hold-out"], confidence),
                         float(within_days))
