"""Conversion lag (helpers.lag): cohorts compared fairly, and the kit's lag on its own data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import lag, traffic


def _leads():
    """Five leads: three in week 1 (one bought at creation), two in week 2."""
    t = lambda values: pd.to_datetime(values, utc=True)  # noqa: E731
    return pd.DataFrame({
        "created_at": t(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-08", "2025-01-09"]),
        "became_customer_at": t(["2025-01-03", "2025-01-25", "2025-01-03", "2025-01-10", None]),
    })


def test_cohort_rates_count_what_the_crm_knew_on_the_day():
    leads = _leads()  # lead 3 bought at creation: out of both counts
    early = lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-01-14")
    assert early[["leads", "customers"]].values.tolist() == [[2, 1], [2, 1]]
    later = lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-02-28")
    assert later[["leads", "customers"]].values.tolist() == [[2, 2], [2, 1]]
    assert not later["complete"].any(), "without a conversion window, more sales may come"
    assert (later["rate"] >= early["rate"]).all()
    assert list(later["cohort"]) == list(pd.to_datetime(["2025-01-01", "2025-01-08"], utc=True))


def test_a_fixed_conversion_window_counts_only_fast_sales_and_says_when_complete():
    leads = _leads()
    fixed = lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-02-28", within_days=7)
    # lead 2 bought after 23 days: outside a 7-day window however late the CRM is read
    assert fixed["customers"].tolist() == [1, 1]
    assert fixed["complete"].all()
    young = lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-01-16", within_days=7)
    assert young["complete"].tolist() == [True, False]


def test_cohort_rates_errors_name_the_argument():
    leads = _leads()
    with pytest.raises(ValueError, match=r"cohort_rates\(\): read_at .* is before end"):
        lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-01-10")
    with pytest.raises(ValueError, match="within_days"):
        lag.cohort_rates(leads, "2025-01-01", "2025-01-14", "2025-01-20", within_days=0)
    with pytest.raises(KeyError, match="Pass created="):
        lag.cohort_rates(leads.rename(columns={"created_at": "c"}), "2025-01-01", "2025-01-14", "2025-01-20")


def test_on_the_kit_data_the_rate_read_at_the_end_understates(kit):
    marked = traffic.window_leads(kit.leads, kit.sessions)
    people = marked[~marked["spam"]]
    span = traffic.window(kit.sessions)
    readings = lag.conversion_lag(people, span.start, span.end, weeks=(0, 6))
    could_buy = people[~people["bought_at_creation"]]
    assert readings["leads"].tolist() == [len(could_buy)] * 2
    assert readings["customers"].iloc[0] == int((could_buy["became_customer_at"] <= span.end).sum())
    assert readings["customers"].iloc[1] == int((could_buy["stage"] == "customer").sum())
    assert readings["high"].iloc[0] < readings["low"].iloc[1], "read too early, the rate is clearly lower"
    weekly = lag.cohort_rates(people, span.start, span.end, span.end)
    assert weekly["leads"].sum() == len(could_buy)
    assert weekly["customers"].sum() == readings["customers"].iloc[0]
