"""The reconciling tables of the metric modules, exactly: ``bots.report``, ``bots.evaluate``
and ``leads.qualify_report``.

Each table is compared in full (values, dtypes, labels, order) with one recomputed here in
plain Python, and each error with its whole sentence: these are what a learner reads, and
``make mutate`` (tests/MUTATION.md) needs a test that fails when any part of them changes.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from helpers import bots
from helpers import leads as ld
from helpers.data import load_leads

# ----------------------------------------------------------------------- qualify_report


def _report_by_hand(qualified: pd.DataFrame) -> pd.DataFrame:
    """qualify_report's definition, written again with Counter and loops."""
    reasons = [[] if not isinstance(r, str) or r == "" else r.split("; ") for r in qualified["reasons"]]
    having = Counter(r for rs in reasons for r in rs)
    alone = Counter(rs[0] for rs in reasons if len(rs) == 1)
    order = [r for r in ld.REASONS if r in having] + sorted(set(having) - set(ld.REASONS))
    total = len(qualified)
    removed = int((~qualified["qualified"].astype(bool)).sum())
    rows = [(r, having[r], alone[r]) for r in order] + [
        ("removed (any reason)", removed, removed),
        ("kept", total - removed, 0),
        ("total", total, 0),
    ]
    table = pd.DataFrame(
        {"leads": [n for _, n, _ in rows], "only_reason": [a for _, _, a in rows]},
        index=pd.Index([r for r, _, _ in rows], name="reason"),
        dtype="int64",
    )
    table["share"] = table["leads"] / total
    return table


def test_qualify_report_on_the_kit_leads_matches_a_count_by_hand():
    qualified = ld.qualify(load_leads())
    got = ld.qualify_report(qualified)
    pd.testing.assert_frame_equal(got, _report_by_hand(qualified), check_index_type=False)
    assert got["leads"].dtype == np.int64 and got["only_reason"].dtype == np.int64
    # the reconciliation the docstring promises
    assert got.loc["kept", "leads"] + got.loc["removed (any reason)", "leads"] == len(qualified)
    assert got.loc["total", "share"] == 1.0


def test_qualify_report_orders_reasons_and_counts_single_reasons_only_once():
    qualified = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c", "d", "e"],
            "qualified": [False, False, False, True, False],
            "reasons": ["zz_custom", "missing_name; invalid_email", "invalid_email", "", "aa_custom"],
        }
    )
    got = ld.qualify_report(qualified)
    assert list(got.index) == [
        "invalid_email", "missing_name", "aa_custom", "zz_custom",
        "removed (any reason)", "kept", "total",
    ]
    assert got.index.name == "reason"
    assert got["leads"].tolist() == [2, 1, 1, 1, 4, 1, 5]
    assert got["only_reason"].tolist() == [1, 0, 1, 1, 4, 0, 0]
    assert got["share"].tolist() == pytest.approx([0.4, 0.2, 0.2, 0.2, 0.8, 0.2, 1.0])
    pd.testing.assert_frame_equal(got, _report_by_hand(qualified), check_index_type=False)


def test_qualify_report_with_nothing_removed_and_missing_reasons():
    qualified = pd.DataFrame({"qualified": [True, True], "reasons": [None, np.nan]})
    got = ld.qualify_report(qualified)
    assert list(got.index) == ["removed (any reason)", "kept", "total"]
    assert got["leads"].tolist() == [0, 2, 2] and got["only_reason"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("qualified", "error", "message"),
    [
        (
            pd.DataFrame({"lead_id": ["a", "a"], "qualified": [True, False], "reasons": ["", "x"]}),
            ValueError,
            "qualify_report(): qualified has 1 lead_id value(s) on more than one row (2 rows in "
            "all), e.g. ['a']; each unit must be counted once. Drop the duplicates first, e.g. "
            "qualified.drop_duplicates('lead_id').",
        ),
        (
            pd.DataFrame({"qualified": [True]}),
            KeyError,
            "qualify_report(): qualified has no column 'reasons'. It has: qualified. Pass the "
            "result of qualify(leads).",
        ),
        ([1], TypeError, "qualify_report(): qualified must be a pandas DataFrame, got list."),
        (
            pd.DataFrame({"qualified": ["True"], "reasons": [""]}),
            TypeError,
            "qualify_report(): column 'qualified' must be True/False (True for a lead kept by "
            "qualify), but holds text such as 'True'; text is never read as a flag. Convert it "
            "explicitly, e.g. frame['qualified'].map({'True': True, 'False': False}), or load the "
            "file with helpers.data. Pass the result of qualify(leads).",
        ),
    ],
)
def test_qualify_report_errors_in_full(qualified, error, message):
    with pytest.raises(error) as caught:
        ld.qualify_report(qualified)
    text = caught.value.args[0]
    assert text == message


# ------------------------------------------------------------------------- bots.report


def _labelled(reasons: list[str], ids: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"is_bot": [r != "" for r in reasons], "bot_reason": reasons})
    if ids is not None:
        frame.insert(0, "session_id", ids)
    return frame


def test_report_table_in_full_in_reason_order():
    reasons = ["behaviour:too_fast", "", "ua:list", "ua:missing", "", "ua:list", "zz:custom", ""]
    got = bots.report(_labelled(reasons))
    # human first, then bots.REASONS order, then reasons the kit does not know, then total
    known = [r for r in bots.REASONS if r in reasons]
    assert known == ["ua:list", "ua:missing", "behaviour:too_fast"]
    index = pd.Index(["human", *known, "zz:custom", "total"], name="reason", dtype="str")
    expected = pd.DataFrame({"sessions": np.array([3, 2, 1, 1, 1, 8], dtype=np.int64)}, index=index)
    expected["share"] = expected["sessions"] / 8
    pd.testing.assert_frame_equal(got, expected)


def test_report_refuses_repeated_sessions_in_full():
    labelled = _labelled(["ua:list", ""], ids=["s", "s"])
    with pytest.raises(ValueError) as caught:
        bots.report(labelled)
    assert caught.value.args[0] == (
        "report(): labelled has 1 session_id value(s) on more than one row (2 rows in all), "
        "e.g. ['s']; each unit must be counted once. Drop the duplicates first, e.g. "
        "labelled.drop_duplicates('session_id')."
    )
    # without ids there is nothing to repeat: the same rows are counted as given
    assert bots.report(_labelled(["ua:list", ""])).loc["total", "sessions"] == 2


@pytest.mark.parametrize(("missing", "others", "warns"), [(2, 2, False), (3, 2, True), (1, 0, True)])
def test_report_warns_only_past_half_missing_agents(missing, others, warns):
    labelled = _labelled(["ua:missing"] * missing + [""] * others)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bots.report(labelled)
    ours = [w for w in caught if "no user agent" in str(w.message)]
    assert len(ours) == int(warns)
    if warns:
        (warning,) = ours
        total = missing + others
        assert warning.category is UserWarning
        assert str(warning.message) == (
            f"report(): {missing:,} of {total:,} sessions ({missing / total:.0%}) are flagged "
            "only because they have no user agent; if your export lost the field, label again "
            "with rules=BotRules(missing_ua=False) or user_agents=False."
        )


# ----------------------------------------------------------------------- bots.evaluate


def test_evaluate_confusion_table_labels_and_counts():
    labelled = _labelled(["ua:list", "ua:list", "", "", "", "ua:list"], ids=list("abcdef"))
    truth = pd.Series([True, False, True, False, False, True], index=list("abcdef"))
    result = bots.evaluate(labelled, truth)
    expected = pd.DataFrame(
        [[2, 1], [1, 2]],
        index=pd.Index(["bot", "human"], name="truth"),
        columns=pd.Index(["flagged as bot", "kept as human"], name="label"),
    )
    pd.testing.assert_frame_equal(result.confusion, expected)
    assert (result.tp, result.fp, result.fn, result.tn) == (2, 1, 1, 2)
    assert result.precision == pytest.approx(2 / 3) and result.recall == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("labelled", "truth", "message"),
    [
        (
            _labelled([], ids=[]).astype({"is_bot": bool}),
            pd.Series([], dtype=bool),
            "evaluate(): labelled is empty, so there is nothing to count. Pass "
            "bots.label(sessions) of a non-empty sessions table.",
        ),
        (
            _labelled(["ua:list", ""], ids=["a", "a"]),
            pd.Series([True], index=["a"]),
            "evaluate(): labelled repeats session_id(s) ['a']; ids must be unique.",
        ),
        (
            _labelled(["ua:list", ""], ids=["a", "b"]),
            pd.Series([True, True, False], index=["a", "a", "b"]),
            "evaluate(): truth repeats session_id(s) ['a']; ids must be unique.",
        ),
    ],
)
def test_evaluate_errors_in_full(labelled, truth, message):
    with pytest.raises(ValueError) as caught:
        bots.evaluate(labelled, truth)
    assert caught.value.args[0] == message


def test_evaluate_lists_at_most_three_repeated_ids():
    ids = ["a", "a", "b", "b", "c", "c", "d", "d"]
    labelled = _labelled([""] * 8, ids=ids)
    with pytest.raises(ValueError, match=r"\['a', 'b', 'c'\]; ids"):
        bots.evaluate(labelled, pd.Series(False, index=list("abcd")))
    truth = pd.Series(False, index=ids)
    with pytest.raises(ValueError, match=r"truth repeats session_id\(s\) \['a', 'b', 'c'\];"):
        bots.evaluate(_labelled([""] * 4, ids=list("abcd")), truth)


def test_report_of_no_sessions_has_a_zero_share_not_nan():
    empty = pd.DataFrame({"is_bot": pd.Series([], dtype=bool), "bot_reason": pd.Series([], dtype=str)})
    got = bots.report(empty)
    assert list(got.index) == ["total"]
    assert got.loc["total", "sessions"] == 0 and got.loc["total", "share"] == 0.0


_ONE = pd.DataFrame({"session_id": ["a"], "is_bot": [True], "bot_reason": ["ua:list"]})
_YES = pd.Series([True], index=["a"])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: bots.report(_ONE.drop(columns="bot_reason")),
            KeyError,
            "report(): labelled has no column 'bot_reason'. It has: session_id, is_bot. Label "
            "the sessions first: bots.label(sessions).",
        ),
        (
            lambda: bots.report(_ONE.assign(is_bot=["True"])),
            TypeError,
            "report(): column 'is_bot' must be True/False; it is str. Label the sessions with "
            "bots.label(sessions); text such as 'True'/'False' is not read as a boolean (convert "
            "it with .map({'True': True, 'False': False})).",
        ),
        (
            lambda: bots.report(_ONE.assign(is_bot=pd.array([None], dtype="boolean"))),
            ValueError,
            "report(): column 'is_bot' has 1 missing value(s); every session needs True or "
            "False. Label the sessions again with bots.label(sessions).",
        ),
        (
            lambda: bots.evaluate(_ONE.drop(columns="is_bot"), _YES),
            KeyError,
            "evaluate(): labelled has no column 'is_bot'. It has: session_id, bot_reason. Label "
            "the sessions first: bots.label(sessions).",
        ),
        (
            lambda: bots.evaluate(_ONE.assign(is_bot=pd.array([None], dtype="boolean")), _YES),
            ValueError,
            "evaluate(): column 'is_bot' has 1 missing value(s); every session needs True or "
            "False. Label the sessions again with bots.label(sessions).",
        ),
        (
            lambda: bots.evaluate(_ONE, pd.DataFrame({"session_id": ["a"]})),
            KeyError,
            "evaluate(): truth has no column 'segment'. It has: session_id. Pass the answer key "
            "(data.load_answer_key()) or a boolean Series of 'is a bot' indexed by session_id.",
        ),
    ],
)
def test_report_and_evaluate_input_errors_in_full(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert caught.value.args[0] == message
