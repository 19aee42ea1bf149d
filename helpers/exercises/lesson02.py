"""Exercises of lesson 02 · Filtering bots.

Each expected answer is computed from the kit's data with ``helpers.bots`` when it is
checked, never hard-coded, so the checks follow the data (and the bot rules) when either
changes. The answer key is only used to grade, as in the lesson.
"""

from __future__ import annotations

import pandas as pd

from helpers import bots, networks
from helpers.check import (
    bots_left_in,
    complement,
    equals,
    events_not_people,
    not_one_of,
    register,
    said,
    when,
    wrong_denominator,
)
from helpers.exercises import data_folder, frame

#: The conversion of exercise 2.4.
SIGNUP = "newsletter_signup"


def _labelled(rules: bots.BotRules | None = None) -> pd.DataFrame:
    return bots.label(frame("sessions"), bots.BotRules() if rules is None else rules)


def _graded(rules: bots.BotRules | None = None) -> bots.Evaluation:
    return bots.evaluate(_labelled(rules), frame("answer_key"))


def _ua_only() -> bots.BotRules:
    return bots.BotRules.ua_only()


# --------------------------------------------------------------------------- 2.1


def _bot_share() -> float:
    return float(_labelled()["is_bot"].mean())


def _visitor_share() -> float:
    labelled = _labelled()
    return float(labelled.groupby("visitor_id")["is_bot"].any().mean())


register(
    "2.1",
    expected=_bot_share,
    kind="share",
    # Tighter than the default share tolerance (0.005), which also accepted the answer key's
    # share of real bots (0.2200 against 0.2212). 0.0005 still accepts 0.2212 and 0.221.
    tolerance=0.0005,
    diagnoses=[
        when(
            lambda answer, expected: 1 < answer <= 100 and abs(answer - 100 * expected) < 0.5,
            "This looks like a percentage; the question asks for a share between 0 and 1. "
            "Divide by 100 and keep at least three decimals.",
            name="rounded_percent",
        ),
        when(
            lambda answer, expected: abs(answer - round(expected, 2)) < 1e-9,
            "Right idea, but two decimals are not enough here: rounded to 0.22, the share "
            "the filter flags cannot be told apart from the share of real bots in the "
            "answer key. Give at least three decimals, or the unrounded mean of is_bot.",
            name="rounded",
        ),
        complement(
            hint="That is the share of sessions kept as human: the other side. The question "
            "asks for the sessions flagged as bots (is_bot is True)."
        ),
        equals(
            lambda: int(_labelled()["is_bot"].sum()),
            "That is the number of flagged sessions. Divide it by the number of all "
            "sessions, or take the mean of the True/False column is_bot.",
        ),
        events_not_people(
            _visitor_share,
            "That is the share of visitors with at least one flagged session: it counts "
            "visitors, not sessions. Take the mean of is_bot over the sessions.",
        ),
        equals(
            lambda: float(_labelled(_ua_only())["is_bot"].mean()),
            "That is what the user-agent layer alone flags (BotRules.ua_only()). Use the "
            "default rules, which add the behaviour rules: bots.label(sessions).",
        ),
        equals(
            lambda: float(frame("answer_key")["segment"].eq("bot").mean()),
            "That is the share of real bots in the answer key. The question asks what the "
            "filter flags: label the sessions with bots.label(sessions).",
        ),
    ],
    hint="Label the sessions with bots.label(sessions), then take the mean of is_bot.",
    success="The filter flags {expected:.1%} of sessions as bots.",
)


# --------------------------------------------------------------------------- 2.2


def _ua_missed() -> int:
    return int(_graded(_ua_only()).fn)


def _ua_missed_visitors() -> int:
    labelled = _labelled(_ua_only())
    key = frame("answer_key")
    is_bot = labelled["session_id"].isin(key.loc[key["segment"].eq("bot"), "session_id"])
    return int(labelled.loc[is_bot & ~labelled["is_bot"], "visitor_id"].nunique())


register(
    "2.2",
    expected=_ua_missed,
    kind="count",
    diagnoses=[
        equals(
            lambda: int(_graded(_ua_only()).tp),
            "That is how many real bots the user-agent layer catches. The question asks "
            "for the other side: real bots it keeps as human (false negatives, fn).",
        ),
        equals(
            lambda: int(_graded().fn),
            "That is what the full filter (user agent + behaviour) misses. Judge by the "
            "user agent alone: bots.label(sessions, bots.BotRules.ua_only()).",
        ),
        equals(
            lambda: int(_labelled()["bot_reason"].str.startswith("behaviour:").sum()),
            "Close: that counts the sessions the behaviour rules flag once the user agent "
            "let them through. But it grades the filter with the filter: a few real bots "
            "escape both layers. Count real bots (answer key) that the UA-only labels keep.",
        ),
        equals(
            lambda: int((~_labelled(_ua_only())["is_bot"]).sum()),
            "That is every session the user-agent layer keeps, humans included. Count "
            "only the real bots among them: bots.evaluate(...).fn.",
        ),
        equals(
            lambda: int(_graded(_ua_only()).fp),
            "That is the number of humans the user-agent layer flags (false alarms, fp). "
            "The question asks for the bots it misses (fn).",
        ),
        events_not_people(
            _ua_missed_visitors,
            "That counts visitors; the question counts sessions (one visitor can make "
            "several).",
        ),
    ],
    hint="Label with bots.BotRules.ua_only(), grade with bots.evaluate(labelled, "
    "answer_key), and read fn: real bots kept as human.",
    success="The user-agent layer alone lets {expected:,} real bot sessions through.",
)


# --------------------------------------------------------------------------- 2.3


def _recall() -> float:
    return float(_graded().recall)


def _accuracy() -> float:
    graded = _graded()
    return (graded.tp + graded.tn) / (graded.tp + graded.tn + graded.fp + graded.fn)


register(
    "2.3",
    expected=_recall,
    kind="share",
    tolerance=1e-5,
    diagnoses=[
        complement(
            hint="That is the share of real bots the filter misses (1 − recall). Recall is "
            "the share it catches: tp / (tp + fn)."
        ),
        equals(
            lambda: float(_graded().precision),
            "That is the precision: of the sessions flagged, the share that are bots, "
            "tp / (tp + fp). Recall starts from the real bots: tp / (tp + fn).",
        ),
        equals(
            _accuracy,
            "That is accuracy, (tp + tn) / all: the many humans make it look good whatever "
            "happens to the bots. Recall is tp / (tp + fn).",
        ),
        equals(
            lambda: float(_graded().f1),
            "That is F1, the balance of precision and recall. The question asks for recall "
            "alone: .recall.",
        ),
        equals(
            lambda: float(_graded(_ua_only()).recall),
            "That is the recall of the user-agent layer alone. Grade the full filter: "
            "bots.label(sessions) with the default rules.",
        ),
        wrong_denominator(
            lambda: _graded().tp / len(frame("sessions")),
            "You divided the bots caught by all sessions. Recall divides them by the real "
            "bots: tp / (tp + fn).",
        ),
        when(
            lambda answer, expected: 1 < answer <= 100 and abs(answer - 100 * expected) < 0.1,
            "This looks like a percentage; the question asks for a share between 0 and 1. "
            "Give the unrounded value of .recall itself.",
            name="rounded_percent",
        ),
        # a rounded recall gets check.rounded()'s hint (how many decimals), after these
    ],
    hint="bots.evaluate(bots.label(sessions), answer_key).recall: of the real bots, the "
    "share the filter flags. Give it unrounded.",
    success="The filter catches {expected:.1%} of the real bots.",
)


# --------------------------------------------------------------------------- 2.4


def _signup_sessions() -> pd.Series:
    events = frame("events")
    return events.loc[events["event_name"].eq(SIGNUP), "session_id"]


def _rate(kept: pd.DataFrame) -> float:
    return 100 * float(kept["session_id"].isin(_signup_sessions()).mean())


def _humans(rules: bots.BotRules | None = None) -> pd.DataFrame:
    return bots.filter(frame("sessions"), bots.BotRules() if rules is None else rules)


def _events_per_session() -> float:
    humans = _humans()
    signups = _signup_sessions()
    return 100 * int(signups.isin(humans["session_id"]).sum()) / len(humans)


def _bot_signups_in() -> float:
    return 100 * int(_signup_sessions().nunique()) / len(_humans())


def _all_sessions_denominator() -> float:
    humans = _humans()
    converted = int(humans["session_id"].isin(_signup_sessions()).sum())
    return 100 * converted / len(frame("sessions"))


def _answer_key_rate() -> float:
    key = frame("answer_key")
    human_ids = key.loc[key["segment"].ne("bot"), "session_id"]
    sessions = frame("sessions")
    return _rate(sessions[sessions["session_id"].isin(human_ids)])


def _per_visitor() -> float:
    humans = _humans()
    signed = humans.loc[humans["session_id"].isin(_signup_sessions()), "visitor_id"]
    return 100 * signed.nunique() / humans["visitor_id"].nunique()


register(
    "2.4",
    expected=lambda: _rate(_humans()),
    kind="percent",
    tolerance=0.001,  # the answer key's humans give a rate about 0.005 points away
    diagnoses=[
        equals(
            _answer_key_rate,
            "That rate keeps the sessions the answer key says are human. The answer key only "
            "grades a filter; an analysis never uses it to decide (a real analyst has none). "
            "Remove the bots with bots.filter(sessions), then take the rate.",
            name="answer_key",
        ),
        bots_left_in(
            lambda: _rate(frame("sessions")),
            "That is the rate over all sessions, bots included. Filter first: "
            "humans = bots.filter(sessions), then the share of humans' sessions that signed up.",
        ),
        events_not_people(
            _events_per_session,
            "That counts sign-up events: a session that signed up twice counts twice. Count "
            "sessions with at least one sign-up (session_id.isin(...)).",
        ),
        equals(
            _bot_signups_in,
            "Your numerator still holds the form-spam bots' sign-ups while the denominator "
            "has only humans. Count the sign-ups of the kept sessions only.",
        ),
        wrong_denominator(
            _all_sessions_denominator,
            "The numerator is right (the humans' sign-ups) but you divided by all sessions, "
            "bots included. Divide by the humans' sessions.",
        ),
        equals(
            _per_visitor,
            "That is a rate per visitor. The question asks for a rate per session: the "
            "share of the humans' sessions with a sign-up.",
        ),
        equals(
            lambda: _rate(_humans(_ua_only())),
            "That removes only the bots the user-agent layer finds: the form-spam bots "
            "(and their sign-ups) are still in. Use bots.filter(sessions) with the default "
            "rules.",
        ),
    ],
    hint="humans = bots.filter(sessions); then 100 × the share of humans' session_id that "
    "appear among the newsletter_signup events.",
    success="Without bots, {expected:.2f}% of sessions sign up for the newsletter.",
)


# --------------------------------------------------------------------------- 2.5 (choice)



def _what_the_filter_changes() -> str:
    """What removing the bot sessions changes in the newsletter sign-up rate per session."""
    sessions, events = frame("sessions"), frame("events")
    bot_ids = set(sessions.loc[bots.label(sessions)["is_bot"].to_numpy(), "session_id"])
    signed = set(events.loc[events["event_name"] == "newsletter_signup", "session_id"])
    numerator = bool(bot_ids & signed)
    denominator = bool(bot_ids)
    if numerator and denominator:
        return "both"
    return "the denominator" if denominator else "the numerator" if numerator else "neither"


register(
    "2.5",
    expected=_what_the_filter_changes,
    kind="choice",
    aliases={"denominator": "the denominator", "numerator": "the numerator",
             "both of them": "both", "nothing": "neither", "none": "neither"},
    diagnoses=[
        when(
            lambda answer, expected: expected == "both" and said(answer, "the denominator", "denominator"),
            "The bot sessions leave the denominator, yes. But do all bots stay away from "
            "forms? Think of form spam: what happens to their sign-ups?",
            name="denominator_only",
        ),
        when(
            lambda answer, expected: expected == "both" and said(answer, "the numerator", "numerator"),
            "Every removed session leaves the bottom of the rate too: the denominator counts "
            "sessions, and bot sessions are sessions.",
            name="numerator_only",
        ),
        not_one_of("the numerator", "the denominator", "both", "neither",
                   also=("both of them", "denominator", "numerator", "nothing", "none")),
    ],
    hint="A rate is sign-up sessions divided by all sessions. Which of the two can hold bot "
    "sessions? Remember the bots that fill in forms.",
    success="Both: bot sessions leave the denominator, and the form-spam bots' sign-ups leave "
    "the numerator.",
)


# --------------------------------------------------------------------------- 2.6


def _with_networks() -> pd.DataFrame:
    table = networks.load_networks(data_folder() / "networks.csv")
    return bots.label(frame("sessions"), networks=table)


def _fired() -> pd.Series:
    return _with_networks()["bot_reasons"].str.contains("net:datacenter", regex=False)


def _truly_bot() -> pd.Series:
    key = frame("answer_key")
    return frame("sessions")["session_id"].isin(key.loc[key["segment"].eq("bot"), "session_id"])


def _people_in_clouds() -> int:
    return int((_fired() & ~_truly_bot()).sum())


register(
    "2.6",
    expected=_people_in_clouds,
    kind="count",
    diagnoses=[
        equals(
            lambda: int(_fired().sum()),
            "That is every session the network rule fires on, bots included. Keep only the "
            "sessions the answer key says are people (segment other than 'bot').",
        ),
        equals(
            lambda: int((_fired() & _truly_bot()).sum()),
            "That is the bots the rule catches. The question asks for the other side: people "
            "it flags.",
        ),
        equals(
            lambda: int(bots.evaluate(_with_networks(), frame("answer_key")).fp),
            "That counts every person the whole filter flags, for any reason. Count only the "
            "sessions whose bot_reasons contain 'net:datacenter'.",
        ),
    ],
    hint="Label with bots.label(sessions, networks=networks.load_networks()), keep the rows "
    "whose bot_reasons contain 'net:datacenter', and count those the answer key calls people.",
    success="The network rule flags {expected:,} sessions of real people: VPN users and cloud "
    "desktops look like datacenter traffic.",
)
