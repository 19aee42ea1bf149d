"""``conversions.funnel`` and its private helpers against a funnel counted by hand.

Each test builds a small frame that reaches one path of the funnel (the kind of ids: text of
every storage, categories, numbers, a mix; the kind of times: datetimes, integers, floats,
ISO text), and compares the WHOLE table with ``by_hand``: a plain pandas loop over the people
that follows the docstring's definition, one person at a time. The helpers (``_step_codes``,
``_compact``, ``_arrow_text``, ``_person_codes``) are compared in full with what their
docstrings promise, computed here with plain Python or pandas.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from helpers import conversions as cv

STEPS = ["view", "cart", "buy"]


def by_hand(events, steps, *, person="visitor_id", time="timestamp", step_column="event_name", ordered=True):
    """The funnel by its definition: person by person, step by step (small frames only)."""
    ev = events[events[step_column].isin(steps) & events[person].notna()]
    counts = [0] * len(steps)
    for _, rows in ev.groupby(person, observed=True, sort=False):
        if ordered:
            first = {s: rows.loc[rows[step_column] == s, time].min() for s in steps
                     if (rows[step_column] == s).any()}
        else:
            first = {s: 0 for s in set(rows[step_column])}
        for j, step in enumerate(steps):
            if step not in first or (ordered and j > 0 and first[steps[j - 1]] > first[step]):
                break
            counts[j] += 1
    people = pd.Series(counts, dtype="int64")
    prev = pd.Series([counts[0]] + counts[:-1], dtype="int64")
    step_rate = people / prev.where(prev > 0)
    overall = people / counts[0] if counts[0] > 0 else pd.Series(np.nan, index=people.index)
    return pd.DataFrame({
        "step": list(steps),
        "people": people,
        "step_rate": step_rate.astype("float64"),
        "overall_rate": overall.astype("float64"),
        "drop_off": prev - people,
        "drop_off_share": 1.0 - step_rate.astype("float64"),
    })


def same(events, steps=STEPS, **kwargs):
    got = cv.funnel(events, steps, **kwargs)
    want = by_hand(events, steps, **kwargs)
    pd.testing.assert_frame_equal(got, want)
    return got


# a: view, cart, buy in order; b: view then buy (no cart); c: cart before view; d: view only;
# a missing id (cannot be followed) and events that are no step
VISITORS = ["a", "a", "a", "b", "b", "c", "c", None, "d", "a", "e"]
EVENTS = pd.DataFrame({
    "visitor_id": VISITORS,
    "event_name": ["view", "cart", "buy", "view", "buy", "cart", "view", "view", "view", "other", "other"],
    "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-01 10:02",
                                 "2024-01-01 11:00", "2024-01-01 11:05", "2024-01-01 12:00",
                                 "2024-01-01 12:01", "2024-01-01 13:00", "2024-01-01 14:00",
                                 "2024-01-01 15:00", "2024-01-01 16:00"], utc=True),
})


def _chunked(values, dtype):
    """A Series of ``dtype`` whose Arrow storage has two chunks (as after a concat)."""
    half = len(values) // 2
    return pd.concat([pd.Series(values[:half], dtype=dtype), pd.Series(values[half:], dtype=dtype)],
                     ignore_index=True)


IDS = {
    "object": lambda v: pd.Series(v, dtype=object),
    "str": lambda v: pd.Series(v, dtype="str"),
    "string[python]": lambda v: pd.Series(v, dtype="string[python]"),
    "string[pyarrow] chunked": lambda v: _chunked(v, "string[pyarrow]"),
    "arrow string": lambda v: pd.Series(v, dtype=pd.ArrowDtype(pa.string())),
    "arrow large_string chunked": lambda v: _chunked(v, pd.ArrowDtype(pa.large_string())),
    "category": lambda v: pd.Series(v, dtype="category"),
}


# ----------------------------------------------------------------------------- ids


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("kind", sorted(IDS))
def test_funnel_is_the_count_by_hand_for_every_kind_of_text_id(kind, ordered):
    events = EVENTS.assign(visitor_id=IDS[kind](VISITORS))
    got = same(events, ordered=ordered)
    assert got["people"].tolist() == ([4, 1, 1] if ordered else [4, 2, 1])  # the story above


@pytest.mark.parametrize("ordered", [True, False])
def test_funnel_on_numeric_and_mixed_ids(ordered):
    numbers = EVENTS.assign(visitor_id=[1, 1, 1, 2, 2, 3, 3, np.nan, 4, 1, 5])
    same(numbers, ordered=ordered)
    # text and numbers mixed: pyarrow cannot read them as text, pd.factorize can
    mixed = EVENTS.assign(visitor_id=pd.Series(["a", "a", "a", 2, 2, "c", "c", None, 4, "a", 5], dtype=object))
    same(mixed, ordered=ordered)
    # the number 2 and the text "2" are two people
    two = pd.DataFrame({"visitor_id": pd.Series([2, "2"], dtype=object), "event_name": ["view", "cart"],
                        "timestamp": [1, 2]})
    assert same(two, ordered=ordered)["people"].tolist() == [1, 0, 0]


def test_funnel_without_pyarrow_is_the_same(monkeypatch):
    events = EVENTS.astype({"visitor_id": object, "event_name": object})
    want = by_hand(events, STEPS)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    pd.testing.assert_frame_equal(cv.funnel(events, STEPS), want)


def test_funnel_on_categorical_steps_with_missing_values():
    # the step column's missing values are no step; "buy" is category 0, then "view"
    steps = pd.Categorical(["view", None, "buy", "cart", None, "view", "buy", "view"],
                           categories=["buy", "view", "cart", "other"])
    events = pd.DataFrame({"visitor_id": ["a", "a", "a", "a", "b", "b", "b", "c"], "event_name": steps,
                           "timestamp": [1, 2, 4, 3, 1, 2, 3, 1]})
    for ordered in (True, False):
        got = same(events, ordered=ordered)
        assert got["people"].tolist() == [3, 1, 1]


# ----------------------------------------------------------------------------- times


def _two_steps(first_times, second_times):
    """Person i views at first_times[i] and buys at second_times[i]."""
    n = len(first_times)
    return pd.DataFrame({"visitor_id": [f"p{i}" for i in range(n)] * 2,
                         "event_name": ["view"] * n + ["buy"] * n,
                         "timestamp": list(first_times) + list(second_times)})


def test_funnel_keeps_integer_times_one_unit_apart_beyond_float_precision():
    big = 2**53  # past 2**53 a float cannot tell t from t + 1
    events = _two_steps([big + 1, big], [big, big + 1])  # p0 buys 1 ns before viewing; p1 after
    got = same(events, ["view", "buy"])
    assert got["people"].tolist() == [2, 1]
    same(events.astype({"timestamp": "int32"}).assign(timestamp=[5, 3, 4, 6]), ["view", "buy"])


def test_funnel_keeps_fractions_of_float_times_and_times_beyond_the_int64_range():
    same(_two_steps([1.5, 1.2], [1.2, 1.7]), ["view", "buy"])  # p0 buys 0.3 before viewing
    far = 1e19  # larger than any int64
    got = same(_two_steps([2 * far, far], [far, 2 * far]), ["view", "buy"])
    assert got["people"].tolist() == [2, 1]
    # times at the edge of their type are real times, not "no time"
    same(_two_steps([np.inf, 0.0], [np.inf, 1.0]), ["view", "buy"])
    top = np.iinfo("int64").max
    same(_two_steps([top, 0], [top, 1]), ["view", "buy"])


def test_funnel_reads_iso_text_with_mixed_offsets_and_precisions():
    # 10:00+01:00 is 09:00Z, so p0 views (09:00Z) before buying (09:30Z); p1 buys first
    text = _two_steps(["2025-03-03T10:00:00+01:00", "2025-03-03T10:00:00Z"],
                      ["2025-03-03T09:30:00Z", "2025-03-03"])
    parsed = text.assign(timestamp=pd.to_datetime(text["timestamp"], utc=True, format="ISO8601"))
    got = cv.funnel(text, ["view", "buy"])
    pd.testing.assert_frame_equal(got, by_hand(parsed, ["view", "buy"]))
    assert got["people"].tolist() == [2, 1]
    arrow_text = text.astype({"timestamp": pd.ArrowDtype(pa.string())})
    pd.testing.assert_frame_equal(cv.funnel(arrow_text, ["view", "buy"]), got)


def test_funnel_on_datetimes_of_any_zone_and_unit():
    naive = EVENTS.assign(timestamp=EVENTS["timestamp"].dt.tz_localize(None).astype("datetime64[s]"))
    same(naive)
    same(EVENTS.assign(timestamp=EVENTS["timestamp"].dt.tz_convert("America/New_York")))


# ----------------------------------------------------------------------------- rates


def test_funnel_rates_when_a_step_is_empty_warn_nothing():
    events = pd.DataFrame({"visitor_id": ["a", "b"], "event_name": ["view", "view"], "timestamp": [1, 2]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from a 0 / 0
        got = same(events, ["view", "cart", "buy"])
        nobody = same(events, ["buy", "view"])
        one = same(events.iloc[:1], ["view", "buy"])
    assert got["step_rate"].tolist()[:2] == [1.0, 0.0] and np.isnan(got["step_rate"].iloc[2])
    assert nobody["overall_rate"].isna().all() and one["overall_rate"].tolist() == [1.0, 0.0]


def test_funnel_on_no_events_names_the_fix():
    empty = EVENTS.iloc[:0]
    with pytest.raises(ValueError) as err:
        cv.funnel(empty, STEPS)
    assert str(err.value) == ("funnel(): events is empty, so there is nothing to count. "
                              "Pass the events of the people to follow (data.load_events()).")


# ----------------------------------------------------------------------------- helpers


def test_step_codes_are_the_position_of_each_value_in_the_steps():
    steps = ["view", "buy"]
    values = ["buy", None, "other", "view", "view", None]
    want = [steps.index(v) if v in steps else -1 for v in values]
    # "view" is category 0: the first category must not be read as "not a step"
    for cats in (["view", "other", "buy"], ["other", "view", "buy"], ["buy", "view", "other"]):
        got = cv._step_codes(pd.Series(pd.Categorical(values, categories=cats)), steps)
        assert got.tolist() == want
    assert cv._step_codes(pd.Series(values), steps).tolist() == want
    no_categories = pd.Series(pd.Categorical([None, None], categories=[]))
    assert cv._step_codes(no_categories, steps).tolist() == [-1, -1]


def test_compact_is_the_dense_rank_of_the_codes():
    for codes in ([7, 3, 7, 9, 3], [0, 5, 5, 2], [4], [1, 1], [0]):
        arr = np.array(codes, dtype=np.int8)
        got, n = cv._compact(arr)
        want = pd.Series(codes).rank(method="dense").astype("int64").to_numpy() - 1
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.int64 and n == len(set(codes))
    got, n = cv._compact(np.array([], dtype=np.int16))
    assert got.dtype == np.int64 and got.tolist() == [] and n == 0


@pytest.mark.parametrize("kind", sorted(set(IDS) - {"category"}))
def test_arrow_text_reads_text_of_every_storage(kind):
    values = ["b", "a", "b", "c"]
    got = cv._arrow_text(IDS[kind](values))
    assert pa.types.is_string(got.type) or pa.types.is_large_string(got.type)
    assert got.to_pylist() == values


def test_arrow_text_is_none_for_numbers_mixed_ids_or_without_pyarrow(monkeypatch):
    assert cv._arrow_text(pd.Series([1, 2, 1])) is None
    assert cv._arrow_text(pd.Series([1.5, 2.0])) is None
    assert cv._arrow_text(pd.Series([1, 2], dtype=pd.ArrowDtype(pa.int64()))) is None
    assert cv._arrow_text(pd.Series(["a", 1], dtype=object)) is None
    assert cv._arrow_text(pd.Series([b"a", b"b"], dtype=object)) is None  # bytes are not text
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert cv._arrow_text(pd.Series(["a", "b"], dtype=object)) is None


@pytest.mark.parametrize("kind", sorted(IDS))
def test_person_codes_number_the_people(kind):
    values = ["b", "a", "b", "c", "a", "d"]
    ids = IDS[kind](values)
    codes, n = cv._person_codes(ids)
    if kind == "category":  # numbered in category order
        want = pd.Series(values).rank(method="dense").astype("int64").to_numpy() - 1
    else:  # numbered in order of first appearance, as pd.factorize does
        want = pd.factorize(pd.Series(values))[0]
    np.testing.assert_array_equal(codes, want)
    assert codes.dtype == np.int64 and n == len(set(values))


def test_funnel_of_many_categorical_steps():
    # 130 pages, each visited by fewer people: a step's position does not fit in 8 bits
    steps = [f"page{i:03d}" for i in range(130)]
    rows = [(f"p{i}", steps[j], j) for i in range(4) for j in range(127 + i)]
    events = pd.DataFrame(rows, columns=["visitor_id", "event_name", "timestamp"])
    events["event_name"] = pd.Categorical(events["event_name"], categories=steps)
    got = same(events, steps)
    assert got["people"].tolist()[126:] == [4, 3, 2, 1]
