"""Exercises of lesson 05 · Conversion rates.

Each expected answer is computed from the kit's data when it is checked, never hard-coded,
so the checks follow the data when it is regenerated. The wrong answers the diagnoses
recognise are computed the same way, with the mistake made on purpose: a share where a
percentage is asked, leads from before the traffic window, bots left in, events counted
instead of people, sessions instead of visitors, averaged rates, a stage's current count
instead of the people who reached it, a difference called real when it is noise.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from helpers import bots, conversions, traffic
from helpers import leads as lead_helpers
from helpers.check import (
    averaged_rates,
    bots_left_in,
    equals,
    events_not_people,
    not_one_of,
    register,
    said,
    when,
    wrong_denominator,
)
from helpers.exercises import cached, frame

#: The two blog posts of exercise 5.6 (A and B) and the small channel of exercise 5.2.
POST_A = "/blog/dialing-in-espresso"
POST_B = "/blog/aeropress-recipes"
SMALL_CHANNEL = "paid_search"

#: The answers exercise 5.6 accepts.
CANT_TELL = "can't tell"


# --------------------------------------------------------------------------- shared steps


def _start() -> pd.Timestamp:
    """The start of the traffic window: the first session."""
    return traffic.window(frame("sessions")).start


@cached
def _marked_window_leads() -> pd.DataFrame:
    """traffic.window_leads: the window's leads, marked spam / bought at creation."""
    return traffic.window_leads(frame("leads"), frame("sessions"))


def _window_leads(spam: bool = False) -> pd.DataFrame:
    """The lesson's window_leads: created in the window, spam left out (unless spam=True)."""
    marked = _marked_window_leads()
    return marked if spam else marked[~marked["spam"].to_numpy(dtype=bool)]


@cached
def _humans() -> pd.DataFrame:
    """The human sessions, filtered once per version of the data (checks stay fast)."""
    return bots.filter(frame("sessions"))


def _human_events() -> pd.DataFrame:
    events = frame("events")
    return events[events["session_id"].isin(_humans()["session_id"])]


def _visitors(humans: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per human visitor with the channel of their first session."""
    return traffic.first_touch(_humans() if humans is None else humans)


def _web_leads() -> pd.DataFrame:
    """Leads created in the window by human visitors, with their visitor's channel."""
    visitors = _visitors()
    window = _window_leads()
    return window.merge(visitors, on="visitor_id", how="inner")


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole


# --------------------------------------------------------------------------- 5.1


def _contact_leads(window: bool = True, spam: bool = False) -> pd.DataFrame:
    crm = _window_leads(spam) if window else frame("leads")
    return crm[crm["lead_source"] == "contact_form"]


def _customer_percent(table: pd.DataFrame) -> float:
    return _percent(int(table["stage"].eq("customer").sum()), len(table))


register(
    "5.1",
    expected=lambda: _customer_percent(_contact_leads()),
    kind="percent",
    diagnoses=[
        equals(
            lambda: _customer_percent(_contact_leads(spam=True)),
            "That keeps the form-spam leads in the denominator: bots filled in the contact "
            "form, got into the CRM, and will never buy. Use window_leads, which leaves out "
            "the leads created by bot visitors (its spam column).",
            name="spam_left_in",
        ),
        equals(
            lambda: _customer_percent(_contact_leads(window=False)),
            "That counts every contact-form lead in the CRM, including the ones created before "
            "the traffic window (old customers' records, all of them customers already). Keep "
            "only leads with created_at on or after the first session: use window_leads.",
        ),
        equals(
            lambda: _customer_percent(_window_leads()),
            "That is the rate of all the leads of the window. Keep only the ones whose "
            'lead_source is "contact_form".',
        ),
        wrong_denominator(
            lambda: _customer_percent(
                _contact_leads()[lambda t: t["stage"].ne("disqualified")]
            ),
            "You left the disqualified leads out of the denominator. They were leads too (the "
            "ones that did not work out): divide by every contact-form lead.",
        ),
        equals(
            lambda: len(_contact_leads()) / int(_contact_leads()["stage"].eq("customer").sum())
            * 100,
            "The division is upside down: conversions ÷ leads × 100, the part over the whole.",
        ),
        equals(
            lambda: int(_contact_leads()["stage"].eq("customer").sum()),
            "That is the number of conversions (customers). Divide it by the number of "
            "contact-form leads, then multiply by 100.",
        ),
    ],
    hint="Keep the window's contact-form leads, count those whose stage is \"customer\", "
    "divide by the number of those leads and multiply by 100 (like 10 of 100 = 10%).",
    success="{expected:.1f}% of the contact-form leads of these four weeks became customers.",
)


# --------------------------------------------------------------------------- 5.2


def _small_channel_rate(confidence: float = 0.95, method: str = "wilson") -> conversions.Rate:
    events = _human_events()
    visitors = _visitors()
    buyers = events.loc[events["event_name"] == "purchase", "visitor_id"]
    mine = visitors[visitors["channel"] == SMALL_CHANNEL]
    return conversions.rate(
        int(mine["visitor_id"].isin(buyers).sum()), len(mine), confidence, method
    )


def _small_channel_per_session() -> conversions.Rate:
    humans = _humans()
    events = _human_events()
    paid = humans[humans["channel"] == SMALL_CHANNEL]
    bought = events.loc[events["event_name"] == "purchase", "session_id"]
    return conversions.rate(int(paid["session_id"].isin(bought).sum()), len(paid))


def _wald_high() -> float:
    r = _small_channel_rate()
    return r.value + 1.959964 * math.sqrt(r.value * (1 - r.value) / r.denominator)


register(
    "5.2",
    expected=lambda: _small_channel_rate().high,
    kind="share",
    tolerance=0.0001,  # the per-session bound lies within 0.03 points: tell them apart
    diagnoses=[
        equals(
            lambda: _small_channel_rate().value,
            "That is the rate itself. The question asks for the upper bound of its 95% "
            "interval: the `high` column (or `.high` of conversions.rate(...)).",
        ),
        equals(
            lambda: _small_channel_rate().low,
            "That is the lower bound. The question asks for the upper one (`high`).",
        ),
        equals(
            lambda: _small_channel_rate().width,
            "That is the width of the interval (high - low). The question asks for its upper "
            "end (`high`).",
        ),
        equals(
            _wald_high,
            "That is the textbook 'rate ± 1.96 standard errors' bound. With only a few "
            "conversions it is too narrow; use conversions.rate(...) (Wilson), as the lesson does.",
        ),
        equals(
            lambda: _small_channel_rate(method="jeffreys").high,
            "That is the bound of a Jeffreys interval. The lesson (and the question) use "
            "conversions.rate's default method, Wilson: leave method= out.",
            name="jeffreys",
        ),
        equals(
            lambda: _small_channel_rate(method="clopper-pearson").high,
            "That is the bound of a Clopper-Pearson (exact) interval. The lesson (and the "
            "question) use conversions.rate's default method, Wilson: leave method= out.",
            name="clopper_pearson",
        ),
        equals(
            lambda: _small_channel_rate(confidence=0.90).high,
            "That is the upper bound of a 90% interval; the question asks for 95% (the default).",
        ),
        equals(
            lambda: _small_channel_rate(confidence=0.99).high,
            "That is the upper bound of a 99% interval; the question asks for 95% (the default).",
        ),
        wrong_denominator(
            lambda: _small_channel_per_session().high,
            "That is the interval of the rate per session. The question asks per human "
            "visitor: use the per_visitor table.",
        ),
    ],
    hint=f"Find the {SMALL_CHANNEL} row of per_visitor and take its `high` column, or call "
    "conversions.rate(conversions, visitors).high with that row's counts.",
    success="The purchase rate of paid search visitors could be as high as {expected:.1%}.",
)


# --------------------------------------------------------------------------- 5.3


def _funnel(shop_buyers: bool = False) -> pd.DataFrame:
    """Lesson 05's funnel: the web leads without those created by a purchase (they never
    passed MQL or SQL), unless shop_buyers=True (the mistake)."""
    web = _web_leads()
    if not shop_buyers:
        web = web[~web["bought_at_creation"].to_numpy(dtype=bool)]
    return lead_helpers.pipeline(web, visitors=len(_visitors()))


def _reached(stage: str) -> int:
    table = _funnel().set_index("stage")
    return int(table.at[stage, "reached"])


def _now_at(stage: str) -> int:
    table = _funnel().set_index("stage")
    return int(table.at[stage, "now_at"])


register(
    "5.3",
    expected=lambda: _reached("customer") / _reached("mql"),
    kind="share",
    diagnoses=[
        equals(
            lambda: (lambda t: t.at["customer", "reached"] / t.at["mql", "reached"])(
                _funnel(shop_buyers=True).set_index("stage")),
            "That funnel counts the leads created by a purchase as if they had passed MQL and "
            "SQL. They never did: they bought first. Leave them out of the stages (the "
            "lesson's funnel does) and report them on their own line.",
            name="shop_buyers_in_funnel",
        ),
        equals(
            lambda: _now_at("customer") / _now_at("mql"),
            "You divided by the leads whose stage is MQL today (now_at). Most MQLs have moved "
            "on to SQL or customer since: divide by every lead that reached MQL (`reached`).",
        ),
        equals(
            lambda: _reached("customer") / _reached("sql"),
            "That is the last step only, SQL → customer. The question starts at MQL: divide "
            "by the leads that reached MQL.",
        ),
        equals(
            lambda: _reached("customer") / _reached("lead"),
            "That is lead → customer. The question starts one step later, at MQL.",
        ),
        equals(
            lambda: _reached("customer") / _reached("visitor"),
            "That is visitor → customer (the `overall` column). The question starts at MQL.",
        ),
        equals(
            lambda: _reached("mql") / _reached("lead"),
            "That is lead → MQL. The question asks how many MQLs went on to become customers.",
        ),
        equals(
            lambda: 1 - _reached("customer") / _reached("mql"),
            "That is the share of MQLs who did NOT become customers (the drop-off).",
        ),
    ],
    hint="In the funnel table, divide the `reached` of the customer row by the `reached` of "
    "the mql row.",
    success="{expected:.0%} of the leads that reached MQL became customers.",
)


# --------------------------------------------------------------------------- 5.4


def _guide(per: str) -> Any:
    events = _human_events()
    downloads = events[events["event_name"] == "guide_download"]
    if per == "people":
        return downloads["visitor_id"].nunique()
    if per == "sessions":
        return downloads["session_id"].nunique()
    return len(downloads)


def _all_guide_people() -> int:
    events = frame("events")
    return events.loc[events["event_name"] == "guide_download", "visitor_id"].nunique()


register(
    "5.4",
    expected=lambda: _guide("people") / _humans()["visitor_id"].nunique(),
    kind="share",
    tolerance=0.0005,
    diagnoses=[
        bots_left_in(
            lambda: _all_guide_people() / frame("sessions")["visitor_id"].nunique(),
            "That divides by every visitor, bots included: bots never download the guide, so "
            "they only dilute the rate. Use the human sessions (bots.filter) for the visitors.",
        ),
        bots_left_in(
            lambda: _guide("people") / frame("sessions")["visitor_id"].nunique(),
            "The numerator is right but the denominator still holds the bots' visitor ids. "
            "Count the visitors of the human sessions only.",
        ),
        events_not_people(
            lambda: _guide("events") / _humans()["visitor_id"].nunique(),
            "That counts download events: someone who downloaded the guide twice counts twice. "
            "Count the people who downloaded it: .nunique() of visitor_id.",
        ),
        wrong_denominator(
            lambda: _guide("sessions") / len(_humans()),
            "That is the rate per session (sessions with a download ÷ human sessions). The "
            "question asks per visitor: people who downloaded ÷ human visitors.",
        ),
        wrong_denominator(
            lambda: _guide("people") / len(_humans()),
            "The numerator counts people but the denominator counts sessions. Divide by the "
            "number of human visitors (.nunique() of visitor_id).",
        ),
    ],
    hint="People who downloaded: the unique visitor_id of guide_download events in human "
    "sessions. Human visitors: the unique visitor_id of the human sessions. Divide.",
    success="{expected:.1%} of human visitors downloaded the guide.",
)


# --------------------------------------------------------------------------- 5.5


def _lead_rates() -> pd.DataFrame:
    visitors = _visitors().copy()
    visitors["became_lead"] = visitors["visitor_id"].isin(_window_leads()["visitor_id"])
    return conversions.rate_table(
        visitors, "channel", converted="became_lead", unit="visitors", total=False
    )


register(
    "5.5",
    expected=lambda: _lead_rates()["conversions"].sum() / _lead_rates()["visitors"].sum(),
    kind="share",
    tolerance=0.001,
    diagnoses=[
        averaged_rates(
            lambda: _lead_rates()["rate"].mean(),
            "That is the average of the six channels' rates: paid search, with few visitors, "
            "weighs as much as organic search. Add up the leads and the visitors of all "
            "channels, then divide.",
        ),
        averaged_rates(
            lambda: _lead_rates()["rate"].median(),
            "That is the median of the channels' rates, which also ignores how big each "
            "channel is. Add up the counts, then divide.",
        ),
        equals(
            lambda: _lead_rates()["rate"].max(),
            "That is the best channel's rate, not the rate of all channels together.",
        ),
        equals(
            lambda: _lead_rates()["rate"].sum(),
            "That is the sum of the channels' rates. Rates do not add up: sum the "
            "conversions, sum the visitors, then divide the first by the second.",
        ),
    ],
    hint="lead_rates['conversions'].sum() / lead_rates['visitors'].sum().",
    success="Overall, {expected:.1%} of human visitors became leads.",
)


# --------------------------------------------------------------------------- 5.6


def _post_comparison() -> conversions.Comparison:
    humans = _humans()
    events = _human_events()
    contact = events.loc[events["event_name"].isin(lead_helpers.LEAD_EVENTS), "session_id"]
    rates = []
    for page in (POST_A, POST_B):
        landed = humans[humans["landing_page"] == page]
        rates.append(
            conversions.rate(int(landed["session_id"].isin(contact).sum()), len(landed))
        )
    return conversions.compare(rates[0], rates[1], names=("A", "B"))


def _verdict() -> str:
    comparison = _post_comparison()
    if not comparison.significant:
        return CANT_TELL
    return "A" if comparison.difference > 0 else "B"


def _normal(answer: Any) -> str:
    return " ".join(str(answer).lower().replace("’", "'").split()).rstrip(".")


_MEANS_CANT_TELL = {
    "can not tell", "cannot tell", "cant tell", "can't", "cant", "unclear", "not sure",
    "unknown", "don't know", "dont know", "?",
}

#: Answers that claim the two pages convert the same: a stronger claim than "can't tell".
_NO_DIFFERENCE = {"no difference", "same", "the same", "neither", "equal", "noise", "none"}

#: Ways to write the right option, accepted as it (case and curly apostrophes never matter).
_CANT_TELL_ALIASES = {"cannot tell": CANT_TELL, "can not tell": CANT_TELL, "cant tell": CANT_TELL}


def _overclaim(answer: Any, expected: Any) -> bool:
    return expected == CANT_TELL and _normal(answer) in ("a", "b")


register(
    "5.6",
    expected=_verdict,
    kind="choice",
    diagnoses=[
        when(
            lambda answer, expected: expected == CANT_TELL and _normal(answer) in _NO_DIFFERENCE,
            "Careful: the comparison does not show that the pages convert the same. The "
            "interval for the difference includes zero, but also sizeable differences either "
            'way: not significant is not "no difference". Which option says that?',
            name="no_difference",
        ),
        when(
            lambda answer, expected: expected == CANT_TELL and _normal(answer) in _MEANS_CANT_TELL,
            f'Right idea. Answer with the option as it reads: "{CANT_TELL}".',
            name="cant_tell_words",
        ),
        when(
            lambda answer, expected: _overclaim(answer, expected)
            and _normal(answer) == ("a" if _post_comparison().difference > 0 else "b"),
            "That page has the higher rate in this sample, but read the verdict of "
            "conversions.compare: the interval for the difference includes zero. A gap this "
            "size could be noise, so claiming a winner would be overclaiming.",
        ),
        when(
            _overclaim,
            "That page even has the lower rate in this sample, and the verdict says the "
            "difference could be noise. Neither page can be called the winner.",
        ),
        when(
            lambda answer, expected: expected != CANT_TELL
            and _normal(answer) in _MEANS_CANT_TELL | _NO_DIFFERENCE,
            "The verdict of conversions.compare says the difference is clear (its interval "
            "excludes zero). Which page has the higher rate?",
        ),
        when(
            lambda answer, expected: _normal(answer) not in ("a", "b", CANT_TELL)
            and _normal(answer) not in _MEANS_CANT_TELL | _NO_DIFFERENCE,
            f'Answer with one of the options: "A", "B" or "{CANT_TELL}".',
        ),
    ],
    hint="Compute both rates with conversions.rate, compare them with conversions.compare "
    "and read its verdict.",
    success='Right: "{expected}". Compare the verdict, not just the two percentages.',
    aliases=_CANT_TELL_ALIASES,
)


# --------------------------------------------------------------------------- 5.7 (predict)

#: The two pages of exercise 5.7: the same 15% rate, from very different amounts of traffic.
SURER_PAGES = {"X": (3, 20), "Y": (150, 1000)}


def _surer_page() -> str:
    """The page whose rate has the narrower interval ("X", "Y" or "equally sure")."""
    widths = {page: conversions.rate(x, n).high - conversions.rate(x, n).low
              for page, (x, n) in SURER_PAGES.items()}
    if math.isclose(widths["X"], widths["Y"]):
        return "equally sure"
    return min(widths, key=widths.get)


register(
    "5.7",
    expected=_surer_page,
    kind="choice",
    aliases={"page x": "x", "page y": "y", "same": "equally sure", "equal": "equally sure",
             "both": "equally sure"},
    diagnoses=[
        when(
            lambda answer, expected: expected != "equally sure"
            and said(answer, "equally sure", "same", "equal", "both"),
            "Both rates are 15%, but not from the same evidence. A rate from 20 sessions moves "
            "by 5 points when one more person converts; one from 1,000 barely moves. Which "
            "interval is narrower?",
            name="same_rate_same_certainty",
        ),
        when(
            lambda answer, expected: expected in ("X", "Y") and said(answer, "x", "y", "page x", "page y")
            and not said(answer, expected, f"page {expected}"),
            "That page has far fewer sessions. Fewer sessions give a wider interval: the rate "
            "is less sure, not more.",
            name="small_sample",
        ),
        not_one_of("X", "Y", "equally sure", also=("page x", "page y", "same", "equal", "both")),
    ],
    hint="Compute both with conversions.rate(conversions, sessions) if you like, and look at "
    "low and high. Or think: how much does one more conversion move each rate?",
    success="The same 15%, but page Y's rate rests on fifty times the sessions, so its "
    "interval is far narrower.",
)


# --------------------------------------------------------------------------- 5.8 (optional)


def _rate_at_end(weeks: float = 0) -> float:
    """The lead -> customer rate of the window's leads, as the CRM knew it ``weeks`` after."""
    from helpers import lag

    window = traffic.window(frame("sessions"))
    return float(lag.conversion_lag(_window_leads(), window.start, window.end, weeks=(weeks,))["rate"].iloc[0])


def _shop_buyers_kept() -> float:
    """The same reading with the leads created by a purchase left in both counts."""
    people = _window_leads()
    end = traffic.window(frame("sessions")).end
    return float((people["became_customer_at"] <= end).mean())


register(
    "5.8",
    expected=_rate_at_end,
    kind="share",
    diagnoses=[
        equals(
            lambda: _rate_at_end(52),
            "That is the rate as the CRM knows it today, with every later sale in. The question "
            "asks what it said on the window's last day: count only the customers whose "
            "became_customer_at is on or before the window's end.",
            name="read_today",
        ),
        equals(
            _shop_buyers_kept,
            "The leads created by a purchase are in: they were customers from their first moment "
            "and never 'went on' to buy. Leave out the rows where bought_at_creation is True.",
            name="shop_buyers_kept",
        ),
        equals(
            lambda: int(round(_rate_at_end() * int((~_window_leads()["bought_at_creation"]).sum()))),
            "That is how many customers were known then. Divide by the leads that could buy.",
            name="count_not_share",
        ),
    ],
    hint="Keep window_leads without bought_at_creation; the customers known then are those "
    "with became_customer_at <= traffic.window(sessions).end. Take the mean of that test.",
    success="On the window's last day the CRM showed {expected:.1%}: about half of today's "
    "rate. The other sales had not happened yet.",
)


# --------------------------------------------------------------------------- 5.9 (optional)

#: The two channels of exercise 5.9 and the segment they are compared in.
SIMPSON_PAIR = ("paid_search", "organic_search")
NOT_BLOG = "other page"


@cached
def _simpson() -> Any:
    """Visitor -> lead by first channel, split by whether the first page was a blog post."""
    from helpers import claims

    people = traffic.first_touch(_humans(), ("channel", "landing_page"))
    people["became_lead"] = people["visitor_id"].isin(_window_leads()["visitor_id"])
    blog = people["landing_page"].astype(str).str.startswith("/blog")
    people["first_page"] = blog.map({True: "blog post", False: NOT_BLOG})
    return claims.simpson(people, "channel", "first_page", "became_lead", *SIMPSON_PAIR, unit="visitors")


def _higher_on_other_pages() -> str:
    row = _simpson().table.loc[NOT_BLOG]
    return SIMPSON_PAIR[0] if row["first_rate"] > row["second_rate"] else SIMPSON_PAIR[1]


register(
    "5.9",
    expected=_higher_on_other_pages,
    kind="choice",
    aliases={"paid search": "paid_search", "organic search": "organic_search",
             "paid": "paid_search", "organic": "organic_search"},
    diagnoses=[
        when(
            lambda answer, expected: _simpson().reversed and not said(answer, expected)
            and said(answer, *SIMPSON_PAIR, "paid search", "organic search", "paid", "organic"),
            "That channel wins over all its visitors, but the question looks only at the "
            "visitors whose first page was not a blog post. Read that row of the table.",
            name="overall_not_segment",
        ),
        not_one_of(*SIMPSON_PAIR, also=("paid search", "organic search", "paid", "organic")),
    ],
    hint="In reversal.table, compare first_rate (paid search) and second_rate (organic "
    "search) in the 'other page' row.",
    success="Among visitors who landed on a page other than a blog post, {expected} turns "
    "more of them into leads: the overall order came from the mix of pages, not the channel.",
)
