"""``nurture``: the e-mail sequence Brewlark sends its new leads (``nurture.csv``).

Lead nurturing keeps in touch with leads who are not ready to buy: a welcome, then one
e-mail a week (:data:`STEPS`), until the lead buys or the sequence ends. Brewlark holds out a
random fifth of its new leads, who get none, so that it can measure what the e-mails do.

Which leads: those created in the traffic window with an e-mail address, except the ones
created by a purchase (customers from their first moment). Each e-mail goes out at the
lead's ``created_at`` plus a whole number of weeks; the sequence stops at the first e-mail
after the lead became a customer, and at the CRM's export (the last ``became_customer_at``
in the file), so **leads who buy early get fewer e-mails**: a selection effect the lesson
shows before the fair comparison.

The effect is built in, and says so here and in ``data/README.md``: the existing leads and
their outcomes are never changed (no other file moves), so the hold-out is drawn *given*
the outcome. A lead that never bought is held out with probability :data:`HOLD_OUT`; a
customer with a probability that grows with the days it took to buy (:func:`_hold_out_odds`),
so the nurtured group buys more often and sooner. The draws use their own random stream
(``default_rng([seed, 11])``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

#: The e-mails, in order: the first on the day the lead is created, then one a week.
STEPS: tuple[str, ...] = (
    "welcome", "brewing basics", "choosing beans", "customer stories", "first-order offer",
    "last call",
)
#: Share of the leads that never bought who are held out (get no e-mail).
HOLD_OUT = 0.2
_STREAM = 11


def _hold_out_odds(days_to_buy: np.ndarray) -> np.ndarray:
    """Hold-out probability of a customer: 5% for one who bought at once, rising to 35% for
    one who took six weeks or more (the built-in effect: nurtured leads buy sooner)."""
    return 0.05 + 0.30 * np.clip(days_to_buy / 42.0, 0.0, 1.0)


def nurture(leads: pd.DataFrame, seed: int, start: str, days: int) -> pd.DataFrame:
    """The nurture e-mails sent, one row each: ``lead_id``, ``step`` (1 = welcome),
    ``email``, ``sent_at``; hold-out leads appear with ``step`` 0 and no ``sent_at``, so the
    file says who was held out.

    Parameters
    ----------
    leads : DataFrame
        The generated CRM (``lead_id``, ``created_at``, ``lead_source``, ``email``,
        ``became_customer_at``).
    seed, start, days :
        The data set's seed and traffic window.

    Examples
    --------
    >>> crm = pd.DataFrame({"lead_id": ["L1"], "lead_source": ["newsletter_signup"],
    ...     "email": ["a@example.com"], "created_at": pd.to_datetime(["2025-02-03"], utc=True),
    ...     "became_customer_at": pd.to_datetime([None], utc=True)})
    >>> sorted(nurture(crm, seed=1, start="2025-02-03", days=7)["step"].unique().tolist()) in ([0], [1, 2, 3, 4, 5, 6])
    True
    """
    rng = np.random.default_rng([seed, _STREAM])
    begin = pd.Timestamp(start, tz="UTC")
    finish = begin + pd.Timedelta(days=days)
    created = leads["created_at"].dt.tz_convert("UTC")
    email = leads["email"].astype("string").str.strip()
    eligible = ((created >= begin) & (created < finish)
                & leads["lead_source"].astype("string").ne("purchase")
                & email.notna() & email.ne("")).to_numpy(dtype=bool)
    chosen = leads[eligible]
    bought = chosen["became_customer_at"].dt.tz_convert("UTC")
    days_to_buy = ((bought - chosen["created_at"].dt.tz_convert("UTC")).dt.total_seconds()
                   / 86400).to_numpy(dtype=float)
    odds = np.where(np.isnan(days_to_buy), HOLD_OUT, _hold_out_odds(np.nan_to_num(days_to_buy)))
    held = rng.random(len(chosen)) < odds
    export = leads["became_customer_at"].max()
    export = finish if pd.isna(export) else max(export.tz_convert("UTC"), finish)
    rows = []
    for lead_id, made, buy, hold in zip(chosen["lead_id"], chosen["created_at"], bought, held,
                                        strict=True):
        if hold:
            rows.append((lead_id, 0, "", pd.NaT))
            continue
        for number, name in enumerate(STEPS):
            sent = made.tz_convert("UTC") + pd.Timedelta(weeks=number)
            if sent > export:
                break
            rows.append((lead_id, number + 1, name, sent))
            if pd.notna(buy) and sent >= buy:
                break  # the sequence stops once the lead has bought
    out = pd.DataFrame(rows, columns=["lead_id", "step", "email", "sent_at"])
    out["sent_at"] = pd.to_datetime(out["sent_at"], utc=True)
    return out.astype({"step": "int64"})


def write_nurture(table: pd.DataFrame, folder: str | Path) -> Path:
    """Write the e-mails as ``nurture.csv``: times as ISO-8601 UTC with ``Z``, stable bytes."""
    path = Path(folder) / "nurture.csv"
    sent = table["sent_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["lead_id", "step", "email", "sent_at"])
        writer.writerows(zip(table["lead_id"], table["step"].astype(str), table["email"], sent,
                             strict=True))
    return path
