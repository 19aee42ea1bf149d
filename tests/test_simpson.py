"""Simpson's paradox (helpers.claims.simpson): a comparison that reverses inside every segment."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import claims, traffic


def _frame(a_shop=(45, 90), a_blog=(0, 10), b_shop=(18, 30), b_blog=(7, 70)):
    rows = []
    for channel, page, (won, size) in (("a", "shop", a_shop), ("a", "blog", a_blog),
                                       ("b", "shop", b_shop), ("b", "blog", b_blog)):
        rows += [{"channel": channel, "page": page, "won": i < won} for i in range(size)]
    return pd.DataFrame(rows)


def test_a_reversal_is_found_and_the_mix_is_shown():
    r = claims.simpson(_frame(), "channel", "page", "won", "a", "b", min_units=5)
    assert r.reversed
    assert [x.value for x in r.overall] == pytest.approx([0.45, 0.25])
    assert r.table.loc["shop", ["first_rate", "second_rate"]].tolist() == pytest.approx([0.5, 0.6])
    assert r.table.loc["shop", ["first_share", "second_share"]].tolist() == pytest.approx([0.9, 0.3])
    assert r.value == pytest.approx(0.2)
    assert "yet below it in every segment" in r.headline


def test_no_reversal_when_one_segment_agrees_with_the_total():
    same_way = _frame(a_shop=(60, 90))  # a now beats b on the shop pages too
    r = claims.simpson(same_way, "channel", "page", "won", "a", "b", min_units=5)
    assert not r.reversed and r.headline.startswith("No reversal")


def test_a_handful_of_units_is_shown_but_not_compared():
    tiny = _frame(a_blog=(1, 2))  # a's blog segment: 1 of 2, above b's 10%
    r = claims.simpson(tiny, "channel", "page", "won", "a", "b", min_units=5)
    assert r.table["comparable"].tolist() == [False, True]  # blog, shop (sorted)
    assert r.reversed, "the one comparable segment reverses; the handful does not count"
    assert not claims.simpson(tiny, "channel", "page", "won", "a", "b", min_units=1).reversed


def test_simpson_errors_name_the_column_and_the_fix():
    frame = _frame()
    with pytest.raises(TypeError, match=r"simpson\(\): column 'won' must be True/False"):
        claims.simpson(frame.assign(won=frame["won"].astype(int)), "channel", "page", "won", "a", "b")
    with pytest.raises(ValueError, match=r"first='z' is not a value of 'channel'"):
        claims.simpson(frame, "channel", "page", "won", "z", "b")
    with pytest.raises(KeyError, match="no column 'segment'"):
        claims.simpson(frame, "channel", "segment", "won", "a", "b")


def test_the_lesson_05_reversal_on_the_kit_data(kit):
    """Paid search beats organic search overall; on non-blog first pages organic search wins."""
    from helpers import bots

    humans = bots.filter(kit.sessions)
    marked = traffic.window_leads(kit.leads, kit.sessions)
    people = traffic.first_touch(humans, ("channel", "landing_page"))
    people["lead"] = people["visitor_id"].isin(marked.loc[~marked["spam"], "visitor_id"])
    people["page"] = people["landing_page"].str.startswith("/blog").map({True: "blog", False: "other"})
    r = claims.simpson(people, "channel", "page", "lead", "paid_search", "organic_search")
    paid = people[people["channel"] == "paid_search"]
    assert r.overall[0].denominator == len(paid) and r.overall[0].conversions == paid["lead"].sum()
    assert r.reversed
