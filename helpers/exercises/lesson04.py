"""Exercises of lesson 04 · Micro and macro conversions.

Each expected answer is computed from the kit's data when it is checked, never hard-coded,
so the checks follow the data when it is regenerated. The diagnoses recognise the usual
wrong answers: micro and macro swapped, page views taken for conversions, bots or people who
are not leads left in, events counted where people are asked (and the reverse), a ratio
upside down, a catalogue that was not changed.
"""

from __future__ import annotations

import numbers
from typing import Any

import pandas as pd

from helpers import conversions, traffic
from helpers.check import equals, events_not_people, inverted, register, when
from helpers.exercises import cached, frame

#: The actions of exercise 4.1, as the lesson lists them.
ACTIONS_4_1: tuple[str, ...] = (
    "purchase",
    "newsletter_signup",
    "page_view",
    "blog_comment",
    "begin_checkout",
    "guide_download",
    "social_follow",
    "contact_form",
)

#: The wholesale campaign of exercise 4.4: a contact-form enquiry is the goal.
WHOLESALE: dict[str, str] = {"contact_form": "macro"}


# --------------------------------------------------------------------------- the data


@cached
def _inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(human events, human leads): the lesson's pipeline, from the kit's files."""
    return traffic.human_events_and_leads(frame("sessions"), frame("events"), frame("leads"))


def _per_lead(catalogue: Any = conversions.CATALOGUE) -> pd.DataFrame:
    """Micro and macro conversions per human lead (the right way)."""
    human_events, human_leads = _inputs()
    return conversions.count(human_events, catalogue, leads=human_leads)


def _all_events_per_lead(catalogue: Any = conversions.CATALOGUE) -> pd.DataFrame:
    """Per CRM lead, counting every event: the lead filter without the bot filter."""
    return conversions.count(frame("events"), catalogue, leads=frame("leads"))


def _human_per_visitor(catalogue: Any = conversions.CATALOGUE) -> pd.DataFrame:
    """Per human visitor, leads or not: the bot filter without the lead filter."""
    human_events, _ = _inputs()
    return conversions.count(human_events, catalogue)


def _every_visitor(catalogue: Any = conversions.CATALOGUE) -> pd.DataFrame:
    """Per visitor, bots and non-leads included: no filter at all."""
    return conversions.count(frame("events"), catalogue)


def _total(table: pd.DataFrame, column: str) -> int:
    return int(table[column].sum())


def _people(table: pd.DataFrame, column: str) -> int:
    return int((table[column] > 0).sum())


# --------------------------------------------------------------------------- 4.1


def _as_names(answer: Any) -> set[str] | None:
    if isinstance(answer, (str, bytes, dict, pd.DataFrame)):
        return None
    try:
        return {str(item).strip() for item in answer}
    except TypeError:
        return None


def _has(name: str):
    def predicate(answer: Any, _expected: Any) -> bool:
        names = _as_names(answer)
        return names is not None and name in names

    return predicate


def _lacks_any(*names_wanted: str):
    def predicate(answer: Any, _expected: Any) -> bool:
        names = _as_names(answer)
        return names is not None and bool(names) and not set(names_wanted) <= names

    return predicate


def _labels_given(answer: Any, _expected: Any) -> bool:
    """The answer names actions by their display labels ("Blog comment") instead of their
    event names ("blog_comment")."""
    names = _as_names(answer)
    if not names:
        return False
    labels = {
        conversions.CATALOGUE.label(a).lower() for a in ACTIONS_4_1 if a in conversions.CATALOGUE
    }
    return any(name.lower() in labels and name not in ACTIONS_4_1 for name in names)


def _micro_actions() -> set[str]:
    return {a for a in ACTIONS_4_1 if conversions.CATALOGUE.get(a) == "micro"}


def _macro_actions() -> set[str]:
    return {a for a in ACTIONS_4_1 if conversions.CATALOGUE.get(a) == "macro"}


register(
    "4.1",
    expected=_micro_actions,
    kind="set",
    diagnoses=[
        when(
            _labels_given,
            "Those are the display labels (\"Blog comment\"). Give the actions as the events "
            "table names them, e.g. \"blog_comment\": the names the exercise lists, as in "
            "conversions.CATALOGUE.",
            name="labels",
        ),
        equals(
            _macro_actions,
            "That is the other side: the macro conversion, the goal itself (a sale). The "
            "question asks for the micro ones, the small steps towards it.",
            name="swapped",
        ),
        when(
            _has("page_view"),
            "A page view is traffic, not a conversion: nobody decided that reading a page is "
            "a goal. It is not in conversions.CATALOGUE; leave it out.",
            name="page_view",
        ),
        when(
            _has("begin_checkout"),
            "begin_checkout is not in the default catalogue (it is a step of the checkout, not "
            "a goal of its own). Compare each action with conversions.CATALOGUE.",
            name="begin_checkout",
        ),
        when(
            lambda answer, expected: (_as_names(answer) or set()) >= expected | _macro_actions(),
            "You listed every conversion, micro and macro. A purchase is the goal itself "
            "(macro); keep only the small steps.",
            name="all_conversions",
        ),
        when(
            _has("purchase"),
            "A purchase is the macro conversion: the sale the business lives on. Leave it out "
            "of the micro ones.",
            name="purchase_is_macro",
        ),
        when(
            _lacks_any("blog_comment", "social_follow"),
            "A comment and a follow count as micro conversions too: the English article names "
            "them (with the subscription) as signs of interest.",
            name="comment_follow",
        ),
        when(
            _lacks_any("guide_download", "contact_form", "newsletter_signup"),
            "Three of the Spanish article's four types are micro in the shop campaign: the "
            "subscription, the download and the form. Only the sale is macro.",
            name="four_types",
        ),
    ],
    hint="Look each action up in conversions.CATALOGUE (e.g. conversions.CATALOGUE.micro) "
    "and keep the ones whose kind is 'micro'.",
    success="In the shop campaign every conversion but the sale is a micro conversion; page "
    "views and checkouts are not conversions at all.",
)


# --------------------------------------------------------------------------- 4.2


register(
    "4.2",
    expected=lambda: _total(_per_lead(), "micro"),
    kind="count",
    diagnoses=[
        equals(
            lambda: _total(_every_visitor(), "micro"),
            "That counts every micro conversion event, including the bots' and those of "
            "visitors who never became leads. Count only human events, and only leads: "
            "conversions.count(human_events, leads=human_leads).",
            name="no_filter",
        ),
        equals(
            lambda: _total(_all_events_per_lead(), "micro"),
            "Bots are left in. Bots that fill in forms become leads in the CRM, so the lead "
            "filter alone lets their sign-ups through. Use the events without bots "
            "(human_events) and the leads that are people (human_leads).",
            name="bots_left_in",
        ),
        equals(
            lambda: _total(_human_per_visitor(), "micro"),
            "The bots are out, but people who are not leads are still counted (comments and "
            "follows by anonymous visitors). Pass leads=human_leads to conversions.count.",
            name="non_leads",
        ),
        equals(
            lambda: _people(_per_lead(), "micro"),
            "That is the number of leads with at least one micro conversion: people. The "
            "question asks how many micro conversions they made: sum the micro column "
            "instead of counting the leads in it.",
            name="people_not_events",
        ),
        equals(
            lambda: _total(_per_lead(), "macro"),
            "That is the number of macro conversions (purchases). The question asks for the "
            "micro ones.",
            name="macro",
        ),
        equals(
            lambda: _total(_per_lead(), "conversions"),
            "That is micro and macro together. Sum only the micro column.",
            name="both_kinds",
        ),
    ],
    hint="per_lead = conversions.count(human_events, leads=human_leads), then sum its micro "
    "column.",
    success="Leads made {expected:,} micro conversions.",
)


# --------------------------------------------------------------------------- 4.3


def _ratio(table: pd.DataFrame) -> float:
    return _total(table, "micro") / _total(table, "macro")


def _people_ratio(table: pd.DataFrame) -> float:
    return _people(table, "micro") / _people(table, "macro")


register(
    "4.3",
    expected=lambda: _ratio(_per_lead()),
    kind="number",
    tolerance=0.05,
    diagnoses=[
        inverted(
            "Upside down: that is macro ÷ micro. The question asks how many micro conversions "
            "there are for each macro one: micro ÷ macro."
        ),
        equals(
            lambda: _total(_per_lead(), "micro") / _total(_per_lead(), "conversions"),
            "That is the share of micro conversions among all conversions (micro ÷ (micro + "
            "macro)). The question asks for micro ÷ macro.",
            name="share_not_ratio",
        ),
        equals(
            lambda: _people_ratio(_per_lead()),
            "That divides people (leads with at least one micro conversion by leads with at "
            "least one macro). The question is about conversions: sum the micro and macro "
            "columns, then divide.",
            name="people_not_events",
        ),
        equals(
            lambda: _ratio(_every_visitor()),
            "Bots and people who are not leads are still in: only conversions by leads "
            "count. Use conversions.count(human_events, leads=human_leads).",
            name="no_filter",
        ),
        equals(
            lambda: _ratio(_all_events_per_lead()),
            "Bots are left in: the bots that filled in forms are leads in the CRM. Count the "
            "human events of the human leads.",
            name="bots_left_in",
        ),
        equals(
            lambda: _ratio(_human_per_visitor()),
            "Conversions by people who are not leads are still in. Pass leads=human_leads.",
            name="non_leads",
        ),
        when(
            lambda answer, expected: isinstance(answer, numbers.Real)
            and abs(float(answer) - 100 * expected) <= 5,
            "That looks like the ratio times 100, as if it were a percentage. A ratio is just "
            "micro ÷ macro: how many micro conversions per macro one.",
            name="times_100",
        ),
    ],
    hint="Sum the micro and the macro columns of conversions.count(human_events, "
    "leads=human_leads) and divide micro by macro.",
    success="Leads made {expected:.1f} micro conversions for each macro one.",
)


# --------------------------------------------------------------------------- 4.4


def _wholesale() -> Any:
    return conversions.catalogue(WHOLESALE)


register(
    "4.4",
    expected=lambda: _people(_per_lead(_wholesale()), "macro"),
    kind="count",
    diagnoses=[
        equals(
            lambda: _people(_per_lead(), "macro"),
            "That is the answer with the default catalogue, where only a purchase is macro. "
            "Build the wholesale one with conversions.catalogue(contact_form='macro') and "
            "pass it to conversions.count.",
            name="catalogue_unchanged",
        ),
        events_not_people(
            lambda: _total(_per_lead(_wholesale()), "macro"),
            "That counts macro conversions (events): a lead who sent two forms counts twice. "
            "The question asks how many leads have at least one: (per_lead['macro'] > 0).sum().",
        ),
        equals(
            lambda: _people(_per_lead(conversions.catalogue(contact_form="macro",
                                                            purchase=None)), "macro"),
            "That counts only the leads who sent the contact form. A purchase is still a "
            "macro conversion in the wholesale catalogue: promote contact_form, do not replace "
            "purchase.",
            name="purchase_dropped",
        ),
        equals(
            lambda: _people(conversions.count(frame("events"), _wholesale()), "macro"),
            "No filter at all: bots and actions made before someone became a lead are both "
            "counted. Count the human events of the human leads (conversions.count(human_events, "
            "catalogue, leads=human_leads) keeps only what a lead did from the moment it was one).",
            name="no_filter",
        ),
        equals(
            lambda: _people(_all_events_per_lead(_wholesale()), "macro"),
            "Bots are left in: form-spam bots sent contact forms and got into the CRM as leads. "
            "Count the human events of the human leads.",
            name="bots_left_in",
        ),
        equals(
            lambda: _people(_per_lead(_wholesale()), "micro"),
            "That is the number of leads with a micro conversion. The question asks about "
            "macro.",
            name="micro",
        ),
    ],
    hint="wholesale = conversions.catalogue(contact_form='macro'); count with "
    "conversions.count(human_events, wholesale, leads=human_leads), then count the leads "
    "whose macro column is above 0.",
    success="In the wholesale campaign, {expected:,} leads have a macro conversion.",
)


# --------------------------------------------------------------------------- 4.5


@cached
def _both_ways() -> pd.DataFrame:
    """traffic.micro_conventions on the lesson's human sessions, events and leads."""
    from helpers import bots

    labelled = bots.label(frame("sessions"))
    human_events, human_leads = _inputs()
    people = labelled[~labelled["is_bot"].to_numpy(dtype=bool)]
    return traffic.micro_conventions(people, human_events, human_leads)


register(
    "4.5",
    expected=lambda: float(_both_ways().at["blog_comment", "visitor_rate"]),
    kind="share",
    diagnoses=[
        equals(
            lambda: float(_both_ways().at["blog_comment", "lead_rate"]),
            "That is the leads' rate: commenters among the leads. The analytics convention "
            "divides by every human visitor (GA4's users), and counts every commenter.",
            name="leads_rate",
        ),
        equals(
            lambda: float(_both_ways().at["blog_comment", "leads_with"]
                          / _both_ways().at["blog_comment", "visitors"]),
            "Close: that counts only the commenters who were leads. The analytics convention "
            "counts every human visitor who commented, lead or not.",
            name="lead_numerator",
        ),
    ],
    hint="both_ways = traffic.micro_conventions(human_sessions, human_events, human_leads), "
    "then the blog_comment row's visitor_rate.",
    success="{expected:.1%} of Brewlark's human visitors left a comment: GA4's user key event "
    "rate for blog_comment.",
)
