"""Exercises of lesson 00 · Start here.

Each expected answer is computed from the kit's data when it is checked, never hard-coded,
so the checks follow the data when it is regenerated.
"""

from __future__ import annotations

from helpers.check import complement, equals, events_not_people, not_one_of, register, said, when
from helpers.exercises import frame


def _n_sessions() -> int:
    return len(frame("sessions"))


def _is_mobile():
    return frame("sessions")["device"].eq("mobile")


register(
    "0.1",
    expected=_n_sessions,
    kind="count",
    diagnoses=[
        equals(
            lambda: frame("sessions")["visitor_id"].nunique(),
            "That is the number of visitors (unique visitor_id). One visitor can make several "
            "visits; count the rows of sessions instead.",
        ),
        events_not_people(
            lambda: len(frame("events")),
            "That is the number of rows in events (page views, sign-ups...). A session is a "
            "row of the sessions table.",
        ),
        equals(
            lambda: len(frame("leads")),
            "That is the number of leads (the CRM). Count the rows of sessions instead.",
        ),
        equals(
            lambda: frame("sessions").shape[1],
            "That is the number of columns. `len(sessions)` gives the rows.",
        ),
    ],
    hint="Each row of the sessions table is one visit: `len(sessions)`.",
    success="The data set has {expected:,} sessions.",
)

register(
    "0.2",
    expected=lambda: float(_is_mobile().mean()),
    kind="share",
    tolerance=0.0005,  # the share of mobile visitors lies about 0.001 away: tell them apart
    diagnoses=[
        complement(
            hint="That is the share of sessions that are NOT on a mobile device. Compare "
            'the device column with "mobile".'
        ),
        equals(
            lambda: int(_is_mobile().sum()),
            "That is the number of mobile sessions. Divide it by the number of all "
            "sessions to get a share (or take the mean of the True/False column).",
        ),
        equals(
            lambda: (
                frame("sessions").loc[_is_mobile(), "visitor_id"].nunique()
                / frame("sessions")["visitor_id"].nunique()
            ),
            "That counts visitors, not sessions. The question asks for the share of sessions.",
        ),
    ],
    hint='`(sessions["device"] == "mobile").mean()` is the share of rows that are mobile.',
    success="{expected:.0%} of sessions come from a mobile device.",
)


# --------------------------------------------------------------------------- 0.3 (predict)



def _more_sessions_or_visitors() -> str:
    """Which count is larger in the data: "sessions", "visitors" or "the same"."""
    sessions = frame("sessions")
    n, v = len(sessions), int(sessions["visitor_id"].nunique())
    return "sessions" if n > v else "visitors" if v > n else "the same"


register(
    "0.3",
    expected=_more_sessions_or_visitors,
    kind="choice",
    aliases={"session": "sessions", "visits": "sessions", "visitor": "visitors",
             "same": "the same", "equal": "the same"},
    diagnoses=[
        when(
            lambda answer, expected: expected == "sessions" and said(answer, "visitors", "visitor"),
            "A visitor is one person (one visitor_id); each visit is a session. Someone who "
            "comes back three times is one visitor and three sessions. Which count can then "
            "never be the smaller one?",
            name="visitors_larger",
        ),
        when(
            lambda answer, expected: expected == "sessions" and said(answer, "the same", "same", "equal"),
            "They would be the same only if nobody ever came back. Do some visitors return?",
            name="same",
        ),
        not_one_of("sessions", "visitors", "the same", also=("session", "visits", "visitor", "same", "equal",)),
    ],
    hint="Think of one person who visits the shop's site on Monday and again on Friday: how "
    "many visitors is that, and how many sessions?",
    success="There are more sessions than visitors: people come back, and each return visit "
    "is a new session of the same visitor.",
)
