"""Exercises of lesson 01 · Visitors, leads and customers.

Each expected answer is computed from the kit's data when it is checked, never hard-coded,
so the checks follow the data when it is regenerated. The truth about who is a bot comes from
the answer key: lesson 01 uses it to *show* what the traffic is made of (lesson 02 estimates it
without the key).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import leads as leads_module
from helpers.check import (
    Context,
    Diagnosis,
    bots_left_in,
    complement,
    equals,
    events_not_people,
    inverted,
    not_one_of,
    register,
    said,
    when,
    wrong_denominator,
)
from helpers.exercises import cached, frame
from helpers.leads import LEAD_EVENTS
from helpers.traffic import SEGMENTS

# --------------------------------------------------------------------------- shared pieces


@cached
def _session_segment() -> pd.Series:
    """One value per row of sessions: its segment in the answer key ("unknown" if absent)."""
    sessions = frame("sessions")[["session_id"]]
    key = frame("answer_key")[["session_id", "segment"]].drop_duplicates("session_id")
    merged = sessions.merge(key, on="session_id", how="left")
    return merged["segment"].astype("string").fillna("unknown")


@cached
def _visitors() -> pd.DataFrame:
    """One row per visitor of the traffic: visitor_id, segment, is_bot, is_lead (in the CRM)."""
    sessions = frame("sessions")[["session_id", "visitor_id"]]
    people = sessions.assign(segment=_session_segment().to_numpy())
    people = people.dropna(subset=["visitor_id"]).drop_duplicates("visitor_id")
    return pd.DataFrame(
        {
            "visitor_id": people["visitor_id"].to_numpy(),
            "segment": people["segment"].to_numpy(),
            "is_bot": people["segment"].eq("bot").to_numpy(dtype=bool),
            "is_lead": people["visitor_id"].isin(_web_lead_ids()).to_numpy(dtype=bool),
        }
    )


@cached
def _web_lead_ids() -> pd.Index:
    """The distinct visitor ids in the CRM (web leads; offline leads have none)."""
    ids = frame("leads")["visitor_id"].astype("string").str.strip()
    return pd.Index(ids[ids.notna() & ids.ne("")].unique())


@cached
def _lead_events() -> pd.DataFrame:
    events = frame("events")
    return events[events["event_name"].isin(LEAD_EVENTS)]


# --------------------------------------------------------------------------- 1.1


def _bot_sessions() -> pd.Series:
    return _session_segment().eq("bot")


register(
    "1.1",
    expected=lambda: float(_bot_sessions().mean()),
    kind="share",
    diagnoses=[
        complement(
            hint="That is the share of sessions made by people (not bots): the other side. "
            'The question asks for the sessions whose segment is "bot".'
        ),
        equals(
            lambda: int(_bot_sessions().sum()),
            "That is the number of bot sessions. Divide it by the number of all sessions to "
            "get a share (or take the mean of the True/False column).",
        ),
        equals(
            lambda: float(_visitors()["is_bot"].mean()),
            "That is the share of visitors (each visitor_id once) who are bots. The question "
            "counts sessions: one row of the answer key is one session.",
        ),
        wrong_denominator(
            lambda: float(_bot_sessions().sum() / (~_bot_sessions()).sum()),
            "You divided the bot sessions by the human sessions only. A share of sessions "
            "divides by all sessions, bots included.",
        ),
    ],
    hint='Compare the answer key\'s segment column with "bot" and take the mean: '
    '(answer_key["segment"] == "bot").mean().',
    success="Bots are {expected:.1%} of the sessions: more than one visit in five is not a person.",
)


# --------------------------------------------------------------------------- 1.2


def _n_web_leads() -> int:
    return len(_web_lead_ids())


register(
    "1.2",
    expected=_n_web_leads,
    kind="count",
    diagnoses=[
        equals(
            lambda: len(frame("leads")),
            "That is every contact in the CRM, trade-show leads included. Keep only the leads "
            "that have a visitor_id: the ones who came through the website.",
        ),
        complement(
            hint="That is the offline leads (trade shows, no visitor_id): the other side. "
            "Count the leads that do have a visitor_id.",
            total=lambda: len(frame("leads")),
        ),
        events_not_people(
            lambda: len(_lead_events()),
            "That counts lead events (sign-ups, downloads, forms, purchases), not people: "
            "someone who joined the newsletter and then downloaded the guide is counted twice. "
            "Count people: the CRM has one row per lead.",
        ),
        equals(
            lambda: int(_lead_events()["session_id"].nunique()),
            "That counts sessions with a lead event. A person can leave details in two "
            "different visits; count people (the CRM's rows with a visitor_id) instead.",
            name="sessions_not_people",
        ),
        equals(
            lambda: int(_lead_events()["visitor_id"].nunique()),
            "That counts the visitors who left their details during these four weeks of "
            "events. The CRM also holds web leads who signed up earlier (loyal customers, for "
            "instance). The CRM is the list of leads: count its rows with a visitor_id.",
            name="window_only",
        ),
        equals(
            lambda: int(frame("sessions")["visitor_id"].nunique()),
            "That is the number of visitors: exactly the mistake this lesson is about. A "
            "visitor becomes a lead only by giving contact details; count the CRM's web leads.",
            name="visitors_not_leads",
        ),
        equals(
            lambda: len(frame("sessions")),
            "That is the number of sessions (visits). Leads are people in the CRM: count the "
            "rows of leads that have a visitor_id.",
            name="sessions_not_leads",
        ),
    ],
    hint='Web leads are the CRM rows with a visitor_id: leads["visitor_id"].nunique() (or '
    '.notna().sum()). Trade-show leads have no visitor_id.',
    success="{expected:,} of the CRM's leads came through the website.",
)


# --------------------------------------------------------------------------- 1.3


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


def _human_lead_share() -> float:
    people = _visitors()
    humans = people[~people["is_bot"]]
    return _share(humans["is_lead"].sum(), len(humans))


def _n_humans() -> int:
    return int((~_visitors()["is_bot"]).sum())


def _n_human_leads() -> int:
    people = _visitors()
    return int((people["is_lead"] & ~people["is_bot"]).sum())


def _human_sessions() -> int:
    return int((~_bot_sessions()).sum())


def _human_lead_events() -> int:
    events = _lead_events()
    people = _visitors()
    humans = people.loc[~people["is_bot"], "visitor_id"]
    return int(events["visitor_id"].isin(humans).sum())


def _human_window_leads() -> int:
    people = _visitors()
    humans = people.loc[~people["is_bot"], "visitor_id"]
    return int(_lead_events().loc[lambda e: e["visitor_id"].isin(humans), "visitor_id"].nunique())


def _human_sessions_of_leads() -> float:
    """The share of human *sessions* whose visitor is a lead: people counted once per visit."""
    sessions = frame("sessions")[["visitor_id"]].assign(segment=_session_segment().to_numpy())
    humans = sessions[sessions["segment"].ne("bot")]
    return float(humans["visitor_id"].isin(_web_lead_ids()).mean())


def _bot_web_leads() -> int:
    people = _visitors()
    return int((people["is_lead"] & people["is_bot"]).sum())


register(
    "1.3",
    expected=_human_lead_share,
    kind="share",
    tolerance=0.001,  # several wrong answers lie within half a point of each other
    diagnoses=[
        bots_left_in(
            lambda: _share(len(_web_lead_ids()), len(_visitors())),
            "That is the share with the bots still in, above and below the line. Keep only "
            'the human visitors (segment not "bot") and count how many of them are leads.',
        ),
        equals(
            lambda: _share(_n_human_leads(), len(_visitors())),
            "The numerator is right, but the denominator still holds the bots. Divide by the "
            "human visitors only.",
            name="bots_in_denominator",
        ),
        equals(
            lambda: _share(len(_web_lead_ids()), _n_humans()),
            "The denominator is right, but the numerator still holds leads that are bots: "
            "spam bots fill in the contact form and the newsletter box. Count only the human "
            "visitors who are in the CRM.",
            name="bots_in_numerator",
        ),
        wrong_denominator(
            lambda: _share(_n_human_leads(), _human_sessions()),
            "You divided by human sessions. The question is about people: divide by the "
            "number of human visitors (each visitor_id once).",
        ),
        equals(
            _human_sessions_of_leads,
            "That is a share of human sessions, not of human visitors: a loyal customer who "
            "came back ten times counts ten times. Make one row per visitor first "
            "(drop_duplicates('visitor_id')), then take the share.",
            name="sessions_not_visitors",
        ),
        events_not_people(
            lambda: _share(_human_lead_events(), _n_humans()),
            "The numerator counts lead events, not people: count each human visitor who is "
            "in the CRM once.",
        ),
        equals(
            lambda: _share(_human_window_leads(), _n_humans()),
            "That counts only the visitors who left their details during these four weeks. "
            "A lead is anyone in the CRM, whenever they signed up: check each human visitor's "
            "visitor_id against leads['visitor_id'].",
            name="window_only",
        ),
        equals(
            lambda: _share(len(frame("leads")) - _bot_web_leads(), _n_humans()),
            "The numerator includes the trade-show leads. They never visited the website, "
            "so they cannot be part of a share of visitors.",
            name="offline_included",
        ),
        equals(
            lambda: _share(len(frame("leads")), len(_visitors())),
            "That is every CRM row over every visitor: bots on both sides, and trade-show "
            "leads who never visited the site on top. Keep human visitors, and count which "
            "of them are in the CRM.",
            name="everything_in",
        ),
        complement(
            hint="That is the share of human visitors who did NOT become leads: the other side."
        ),
        inverted(
            "The division is upside down: divide the human visitors who are leads by all "
            "human visitors."
        ),
    ],
    hint="Make one row per visitor (sessions.drop_duplicates('visitor_id')), keep the ones "
    "whose answer-key segment is not \"bot\", then take the mean of "
    "visitor_id.isin(leads['visitor_id']).",
    success="{expected:.1%} of the human visitors are leads: most people who visit never "
    "give their details.",
)


# --------------------------------------------------------------------------- 1.4


def _leads_by_segment() -> pd.Series:
    people = _visitors()
    counts = people.loc[people["is_lead"], "segment"].value_counts()
    return counts.reindex(SEGMENTS, fill_value=0)


def _visitors_by_segment() -> pd.Series:
    return _visitors()["segment"].value_counts().reindex(SEGMENTS, fill_value=0)


def _most_leads() -> str:
    return str(_leads_by_segment().idxmax())


def _best_lead_rate() -> str:
    rates = _leads_by_segment() / _visitors_by_segment().replace(0, float("nan"))
    return str(rates.idxmax())


def _spelling(answer: object, context: Context) -> str | None:
    """The right segment, written another way ("potential buyers", "Potential-Buyer")."""
    if not isinstance(answer, str):
        return None
    expected = str(context.expected)
    tidy = answer.strip().lower().replace(" ", "_").replace("-", "_")
    if answer.strip().lower() != expected and tidy.rstrip("s") == expected.rstrip("s"):
        return f"Right group! Write it exactly as the answer key does: '{expected}'."
    return None


register(
    "1.4",
    expected=_most_leads,
    kind="choice",
    diagnoses=[
        Diagnosis("spelling", _spelling),
        equals(
            lambda: str(_visitors_by_segment().idxmax()),
            "That is the largest group of visitors, not of leads: most of those people leave "
            "without giving their details. Count the web leads in each segment.",
            name="largest_group_of_visitors",
        ),
        equals(
            _best_lead_rate,
            "That group has the highest share of its visitors in the CRM, but it is a small "
            "group. The question asks which group brings the most leads: a count, not a rate.",
            name="rate_not_count",
        ),
        equals(
            lambda: "bot",
            "Bots do leave 'leads' (spam bots fill in forms), but not the most. Count the web "
            "leads in each segment.",
            name="bots",
        ),
        when(
            lambda answer, _expected: str(answer).strip().lower() not in SEGMENTS,
            "Give one of the answer key's segments as text: 'bot', 'loyal_customer', "
            "'stumbled' or 'potential_buyer'.",
            name="not_a_segment",
        ),
    ],
    hint="Keep the visitors whose visitor_id is in leads['visitor_id'], then value_counts() "
    "their answer-key segment.",
    success="Yes: '{expected}' brings the most web leads.",
)


# --------------------------------------------------------------------------- 1.5 (predict)



@cached
def _per_visitor_vs_per_session() -> str:
    """The web leads per visitor against the same leads per session (all traffic)."""
    from helpers import conversions

    sessions, leads = frame("sessions"), frame("leads")
    n_leads = int(leads["visitor_id"].dropna().isin(sessions["visitor_id"]).sum())
    per_visitor = conversions.rate(n_leads, int(sessions["visitor_id"].nunique())).value
    per_session = conversions.rate(n_leads, len(sessions)).value
    if per_visitor > per_session:
        return "higher"
    return "lower" if per_visitor < per_session else "the same"


register(
    "1.5",
    expected=_per_visitor_vs_per_session,
    kind="choice",
    aliases={"high": "higher", "larger": "higher", "bigger": "higher", "low": "lower",
             "smaller": "lower", "same": "the same", "equal": "the same"},
    diagnoses=[
        when(
            lambda answer, expected: expected == "higher" and said(answer, "lower", "smaller", "low"),
            "Same leads on top, but what is below? There are fewer visitors than sessions "
            "(people come back), and dividing by a smaller number gives a larger share.",
            name="lower",
        ),
        when(
            lambda answer, expected: expected == "higher" and said(answer, "the same", "same", "equal"),
            "The leads are the same people either way, but the denominators differ: the "
            "visitors are fewer than the sessions. What does a smaller denominator do?",
            name="same",
        ),
        not_one_of("higher", "lower", "the same", also=("high", "larger", "bigger", "low", "smaller", "same", "equal",)),
    ],
    hint="Write both rates as fractions with the same number on top (the leads). Which "
    "bottom is smaller: the visitors or the sessions?",
    success="Per visitor the rate is higher: the same leads, divided by fewer visitors than "
    "sessions. Always say which denominator a rate uses.",
)


# --------------------------------------------------------------------------- 1.6 (optional)


@cached
def _guide_rates() -> Any:
    """GA4's rates for guide_download as the key event, on every session of the kit's data."""
    from helpers import traffic

    events = traffic.deduplicate_events(frame("events"))
    return traffic.key_event_rates(frame("sessions"), events, "guide_download")


register(
    "1.6",
    expected=lambda: float(_guide_rates().user_rate.value),
    kind="share",
    tolerance=0.001,  # the events-per-visitor mistake is only 0.14 points away on the kit's data
    diagnoses=[
        wrong_denominator(
            lambda: float(_guide_rates().session_rate.value),
            "That is the session key event rate: sessions with a download ÷ sessions. The "
            "user key event rate counts people: visitors with a download ÷ visitors.",
        ),
        events_not_people(
            lambda: _guide_rates().once_per_event / _guide_rates().users,
            "That divides download events by visitors. Count the visitors who downloaded "
            "(.nunique() on visitor_id), not the downloads.",
        ),
        equals(
            lambda: int(_guide_rates().user_rate.conversions),
            "That is how many visitors downloaded the guide. Divide it by all the visitors "
            "(sessions['visitor_id'].nunique()) to get the rate.",
            name="count_not_share",
        ),
    ],
    hint="Visitors who downloaded: events of event_name 'guide_download', then .nunique() of "
    "visitor_id. All visitors: sessions['visitor_id'].nunique(). Divide.",
    success="GA4 would show a user key event rate of {expected:.1%} for guide_download: "
    "visitors, not sessions, below the line.",
)


# --------------------------------------------------------------------------- 1.7


def _traits() -> pd.DataFrame:
    return leads_module.characteristics(frame("leads"))


def _all_three() -> int:
    t = _traits()
    return int((t["contact"] & t["interest"] & t["qualification"].eq("qualified")).sum())


register(
    "1.7",
    expected=_all_three,
    kind="count",
    diagnoses=[
        equals(
            lambda: int(_traits()["qualification"].eq("qualified").sum()),
            "That counts the leads sales qualified, with or without a way to reach them. Keep "
            "only those that also have contact details (and a door).",
            name="qualified_only",
        ),
        equals(
            lambda: int((_traits()["contact"] & _traits()["interest"]).sum()),
            "That counts contact details and interest, but not the third characteristic: "
            "qualification == 'qualified'.",
            name="two_of_three",
        ),
        equals(
            lambda: int((_traits()["qualification"].ne("disqualified")
                         & _traits()["contact"] & _traits()["interest"]).sum()),
            "'not yet' is not qualified: sales has not judged those leads. Count only "
            "qualification == 'qualified'.",
            name="not_yet_counted",
        ),
    ],
    hint="t = characteristics(leads); count the rows where contact and interest are True and "
    "qualification is 'qualified'.",
    success="{expected:,} leads have all three: a way to reach them, interest shown, and sales' "
    "go-ahead.",
)
