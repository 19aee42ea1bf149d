"""helpers.money: cost per lead, cost per customer and return on ad spend per channel."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import data, money

SESSIONS = pd.DataFrame({
    "visitor_id": ["a", "a", "b", "c", "d"],
    "channel": ["paid_search", "email", "paid_search", "direct", "paid_search"],
    "started_at": pd.to_datetime(["2025-02-03 10:00", "2025-02-01 09:00", "2025-02-03 00:00",
                                  "2025-02-04 00:00", "2025-02-05 00:00"], utc=True),
})
LEADS = pd.DataFrame({
    "visitor_id": ["a", "b", "c", "d", None],
    "is_customer": [True, False, False, True, True],
    "first_order_value": [50.0, None, None, 30.0, 999.0],
})
SPEND = pd.DataFrame({"date": ["2025-02-03", "2025-02-04"], "channel": ["paid_search", "paid_search"],
                      "clicks": [10, 6], "spend": [12.0, 8.0]})


def test_channel_returns_attributes_leads_to_their_first_touch_and_names_each_ratio():
    table = money.channel_returns(SPEND, SESSIONS, LEADS).set_index("channel")
    # a first came through e-mail (1 Feb), so its lead is e-mail's, not paid search's
    assert table.loc["email", ["leads", "customers", "revenue"]].tolist() == [1, 1, 50.0]
    paid = table.loc["paid_search"]
    assert (paid["spend"], paid["clicks"], paid["leads"], paid["customers"]) == (20.0, 16, 2, 1)
    assert paid["cost_per_lead"] == 10.0 and paid["cost_per_customer"] == 20.0
    assert paid["roas"] == pytest.approx(30.0 / 20.0)
    assert paid["customer_rate"] == 0.5 and paid["low"] < 0.5 < paid["high"]
    # no spend: no cost figures (their cost is elsewhere), but the counts are there
    assert math.isnan(table.loc["email", "cost_per_lead"]) and math.isnan(table.loc["direct", "roas"])
    # the shop lead without a web visit belongs to no channel, and is said to be left out
    assert table["leads"].sum() == 4 and money.channel_returns(SPEND, SESSIONS, LEADS).attrs["unattributed"] == 1


def test_revenue_counts_customers_only():
    leads = LEADS.assign(first_order_value=[50.0, 80.0, None, 30.0, None])  # b never bought
    table = money.channel_returns(SPEND, SESSIONS, leads).set_index("channel")
    assert table.loc["paid_search", "revenue"] == 30.0


def test_bad_inputs_name_the_function_the_column_and_the_fix():
    with pytest.raises(TypeError, match=r"channel_returns\(\): leads\['is_customer'\] must be True/False"):
        money.channel_returns(SPEND, SESSIONS, LEADS.assign(is_customer=["yes"] * 5))
    with pytest.raises(ValueError, match=r"validate_spend\(\): spend has 1 negative"):
        money.validate_spend(SPEND.assign(spend=[12.0, -1.0]))
    with pytest.raises(ValueError, match=r"same channel and day.*add them up"):
        money.validate_spend(SPEND.assign(date=["2025-02-03", "2025-02-03"]))
    with pytest.raises(FileNotFoundError, match=r"load_spend\(\): no file .*make data"):
        money.load_spend("/nonexistent/spend.csv")


def test_the_kit_spend_file_matches_its_dictionary():
    spend = money.load_spend()
    sessions = data.load_sessions()
    assert set(spend["channel"]) == {"paid_search", "social", "email"}
    assert len(spend) == 3 * 28 and spend["spend"].ge(0).all()
    # every paid-search session, bots included, is a billed click; e-mail is a flat fee
    paid = spend[spend["channel"] == "paid_search"]
    assert paid["clicks"].sum() == int((sessions["channel"] == "paid_search").sum())
    assert spend.loc[spend["channel"] == "email", "spend"].eq(4.5).all()
    social = spend.loc[spend["channel"] == "social", "clicks"].sum()
    assert 0.5 < social / int((sessions["channel"] == "social").sum()) < 0.7
    assert 1500 < spend["spend"].sum() < 4000
