"""How the kit writes numbers in sentences: percentages, points, counts, intervals, labels.

One set of formatters, so a share, an interval or a p-value reads the same in a rate's repr,
a chart title, an explorer's key figure and the manager's report. Shares are between 0 and 1;
a missing value (NaN) is written ``n/a``, never ``nan%``. Counts need no helper: Python's
``f"{n:,}"`` writes 12,345.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["interval", "label", "p_value", "percent", "points"]


def _missing(x: Any) -> bool:
    try:
        return math.isnan(x)
    except TypeError:
        return x is None


def percent(share: float, digits: int = 1) -> str:
    """A share as a percentage: ``percent(0.1234) == '12.3%'``; NaN gives ``'n/a'``.

    >>> percent(0.1234), percent(0.1234, 0), percent(float("nan"))
    ('12.3%', '12%', 'n/a')
    """
    return "n/a" if _missing(share) else f"{share * 100:.{digits}f}%"


def points(share: float, digits: int = 1, *, sign: bool = False) -> str:
    """A difference of shares in percentage points, never ``-0.0``.

    >>> points(0.0314), points(-0.00001), points(0.02, sign=True)
    ('3.1', '0.0', '+2.0')
    """
    text = f"{share * 100:{'+' if sign else ''}.{digits}f}"
    if text.strip("+-0.") == "":  # a zero: no minus sign
        text = ("+" if sign else "") + text.lstrip("+-")
    return text


def interval(low: float, high: float, digits: int = 1, *, dash: str = "–") -> str:
    """An interval of shares: ``interval(0.055, 0.174) == '5.5%–17.4%'``.

    >>> interval(0.055, 0.174), interval(0.055, 0.174, dash="-")
    ('5.5%–17.4%', '5.5%-17.4%')
    """
    return f"{percent(low, digits)}{dash}{percent(high, digits)}"


def p_value(p: float, digits: int | None = None) -> str:
    """A p-value as the kit writes it: ``'p < 0.001'``, ``'p = 0.004'``, ``'p = 0.03'``.

    With ``digits``, every p-value from 0.001 up gets that many decimals.

    >>> p_value(0.0001), p_value(0.004), p_value(0.0312), p_value(0.0312, 3)
    ('p < 0.001', 'p = 0.004', 'p = 0.03', 'p = 0.031')
    """
    if p < 0.001:
        return "p < 0.001"
    if digits is None:
        digits = 3 if p < 0.01 else 2
    return f"p = {p:.{digits}f}"


def label(name: Any) -> str:
    """A column value as words: ``label('paid_search') == 'paid search'``."""
    return str(name).replace("_", " ")
