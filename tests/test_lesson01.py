"""Lesson 01's helpers: the visitor mix (traffic.visitor_mix), its explorer, its chart, its exercises."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from helpers import check, explorers, plots, traffic
from helpers.check import Context

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_visitors_leads_customers.ipynb"


@pytest.fixture
def small():
    """Five sessions, four visitors: v1 returns (loyal), v2 and v3 are bots, v4 is a buyer."""
    sessions = pd.DataFrame(
        {
            "session_id": ["a", "b", "c", "d", "e"],
            "visitor_id": ["v1", "v1", "v2", "v3", "v4"],
            "channel": ["email", "direct", "direct", "direct", "social"],
        }
    )
    answer_key = pd.DataFrame(
        {
            "session_id": ["a", "b", "c", "d", "e"],
            "segment": ["loyal_customer", "loyal_customer", "bot", "bot", "potential_buyer"],
        }
    )
    leads = pd.DataFrame({"visitor_id": ["v1", "v3", None, "  ", "v9"]})
    return sessions, answer_key, leads


# --------------------------------------------------------------------------- visitor_mix


def mix(*args, **kwargs) -> pd.DataFrame:
    return traffic.visitor_mix(*args, **kwargs).table


def headline(*args, **kwargs) -> str:
    return traffic.visitor_mix(*args, **kwargs).headline


def test_sessions_count_is_the_traffic_mix(small):
    sessions, key, _ = small
    for channel in ("all", "direct", "email"):
        pd.testing.assert_frame_equal(
            mix(sessions, key, channel, "sessions"),
            traffic.traffic_mix(sessions, key, channel).table,
        )


def test_visitors_count_each_visitor_once(small):
    sessions, key, _ = small
    table = mix(sessions, key, count="visitors")
    assert list(table.columns) == ["visitors", "share"]
    assert list(table.index) == list(traffic.SEGMENTS)
    assert table["visitors"].to_dict() == {
        "bot": 2,
        "loyal_customer": 1,
        "stumbled": 0,
        "potential_buyer": 1,
    }
    assert table["share"].sum() == pytest.approx(1.0)
    # v1 came by email and by direct: it counts once in each channel
    assert mix(sessions, key, "direct", "visitors")["visitors"].sum() == 3
    assert mix(sessions, key, "email", "visitors")["visitors"].sum() == 1


def test_leads_are_visitors_in_the_crm(small):
    sessions, key, leads = small
    table = mix(sessions, key, count="leads", leads=leads)
    # v1 and v3 are in the CRM; blank ids and v9 (never visited) are not visitors
    assert table["leads"].to_dict() == {
        "bot": 1,
        "loyal_customer": 1,
        "stumbled": 0,
        "potential_buyer": 0,
    }
    empty = mix(sessions, key, "social", "leads", leads)
    assert empty["leads"].sum() == 0 and empty["share"].eq(0).all()


def test_missing_truth_is_unknown_not_dropped(small):
    sessions, key, _ = small
    table = mix(sessions, key.iloc[:-1], count="visitors")
    assert table.at["unknown", "visitors"] == 1
    assert table["visitors"].sum() == sessions["visitor_id"].nunique()


def test_inputs_are_not_mutated(small):
    sessions, key, leads = small
    before = [f.copy() for f in small]
    for count in traffic.MIX_COUNTS:
        mix(sessions, key, "direct", count, leads)
    for frame, copy in zip(small, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_clear_errors(small):
    sessions, key, leads = small
    with pytest.raises(ValueError, match=r"visitor_mix\(\): count must be one of"):
        mix(sessions, key, count="people")
    with pytest.raises(ValueError, match="pass leads="):
        mix(sessions, key, count="leads")
    with pytest.raises(ValueError, match="no sessions have channel 'tv'"):
        mix(sessions, key, "tv", "visitors")
    with pytest.raises(KeyError, match="sessions has no column 'visitor_id'"):
        mix(sessions.drop(columns="visitor_id"), key, count="visitors")
    with pytest.raises(KeyError, match="leads has no column 'visitor_id'"):
        mix(sessions, key, count="leads", leads=leads.rename(columns=str.upper))


def test_summary_text(small):
    sessions, key, leads = small
    assert headline(sessions, key) == "Bots: 40.0% of all sessions"
    assert headline(sessions, key, "direct", "visitors") == (
        "Bots: 66.7% of direct visitors"
    )
    assert headline(sessions, key, "all", "leads", leads) == (
        "Bots: 50.0% of all web leads"
    )
    assert headline(sessions, key, "direct", "leads", leads) == (
        "Bots: 50.0% of leads among direct visitors"
    )
    for channel in ("all", "direct"):
        assert headline(sessions, key, channel) == (
            traffic.traffic_mix(sessions, key, channel).headline
        )


def test_on_the_kit_data_counts_reconcile(kit):
    ds = kit
    channels = ["all", *ds.sessions["channel"].dropna().astype(str).unique()]
    for channel in channels:
        got = {
            count: mix(ds.sessions, ds.answer_key, channel, count, ds.leads)
            for count in traffic.MIX_COUNTS
        }
        n = {count: int(table[count].sum()) for count, table in got.items()}
        assert n["sessions"] >= n["visitors"] >= n["leads"], channel
        for table in got.values():
            assert table["share"].sum() == pytest.approx(1.0) or table["share"].sum() == 0
    everyone = mix(ds.sessions, ds.answer_key, count="visitors")
    assert everyone["visitors"].sum() == ds.sessions["visitor_id"].nunique()


# --------------------------------------------------------------------------- the explorer


def _key_text(box) -> str:
    html = box.key.value
    return html[html.index(">") + 1 : html.rindex("</div>")]


def test_explorer_moves_with_both_controls(small):
    sessions, key, leads = small
    box = explorers.visitor_mix(sessions, key, leads)
    assert set(box.controls) == {"channel", "count"}
    assert isinstance(box.controls["channel"], w.Dropdown)
    assert isinstance(box.controls["count"], w.ToggleButtons)
    assert box.controls["channel"].options == ("all", "direct", "email", "social")
    assert box.controls["count"].options == traffic.MIX_COUNTS
    assert _key_text(box) == headline(sessions, key)
    box.controls["count"].value = "visitors"
    box.controls["channel"].value = "direct"
    assert _key_text(box) == headline(sessions, key, "direct", "visitors")
    pd.testing.assert_frame_equal(box.result.table, mix(sessions, key, "direct", "visitors"))
    assert 'data-value="0.666667"' in box.key.value
    assert any("image/png" in out["data"] for out in box.output.outputs)
    box.controls["count"].value = "leads"
    assert _key_text(box) == "Bots: 50.0% of leads among direct visitors"
    assert box.error is None


def test_explorer_without_leads_offers_two_counts(small):
    sessions, key, _ = small
    box = explorers.visitor_mix(sessions, key)
    assert box.controls["count"].options == ("sessions", "visitors")


def test_explorer_on_kit_data_first_select_is_the_channel(kit):
    """The browser test moves the first <select> of the explorer: the channel dropdown."""
    ds = kit
    box = explorers.visitor_mix(ds.sessions, ds.answer_key, ds.leads)
    busiest = str(ds.sessions["channel"].value_counts().index[0])
    box.controls["channel"].value = busiest
    assert _key_text(box) == headline(
        ds.sessions, ds.answer_key, busiest, "sessions", ds.leads
    )
    assert _key_text(box) == traffic.traffic_mix(ds.sessions, ds.answer_key, busiest).headline


# --------------------------------------------------------------------------- segment_mix


def test_segment_mix_stacks_rows_with_segment_colours():
    mix = pd.DataFrame(
        {"bot": [22, 30], "loyal_customer": [12, 4], "stumbled": [66, 66]},
        index=["sessions", "visitors"],
    )
    ax = plots.segment_mix(mix, xlabel="share of what is counted")
    assert isinstance(ax, Axes)
    assert ax.get_title() == "Bots: 22% of sessions, 30% of visitors"
    assert ax.get_xlabel() == "share of what is counted (%)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["sessions", "visitors"]
    colours = {to_hex(p.get_facecolor()).upper() for p in ax.patches}
    assert plots.color("bot") in colours and plots.color("loyal_customer") in colours
    assert ax.get_xlim() == (0, 1)


def test_segment_mix_titles_and_errors():
    shares = pd.DataFrame({"stumbled": [0.5, 0.7], "potential_buyer": [0.5, 0.3]},
                          index=["visitors", "leads"])
    assert plots.segment_mix(shares, normalize=False).get_title() == (
        "Stumbled: 50% of visitors, 70% of leads"
    )
    assert plots.segment_mix(shares, "Given").get_title() == "Given"
    same = pd.DataFrame({"bot": [1, 1]}, index=["a", "b"])
    assert plots.segment_mix(same).get_title() == "Bots: 100% of a"
    with pytest.raises(TypeError, match="segment_mix"):
        plots.segment_mix(pd.Series({"bot": 1}))


# --------------------------------------------------------------------------- exercises


def test_notebook_lead_doors_are_lead_events():
    from helpers.leads import LEAD_EVENTS

    source = "".join(
        "".join(cell["source"]) for cell in json.loads(NOTEBOOK.read_text())["cells"]
    )
    listed = repr(list(LEAD_EVENTS)).replace("'", '"')
    assert f"lead_doors = {listed}" in source, "the notebook's lead_doors differ from LEAD_EVENTS"


#: Diagnoses that recognise a transformation of the answer rather than one wrong value.
_NOT_A_VALUE = {"complement", "percent_not_share", "inverted", "spelling", "when", "not_a_segment"}


def _wrong_values(exercise_id: str) -> dict[str, object]:
    """Each value diagnosis's wrong value on the kit's data (the ones built with equals)."""
    entry = check.get(exercise_id)
    found = {}
    for i, diagnosis in enumerate(entry.diagnoses):
        if diagnosis.name in _NOT_A_VALUE:
            continue
        for cell in diagnosis.test.__closure__ or ():
            value = cell.cell_contents
            if callable(value) and not isinstance(value, type):
                found[f"{i}:{diagnosis.name}"] = value()
                break
    return found


@pytest.mark.parametrize("exercise_id", ["1.1", "1.2", "1.3", "1.4", "1.6"])
def test_each_wrong_answer_gets_its_own_hint(exercise_id):
    """Every recognised mistake is recognised as itself: no two collide on this data."""
    entry = check.get(exercise_id)
    expected = entry.expected()
    context = Context(entry, expected)
    wrong = _wrong_values(exercise_id)
    assert wrong, "no diagnoses with a computed wrong value"
    for (name_a, a), (name_b, b) in itertools.combinations(wrong.items(), 2):
        assert not context.close(a, b), f"{exercise_id}: {name_a} and {name_b} give {a}, {b}"
    for name, value in wrong.items():
        if context.close(value, expected):
            continue  # the mistake makes no difference on this data
        result = check.exercise(exercise_id, value, show=False)
        assert result.status == "wrong", (exercise_id, name)
        own = entry.diagnoses[int(name.split(":")[0])](value, context)
        assert result.hint == own, f"{exercise_id}: {name}'s value got another hint"


def test_usual_mistakes_on_kit_data(kit):
    ds = kit
    key = ds.answer_key
    is_bot = key["segment"].eq("bot")
    assert "percentage" in check.exercise("1.1", is_bot.mean() * 100, show=False).message
    assert "visitors" in check.exercise(
        "1.1", key.drop_duplicates("visitor_id")["segment"].eq("bot").mean(), show=False
    ).message
    from helpers.leads import LEAD_EVENTS

    lead_events = ds.events[ds.events["event_name"].isin(LEAD_EVENTS)]
    assert "not people" in check.exercise("1.2", len(lead_events), show=False).message
    assert "trade-show" in check.exercise("1.2", len(ds.leads), show=False).message
    people = ds.sessions.merge(key[["session_id", "segment"]], on="session_id")
    people = people.drop_duplicates("visitor_id")
    all_in = people["visitor_id"].isin(ds.leads["visitor_id"]).mean()
    assert "bots still in" in check.exercise("1.3", all_in, show=False).message
    visits = ds.sessions.merge(key[["session_id", "segment"]], on="session_id")
    per_visit = visits.loc[visits["segment"].ne("bot"), "visitor_id"].isin(ds.leads["visitor_id"])
    assert "not of human visitors" in check.exercise("1.3", per_visit.mean(), show=False).message
    assert check.exercise("1.4", "potential buyers", show=False).hint.startswith("Right group")
    assert "count, not a rate" in check.exercise("1.4", "loyal_customer", show=False).message


def test_1_6_mistakes_on_kit_data(kit):
    """GA4's user key event rate: the session rate and events per visitor are named as such."""
    events, sessions = kit.events, kit.sessions
    downloads = events[events["event_name"] == "guide_download"]
    right = downloads["visitor_id"].nunique() / sessions["visitor_id"].nunique()
    assert check.exercise("1.6", right, show=False).status == "correct"
    per_session = downloads["session_id"].nunique() / len(sessions)
    assert "session key event rate" in check.exercise("1.6", per_session, show=False).message
    per_event = len(downloads) / sessions["visitor_id"].nunique()
    assert "not the downloads" in check.exercise("1.6", per_event, show=False).message
