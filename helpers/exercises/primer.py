"""Exercises of the pandas primer (``notebooks/pandas_primer.ipynb``), ids ``P.1``-``P.5``.

Each practises one move the lessons' exercises use: counting rows, keeping the rows a test
selects, the share of Trues, counting people rather than rows, and one number per group.
"""

from __future__ import annotations

from helpers.check import complement, equals, events_not_people, percent_not_share, register, when
from helpers.exercises import frame


def _sessions():
    return frame("sessions")


register(
    "P.1",
    expected=lambda: len(frame("leads")),
    kind="count",
    diagnoses=[
        equals(lambda: len(_sessions()), "That is the number of sessions. The question asks "
               "about the leads table: len(leads)."),
        equals(lambda: frame("leads").shape[1], "That is the number of columns "
               "(leads.shape[1]). Rows are what len() counts: len(leads)."),
    ],
    hint="len(table) counts a table's rows; one row of leads is one lead.",
)


def _email_or_direct() -> int:
    return int(_sessions()["channel"].isin(["email", "direct"]).sum())


register(
    "P.2",
    expected=_email_or_direct,
    kind="count",
    diagnoses=[
        equals(lambda: int((_sessions()["channel"] == "email").sum()),
               "That counts e-mail sessions only. Test against both channels at once: "
               'sessions["channel"].isin(["email", "direct"]).'),
        equals(lambda: int((_sessions()["channel"] == "direct").sum()),
               "That counts direct sessions only. Test against both channels at once: "
               'sessions["channel"].isin(["email", "direct"]).'),
        complement(hint="That counts the sessions from every OTHER channel: drop the ~ (or "
                   "the !=) from your test.", total=lambda: len(_sessions())),
    ],
    hint='Build the test with .isin(["email", "direct"]), then count its Trues with .sum() '
    "(or keep the rows with sessions[test] and take len()).",
)


register(
    "P.3",
    expected=lambda: float(_sessions()["is_returning"].mean()),
    kind="share",
    diagnoses=[
        complement(hint="That is the share of sessions from NEW visitors: the question asks "
                   "for the returning ones (is_returning is True)."),
        percent_not_share(),
        equals(lambda: int(_sessions()["is_returning"].sum()),
               "That is how many sessions are returning (a count). The share is the mean of "
               "the True/False column: .mean()."),
    ],
    hint='sessions["is_returning"] is True or False per session; .mean() of it is the share '
    "of Trues.",
)


def _social() -> object:
    s = _sessions()
    return s.loc[s["channel"] == "social", "visitor_id"]


register(
    "P.4",
    expected=lambda: int(_social().nunique()),
    kind="count",
    diagnoses=[
        events_not_people(lambda: len(_social()),
                          "That counts social sessions (rows). A visitor who came back via "
                          "social twice is one person: count distinct visitor_id with .nunique()."),
        equals(lambda: int(_sessions()["visitor_id"].nunique()),
               "That counts every visitor, from every channel. Keep the social rows first: "
               'sessions.loc[sessions["channel"] == "social", "visitor_id"].'),
    ],
    hint='sessions.loc[test, "visitor_id"] gives the visitor of each matching row; '
    ".nunique() counts each person once.",
)


def _median_mobile() -> float:
    return float(_sessions().groupby("device", observed=True)["duration_s"].median().at["mobile"])


register(
    "P.5",
    expected=_median_mobile,
    kind="number",
    tolerance=0.05,
    diagnoses=[
        equals(lambda: float(_sessions()["duration_s"].median()),
               "That is the median of every session. Group first, by device, and read the "
               'mobile row: .groupby("device")["duration_s"].median().at["mobile"].'),
        equals(lambda: float(_sessions().groupby("device", observed=True)["duration_s"].mean().at["mobile"]),
               "That is the mean (average). The question asks for the median, the middle "
               "value, which a few very long visits cannot pull up."),
        when(lambda answer, expected: hasattr(answer, "index") and not isinstance(answer, str),
             'That is the whole table, one number per device. Read one cell: .at["mobile"].'),
    ],
    hint='sessions.groupby("device")["duration_s"].median() gives one number per device; '
    '.at["mobile"] reads the mobile one.',
)
