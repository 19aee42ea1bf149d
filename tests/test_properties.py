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

from helpers import bots, conversions, leads, metrics, personas, traffic

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
