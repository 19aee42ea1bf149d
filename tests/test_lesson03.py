"""Lesson 03's helpers: the persona builder (pure function first), its explorer, the lesson's
charts, and its exercises' checks and diagnoses on the kit's data."""

from __future__ import annotations

import functools
import itertools
import json
import math
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from helpers import check, explorers, personas, plots, traffic
from helpers.check import Context

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_building_personas.ipynb"


@functools.cache
def kit():
    """The kit's data, its human visitors (as the lesson builds them) and their true segments."""
    from helpers import bots, data, personas

    ds = data.load_all()
    humans = bots.filter(ds.sessions)
    events = ds.events[ds.events["session_id"].isin(humans["session_id"])]
    return ds, personas.visitors(humans, events)


@pytest.fixture
def small():
    """Six visitors with the signals the builder uses, and their true segments."""
    visitors = pd.DataFrame(
        {
            "reads_office": [True, True, False, True, False, True],
            "reads_espresso": [False, False, True, False, True, False],
            "desktop_share": [1.0, 0.0, 0.0, 1.0, 0.0, 1.0],
            "mobile_share": [0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
            "tablet_share": [0.0] * 6,
            "office_hours_share": [1.0, 0.0, 0.0, 0.0, 0.0, 1.0],
            "evening_share": [0.0, 1.0, 1.0, 0.0, 0.5, 0.0],
            "weekend_share": [0.0] * 6,
            "main_channel": ["email", "social", "social", "email", "referral", "paid_search"],
        },
        index=pd.Index([f"v{i}" for i in range(1, 7)], name="visitor_id"),
    )
    # The answer key has one row per session: v1 came twice.
    answer_key = pd.DataFrame(
        {
            "session_id": [f"s{i}" for i in range(1, 8)],
            "visitor_id": ["v1", "v1", "v2", "v3", "v4", "v5", "v6"],
            "segment": [
                "potential_buyer", "potential_buyer", "stumbled", "potential_buyer",
                "loyal_customer", "stumbled", "potential_buyer",
            ],
        }
    )
    return visitors, answer_key


# --------------------------------------------------------------------------- visitor_segments


def test_visitor_segments_one_per_visitor(small):
    _, key = small
    truth = traffic.visitor_segments(key)
    assert truth.to_dict() == {
        "v1": "potential_buyer", "v2": "stumbled", "v3": "potential_buyer",
        "v4": "loyal_customer", "v5": "stumbled", "v6": "potential_buyer",
    }
    assert traffic.visitor_segments(truth) is not None  # a Series passes through
    mixed = pd.DataFrame({"visitor_id": ["a", "a", "a"], "segment": ["x", "y", "y"]})
    assert traffic.visitor_segments(mixed).to_dict() == {"a": "y"}  # the most frequent
    with pytest.raises(KeyError, match="visitor_segments"):
        traffic.visitor_segments(key.drop(columns="segment"))


# --------------------------------------------------------------------------- build_persona


def test_build_persona_turns_choices_into_criteria():
    p = personas.build_persona("office", "desktop", "office hours", "email")
    assert p.stated() == [
        "reads_office = True", "desktop_share >= 0.5", "office_hours_share >= 0.5",
        "main_channel = email",
    ]
    assert [c.weight for c in p.criteria] == [2.0, 1.0, 1.0, 1.0]
    only_channel = personas.build_persona("any", "any", "any", "referral")
    assert only_channel.stated() == ["main_channel = referral"]
    assert personas.build_persona("espresso", "mobile", "evenings").stated()[-1] == (
        "evening_share >= 0.3"
    )


def test_build_persona_errors_say_what_to_pick():
    with pytest.raises(ValueError, match="no criterion"):
        personas.build_persona("any", "any", "any", "any")
    with pytest.raises(ValueError, match="device 'phone'"):
        personas.build_persona(device="phone")
    with pytest.raises(ValueError, match="time_of_day"):
        personas.build_persona(time_of_day="lunch")


# --------------------------------------------------------------------------- persona_builder


def test_builder_counts_matches_buyers_precision_recall(small):
    visitors, key = small
    # office (2) + desktop (1) + office hours (1): total 4.
    # scores: v1 1.0, v2 0.5, v3 0, v4 0.75, v5 0, v6 1.0
    found = personas.match_persona(visitors, key, min_score=0.75)
    assert (found.matched, found.buyers, found.all_buyers) == (3, 2, 3)
    assert found.precision == pytest.approx(2 / 3)
    assert found.recall == pytest.approx(2 / 3)
    assert found.by_segment.to_dict() == {"loyal_customer": 1, "potential_buyer": 2}
    assert found.summary() == "3 humans match · 2 potential buyers · precision 67%"
    looser = personas.match_persona(visitors, key, min_score=0.5)
    assert (looser.matched, looser.buyers) == (4, 2)
    assert "recall 67% of 3 potential buyers" in repr(found)


def test_builder_accepts_the_key_or_its_segments(small):
    visitors, key = small
    a = personas.match_persona(visitors, key, topic="espresso", device="mobile",
                                time_of_day="evenings")
    b = personas.match_persona(visitors, traffic.visitor_segments(key), topic="espresso",
                                device="mobile", time_of_day="evenings")
    assert a.summary() == b.summary()
    # espresso (2) + mobile (1) + evenings (1): v3 and v5 fully, v2 at 0.5
    assert (a.matched, a.buyers) == (3, 1)


def test_builder_min_score_is_inclusive_and_zero_matches_is_fine(small):
    visitors, key = small
    at_one = personas.match_persona(visitors, key, min_score=1.0)
    assert at_one.matched == 2  # v1 and v6 meet everything
    nobody = personas.match_persona(visitors, key, topic="espresso", device="desktop",
                                     time_of_day="office hours", min_score=1.0)
    assert nobody.matched == 0 and math.isnan(nobody.precision)
    assert nobody.summary().endswith("precision n/a")


def test_builder_does_not_mutate_and_errors_are_clear(small):
    visitors, key = small
    before_v, before_k = visitors.copy(), key.copy()
    personas.match_persona(visitors, key, channel="email")
    pd.testing.assert_frame_equal(visitors, before_v)
    pd.testing.assert_frame_equal(key, before_k)
    with pytest.raises(KeyError, match="reads_gear"):
        personas.match_persona(visitors, key, topic="gear")
    with pytest.raises(ValueError, match="min_score"):
        personas.match_persona(visitors, key, min_score=50)
    with pytest.raises(TypeError, match="visitors must be a DataFrame"):
        personas.match_persona(visitors.to_dict(), key)


def test_visitors_missing_from_the_key_are_unknown_not_buyers(small):
    visitors, key = small
    found = personas.match_persona(visitors, key[key["visitor_id"] != "v6"], min_score=1.0)
    assert (found.matched, found.buyers) == (2, 1)
    assert found.by_segment.get("unknown") == 1


def test_match_persona_headline_is_the_explorer_key(small):
    visitors, key = small
    box = explorers.persona_builder(visitors, key)
    assert list(box.controls) == ["topic", "device", "time_of_day", "channel", "min_score"]
    assert isinstance(box.controls["topic"], w.Dropdown)
    assert isinstance(box.controls["min_score"], w.BoundedFloatText)
    expected = personas.match_persona(visitors, key).headline
    assert f">{expected}</div>" in box.key.value
    box.controls["topic"].value = "espresso"
    box.controls["device"].value = "mobile"
    box.controls["time_of_day"].value = "evenings"
    expected = personas.match_persona(
        visitors, key, topic="espresso", device="mobile", time_of_day="evenings"
    ).headline
    assert box.result.summary() == expected
    assert f">{expected}</div>" in box.key.value
    assert "image/png" in box.output.outputs[-1]["data"]


def test_explorer_shows_an_impossible_choice_instead_of_raising(small):
    visitors, key = small
    box = explorers.persona_builder(visitors, key)
    for name in ("topic", "device", "time_of_day"):
        box.controls[name].value = "any"
    assert box.result is None and isinstance(box.error, ValueError)
    assert "no criterion" in box.output.outputs[0]["data"]["text/plain"]
    box.controls["device"].value = "desktop"
    assert box.result is not None and box.error is None


def test_explorer_on_kit_data_first_select_is_the_topic():
    ds, visitors = kit()
    truth = traffic.visitor_segments(ds.answer_key)
    box = explorers.persona_builder(visitors, ds.answer_key)
    first = box.controls["topic"]
    assert "cafe_business" in first.options and first.value == "office"
    first.value = "cafe_business"
    assert box.result.headline == personas.match_persona(
        visitors, ds.answer_key, topic="cafe_business"
    ).headline
    # reconciles: buyers found + missed = all potential buyers among the human visitors
    assert box.result.all_buyers == int(truth.reindex(visitors.index).eq("potential_buyer").sum())
    assert box.result.by_segment.sum() == box.result.matched


# --------------------------------------------------------------------------- charts


def test_persona_profile_sets_the_group_beside_everyone():
    from helpers import personas

    v = pd.DataFrame({"mobile_share": [0.9, 0.7, 0.1, 0.2], "reads_gear": [True, True, False,
                                                                           False],
                      "persona": ["fan", "fan", "none", "none"]})
    fan = personas.Persona("fan", "Reads gear on a phone.", (
        personas.Criterion("reads_gear", values=(True,)),
        personas.Criterion("mobile_share", low=0.5)))
    prof = personas.profile(v, personas=[fan])
    ax = plots.persona_profile(prof, "fan")
    assert isinstance(ax, Axes)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["reads gear", "mean mobile share (wants >= 0.5)"]
    assert ax.get_title() == "Fan: reads gear for 100% of its visitors, 50% of all visitors"
    with pytest.raises(ValueError, match="no rows for group 'nobody'"):
        plots.persona_profile(prof, "nobody")
    with pytest.raises(KeyError, match="persona_profile"):
        plots.persona_profile(prof.drop(columns="everyone"), "fan")


def test_silhouette_marks_the_best_k_on_an_honest_axis():
    sweep = pd.DataFrame({"k": [4, 2, 3], "silhouette": [0.21, 0.17, 0.18],
                          "inertia": [1, 3, 2]})
    ax = plots.silhouette(sweep)
    # one sample's highest k is all the default title claims, and a k at the edge says so
    assert ax.get_title() == "Highest silhouette on this sample: k = 4 (0.21) (the largest k tried: no peak)"
    assert ax.get_ylim()[0] == 0
    inner = plots.silhouette(sweep.assign(silhouette=[0.17, 0.16, 0.21]))
    assert inner.get_title() == "Highest silhouette on this sample: k = 3 (0.21)"
    assert "k = 2 " in plots.silhouette(sweep, chosen=2).get_title()
    with pytest.raises(KeyError, match="silhouette"):
        plots.silhouette(sweep.drop(columns="silhouette"))


def test_persona_segments_puts_no_persona_last():
    table = pd.DataFrame({0: [5, 90, 10], 1: [95, 10, 90]},
                         index=pd.Index(["none", "office_manager", "zeta"], name="persona"))
    ax = plots.persona_segments(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["office manager", "zeta", "none"]
    assert ax.get_title() == "90% of office manager visitors fall in segment 0"
    with pytest.raises(TypeError, match="compare_segments"):
        plots.persona_segments(np.zeros((2, 2)))


# --------------------------------------------------------------------------- exercises


def test_notebook_lists_the_exercise_signals():
    from helpers.exercises import lesson03

    source = "".join(
        "".join(cell["source"]) for cell in json.loads(NOTEBOOK.read_text())["cells"]
    )
    compact = " ".join(source.split())
    listed = ", ".join(f'"{s}"' for s in lesson03.SIGNALS)
    assert f"SIGNALS = [{listed}]" in compact, "the notebook's SIGNALS differ from lesson03"
    ks = lesson03.KS
    assert f"ks=range({ks.start}, {ks.stop}), sample_size={lesson03.SAMPLE}" in compact
    features = ", ".join(f'"{f}"' for f in lesson03.FEATURES)
    assert f"FEATURES = [{features}]" in compact, "the notebook's FEATURES differ from lesson03"
    ks = lesson03.LESSON_KS
    assert f"ks=range({ks.start}, {ks.stop}), sample_size={lesson03.SAMPLE}" in compact


#: Diagnoses that recognise a transformation of the answer rather than one wrong value.
_NOT_A_VALUE = {"complement", "percent_not_share", "usual_wrong_k"}


def _wrong_values(exercise_id: str) -> dict[str, object]:
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


@pytest.mark.parametrize("exercise_id", ["3.1", "3.2", "3.4"])
def test_each_wrong_answer_gets_its_own_hint(exercise_id):
    entry = check.get(exercise_id)
    expected = entry.expected()
    context = Context(entry, expected)
    wrong = _wrong_values(exercise_id)
    assert len(wrong) >= 3
    for (name_a, a), (name_b, b) in itertools.combinations(wrong.items(), 2):
        assert not context.close(a, b), f"{exercise_id}: {name_a} and {name_b} give {a}, {b}"
    for name, value in wrong.items():
        if context.close(value, expected):
            continue  # the mistake makes no difference on this data
        result = check.exercise(exercise_id, value, show=False)
        assert result.status == "wrong", (exercise_id, name)
        own = entry.diagnoses[int(name.split(":")[0])](value, context)
        assert result.hint == own, f"{exercise_id}: {name}'s value got another hint"


def test_usual_mistakes_on_kit_data():
    from helpers import bots, personas

    ds, visitors = kit()
    office = next(p for p in personas.DEFAULT_PERSONAS if p.name == "office_manager")
    # 3.1: bots left in; sessions counted instead of visitors
    everyone = personas.visitors(ds.sessions, ds.events)
    with_bots = int((personas.score(everyone, office) >= 0.5).sum())
    assert "bots in it" in check.exercise("3.1", with_bots, show=False).message
    matched = visitors.index[(personas.score(visitors, office) >= 0.5).to_numpy()]
    humans = bots.filter(ds.sessions)
    n_sessions = int(humans["visitor_id"].isin(matched).sum())
    assert "counts sessions" in check.exercise("3.1", n_sessions, show=False).message
    assert "best persona" in check.exercise(
        "3.1", int(personas.assign(visitors)["persona"].eq("office_manager").sum()), show=False
    ).message
    # 3.2: recall for precision; a percentage
    graded = personas.evaluate(personas.assign(visitors, min_score=0.7), ds.answer_key)
    row = graded.loc["home_barista"]
    assert "recall" in check.exercise("3.2", row["recall"], show=False).message
    assert "percentage" in check.exercise("3.2", row["precision"] * 100, show=False).message
    assert check.exercise("3.2", row["precision"], show=False).correct
    # 3.3: the row label idxmax gives, the smallest inertia, text, the persona count
    from helpers.exercises import lesson03

    sweep = lesson03._sweep()
    best_row = sweep["silhouette"].idxmax()
    best_k = int(sweep.loc[best_row, "k"])
    if best_row not in set(sweep["k"]):
        assert "row label" in check.exercise("3.3", int(best_row), show=False).message
    lowest_inertia = int(sweep.loc[sweep["inertia"].idxmin(), "k"])
    if lowest_inertia != best_k:
        assert "inertia" in check.exercise("3.3", lowest_inertia, show=False).message
    assert "as text" in check.exercise("3.3", str(best_k), show=False).message
    if best_k != 3:
        assert "personas" in check.exercise("3.3", 3, show=False).message
    if best_k != lesson03._lesson_best_k():
        assert "FEATURES" in check.exercise("3.3", lesson03._lesson_best_k(), show=False).message
    assert check.exercise("3.3", np.int64(best_k), show=False).correct
    # 3.4: evaluate's recall (right persona only); the other direction; the complement
    truth = traffic.visitor_segments(ds.answer_key).reindex(visitors.index)
    assigned = personas.assign(visitors)
    is_buyer = truth.eq("potential_buyer").to_numpy(dtype=bool)
    found = assigned["persona"].ne("none").to_numpy(dtype=bool)
    share = found[is_buyer].mean()
    assert check.exercise("3.4", share, show=False).correct
    right_only = personas.evaluate(assigned, ds.answer_key).at["any persona", "recall"]
    assert "right persona" in check.exercise("3.4", right_only, show=False).message
    assert "other way" in check.exercise("3.4", is_buyer[found].mean(), show=False).message
    assert "missed" in check.exercise("3.4", 1 - share, show=False).message
