"""claims.leader: the one rule behind every "best", "highest" and "clearly above"."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import claims, conversions


def table(rows, unit="visitors"):
    t = pd.DataFrame(rows, columns=["channel", "conversions", unit])
    t["rate"] = t["conversions"] / t[unit]
    return t


def test_holm_correction_withholds_a_claim_each_comparison_alone_would_make():
    t = table([("email", 60, 500), ("direct", 40, 500), ("social", 40, 500)])
    alone = [conversions.compare(conversions.rate(60, 500), conversions.rate(40, 500))] * 2
    assert all(c.significant for c in alone), "each comparison alone is below 0.05"
    result = claims.leader(t)
    assert result.name == "email" and not result.clear
    assert result.clearly_above == () and set(result.not_clear) == {"direct", "social"}
    assert "best" not in result.headline and "not clearly above" in result.headline


def test_a_clear_leader_is_called_best_and_names_what_it_beats():
    result = claims.leader(table([("email", 200, 1000), ("direct", 50, 1000)]))
    assert result.clear and result.clearly_above == ("direct",)
    assert result.headline == "Email converts best: 20.0%, clearly above direct (Holm-corrected, 95%)."
    assert result.value == pytest.approx(0.2)


def test_a_handful_is_never_the_best():
    result = claims.leader(table([("live_chat", 2, 2), ("reference", 490, 534)]))
    assert result.small and not result.clear and result.name == "live_chat"
    assert result.headline.endswith("but on only 2 visitors: too few to rank.")


def test_total_row_and_empty_groups_are_ignored():
    t = table([("a", 30, 100), ("b", 0, 0), ("Total", 30, 100)])
    result = claims.leader(t)
    assert result.name == "a" and result.not_clear == () and result.clearly_above == ()


def test_leader_on_a_real_rate_table_and_clear_errors():
    frame = pd.DataFrame({"g": ["a"] * 400 + ["b"] * 400,
                          "converted": [True] * 200 + [False] * 200 + [True] * 40 + [False] * 360})
    result = claims.leader(conversions.rate_table(frame, "g", unit="leads"))
    assert result.clear and result.rate.unit == "leads"
    with pytest.raises(KeyError, match="leader"):
        claims.leader(pd.DataFrame({"g": ["a"], "rate": [0.1]}))
    with pytest.raises(ValueError, match="leader"):
        claims.leader(table([("Total", 1, 2)]))
