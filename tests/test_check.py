"""helpers.check: right, wrong (each diagnosis), unanswered, wrong type, strict mode, robustness.

The exercises here are fake ones registered under lesson 9x, so these tests never need data/.
"""

from __future__ import annotations

import decimal
import json
import math

import numpy as np
import pandas as pd
import pytest

from helpers import check
from helpers.check import (
    averaged_rates,
    bots_left_in,
    complement,
    equals,
    events_not_people,
    inverted,
    register,
    unregister,
    when,
    wrong_denominator,
)


@pytest.fixture
def fake():
    """Register exercises for the duration of one test, then remove them."""
    ids: list[str] = []

    def add(exercise_id, expected, **options):
        ids.append(exercise_id)
        return register(exercise_id, expected, replace=True, **options)

    yield add
    for exercise_id in ids:
        unregister(exercise_id)


def grade(exercise_id, answer, **options):
    return check.exercise(exercise_id, answer, show=False, **options)


# --------------------------------------------------------------------------- right and unanswered


def test_right_answer_is_confirmed(fake):
    fake("90.1", lambda: 0.1823, kind="share", success="Bots are {expected:.0%} of sessions.")
    result = grade("90.1", 0.1823)
    assert result.correct and result.status == "correct" and bool(result)
    assert "correct" in result.message and "Bots are 18% of sessions." in result.message


@pytest.mark.parametrize("answer", [0.18, np.float64(0.1823), np.array(0.1823), 0.1873])
def test_share_within_tolerance_is_right(fake, answer):
    fake("90.1", lambda: 0.1823, kind="share")
    assert grade("90.1", answer).correct


def test_count_is_exact(fake):
    fake("90.1", lambda: 1234, kind="count")
    assert grade("90.1", 1234).correct
    assert grade("90.1", np.int64(1234)).correct
    assert grade("90.1", 1234.0).correct
    assert not grade("90.1", 1235).correct


def test_one_value_series_is_accepted_with_a_tip(fake):
    fake("90.1", lambda: 0.25, kind="share")
    result = grade("90.1", pd.Series([0.25]))
    assert result.correct and ".item()" in result.message


def test_unanswered(fake):
    fake("90.1", lambda: 0.5, kind="share")
    result = grade("90.1", ...)
    assert result.status == "unanswered" and not result.correct
    assert "not answered yet" in result.message


def test_unanswered_does_not_compute_the_expected_answer(fake):
    fake("90.1", lambda: 1 / 0, kind="share")
    assert grade("90.1", ...).status == "unanswered"


# --------------------------------------------------------------------------- diagnoses


def test_percent_instead_of_share(fake):
    fake("90.1", lambda: 0.182, kind="share")
    result = grade("90.1", 18.2)
    assert result.status == "wrong"
    assert "percentage" in result.hint and "Divide by 100" in result.hint


def test_share_instead_of_percent(fake):
    fake("90.1", lambda: 18.2, kind="percent")
    assert "Multiply by 100" in grade("90.1", 0.182).hint
    assert grade("90.1", 18.2).correct


def test_complement_of_a_share(fake):
    fake("90.1", lambda: 0.2, kind="share", diagnoses=[complement()])
    assert "complement" in grade("90.1", 0.8).hint


def test_complement_of_a_count_needs_a_total(fake):
    fake("90.1", lambda: 30, kind="count", diagnoses=[complement("the other side", total=100)])
    assert grade("90.1", 70).hint == "the other side"


def test_complement_is_silent_when_it_equals_the_answer(fake):
    fake("90.1", lambda: 0.5, kind="share", diagnoses=[complement("other side")])
    assert grade("90.1", 0.5).correct


def test_bots_left_in(fake):
    fake("90.1", lambda: 0.05, kind="share", diagnoses=[bots_left_in(lambda: 0.04)])
    assert "bots still in" in grade("90.1", 0.04).hint


def test_events_instead_of_people(fake):
    fake("90.1", lambda: 120, kind="count", diagnoses=[events_not_people(lambda: 150)])
    assert "events, not people" in grade("90.1", 150).hint


def test_averaged_rates(fake):
    fake("90.1", lambda: 0.10, kind="share", diagnoses=[averaged_rates(lambda: 0.14)])
    assert "average of the groups' rates" in grade("90.1", 0.14).hint


def test_wrong_denominator(fake):
    fake(
        "90.1",
        lambda: 0.10,
        kind="share",
        diagnoses=[wrong_denominator(lambda: 0.02, denominator="leads")],
    )
    hint = grade("90.1", 0.02).hint
    assert "wrong total" in hint and "leads" in hint


def test_inverted_division(fake):
    fake("90.1", lambda: 4.0, kind="number", diagnoses=[inverted()])
    assert "upside down" in grade("90.1", 0.25).hint


def test_equals_and_when_builders(fake):
    fake(
        "90.1",
        lambda: 10,
        kind="count",
        diagnoses=[equals(lambda: 12, "twelve"), when(lambda a, e: a == e * 2, "double")],
    )
    assert grade("90.1", 12).hint == "twelve"
    assert grade("90.1", 20).hint == "double"


def test_equals_is_lazy(fake):
    calls = []

    def wrong():
        calls.append(1)
        return 3

    fake("90.1", lambda: 2, kind="count", diagnoses=[equals(wrong, "three")])
    grade("90.1", 2)
    assert calls == []
    assert grade("90.1", 3).hint == "three" and calls == [1]


def test_diagnoses_are_tried_in_order(fake):
    fake(
        "90.1",
        lambda: 10,
        kind="count",
        diagnoses=[equals(lambda: 12, "first"), equals(lambda: 12, "second")],
    )
    assert grade("90.1", 12).hint == "first"


def test_general_hint_waits_on_the_hint_ladder(fake):
    fake("90.1", lambda: 0.3, kind="share", hint="Take the mean of is_bot.")
    result = grade("90.1", 0.7)
    assert result.status == "wrong" and result.hint is None
    assert "mean of is_bot" not in result.message and "check.hint" in result.message


def test_near_miss(fake):
    fake("90.1", lambda: 0.3, kind="share", tolerance=0.001)
    assert "round" in grade("90.1", 0.305).hint


def test_out_of_range(fake):
    fake("90.1", lambda: 0.3, kind="share")
    assert "between 0 and 1" in grade("90.1", 3.5).hint
    fake("90.2", lambda: 4, kind="count")
    assert "whole number" in grade("90.2", 4.5).hint


# --------------------------------------------------------------------------- wrong types


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (pd.DataFrame({"a": [1, 2], "b": [3, 4]}), "DataFrame"),
        (pd.Series([0.1, 0.2]), "Series of 2"),
        ("18%", "percentage sign"),
        ("0.18", "text"),
        (None, "None"),
        (True, "yes/no"),
        ([0.1, 0.2], "list"),
        (float("nan"), "NaN"),
        ({"a": 1}, "dict"),
    ],
)
def test_wrong_type_gets_a_specific_hint(fake, answer, words):
    fake("90.1", lambda: 0.18, kind="share")
    result = grade("90.1", answer)
    assert result.status == "wrong"
    assert words in result.hint


def test_shape_instead_of_count(fake):
    fake("90.1", lambda: 100, kind="count")
    assert "shape" in grade("90.1", (100, 5)).hint


# --------------------------------------------------------------------------- other kinds


def test_set_kind(fake):
    fake("90.1", lambda: {"a", "b", "c"}, kind="set")
    assert grade("90.1", ["c", "b", "a", "a"]).correct
    assert grade("90.1", pd.Series(["a", "b", "c"])).correct
    hint = grade("90.1", ["a", "b", "x"]).hint
    assert "1 expected value(s) are missing" in hint and "1 value(s) should not" in hint
    assert "x" not in hint.replace("expected", "")  # the answer is not given away
    assert "DataFrame" in grade("90.1", pd.DataFrame({"v": ["a"]})).hint


def test_choice_kind(fake):
    fake("90.1", lambda: "macro", kind="choice")
    assert grade("90.1", " Macro ").correct
    assert not grade("90.1", "micro").correct


def test_frame_kind(fake):
    expected = pd.DataFrame({"channel": ["a", "b"], "rate": [0.1, 0.2]})
    fake("90.1", lambda: expected, kind="frame")
    assert grade("90.1", expected[["rate", "channel"]]).correct
    assert "missing column(s): rate" in grade("90.1", expected[["channel"]]).hint
    assert "rows" in grade("90.1", expected.head(1)).hint
    assert "DataFrame" in grade("90.1", 0.1).hint


def test_frame_kind_series(fake):
    expected = pd.Series({"a": 1.0, "b": 2.0})
    fake("90.1", lambda: expected, kind="frame")
    assert grade("90.1", expected.iloc[::-1]).correct
    assert not grade("90.1", expected * 2).correct


# --------------------------------------------------------------------------- strict mode


def test_strict_right_answer_passes(fake):
    fake("90.1", lambda: 0.5, kind="share")
    assert grade("90.1", 0.5, strict=True).correct


def test_strict_wrong_answer_raises_with_the_hint(fake):
    fake("90.1", lambda: 0.5, kind="share")
    with pytest.raises(AssertionError, match="Divide by 100"):
        grade("90.1", 50, strict=True)


def test_strict_unanswered_raises(fake):
    fake("90.1", lambda: 0.5, kind="share")
    with pytest.raises(AssertionError, match="not answered yet"):
        grade("90.1", ..., strict=True)


def test_strict_broken_expected_raises(fake):
    fake("90.1", lambda: 1 / 0, kind="share")
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        grade("90.1", 0.5, strict=True)


def test_strict_unknown_exercise_raises():
    with pytest.raises(AssertionError, match="no exercise 97.9"):
        grade("97.9", 1, strict=True)


# --------------------------------------------------------------------------- never raises


def test_broken_expected_does_not_raise_when_not_strict(fake):
    fake("90.1", lambda: 1 / 0, kind="share")
    result = grade("90.1", 0.5)
    assert result.status == "error" and not result.correct
    assert "not your fault" in result.message


def test_broken_diagnosis_is_skipped(fake):
    fake(
        "90.1",
        lambda: 0.5,
        kind="share",
        diagnoses=[equals(lambda: 1 / 0, "never"), equals(lambda: 0.3, "found")],
    )
    assert grade("90.1", 0.3).hint == "found"


@pytest.mark.parametrize("exercise_id", ["97.9", "banana", "", None, 97.1])
def test_unknown_or_malformed_id_does_not_raise(exercise_id):
    result = grade(exercise_id, 1)
    assert result.status == "error" and not result.correct


@pytest.mark.parametrize("kind", ["share", "percent", "count", "number", "set", "choice", "frame"])
def test_odd_answers_never_raise(fake, kind):
    expected = {
        "set": {"a"},
        "choice": "a",
        "frame": pd.DataFrame({"a": [1]}),
    }.get(kind, 1)
    fake("90.1", lambda: expected, kind=kind, diagnoses=[complement(), inverted()])
    odd = [
        object(),
        lambda: 1,
        pd.NA,
        np.nan,
        math.inf,
        -math.inf,
        complex(1, 2),
        decimal.Decimal("1"),
        10**400,
        np.array([[1, 2], [3, 4]]),
        pd.Index([1]),
        pd.DataFrame(),
        pd.Series(dtype=float),
        b"bytes",
        {"a"},
        ("a", 1),
        [[1]],
        pd.Timestamp("2024-01-01"),
    ]
    for answer in odd:
        result = grade("90.1", answer)
        assert result.status in ("correct", "wrong", "error"), answer
        assert isinstance(result.message, str) and result.message


# --------------------------------------------------------------------------- output


def test_result_renders_as_html_and_text(fake):
    fake("90.1", lambda: 0.5, kind="share", diagnoses=[equals(0.9, "Use `mean()` <b>")])
    result = grade("90.1", 0.9)
    page = result._repr_html_()
    assert 'class="kit-check kit-check-wrong"' in page
    assert "<code>mean()</code>" in page and "&lt;b&gt;" in page
    assert str(result).startswith("❌") and "Use `mean()`" in str(result)
    assert result._repr_markdown_() == str(result)


def test_shows_plain_text_outside_jupyter(fake, capsys):
    fake("90.1", lambda: 0.5, kind="share")
    check.exercise("90.1", 0.5)
    assert "✅ Exercise 90.1: correct!" in capsys.readouterr().out


# --------------------------------------------------------------------------- registry


def test_register_refuses_duplicates_bad_kinds_and_values(fake):
    fake("90.1", lambda: 1, kind="count")
    with pytest.raises(ValueError, match="already registered"):
        register("90.1", lambda: 1, kind="count")
    with pytest.raises(ValueError, match="kind 'ratio'"):
        register("90.2", lambda: 1, kind="ratio")
    with pytest.raises(TypeError, match="must be a function"):
        register("90.2", 0.5, kind="share")
    with pytest.raises(ValueError, match="N.M"):
        register("lesson 2", lambda: 1)


def test_register_as_decorator():
    @register("90.3", kind="count")
    def answer():
        return 7

    try:
        assert grade("90.3", 7).correct
        assert check.get("90.03").id == "90.3"  # ids are normalised
    finally:
        unregister("90.3")


def test_lesson_modules_register_lazily_without_data():
    ids = check.load_all_lessons()
    assert {"0.1", "0.2"} <= set(ids)
    assert ids == check.registered_ids()


def test_lesson00_checks_follow_the_data(monkeypatch):
    """Lesson 00's expected answers are computed from the data (a fake frame here)."""
    from helpers.exercises import lesson00

    sessions = pd.DataFrame(
        {
            "session_id": ["s1", "s2", "s3", "s4", "s5"],
            "visitor_id": ["v1", "v1", "v2", "v3", "v3"],
            "channel": ["email", "social", "direct", "email", "email"],
            "device": ["mobile", "desktop", "mobile", "mobile", "desktop"],
        }
    )
    events = pd.DataFrame({"event_id": [f"e{i}" for i in range(9)]})
    leads = pd.DataFrame({"lead_id": ["L1", "L2"]})
    frames = {"sessions": sessions, "events": events, "leads": leads}
    monkeypatch.setattr(lesson00, "frame", lambda name: frames[name])

    assert grade("0.1", 5, strict=True).correct
    assert "visitors" in grade("0.1", 3).hint
    assert "events" in grade("0.1", 9).hint
    assert "leads" in grade("0.1", 2).hint
    assert "columns" in grade("0.1", 4).hint
    assert "shape" in grade("0.1", sessions.shape).hint
    assert grade("0.2", 0.6, strict=True).correct
    assert "60%" in grade("0.2", 0.6).message
    assert "percentage" in grade("0.2", 60).hint
    assert "NOT on a mobile" in grade("0.2", 0.4).hint
    assert "number of mobile sessions" in grade("0.2", 3).hint
    assert "visitors, not sessions" in grade("0.2", 1.0).hint


# --------------------------------------------------------------------------- learner editions


def test_unrecognised_wrong_answer_never_gets_the_general_hint(fake):
    fake("90.1", lambda: 0.3, kind="share", hint="SECRET: take the mean of is_bot.")
    result = check.exercise("90.1", 0.77, show=False)
    assert result.status == "wrong" and result.hint is None
    assert "SECRET" not in result.message and 'check.hint("90.1")' in result.message


def test_hint_ladder_gets_stronger_then_points_to_the_solution(fake, capsys, monkeypatch):
    fake("90.1", lambda: 0.3, kind="share", hint="Take the mean of is_bot.")
    monkeypatch.setitem(
        check._SOLUTIONS, "90.1", "# Solution\nx = 1\ny = x + 1\ncheck.exercise('90.1', y, strict=True)"
    )
    monkeypatch.setattr(check, "_HINT_LEVEL", {})
    said = []
    for _ in range(4):
        check.hint("90.1")
        said.append(capsys.readouterr().out)
    assert "Hint 1 of 2" in said[0] and "mean of is_bot" in said[0]
    assert "Hint 2 of 2" in said[1] and "x = 1" in said[1] and "y = x + 1" not in said[1]
    assert 'check.solution("90.1")' in said[2] and "x = 1" not in said[2]


def test_solution_shows_the_code_and_runs_on_a_copy(fake, capsys, monkeypatch):
    fake("90.1", lambda: 2, kind="count")
    monkeypatch.setitem(check._SOLUTIONS, "90.1", "# Solution\nanswer = 2\n")
    monkeypatch.setattr(check, "_REVEALED", set())
    check.solution("90.1")
    assert "answer = 2" in capsys.readouterr().out and "90.1" in check._REVEALED


@pytest.mark.parametrize("strict_env", ["", "1"])
def test_prose_raises_only_for_authors_on_the_kits_data(monkeypatch, tmp_path, strict_env):
    for name in ("KIT_STRICT", "KIT_AUTHOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("KIT_DATA", raising=False)
    if strict_env:
        monkeypatch.setenv("KIT_STRICT", strict_env)
        with pytest.raises(AssertionError, match="update the text"):
            check.prose(False, "update the text above")
        monkeypatch.setenv("KIT_DATA", str(tmp_path))  # other data: the text's numbers differ
    check.prose(False, "update the text above")  # silent
    check.prose(True)


def test_data_note_only_on_other_data(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("KIT_DATA", raising=False)
    check.data_note()
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("KIT_DATA", str(tmp_path))
    check.data_note()
    out = capsys.readouterr().out
    assert str(tmp_path) in out and "default data" in out


def test_progress_is_kept_in_a_file_and_counts_only_own_right_answers(fake, monkeypatch, tmp_path):
    path = tmp_path / "sub" / ".kit-progress.json"
    monkeypatch.setenv("KIT_PROGRESS", str(path))
    fake("90.1", lambda: 0.3, kind="share")
    fake("90.2", lambda: 4, kind="count")
    check.exercise("90.1", 0.9, show=False)
    assert not path.exists()  # a wrong answer is not progress
    check.exercise("90.2", 4, strict=True, show=False)
    assert not path.exists()  # a solution (strict) is not the learner's answer
    check.exercise("90.1", 0.3, show=False)
    stored = json.loads(path.read_text())
    assert list(stored["correct"]) == ["90.1"]
    assert not list(path.parent.glob(".kit-progress-*"))  # the temporary file was renamed
    shown = check.progress(90)
    assert shown.done == ("90.1",) and "90.2" in shown.total
    assert "Lesson 90: 1 of 2 right" in str(shown) and "✓ 90.1" in str(shown)
    path.write_text("not json")  # a damaged file is treated as empty, never an error
    assert check.progress().done == ()


def test_progress_off_writes_nothing(fake, monkeypatch, tmp_path):
    monkeypatch.setenv("KIT_PROGRESS", "off")
    monkeypatch.chdir(tmp_path)
    fake("90.1", lambda: 0.3, kind="share")
    assert check.exercise("90.1", 0.3, show=False).correct
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kind", "answer", "words"),
    [
        ("share", math.inf, "infinite"),
        ("count", math.inf, "infinite"),
        ("number", -math.inf, "infinite"),
        ("share", pd.Series([], dtype=float), "empty"),
        ("count", np.array([]), "empty"),
    ],
)
def test_inf_and_empty_answers_get_a_learner_message(fake, kind, answer, words):
    fake("90.1", lambda: 0.3 if kind != "count" else 3, kind=kind)
    result = check.exercise("90.1", answer, show=False)
    assert result.status == "wrong" and words in result.message


def test_a_huge_answer_is_not_echoed_back(fake):
    fake("90.1", lambda: 0.3, kind="share")
    huge = "x" * 1_000_000
    result = check.exercise("90.1", huge, show=False)
    assert result.status == "wrong" and len(result.message) < 500
    fake("90.2", lambda: "A", kind="choice")
    assert len(check.exercise("90.2", huge, show=False).message) < 2000


class _FakeShell:
    """Just enough of IPython's shell for the %%solution magic: the user's namespace."""

    def __init__(self, **variables):
        self.user_ns = dict(variables)


def test_solution_magic_hides_then_runs_on_a_copy(fake, monkeypatch, capsys):
    fake("90.1", lambda: 2, kind="count")
    shell = _FakeShell(answer=99, check=check)
    monkeypatch.setattr(check, "_shell", lambda: shell)
    monkeypatch.setattr(check, "_REVEALED", set())
    monkeypatch.setattr(check, "_SOLUTIONS", {})
    for name in ("KIT_STRICT", "KIT_AUTHOR", "KIT_SOLUTIONS"):
        monkeypatch.delenv(name, raising=False)
    body = "# Solution\nanswer = 2\ncheck.exercise('90.1', answer, strict=True)\n"
    check._solution_magic("90.1", body)
    out = capsys.readouterr().out
    assert "hidden" in out and "✅" not in out and shell.user_ns["answer"] == 99
    check.solution("90.1", run=True)  # asked for: shown and run, the learner's answer kept
    out = capsys.readouterr().out
    assert "answer = 2" in out and "✅" in out and shell.user_ns["answer"] == 99
    check._solution_magic("90.1", body)  # once revealed, the cell shows its result
    assert "✅" in capsys.readouterr().out and shell.user_ns["answer"] == 99


def test_solution_magic_in_strict_mode_runs_and_raises_when_wrong(fake, monkeypatch):
    fake("90.1", lambda: 2, kind="count")
    shell = _FakeShell(check=check)
    monkeypatch.setattr(check, "_shell", lambda: shell)
    monkeypatch.delenv("KIT_STRICT", raising=False)
    monkeypatch.setenv("KIT_SOLUTIONS", "strict")
    check._solution_magic("90.1", "answer = 2\ncheck.exercise('90.1', answer, strict=True)\n")
    assert shell.user_ns["answer"] == 2
    with pytest.raises(AssertionError, match="90.1"):
        check._solution_magic("90.1", "answer = 3\ncheck.exercise('90.1', answer, strict=True)\n")


def test_solution_source_is_read_from_the_lesson_when_the_cell_never_ran(monkeypatch, tmp_path):
    monkeypatch.setattr(check, "_SOLUTIONS", {})
    monkeypatch.chdir(tmp_path)  # no lesson here: the kit's notebooks/ are read
    source = check._solution_source("5.1")
    assert source is not None and source.startswith("# Solution")
    assert 'check.exercise("5.1"' in source
    # a folder holding the lesson without solution cells (the workshop handout): none
    (tmp_path / "05_conversion_rates.ipynb").write_text(json.dumps({"cells": []}))
    assert check._solution_source("5.1") is None
