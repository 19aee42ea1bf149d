"""Exercises of lesson 07 · Capstone.

The lesson runs the whole pipeline on a *new* month that the generator makes in memory with
another seed, :data:`helpers.pipeline.NEW_MONTH`. The notebook uses that constant too, so the
month it shows and the month these checks use are made from one configuration; :func:`new_month`
makes it (once, in the exercises' cache) for the checks. Each expected answer is computed from
that month with the domain modules when it is checked, step by step as a learner would, never
hard-coded and without :func:`helpers.pipeline.capstone_results` (tests/test_lesson07.py
compares the two).

The diagnoses recognise the usual wrong answers: a percentage for a share, the other side
(humans for bots), the kit's February month instead of the new one, only the user-agent rules,
the answer key's truth instead of the filter's verdict, bots left in, events counted instead of
people, duplicate events left in, conversions of people who are not leads, the wrong
denominator, and a channel "above the total" whose interval still overlaps it or was not
widened for the number of channels judged at once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers import bots, pipeline, traffic
from helpers.check import complement, equals, events_not_people, register, rounded, when
from helpers.exercises import cached, frame
from helpers.pipeline import NEW_MONTH

#: The channels of the kit, in the order the data dictionary lists them.
CHANNELS = ("organic_search", "paid_search", "social", "email", "referral", "direct")


# --------------------------------------------------------------------------- the new month


@cached
def new_month() -> Any:
    """:func:`helpers.pipeline.new_month` of :data:`NEW_MONTH`, made once (it is deterministic)."""
    return pipeline.new_month(NEW_MONTH)


@cached
def _labelled(ua_only: bool = False) -> pd.DataFrame:
    sessions = new_month().sessions
    return bots.label(sessions, bots.BotRules.ua_only()) if ua_only else bots.label(sessions)


def _is_bot() -> Any:
    return _labelled()["is_bot"].to_numpy(dtype=bool)


def _humans() -> pd.DataFrame:
    return _labelled()[~_is_bot()]


def _events(dedupe: bool = True, humans_only: bool = True) -> pd.DataFrame:
    events = new_month().events
    if dedupe:
        events = events.drop_duplicates()
    if humans_only:
        events = traffic.human_events(events, _labelled())
    return events


@cached
def _human_leads() -> pd.DataFrame:
    """The leads that are people: identify on human events, minus the bot visitors' leads."""
    from helpers import leads

    found = leads.identify(_events(), new_month().leads)
    bot_only = traffic.bot_visitors(_labelled())
    return found[~found["visitor_id"].isin(bot_only).to_numpy(dtype=bool)]


# --------------------------------------------------------------------------- 7.1


register(
    "7.1",
    expected=lambda: float(_is_bot().mean()),
    kind="share",
    tolerance=0.0005,  # the kit's month and the answer key are both near 22%: tell them apart
    diagnoses=[
        rounded(),  # before the answer key: 0.22 is this share rounded, not the key's
        complement(
            "That is the share of human sessions, the other side. The question asks for the "
            "share the bot filter flags: the mean of is_bot."
        ),
        equals(
            lambda: int(_is_bot().sum()),
            "That is the number of bot sessions. Divide by the number of all sessions to get "
            "a share (or take the mean of the is_bot column).",
            name="count",
        ),
        equals(
            lambda: float(_labelled(ua_only=True)["is_bot"].mean()),
            "That is what the user-agent rules alone flag. The behaviour rules (too fast, "
            "forms filled in under 3 seconds, clockwork schedules) catch more: use "
            "bots.label(sessions) with the default rules.",
            name="ua_only",
        ),
        equals(
            lambda: float(new_month().answer_key["segment"].eq("bot").mean()),
            "That is the true bot share from the answer key. A real analyst has no answer "
            "key: the question asks what the bot filter flags (bots.label).",
            name="answer_key",
        ),
        equals(
            lambda: float(_labelled()["is_bot"].groupby(_labelled()["visitor_id"]).any().mean()),
            "That is a share of visitors. The question is about sessions: the mean of is_bot "
            "over the rows of the labelled sessions.",
            name="visitors",
        ),
        equals(
            lambda: float(frame("sessions").pipe(_kit_bot_share)),
            "That is the bot share of the kit's February data (data.load_all()). This lesson "
            "works on the new month: label new.sessions.",
            name="kit_month",
        ),
    ],
    hint="labelled = bots.label(sessions), then labelled['is_bot'].mean().",
    success="The filter flags {expected:.1%} of the new month's sessions as bots.",
)


def _kit_bot_share(sessions: pd.DataFrame) -> float:
    from helpers import bots

    return float(bots.label(sessions)["is_bot"].mean())


# --------------------------------------------------------------------------- 7.2


def _by_kind(events: pd.DataFrame, lead_table: pd.DataFrame | None) -> pd.Series:
    from helpers import conversions

    counts = conversions.count(events, conversions.CATALOGUE, leads=lead_table)
    return counts[["micro", "macro"]].sum()


def _crm_leads_all_events(dedupe: bool = True) -> pd.Series:
    return _by_kind(_events(dedupe=dedupe, humans_only=False), new_month().leads)


_BOTS_LEFT_IN_7_2 = (
    "Bots are left in: the events of bot sessions are counted, and the CRM's leads include "
    "the ones form-spam bots made. Count the human events (bot sessions out, duplicates "
    "dropped) of the human leads."
)


register(
    "7.2",
    expected=lambda: _by_kind(_events(), _human_leads()),
    kind="frame",
    diagnoses=[
        equals(
            lambda: _by_kind(_events(dedupe=False), _human_leads()),
            "Almost: the duplicate events are still in. The export records a few conversions "
            "twice (identical rows); drop them with events.drop_duplicates() before counting.",
            name="duplicates",
        ),
        equals(_crm_leads_all_events, _BOTS_LEFT_IN_7_2, name="bots_left_in"),
        equals(
            lambda: _crm_leads_all_events(dedupe=False), _BOTS_LEFT_IN_7_2, name="bots_left_in_raw"
        ),
        equals(
            lambda: _by_kind(_events(), None),
            "That counts the conversions of every human visitor, leads or not (comments and "
            "follows by anonymous visitors). Pass leads=human_leads to conversions.count.",
            name="non_leads",
        ),
        equals(
            lambda: (
                pd.Series(
                    {
                        kind: int((_count_per_lead()[kind] > 0).sum())
                        for kind in ("micro", "macro")
                    }
                )
            ),
            "That counts leads (people with at least one), not conversions (events). Sum the "
            "micro and macro columns instead.",
            name="people_not_events",
        ),
        when(
            lambda answer, _expected: isinstance(answer, pd.DataFrame),
            "Give a Series with two values, micro and macro: e.g. "
            "per_lead[['micro', 'macro']].sum(), not the whole table.",
            name="frame_not_series",
        ),
    ],
    hint="per_lead = conversions.count(human_events, leads=human_leads); then "
    "per_lead[['micro', 'macro']].sum().",
    success="Leads made {expected[micro]:,} micro and {expected[macro]:,} macro conversions "
    "in the new month.",
)


def _count_per_lead() -> pd.DataFrame:
    from helpers import conversions

    return conversions.count(_events(), conversions.CATALOGUE, leads=_human_leads())


# --------------------------------------------------------------------------- 7.3


def _buyers(events: pd.DataFrame) -> pd.Series:
    return events.loc[events["event_name"].eq("purchase").to_numpy(dtype=bool), "visitor_id"]


def _human_visitors() -> int:
    return int(_humans()["visitor_id"].nunique())


register(
    "7.3",
    expected=lambda: _buyers(_events()).nunique() / _human_visitors(),
    kind="share",
    tolerance=0.0005,  # a rate of about 3%: half a point would accept counting purchases
    diagnoses=[
        events_not_people(
            lambda: len(_buyers(_events())) / _human_visitors(),
            "That counts purchases (events), not people: a visitor who bought twice counts "
            "twice. Count the distinct visitor_id with a purchase.",
        ),
        equals(
            lambda: len(_buyers(_events(dedupe=False))) / _human_visitors(),
            "That counts purchase events, duplicates included. Count people: the distinct "
            "visitor_id with a purchase.",
            name="duplicate_events",
        ),
        equals(
            lambda: _buyers(_events()).nunique() / new_month().sessions["visitor_id"].nunique(),
            "Bots are left in the denominator: they are visitors who never buy, so the rate "
            "looks lower than it is. Divide by the human visitors only.",
            name="bots_left_in",
        ),
        equals(
            lambda: _buyers(_events()).nunique() / len(_humans()),
            "That divides by human sessions. The question asks per human visitor: "
            "humans['visitor_id'].nunique().",
            name="sessions_denominator",
        ),
        equals(
            lambda: (
                _events().loc[_events()["event_name"].eq("purchase"), "session_id"].nunique()
                / len(_humans())
            ),
            "That is a rate per session (sessions with a purchase ÷ human sessions). The "
            "question asks per visitor: distinct buyers ÷ distinct human visitors.",
            name="per_session",
        ),
        equals(
            lambda: _buyers(_events()).nunique() / len(_human_leads()),
            "That divides by leads. The question asks per human visitor.",
            name="leads_denominator",
        ),
    ],
    hint="Distinct visitor_id with a purchase in human_events, divided by "
    "humans['visitor_id'].nunique().",
    success="{expected:.1%} of the new month's human visitors bought something.",
)


# --------------------------------------------------------------------------- 7.4


@cached
def _channel_rates() -> pd.DataFrame:
    """Lead rate per human visitor by first-touch channel, the lesson's way."""
    from helpers import conversions

    first = traffic.first_touch(_humans())
    start = traffic.window(_labelled()).start
    leads = _human_leads()
    new = leads.loc[(leads["first_at"] >= start).to_numpy(dtype=bool), "visitor_id"].dropna()
    people = first.assign(is_lead=first["visitor_id"].isin(new).to_numpy(dtype=bool))
    return conversions.rate_table(people, "channel", converted="is_lead", unit="visitors")


def _groups() -> pd.DataFrame:
    table = _channel_rates()
    return table[table["channel"].ne("Total").to_numpy(dtype=bool)]


def _total_rate() -> float:
    table = _channel_rates()
    return float(table.loc[table["channel"].eq("Total").to_numpy(dtype=bool), "rate"].iloc[0])


def _clearly_below() -> set[str]:
    """Clearly below the total with the report's rule: intervals widened for the channels."""
    from helpers import claims

    return set(claims.against_total(_channel_rates(), "channel").below["channel"])


def _clearly_above() -> set[str]:
    """Clearly above the total with the report's rule (:func:`helpers.claims.against_total`):
    each interval widened for the number of channels compared at once."""
    from helpers import claims

    return set(claims.against_total(_channel_rates(), "channel").above["channel"])


def _above_uncorrected() -> set[str]:
    groups = _groups()
    return set(groups.loc[groups["low"] > _total_rate(), "channel"])


def _below_uncorrected() -> set[str]:
    groups = _groups()
    return set(groups.loc[groups["high"] < _total_rate(), "channel"])


def _rate_above() -> set[str]:
    groups = _groups()
    return set(groups.loc[groups["rate"] > _total_rate(), "channel"])


def _high_above() -> set[str]:
    groups = _groups()
    return set(groups.loc[groups["high"] > _total_rate(), "channel"])


def _names(answer: Any) -> set[str] | None:
    if isinstance(answer, (str, bytes, dict, pd.DataFrame)):
        return None
    try:
        return {str(item).strip() for item in answer}
    except TypeError:
        return None


register(
    "7.4",
    expected=lambda: _clearly_above(),
    kind="set",
    diagnoses=[
        when(
            lambda answer, _expected: "Total" in (_names(answer) or set()),
            "'Total' is the reference line, not a channel: leave that row out.",
            name="total_row",
        ),
        equals(
            _rate_above,
            "Those are the channels whose rate is above the total. But a rate is only an "
            "estimate: keep only the channels whose whole interval is above it (low > the "
            "total rate).",
            name="rate_not_interval",
        ),
        equals(
            _high_above,
            "That compares the top of each interval (high) with the total. Clearly above "
            "means even the bottom of the interval (low) is above the total rate.",
            name="high_not_low",
        ),
        equals(
            _above_uncorrected,
            "That uses each channel's own 95% interval. Six channels are compared with the "
            "total at once, so widen each interval for six comparisons (confidence "
            "1 - 0.05 / 6), as the report does: claims.against_total(by_channel, 'channel').",
            name="uncorrected",
        ),
        equals(
            _clearly_below,
            "Those are the channels clearly below the total. The question asks for the ones "
            "clearly above it: whose whole widened interval (down to low) is above the total rate.",
            name="below_not_above",
        ),
        equals(
            _below_uncorrected,
            "Those are the channels below the total by their own 95% intervals. The question "
            "asks for the ones clearly above it, with the intervals widened for six channels.",
            name="below_uncorrected",
        ),
        equals(
            lambda: {str(_groups().sort_values("rate").iloc[-1]["channel"])},
            "That is only the channel with the highest rate. Others may be clearly above the "
            "total too: check every channel's low against the total rate.",
            name="only_best",
        ),
        when(
            lambda answer, _expected: bool(_names(answer))
            and not (_names(answer) or set()) <= set(CHANNELS) | {"Total"},
            "Write the channels exactly as the data does, e.g. 'paid_search' (lower case, "
            "with an underscore).",
            name="spelling",
        ),
    ],
    hint="Six channels are judged at once: widen each interval for six comparisons, "
    "conversions.interval(groups['conversions'], groups['visitors'], 1 - 0.05 / 6), and keep "
    "the channels whose widened low is above the Total row's rate "
    "(claims.against_total(by_channel, 'channel') does it).",
    success="Clearly above the total lead rate: {expected}.",
)
