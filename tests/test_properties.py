"""Properties every metric function keeps, on generated input (hypothesis) and on samples of the
kit's data: rates in [0, 1]; the interval holds the estimate at any count; totals equal the sum
of their groups; kept + removed = total; labels keep row count, order and index; results do not
depend on the row order or on the index (issue 14).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import bots, conversions, lag, leads, metrics, money, nurture, personas, traffic

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------- rates


@given(st.integers(1, 10**300), st.data(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@FAST
def test_a_rate_is_a_share_and_its_interval_holds_it_at_any_count(n, data, conf):
    k = data.draw(st.integers(0, n))
    r = conversions.rate(k, n, conf)
    assert 0.0 <= r.low <= r.value <= r.high <= 1.0
    assert math.isclose(r.value, k / n, rel_tol=1e-12)


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.data())
@FAST
def test_compare_gives_a_probability_and_does_not_depend_on_which_side_is_first(na, nb, data):
    a = conversions.rate(data.draw(st.integers(0, na)), na)
    b = conversions.rate(data.draw(st.integers(0, nb)), nb)
    ab, ba = conversions.compare(a, b), conversions.compare(b, a)
    assert 0.0 <= ab.p_value <= 1.0
    assert ab.p_value == pytest.approx(ba.p_value, abs=1e-12)
    assert ab.significant == ba.significant


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
@FAST
def test_precision_recall_f1_are_shares_or_undefined(tp, fp, fn):
    s = metrics.scores(tp, fp, fn)
    for v in (s.precision, s.recall, s.f1):
        assert math.isnan(v) or 0.0 <= v <= 1.0
    if not any(math.isnan(v) for v in (s.precision, s.recall, s.f1)):
        assert min(s.precision, s.recall) - 1e-12 <= s.f1 <= max(s.precision, s.recall) + 1e-12
    elif s.tp == 0 and not math.isnan(s.f1):
        # nothing flagged (precision 0 / 0) or nothing to find: F1 = 2 tp / (...) is then 0
        assert s.f1 == 0.0


@pytest.mark.parametrize(("tp", "fp", "fn", "f1"), [(0, 0, 1, 0.0), (0, 1, 0, 0.0), (0, 0, 0, None)])
def test_f1_when_precision_or_recall_is_undefined(tp, fp, fn, f1):
    """The examples hypothesis found: precision 0 / 0 with a miss still scores F1 = 0."""
    s = metrics.scores(tp, fp, fn)
    assert math.isnan(s.f1) if f1 is None else s.f1 == f1


def _shuffled(frame: pd.DataFrame, seed: int, index: str) -> pd.DataFrame:
    """The same rows in another order, under a string, shifted or MultiIndex index."""
    out = frame.sample(frac=1.0, random_state=seed)
    if index == "string":
        out.index = [f"r{i}" for i in range(len(out))]
    elif index == "shifted":
        out.index = np.arange(len(out)) * 7 + 1000
    elif index == "multi":
        out.index = pd.MultiIndex.from_arrays([np.arange(len(out)) % 3, np.arange(len(out))])
    return out


INDEXES = st.sampled_from(["string", "shifted", "multi"])


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]), st.booleans()),
                min_size=1, max_size=60), st.integers(0, 10**6), INDEXES)
@FAST
def test_rate_table_does_not_depend_on_row_order_or_index(rows, seed, index):
    frame = pd.DataFrame(rows, columns=["channel", "device", "converted"])
    for by in ("channel", ["channel", "device"]):
        a = conversions.rate_table(frame, by=by)
        b = conversions.rate_table(_shuffled(frame, seed, index), by=by)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        groups, total = a.iloc[:-1], a.iloc[-1]
        assert total["conversions"] == groups["conversions"].sum() == frame["converted"].sum()
        assert total["rows"] == groups["rows"].sum() == len(frame)
        assert ((a["low"] <= a["rate"]) & (a["rate"] <= a["high"])).all()


@given(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["view", "cart", "buy"]), st.integers(0, 50)),
                min_size=1, max_size=80), st.integers(0, 10**6), INDEXES)
@FAST
def test_funnel_does_not_depend_on_row_order_or_index(rows, seed, index):
    events = pd.DataFrame(rows, columns=["visitor_id", "event_name", "t"])
    events["visitor_id"] = "v" + events["visitor_id"].astype(str)
    events["timestamp"] = pd.Timestamp("2025-02-03", tz="UTC") + pd.to_timedelta(events.pop("t"), unit="min")
    for ordered in (True, False):
        a = conversions.funnel(events, ["view", "cart", "buy"], ordered=ordered)
        b = conversions.funnel(_shuffled(events, seed, index), ["view", "cart", "buy"], ordered=ordered)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        people = a["people"].tolist()
        assert people == sorted(people, reverse=True)  # a funnel never widens
        assert people[0] == events.loc[events["event_name"] == "view", "visitor_id"].nunique()


# --------------------------------------------------------------------------- kit-data samples


@pytest.fixture(scope="module")
def sample(kit):
    """A few hundred visitors of the kit: every session and event of theirs."""
    visitors = kit.sessions["visitor_id"].drop_duplicates().sample(400, random_state=3)
    sessions = kit.sessions[kit.sessions["visitor_id"].isin(visitors)]
    events = kit.events[kit.events["session_id"].isin(sessions["session_id"])]
    lead_rows = kit.leads[kit.leads["visitor_id"].isin(visitors) | kit.leads["visitor_id"].isna()]
    return sessions, events, lead_rows.head(600)


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_bot_labels_keep_rows_order_and_index_and_do_not_depend_on_row_order(sample, seed, index):
    sessions = sample[0]
    plain = bots.label(sessions)
    assert plain.index.equals(sessions.index) and len(plain) == len(sessions)
    assert (plain["session_id"].to_numpy() == sessions["session_id"].to_numpy()).all()
    moved = _shuffled(sessions, seed, index)
    again = bots.label(moved)
    assert again.index.equals(moved.index)
    by_id = plain.set_index("session_id")
    assert (again.set_index("session_id").loc[by_id.index, ["is_bot", "bot_reason"]]
            .astype(str).equals(by_id[["is_bot", "bot_reason"]].astype(str)))
    report = bots.report(again)
    assert report.loc["total", "sessions"] == len(sessions)
    assert report.drop(index="total")["sessions"].sum() == len(sessions)  # reasons reconcile


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_qualify_keeps_every_lead_and_kept_plus_removed_is_the_total(sample, seed, index):
    lead_rows = _shuffled(sample[2], seed, index)
    q = leads.qualify(lead_rows)
    assert q.index.equals(lead_rows.index) and len(q) == len(lead_rows)
    report = leads.qualify_report(q)
    kept, removed = report.loc["kept", "leads"], report.loc["removed (any reason)", "leads"]
    assert kept + removed == report.loc["total", "leads"] == len(lead_rows)
    assert kept == int(q["qualified"].sum())
    plain = leads.qualify(sample[2]).set_index("lead_id")["qualified"]
    assert q.set_index("lead_id").loc[plain.index, "qualified"].equals(plain)


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_first_touch_and_personas_visitors_do_not_depend_on_row_order(sample, seed, index):
    sessions, events, _ = sample
    moved_s, moved_e = _shuffled(sessions, seed, index), _shuffled(events, seed + 1, index)
    a = traffic.first_touch(sessions).sort_values("visitor_id").reset_index(drop=True)
    b = traffic.first_touch(moved_s).sort_values("visitor_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == sessions["visitor_id"].nunique()
    pa_ = personas.visitors(sessions, events).sort_index()
    pb_ = personas.visitors(moved_s, moved_e).sort_index()
    pd.testing.assert_frame_equal(pa_, pb_, check_like=True)
    assert len(pa_) == sessions["visitor_id"].nunique()


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_count_of_conversions_does_not_depend_on_row_order(sample, seed, index):
    events = sample[1]
    a = conversions.count(events).sort_index()
    b = conversions.count(_shuffled(events, seed, index)).sort_index()
    pd.testing.assert_frame_equal(a, b)
    assert ((a.select_dtypes("number") >= 0).all()).all()


# --------------------------------------------------------------------------- the later metrics
# (issue 17's: the pipeline's stages, conversion lag, GA4's key event rates, both micro
# conventions, spend and return, nurturing, forms, a lead's characteristics)

STAGES = ["lead", "mql", "sql", "customer", "disqualified", "unknown"]


def _rates_hold(table: pd.DataFrame, rate: str = "rate", low: str = "low", high: str = "high") -> None:
    """Every defined rate is a share and sits inside its interval."""
    shown = table[table[rate].notna()]
    assert ((shown[rate] >= 0) & (shown[rate] <= 1)).all()
    assert ((shown[low] <= shown[rate] + 1e-12) & (shown[rate] <= shown[high] + 1e-12)).all()


@given(st.lists(st.sampled_from(STAGES), min_size=1, max_size=80), st.integers(0, 10**6), INDEXES)
@FAST
def test_pipeline_narrows_reconciles_and_does_not_depend_on_row_order(stages, seed, index):
    crm = pd.DataFrame({"stage": stages})
    a = leads.pipeline(crm)
    pd.testing.assert_frame_equal(a, leads.pipeline(_shuffled(crm, seed, index)))
    reached = a["reached"].dropna().astype(int).tolist()
    assert reached == sorted(reached, reverse=True)  # a pipeline never widens
    assert a.loc[0, "reached"] == len(crm)  # every row is a lead (disqualified ones too, by default)
    counted = a["now_at"].sum() + a["disqualified"].sum() + (a["unknown"].sum() if "unknown" in a else 0)
    assert counted == len(crm)  # each lead is somewhere, once
    _rates_hold(a, "rate_value")


@st.composite
def _lead_times(draw):
    n = draw(st.integers(1, 40))
    created = draw(st.lists(st.integers(0, 40 * 24), min_size=n, max_size=n))
    lags = draw(st.lists(st.one_of(st.none(), st.integers(0, 70 * 24)), min_size=n, max_size=n))
    start = pd.Timestamp("2025-01-01", tz="UTC")
    return pd.DataFrame({
        "created_at": start + pd.to_timedelta(created, unit="h"),
        "became_customer_at": [start + pd.Timedelta(hours=c + g) if g is not None else pd.NaT
                               for c, g in zip(created, lags, strict=True)],
    })


@given(_lead_times(), st.integers(0, 10**6), INDEXES)
@FAST
def test_conversion_lag_only_grows_and_cohorts_add_up(crm, seed, index):
    start, end = "2025-01-01T00:00Z", "2025-01-29T00:00Z"
    a = lag.conversion_lag(crm, start, end)
    pd.testing.assert_frame_equal(a, lag.conversion_lag(_shuffled(crm, seed, index), start, end))
    customers = a["customers"].tolist()
    assert customers == sorted(customers)  # read later, never fewer customers
    assert a["leads"].nunique() == 1 and (a["customers"] <= a["leads"]).all()
    _rates_hold(a)
    cohorts = lag.cohort_rates(crm, start, end, "2025-04-01T00:00Z", within_days=14)
    pd.testing.assert_frame_equal(
        cohorts, lag.cohort_rates(_shuffled(crm, seed, index), start, end, "2025-04-01T00:00Z", within_days=14))
    assert cohorts["leads"].sum() == a["leads"].iloc[0]  # the same leads, split by week
    _rates_hold(cohorts)
    curve = lag.lag_curve(crm)["share"]
    if curve.isna().any():  # no buyer to divide by: 0 / 0 on every day, never a made-up 0
        assert curve.isna().all() and not a["customers"].iloc[0]
    else:
        assert curve.is_monotonic_increasing and curve.between(0, 1).all()


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_key_event_rates_and_micro_conventions_do_not_depend_on_row_order(sample, seed, index):
    sessions, events, lead_rows = sample
    moved_s, moved_e = _shuffled(sessions, seed, index), _shuffled(events, seed + 1, index)
    a, b = traffic.key_event_rates(sessions, events), traffic.key_event_rates(moved_s, moved_e)
    assert a.headline == b.headline and (a.once_per_event, a.once_per_session) == (b.once_per_event, b.once_per_session)
    assert a.once_per_event >= a.once_per_session == a.session_rate.conversions
    assert a.session_rate.denominator == len(sessions)
    assert a.user_rate.denominator == sessions["visitor_id"].nunique()
    assert a.user_rate.conversions <= min(a.user_rate.denominator, a.session_rate.conversions)
    engaged = traffic.engaged_sessions(moved_s, moved_e)
    assert engaged.index.equals(moved_s.index)  # one verdict per session, in the caller's order
    mine = traffic.micro_conventions(sessions, events, lead_rows)
    pd.testing.assert_frame_equal(mine, traffic.micro_conventions(moved_s, moved_e, _shuffled(lead_rows, seed, index)))
    assert (mine["visitors_with"] <= mine["visitors"]).all() and (mine["leads_with"] <= mine["leads"]).all()


@pytest.fixture(scope="module")
def scored(kit):
    from helpers import pipeline

    return pipeline.scored_leads(kit.sessions, kit.events, kit.leads)


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_spend_and_return_add_up_to_the_totals_and_do_not_depend_on_row_order(kit, scored, seed, index):
    spend = money.load_spend()
    a = money.channel_returns(spend, kit.sessions, scored)
    b = money.channel_returns(_shuffled(spend, seed, index), _shuffled(kit.sessions, seed, index),
                              _shuffled(scored, seed, index))
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    assert a["spend"].sum() == pytest.approx(spend["spend"].sum())  # every euro spent is in a row
    assert a["leads"].sum() + a.attrs["unattributed"] == len(scored)  # every lead once
    assert a["customers"].sum() <= int(scored["is_customer"].sum())
    _rates_hold(a, "customer_rate")


@given(st.integers(0, 10**6), INDEXES)
@SLOW
def test_nurture_forms_and_characteristics_do_not_depend_on_row_order(kit, seed, index):
    nurture_log = nurture.load_nurture()
    crm, log = _shuffled(kit.leads, seed, index), _shuffled(nurture_log, seed + 1, index)
    a, b = nurture.effect(kit.leads, nurture_log), nurture.effect(crm, log)
    assert a.headline == b.headline
    pd.testing.assert_frame_equal(a.table, b.table)
    by_day = nurture.bought_by_day(crm, log)
    pd.testing.assert_frame_equal(nurture.bought_by_day(kit.leads, nurture_log), by_day)
    assert all(by_day[c].is_monotonic_increasing for c in by_day)  # bought by day d, still by d + 7
    forms = leads.load_forms()
    start, end = "2025-02-03T00:00Z", "2025-03-03T00:00Z"
    pd.testing.assert_frame_equal(leads.by_form(kit.leads, forms, start, end),
                                  leads.by_form(crm, _shuffled(forms, seed, index), start, end))
    traits = leads.characteristics(crm)
    assert traits.index.equals(crm.index)  # one row per lead, in the caller's order
    plain = leads.characteristics(kit.leads).set_axis(kit.leads["lead_id"])
    assert traits.set_axis(crm["lead_id"]).loc[plain.index].equals(plain)
