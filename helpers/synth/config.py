"""The generator's knobs: ``SynthConfig`` and ``Propensities``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


# -------------------------------------------------------------------------- config
@dataclass(frozen=True)
class Propensities:
    """Multipliers on the default conversion probabilities (1.0 = the kit's default).

    Examples
    --------
    >>> Propensities(guide_download=2.0).guide_download
    2.0
    """

    newsletter_signup: float = 1.0
    guide_download: float = 1.0
    contact_form: float = 1.0
    blog_comment: float = 1.0
    social_follow: float = 1.0
    add_to_cart: float = 1.0
    purchase: float = 1.0


_EARLIEST_START = pd.Timestamp("1980-01-01")  # loyal customers' leads are up to 900 days older
_LATEST_END = pd.Timestamp("2200-01-01")  # sales follow up to 45 days later; pandas ends in 2262
_MAX_DAYS = 3660


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator; the defaults make the committed ``data/`` files.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``: a whole number, 0 or more.
    start : str
        First day of the traffic window (UTC date, ``YYYY-MM-DD``), from 1980 on.
    days : int
        Length of the window in days, 1 to 3660; the window ends before 2200.
    visitors : int
        Human visitors (browsers), at least 10; bots come on top, see ``bot_share``.
    bot_share : float
        Share of all sessions that are bots, between 0 and 0.9.
    propensities : Propensities
        Multipliers on conversion probabilities.
    trade_show_leads : int or None
        Offline leads from the trade show; default scales with ``visitors`` (120 per 12,000).
    duplicate_events : int
        How many conversion events are recorded twice (exact duplicate rows).

    Examples
    --------
    >>> SynthConfig().days
    28
    >>> SynthConfig(bot_share=1.5)
    Traceback (most recent call last):
    ...
    ValueError: SynthConfig(): bot_share must be between 0 and 0.9, got 1.5.
    """

    seed: int = 2025
    start: str = "2025-02-03"
    days: int = 28
    visitors: int = 12_000
    bot_share: float = 0.22
    propensities: Propensities = field(default_factory=Propensities)
    trade_show_leads: int | None = None
    duplicate_events: int = 6

    def __post_init__(self) -> None:
        if not 0 <= self.bot_share <= 0.9:
            raise ValueError(
                f"SynthConfig(): bot_share must be between 0 and 0.9, got {self.bot_share}.")
        if self.days < 1:
            raise ValueError(f"SynthConfig(): days must be at least 1, got {self.days}.")
        if self.days > _MAX_DAYS:
            raise ValueError(
                f"SynthConfig(): days must be at most {_MAX_DAYS} (ten years), got {self.days}.")
        if self.visitors < 10:
            raise ValueError(f"SynthConfig(): visitors must be at least 10, got {self.visitors}.")
        if (isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer))
                or self.seed < 0):
            raise ValueError(
                f"SynthConfig(): seed must be a whole number, 0 or more, got {self.seed!r}.")
        self._check_start()

    def _check_start(self) -> None:
        """``start`` is a date, from 1980 on, and the window ends before 2200."""
        try:
            first_day = pd.Timestamp(self.start)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"SynthConfig(): start must be a date like '2025-02-03', got {self.start!r}."
            ) from exc
        if pd.isna(first_day):
            raise ValueError(
                f"SynthConfig(): start must be a date like '2025-02-03', got {self.start!r}.")
        first_day = first_day.tz_localize(None) if first_day.tzinfo else first_day
        if first_day < _EARLIEST_START or first_day + pd.Timedelta(days=self.days) > _LATEST_END:
            raise ValueError(
                f"SynthConfig(): the window must lie between {_EARLIEST_START.year} and "
                f"{_LATEST_END.year} (start {self.start!r}, {self.days} days); pick a start "
                "like '2025-02-03'.")
