"""``spend``: what Brewlark pays per channel and day (the campaign-spend file, ``spend.csv``).

Invented figures in a plausible range for a small online shop, made from the sessions so
that spend follows traffic:

- **paid_search**: cost per click, about EUR 0.85 a click (log-normal around it per day);
  every session of the day that arrived through paid search is a billed click, *bots
  included*: ad platforms refund some invalid clicks, not all, which is one reason bots cost
  money;
- **social** (promoted posts): about EUR 0.40 a click on the 60% of social sessions that came
  from a paid post (the rest are organic shares, which cost nothing);
- **email**: the e-mail service's flat fee, EUR 4.50 a day, whatever the traffic.

Organic search, referral and direct traffic have no media cost and no rows. The draws come
from their own random stream (``default_rng([seed, 7])``), so adding this file changes no
byte of the other four.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Average cost per click (EUR) of the channels billed per click.
COST_PER_CLICK = {"paid_search": 0.85, "social": 0.40}
#: Share of the channel's sessions that are billed clicks (the rest arrive unpaid).
PAID_SHARE = {"paid_search": 1.0, "social": 0.6}
#: Channels with a flat fee per day (EUR), whatever the traffic.
DAILY_FEE = {"email": 4.50}
#: Day-to-day spread of the cost per click (sigma of the log-normal).
CPC_SPREAD = 0.2
_STREAM = 7


def spend(sessions: pd.DataFrame, seed: int, start: str, days: int) -> pd.DataFrame:
    """Spend per channel and day: ``date``, ``channel``, ``clicks``, ``spend`` (EUR).

    Parameters
    ----------
    sessions : DataFrame
        The generated sessions (``started_at``, ``channel``).
    seed : int
        The data set's seed; the spend draws use their own stream of it.
    start, days :
        The traffic window: one row per billed channel and day of it, zero clicks included.

    Examples
    --------
    >>> s = pd.DataFrame({"started_at": pd.to_datetime(["2025-02-03 10:00"], utc=True),
    ...                   "channel": ["paid_search"]})
    >>> spend(s, seed=1, start="2025-02-03", days=1)[["date", "channel", "clicks"]].values.tolist()
    [['2025-02-03', 'email', 0], ['2025-02-03', 'paid_search', 1], ['2025-02-03', 'social', 0]]
    """
    rng = np.random.default_rng([seed, _STREAM])
    dates = pd.date_range(pd.Timestamp(start), periods=days, freq="D").strftime("%Y-%m-%d")
    day = sessions["started_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d")
    channels = sorted([*COST_PER_CLICK, *DAILY_FEE])
    sessions_per_day = (pd.crosstab(day, sessions["channel"].astype(str))
                        .reindex(index=dates, columns=channels, fill_value=0))
    rows = []
    for channel in channels:
        n = sessions_per_day[channel].to_numpy()
        if channel in COST_PER_CLICK:
            clicks = rng.binomial(n, PAID_SHARE[channel])
            cpc = COST_PER_CLICK[channel] * rng.lognormal(-CPC_SPREAD**2 / 2, CPC_SPREAD, len(n))
            cost = clicks * cpc
        else:
            clicks = np.zeros(len(n), dtype=np.int64)
            cost = np.full(len(n), DAILY_FEE[channel])
        rows.append(pd.DataFrame({"date": dates, "channel": channel, "clicks": clicks,
                                  "spend": np.round(cost, 2)}))
    out = pd.concat(rows, ignore_index=True).sort_values(["date", "channel"], kind="stable")
    return out.reset_index(drop=True).astype({"clicks": "int64", "spend": "float64"})
