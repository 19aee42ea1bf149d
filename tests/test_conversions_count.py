"""Tests of helpers.conversions.count: each whole result against a count by hand.

The hand count walks the events in plain Python (one event at a time, the catalogue as a
dict), so it shares nothing with the crosstab that ``count`` uses. Each test says which events
must count and why; ``count`` must give the same whole frame.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from helpers import conversions as cv

KINDS = dict(cv.CATALOGUE)


def _by_hand(events: pd.DataFrame, per: str, people: list, counted: list[bool],
             by_event: bool = False) -> pd.DataFrame:
    """micro, macro, conversions (and one column per catalogue event) for each of ``people``,
    over the events whose ``counted`` flag is True."""
    rows = []
    pairs = [(p, n) for p, n, c in zip(events[per].tolist(), events["event_name"].tolist(), counted,
                                       strict=True) if c]
    for person in people:
        names = [n for p, n in pairs if p == person]
        micro = sum(KINDS.get(n) == "micro" for n in names)
        macro = sum(KINDS.get(n) == "macro" for n in names)
        row = {"micro": micro, "macro": macro, "conversions": micro + macro}
        if by_event:
            row |= {e: names.count(e) for e in KINDS}
        rows.append(row)
    columns = ["micro", "macro", "conversions", *(KINDS if by_event else [])]
    return pd.DataFrame(rows, columns=columns, index=pd.Index(people, name=per)).astype("int64")


def _events(per: str = "visitor_id", dtype=object) -> pd.DataFrame:
    """a: a comment before becoming a lead, a sign-up at that moment, a purchase after, a page
    view; b: a follow before its creation; c: a lead with no creation time, one download; d: no
    lead, a purchase; no person: a purchase and a sign-up."""
    t = pd.to_datetime(["2025-02-01 09:00", "2025-02-03 10:00", "2025-02-05 12:00",
                        "2025-02-05 12:05", "2025-02-02 08:00", "2025-02-04 08:00",
                        "2025-02-04 09:00", "2025-02-04 10:00", "2025-02-04 11:00"], utc=True)
    return pd.DataFrame({
        per: pd.Series(["a", "a", "a", "a", "b", "c", "d", None, None], dtype=dtype),
        "event_name": ["blog_comment", "newsletter_signup", "purchase", "page_view",
                       "social_follow", "guide_download", "purchase", "purchase",
                       "newsletter_signup"],
        "timestamp": t,
    })


def _leads(per: str = "visitor_id", dtype=object) -> pd.DataFrame:
    """a from 10:00 on 3 Feb, b from 3 Feb, c with no time; a lead with no person (dropped)."""
    return pd.DataFrame({
        per: pd.Series(["a", "b", "c", None], dtype=dtype),
        "first_at": pd.to_datetime(["2025-02-03 10:00", "2025-02-03 00:00", None,
                                    "2025-02-01 00:00"], utc=True),
    })


# which of _events()'s nine rows are a lead's conversions: not a's comment (before), not b's
# follow (before), c's download (no time, nothing is before it); d and nobody are no leads
FROM_THE_LEADS_MOMENT = [False, True, True, True, False, True, False, False, False]


def test_count_without_leads_counts_every_person_and_leaves_out_events_without_one():
    events = _events()
    got = cv.count(events, by_event=True)
    expected = _by_hand(events, "visitor_id", ["a", "b", "c", "d"],
                        events["visitor_id"].notna().tolist(), by_event=True)
    pd.testing.assert_frame_equal(got, expected)
    assert expected["conversions"].tolist() == [3, 1, 1, 1]  # the hand count itself


def test_count_with_leads_counts_from_each_leads_moment_on():
    events = _events()
    got = cv.count(events, leads=_leads(), by_event=True)
    expected = _by_hand(events, "visitor_id", ["a", "b", "c"], FROM_THE_LEADS_MOMENT,
                        by_event=True)
    pd.testing.assert_frame_equal(got, expected)
    assert expected["conversions"].tolist() == [2, 0, 1]


@pytest.mark.parametrize("per", ["kind", "event", "person"])
def test_count_takes_any_name_for_the_person_column(per):
    """count() builds its own inner table: a person column called like one of its columns must
    still be read as the person (it was overwritten by the event names, giving all zeros)."""
    events = _events(per)
    pd.testing.assert_frame_equal(
        cv.count(events, per=per, by_event=True),
        _by_hand(events, per, ["a", "b", "c", "d"], events[per].notna().tolist(), by_event=True),
    )
    pd.testing.assert_frame_equal(
        cv.count(events, per=per, leads=_leads(per)),
        _by_hand(events, per, ["a", "b", "c"], FROM_THE_LEADS_MOMENT),
    )


@pytest.mark.parametrize(
    "dtype",
    ["category", "string", "string[pyarrow]", pd.ArrowDtype(pa.string())],
    ids=["category", "string", "string-pyarrow", "arrow"],
)
def test_count_reads_ids_of_any_text_dtype(dtype):
    """Ids as loaded from files (categories, nullable or Arrow text, missing as <NA>): the same
    counts, the same people, missing people left out."""
    events = _events(dtype=dtype)
    got = cv.count(events, leads=_leads(dtype=dtype), by_event=True)
    expected = _by_hand(events, "visitor_id", ["a", "b", "c"], FROM_THE_LEADS_MOMENT,
                        by_event=True)
    pd.testing.assert_frame_equal(got, expected, check_index_type=False, check_categorical=False)
    assert got.index.tolist() == ["a", "b", "c"]
    plain = cv.count(events)
    pd.testing.assert_frame_equal(
        plain, _by_hand(events, "visitor_id", ["a", "b", "c", "d"],
                        events["visitor_id"].notna().tolist()),
        check_index_type=False, check_categorical=False,
    )


@pytest.mark.parametrize("form", ["arrow", "iso text", "paris"])
def test_count_reads_event_and_creation_times_in_any_zoned_form(form):
    """The moment comparison on Arrow timestamps, ISO text with a 'Z' and another zone: each
    read in UTC, so the same events count (11:00 in Paris is 10:00 UTC: a's sign-up counts)."""
    events, leads = _events(), _leads()
    if form == "arrow":
        events["timestamp"] = events["timestamp"].astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC")))
        leads["first_at"] = leads["first_at"].astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC")))
    elif form == "iso text":
        events["timestamp"] = events["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        leads["first_at"] = leads["first_at"].dt.tz_convert("Europe/Paris")
    pd.testing.assert_frame_equal(
        cv.count(events, leads=leads),
        _by_hand(events, "visitor_id", ["a", "b", "c"], FROM_THE_LEADS_MOMENT),
    )


def test_count_keeps_an_event_without_a_time():
    """An event with no time cannot be shown to come before the lead: it counts, as an event
    of a lead with no creation time does."""
    events = _events()
    events.loc[0, "timestamp"] = pd.NaT  # a's comment, otherwise before a's moment
    counted = [True, *FROM_THE_LEADS_MOMENT[1:]]
    pd.testing.assert_frame_equal(
        cv.count(events, leads=_leads()),
        _by_hand(events, "visitor_id", ["a", "b", "c"], counted),
    )
    assert cv.count(events, leads=_leads()).loc["a", "micro"] == 2
