"""Tests of helpers.personas on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import personas as ps
from helpers.personas import Criterion, Persona

T = pd.Timestamp("2025-02-03", tz="UTC")  # a Monday


def _sessions():
    return pd.DataFrame({
        "visitor_id": ["a", "a", "b", "c"],
        "session_id": ["s1", "s2", "s3", "s4"],
        "started_at": [T + pd.Timedelta(hours=h) for h in (20, 5 * 24 + 21, 10, 14)],  # a: Mon 20h, Sat 21h
        "channel": ["social", "social", "paid_search", "referral"],
        "device": ["mobile", "mobile", "desktop", "tablet"],
        "country": ["DE", "DE", "NL", None],
        "is_returning": [False, True, False, False],
        "pageviews": [2, 1, 2, 1],
    })


def _events():
    rows = [("a", "/blog/dialing-in-espresso"), ("a", "/shop/burr-grinder"), ("a", "/blog/pour-over-basics"),
            ("b", "/pricing"), ("b", "/contact"), ("c", "/wholesale")]
    ev = pd.DataFrame({"visitor_id": [r[0] for r in rows], "page": [r[1] for r in rows]})
    ev["event_name"] = "page_view"
    return pd.concat([ev, pd.DataFrame({"visitor_id": ["b"], "page": ["/contact"], "event_name": ["contact_form"]})],
                     ignore_index=True)


def test_visitors_signals_by_hand():
    v = ps.visitors(_sessions(), _events())
    assert v.index.tolist() == ["a", "b", "c"]
    assert v.loc["a", "sessions"] == 2 and v.loc["a", "returning"] and not v.loc["b", "returning"]
    assert v.loc["a", "mobile_share"] == 1.0 and v.loc["c", "tablet_share"] == 1.0
    assert v.loc["a", "evening_share"] == 1.0 and v.loc["a", "weekend_share"] == 0.5
    assert v.loc["b", "office_hours_share"] == 1.0 and v.loc["b", "main_channel"] == "paid_search"
    assert v.loc["a", "topic_espresso"] == pytest.approx(1 / 3) and v.loc["a", "reads_gear"]
    assert v.loc["b", "reads_office"] and v.loc["b", "reads_contact"] and v.loc["b", "did_contact_form"]
    assert not v.loc["a", "did_contact_form"]
    assert v.loc["a", "pageviews"] == 3
    with pytest.raises(KeyError, match="visitors\\(\\): sessions has no column 'device'"):
        ps.visitors(_sessions().drop(columns="device"))


def test_criterion_and_persona_validation():
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive and finite"):
            Criterion("mobile_share", low=0.5, weight=bad)
    with pytest.raises(ValueError, match="needs values"):
        Criterion("mobile_share")
    with pytest.raises(ValueError, match="no criteria"):
        Persona("x", "y", ())


def test_score_weighted_share_by_hand():
    v = pd.DataFrame({"m": [0.9, 0.1, np.nan], "c": ["social", "social", "email"]})
    p = Persona("p", "d", (Criterion("m", low=0.5, weight=3), Criterion("c", values=("social",))))
    assert ps.score(v, p).tolist() == [1.0, 0.25, 0.0]
    with pytest.raises(KeyError, match="score\\(\\): visitors has no column 'm'"):
        ps.score(v.drop(columns="m"), p)


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans(), st.sampled_from(["x", "y", None])), min_size=1, max_size=50),
       st.lists(st.floats(0.1, 10), min_size=3, max_size=3))
@settings(max_examples=80, deadline=None)
def test_score_in_unit_interval(rows, weights):
    v = pd.DataFrame(rows, columns=["s", "b", "c"])
    p = Persona("p", "d", (Criterion("s", low=0.3, weight=weights[0]),
                           Criterion("b", values=(True,), weight=weights[1]),
                           Criterion("c", values=("x",), weight=weights[2])))
    sc = ps.score(v, p)
    assert ((sc >= 0) & (sc <= 1 + 1e-12)).all()


def test_assign_best_or_none_and_pure():
    v = pd.DataFrame({"m": [0.9, 0.1, 0.5]}, index=["a", "b", "c"])
    before = v.copy()
    phone = Persona("phone", "d", (Criterion("m", low=0.6),))
    desk = Persona("desk", "d", (Criterion("m", high=0.4),))
    out = ps.assign(v, [phone, desk])
    assert out.persona.tolist() == ["phone", "desk", "none"]
    assert out.persona_score.tolist() == [1.0, 1.0, 0.0]
    pd.testing.assert_frame_equal(v, before)
    with pytest.raises(ValueError, match="min_score"):
        ps.assign(v, [phone], min_score=50)


def test_default_personas_on_signals():
    v = ps.visitors(_sessions(), _events())
    out = ps.assign(v)
    assert out.loc["a", "persona"] == "home_barista"
    assert out.loc["b", "persona"] == "office_manager"
    assert out.loc["c", "persona"] == "cafe_owner"


def test_profile_segments_compare_and_evaluate():
    rng = np.random.default_rng(1)
    v = pd.DataFrame({"x": np.r_[rng.normal(0, .2, 40), rng.normal(3, .2, 40)],
                      "y": np.r_[rng.normal(0, .2, 40), rng.normal(3, .2, 40)]})
    seg = ps.segments(v, 2, ["x", "y"])
    assert seg.iloc[:40].nunique() == 1 and seg.iloc[40:].nunique() == 1 and seg.iloc[0] != seg.iloc[-1]
    sweep = ps.silhouette_sweep(v, ["x", "y"], ks=[2, 3])
    assert sweep.loc[sweep.silhouette.idxmax(), "k"] == 2
    v["persona"] = np.where(v.x > 1.5, "high", "none")
    tab = ps.compare_segments(v, seg.to_frame())
    assert tab.to_numpy().sum() == 80
    high = Persona("high", "d", (Criterion("x", low=1.5),))
    prof = ps.profile(v, personas=[high], features=["y"])
    row = prof[(prof.group == "high") & (prof.signal == "x")].iloc[0]
    assert row.observed == pytest.approx(v.x[v.x > 1.5].mean()) and row.met == 1.0
    key = pd.DataFrame({"visitor_id": [str(i) for i in range(80)],
                        "persona": ["high"] * 30 + [None] * 50})
    graded = ps.evaluate(v.set_axis([str(i) for i in range(80)]).rename_axis("visitor_id"), key)
    # assigned high: 40..79 ; true high: 0..29 ; correct: none
    assert graded.loc["high", ["assigned", "true", "correct"]].tolist() == [40, 30, 0]
    with pytest.raises(TypeError, match="pd.get_dummies"):
        ps.segments(v, 2, ["persona"])
    with pytest.raises(ValueError, match="k must be"):
        ps.segments(v, 1, ["x"])


def test_visitors_uses_only_the_events_of_the_sessions_passed():
    """A visitor seen in a bot session and a human one keeps only the human session's reading."""
    import pandas as pd

    from helpers import personas as ps

    sessions = pd.DataFrame({
        "session_id": ["s1", "s2"], "visitor_id": ["a", "a"], "channel": ["social", "direct"],
        "device": ["mobile", "desktop"],
        "started_at": pd.to_datetime(["2025-02-03 20:00", "2025-02-04 10:00"], utc=True),
    })
    events = pd.DataFrame({
        "session_id": ["s1", "s2", "s2"], "visitor_id": ["a", "a", "a"],
        "event_name": ["page_view"] * 3,
        "page": ["/blog/espresso-basics", "/pricing", "/wholesale"],
    })
    humans = sessions[sessions["session_id"] == "s1"]
    v = ps.visitors(humans, events)
    v_all = ps.visitors(sessions, events)
    assert v.loc["a", "sessions"] == 1
    # /pricing and /wholesale were read in the other session only
    assert not v.loc["a", "reads_wholesale"] and not v.loc["a", "reads_office"]
    assert v.loc["a", "topic_espresso"] == 1.0
    assert v_all.loc["a", "reads_wholesale"] and v_all.loc["a", "reads_office"]
