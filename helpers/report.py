"""The manager's report: one page of Markdown, every sentence computed from the data.

:func:`capstone_report` reads a :class:`helpers.pipeline.Capstone` (the whole pipeline run
once) and writes what a manager would read: the month in one line, the headline numbers
with their intervals, what went well and what to fix (only where the intervals say so,
never from one dot above another), and one recommendation per marketing lever with the
metric that would prove it worked, its baseline and the size of the test to pre-register
(:func:`helpers.experiments.visitors_per_version`). Nothing is typed by hand: a new month
gives a new report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import claims, conversions
from .conversions import Rate
from .experiments import DEFAULT_LIFT, visitors_per_version
from .formatting import interval as _interval
from .formatting import label as _words
from .formatting import percent as _pc
from .leads import LEAD_EVENTS
from .pipeline import Capstone, capstone_rates

__all__ = ["Claim", "capstone_claims", "capstone_report"]


@dataclass(frozen=True)
class Claim:
    """One comparison the report states, and the groups and rule behind it.

    Attributes
    ----------
    kind : {"above_total", "below_total", "times", "lowest"}
        "above_total"/"below_total": the group's interval, widened for the number of groups
        (Bonferroni), lies wholly above/below the total rate; "times": the ratio of two rates
        from :func:`helpers.conversions.compare`, stated only when it is significant;
        "lowest": :func:`helpers.claims.clear_against` (Holm) finds the group clearly below
        every other one.
    group : str
    against : tuple of str
        The groups (or "Total") it is compared with.
    confidence : float
        The confidence of the whole family of comparisons (before the correction).
    """

    kind: str
    group: str
    against: tuple[str, ...]
    confidence: float


def _ci(r: Rate) -> str:
    return _interval(r.low, r.high)


def _with_ci(row: object, conf: str) -> str:
    """A rate_table row's rate and interval: "4.1% (95% CI 3.2%–5.2%)"."""
    return f"{_pc(row.rate)} ({conf} CI {_interval(row.low, row.high)})"


def _clearly(table: pd.DataFrame, by: str, confidence: float = 0.95
             ) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(groups clearly above the total, groups clearly below it, the total rate):
    :func:`helpers.claims.against_total` (each interval widened for the number of groups,
    never a group of fewer than :data:`helpers.claims.MIN_UNITS`)."""
    found = claims.against_total(table, by, confidence=confidence)
    return found.above, found.below, found.total


def _plan(baseline: Rate, people_per_week: float, lift: float) -> str:
    """How many people a test needs, and how many weeks of this traffic that is."""
    if not 0 < baseline.value < 1 or baseline.value * (1 + lift) >= 1:
        return "no baseline to size a test on yet: collect a month of data first."
    need = visitors_per_version(baseline.value, lift, confidence=baseline.confidence)
    weeks = 2 * need / people_per_week if people_per_week > 0 else float("inf")
    after = _pc(baseline.value * (1 + lift))
    length = f"about {weeks:.0f} weeks" if weeks < 104 else "more than two years"
    text = (
        f"to see a {lift:.0%} lift ({_pc(baseline.value)} → {after}) the test needs "
        f"{need:,} people per version: {length} of this traffic, split 50/50."
    )
    bolder = 2.5 * lift
    if weeks > 13 and baseline.value * (1 + bolder) < 1:
        more = visitors_per_version(baseline.value, bolder, confidence=baseline.confidence)
        text += (
            f" Too long for one quarter: test a bolder change; a {bolder:.0%} lift needs "
            f"{more:,} per version (about {2 * more / people_per_week:.0f} weeks)."
        )
    return text


def _top_reason(qualified: pd.DataFrame) -> str:
    reasons = qualified.loc[~qualified["qualified"].to_numpy(dtype=bool), "reasons"]
    split = reasons.astype(str).str.split("; ").explode()
    split = split[split.ne("")]
    return _words(split.value_counts().index[0]) if len(split) else ""


def capstone_report(
    results: Capstone, *, business: str | None = None, lift: float = DEFAULT_LIFT
) -> str:
    """A one-page report a manager can read, as Markdown, from the pipeline's numbers.

    Every figure comes from ``results`` (nothing is typed by hand), each rate with its
    interval. The sections: the month in one line, the headline numbers, what went well,
    what to fix, and one recommendation per marketing lever (landing page, calls to action,
    free trials or discounts, personalisation), each with the metric that would prove it
    worked, its baseline and the size of the test to pre-register.

    Parameters
    ----------
    results : Capstone
        From :func:`helpers.pipeline.capstone_results`.
    business : str, optional
        The business's name, for the title. Without it the title names no business: the
        report knows the data, not whose it is (lesson 07 passes "Brewlark Coffee Co.").
    lift : float, default experiments.DEFAULT_LIFT
        Relative lift each recommended test is sized to detect.

    Returns
    -------
    str
        Markdown; show it with ``IPython.display.Markdown``. :func:`capstone_claims` gives the
        comparisons it states, with the groups and rule behind each.
    """
    return "\n".join(_build(results, business, lift)[0])


def capstone_claims(results: Capstone, *, lift: float = DEFAULT_LIFT) -> tuple[Claim, ...]:
    """The comparisons :func:`capstone_report` states ("clearly above/below", "N times",
    "least often"), one :class:`Claim` each, so a test can check every one of them."""
    return tuple(_build(results, "", lift)[1])


def _build(results: Capstone, business: str | None, lift: float) -> tuple[list[str], list[Claim]]:
    found: list[Claim] = []
    conf = f"{results.confidence:.0%}"
    channels = capstone_rates(results, "channel")
    personas = capstone_rates(results, "persona")
    lines = [
        f"# {business + ': l' if business else 'L'}eads and conversions, "
        f"{results.start:%d %b} – {results.end:%d %b %Y}",
        "",
        *_headline(results, conf),
        "",
        "## What went well",
        "",
        *(_went_well(channels, personas, conf, results.confidence, found)
          if _recorded(results)["leads"] else
          ["- Nothing to compare yet: the data records no lead event, so no channel's or "
           "persona's lead rate can be measured."]),
        "",
        "## What to fix",
        "",
        *_to_fix(results, channels, conf, found),
        "",
        "## Recommendations: one lever each, and how we will know it worked",
        "",
        *_recommendations(results, channels, personas, conf, lift, found),
        "",
        "## How to read these numbers",
        "",
        f"- Every rate has a {conf} confidence interval: the range the true rate is likely "
        "in. Two groups differ clearly only when the comparison says so, never from one dot "
        f"alone, and a group of fewer than {claims.MIN_UNITS} people is never singled out.",
        "- A visitor counts for the channel of their first visit (first-touch attribution).",
        _bot_note(results),
        *_persona_note(results),
        f"- {_period(results.days)} of data. Decide the test, its metric and its "
        "length before starting, and do not stop early when the numbers look good.",
    ]
    return lines, found


def _persona_note(results: Capstone) -> list[str]:
    """Why some of the kit's example personas are not used (never naming them: their names
    are the coffee shop's, not this data's)."""
    left = len(getattr(results, "personas_left_out", ()))
    if not left:
        return []
    which = "The kit's example personas are" if left > 1 else f"{left} of the kit's example personas is"
    return [f"- {which} not used: the pages that define them are not in this data, so no "
            "visitor is matched to them on the remaining signals alone. Define personas from "
            "this site's own pages and segments (`personas.Persona`) and pass them as "
            "`persona_list=`."]


def _period(days: int) -> str:
    """How long the data runs, in words: "One month" only when it is about a month."""
    if 28 <= days <= 31:
        return f"One month ({days} days)"
    if days % 7 == 0:
        return f"{days // 7} week{'s' if days > 7 else ''} ({days} days)"
    return f"{days} day{'s' if days != 1 else ''}"


def _bot_note(results: Capstone) -> str:
    """How bots were found: by user agent and behaviour, or behaviour alone without agents."""
    audit = results.audit
    reasons = audit.index.astype(str)
    by_agent = np.asarray(reasons.str.startswith("ua:") & ~reasons.isin(["ua:missing"]))
    if (audit["sessions"].to_numpy()[by_agent] > 0).any():
        how = "rules on the user agent and on behaviour"
    else:
        how = "rules on behaviour (no session was flagged by its user agent in this data)"
    return (f"- Bots are found by {how}; a few slip through and a few people are flagged. "
            "Leads made by bots are not counted as leads.")


def _headline(results: Capstone, conf: str) -> list[str]:
    """The month in one line, then the table of headline numbers."""
    lead, buy = results.lead_rate, results.purchase_rate
    lead_buy = _lead_buy(results)
    kinds = results.conversions_by_kind
    if lead_buy is None:
        after = ("; no new web lead can be followed to a purchase (the data has no lead events "
                 "or lead table).")
        lead_buy_row = "| leads who bought | n/a | | no new web leads to follow |"
    else:
        after = (f", and {_pc(lead_buy.value)} of the new leads who had not arrived by buying "
                 f"went on to buy ({conf} CI {_ci(lead_buy)}); {len(results.shop_buyers):,} more "
                 "became leads by buying.")
        lead_buy_row = (
            f"| leads who bought | {_pc(lead_buy.value)} | {_ci(lead_buy)} | "
            f"{lead_buy.conversions:,} ÷ {lead_buy.denominator:,} new web leads, not counting the "
            f"{len(results.shop_buyers):,} created by a purchase |")
    recorded = _recorded(results)
    lead_cell = (f"| **lead rate** | **{_pc(lead.value)}** | {_ci(lead)} | {lead.conversions:,} new "
                 f"leads ÷ {lead.denominator:,} human visitors |")
    buy_cell = (f"| purchase rate | {_pc(buy.value)} | {_ci(buy)} | {buy.conversions:,} buyers ÷ "
                f"{buy.denominator:,} human visitors |")
    one_line = (f"**In one line:** {_pc(lead.value)} of the {results.human_visitors:,} people "
                f"who visited became leads ({conf} CI {_ci(lead)}){after}")
    if not recorded["leads"]:
        lead_cell = ("| **lead rate** | n/a | | the data records no lead event (form, sign-up, "
                     "download, purchase) and has no lead table |")
        one_line = (f"**In one line:** {results.human_visitors:,} people visited; the data "
                    "records no lead event (no form, sign-up, download or purchase) and has no "
                    "lead table, so no lead rate can be computed (a server log sees page views "
                    "only).")
    if not recorded["purchases"]:
        buy_cell = ("| purchase rate | n/a | | the data records no purchase (no macro conversion "
                    "event) |")
    lines = [
        one_line,
        "",
        "## Headline numbers",
        "",
        f"| measure | value | {conf} interval | counted as |",
        "|---|---|---|---|",
        f"| sessions (visits) | {results.sessions:,} | | all traffic |",
        f"| … of which bots, left out | {_pc(results.bot_share)} | | "
        f"{results.bot_sessions:,} sessions flagged by the bot rules |",
        f"| human visitors | {results.human_visitors:,} | | distinct visitors, bots out |",
        lead_cell,
        buy_cell,
        lead_buy_row,
        f"| conversions by leads | {int(kinds['micro']):,} micro, {int(kinds['macro']):,} "
        "macro | | events by all leads: steps toward buying / purchases |",
    ]
    quality = results.qualified_rate
    if quality is not None:
        lines.append(
            f"| new CRM leads that pass the quality rules | {_pc(quality.value)} | "
            f"{_ci(quality)} | {quality.conversions:,} ÷ {quality.denominator:,} CRM leads |"
        )
    offline = len(results.new_leads) - len(results.new_web_leads)
    if offline:
        lines += ["", f"Besides the web, {offline:,} leads came in without a web visit."]
    return lines


def _recorded(results: Capstone) -> dict[str, bool]:
    """Whether the data could show a lead and a purchase at all: a lead event or lead table,
    a macro conversion event. Without them a 0% is not measured, so it is not printed."""
    names = set(results.human_events["event_name"].astype(str).unique()) if len(
        results.human_events) else set()
    return {
        "leads": bool(len(results.leads)) or results.qualified is not None
        or bool(names & set(LEAD_EVENTS)),
        "purchases": bool(results.visitors["bought"].any())
        or bool(names & set(conversions.CATALOGUE.macro)),
    }


def _lead_buy(results: Capstone) -> Rate | None:
    """results.lead_buy_rate, or None when there is no new web lead to follow."""
    return results.lead_buy_rate if len(results.leads_to_follow) else None


def _went_well(channels: pd.DataFrame, personas: pd.DataFrame, conf: str, confidence: float,
               found: list[Claim]) -> list[str]:
    """Channels and personas whose lead rate is clearly above the total."""
    ch_above, _, total = _clearly(channels, "channel", confidence)
    pe_above, _, _ = _clearly(personas, "persona", confidence)
    pe_above = pe_above[pe_above["persona"].astype(str).ne("none").to_numpy(dtype=bool)]
    found += [Claim("above_total", str(r.channel), ("Total",), confidence)
              for r in ch_above.itertuples()]
    found += [Claim("above_total", str(r.persona), ("Total",), confidence)
              for r in pe_above.itertuples()]
    good = [
        f"- **{_words(r.channel).capitalize()}** visitors became leads at {_with_ci(r, conf)}, "
        f"clearly above the {_pc(total)} overall ({int(r.visitors):,} visitors)."
        for r in ch_above.itertuples()
    ]
    good += [
        f"- Visitors who match the **{_words(r.persona)}** persona became leads at "
        f"{_with_ci(r, conf)}, clearly above the {_pc(total)} overall."
        for r in pe_above.itertuples()
    ]
    return good or ["- No channel or persona is clearly above the overall lead rate yet."]


def _to_fix(results: Capstone, channels: pd.DataFrame, conf: str,
            found: list[Claim]) -> list[str]:
    """Channels clearly below the total, the bots, the leads that fail, the lost carts."""
    _, ch_below, total = _clearly(channels, "channel", results.confidence)
    found += [Claim("below_total", str(r.channel), ("Total",), results.confidence)
              for r in ch_below.itertuples()]
    fix = [
        f"- **{_words(r.channel).capitalize()}** brings {int(r.visitors):,} human visitors "
        f"({r.visitors / results.human_visitors:.0%} of them) but only {_pc(r.rate)} become "
        f"leads ({conf} CI {_interval(r.low, r.high)}), clearly below the {_pc(total)} overall."
        for r in ch_below.itertuples()
    ]
    if results.bot_share >= 0.1:
        fix.append(
            f"- {_pc(results.bot_share, 0)} of sessions are bots. Report human numbers only: "
            "counting bots as visitors would make every rate look worse than it is."
        )
    quality = results.qualified_rate
    if quality is not None and quality.value < 1:
        fix.append(
            f"- {_pc(1 - quality.value, 0)} of the new CRM leads fail the quality rules "
            f"(most often: {_top_reason(results.qualified)}); sales should not chase them."
        )
    cart = results.cart_rate
    if cart is not None:
        fix.append(
            f"- {_pc(1 - cart.value, 0)} of the people who put something in the cart did not "
            f"buy ({cart.denominator - cart.conversions:,} of {cart.denominator:,})."
        )
    return fix or ["- Nothing stands out as clearly worse than the rest this month."]


def _top_section(frame: pd.DataFrame) -> str:
    """The most common first section of the landing pages in ``frame`` ("" without pages)."""
    pages = frame.get("landing_page", pd.Series(dtype=str)).dropna().astype(str)
    section = pages.str.extract(r"^(/[^/?]*)", expand=False).dropna().value_counts()
    return str(section.index[0]) if len(section) else ""


def _recommendations(
    results: Capstone, channels: pd.DataFrame, personas: pd.DataFrame, conf: str, lift: float,
    found: list[Claim],
) -> list[str]:
    """One recommendation per lever (the source article's four), applied to this data's own
    channels, pages and segments, each with its success metric and its test size."""
    weeks = max(results.days / 7, 1 / 7)
    lead_buy, cart = _lead_buy(results), results.cart_rate
    _, ch_below, _ = _clearly(channels, "channel", results.confidence)
    lines: list[str] = []
    per_week = channels.set_index("channel")["visitors"] / weeks
    rows = channels[channels["channel"].ne("Total").to_numpy(dtype=bool)]
    big = rows[(rows["visitors"] >= claims.MIN_UNITS).to_numpy(dtype=bool)]
    if len(ch_below):
        target = ch_below.iloc[0]
    elif len(big):
        target = big.sort_values("visitors", ascending=False).iloc[0]
    else:
        target = rows.sort_values("visitors", ascending=False).iloc[0]
    name = str(target["channel"])
    group = results.visitors[results.visitors["channel"].astype(str).eq(name).to_numpy(dtype=bool)]
    top = _top_section(group)
    where = f" (most land on {top})" if top else ""
    base = results.rate(int(target["conversions"]), int(target["visitors"]), "visitors")
    why = "" if len(ch_below) else " (the channel with the most visitors, as no channel is singled out)"
    if not _recorded(results)["leads"]:
        lines.append(
            f"1. **Landing page.** Build a landing page for {_words(name)} visitors{where}{why} "
            "with one clear offer, but first record what it should produce: the data has no "
            "lead event, so its success could not be measured. Track the form or sign-up (or "
            "count visits to a goal page such as a contact page), then measure a baseline."
        )
        lines.append(
            "2. **Calls to action.** This data has no new leads to follow to a purchase, so "
            "there is no baseline: record lead events (a form, a sign-up) first."
        )
        lines.append(
            "3. **Free trials or discounts.** There is no cart data to size this on: track "
            "add_to_cart first, then test an offer at checkout."
        )
        lines.append(
            "4. **Personalisation.** Without lead events no segment's lead rate can be "
            "measured: record them first, then compare the segments."
        )
        return lines
    lines.append(
        f"1. **Landing page.** Build a landing page for {_words(name)} visitors{where}{why} with "
        f"one clear offer. *Success:* the lead rate of human visitors from {_words(name)} "
        f"rises from {_pc(base.value)} ({conf} CI {_ci(base)}). *Pre-register:* "
        f"{_plan(base, float(per_week[name]), lift)} Judge it with "
        "`conversions.compare(new_page, old_page)`: success only if the difference is clear."
    )
    if lead_buy is None:
        lines.append(
            "2. **Calls to action.** This data has no new leads to follow to a purchase, so "
            "there is no baseline: record lead events (a form, a sign-up) first."
        )
    else:
        lines.append(
            f"2. **Calls to action.** {_pc(results.micro_only_share, 0)} of the new web leads "
            "made a micro conversion but never bought: add a call to action that leads to the "
            "purchase where those micro conversions happen and in the first follow-up message. "
            f"*Success:* the share of new leads who then buy rises from {_pc(lead_buy.value)} "
            f"({conf} CI {_ci(lead_buy)}). *Pre-register:* "
            f"{_plan(lead_buy, len(results.leads_to_follow) / weeks, lift)}"
        )
    if cart is not None:
        lines.append(
            "3. **Free trials or discounts.** Offer a first-order discount (or a free trial) "
            "at checkout, and to the leads who have not bought yet. *Success:* the share "
            f"of people who buy after adding to the cart rises from {_pc(cart.value)} "
            f"({conf} CI {_ci(cart)}). *Pre-register:* "
            f"{_plan(cart, cart.denominator / weeks, lift)}"
        )
    else:
        lines.append(
            "3. **Free trials or discounts.** There is no cart data to size this on: track "
            "add_to_cart first, then test an offer at checkout."
        )
    lines.append(_personalisation(results, personas, conf, lift, weeks, found))
    return lines


def _personalisation(results: Capstone, personas: pd.DataFrame, conf: str, lift: float,
                     weeks: float, found: list[Claim]) -> str:
    """Recommendation 4: the persona to personalise for, and only the comparisons that hold."""
    personas_only = personas[~personas["persona"].isin(["none", "Total"]).to_numpy(dtype=bool)]
    personas_only = personas_only[(personas_only["visitors"] > 0).to_numpy(dtype=bool)]
    if not len(personas_only):
        why = ("The kit's example personas are defined by pages this data does not have"
               if getattr(results, "personas_left_out", ()) else
               "No visitor matches a persona in this data")
        return (f"4. **Personalisation.** {why}, so there is no segment to personalise for "
                "yet: define personas from its own signals first.")
    sized = personas_only[(personas_only["visitors"] >= claims.MIN_UNITS).to_numpy(dtype=bool)]
    if not len(sized):
        return (f"4. **Personalisation.** Every persona has fewer than {claims.MIN_UNITS} "
                "visitors here: too few to choose one or to size a test; collect more data first.")
    weakest = sized.sort_values("rate").iloc[0]
    who = str(weakest["persona"])
    none = results.visitors["persona"].eq("none").to_numpy(dtype=bool)
    base = results.rate(int(weakest["conversions"]), int(weakest["visitors"]), "visitors")
    matched = results.rate(int(personas_only["conversions"].sum()),
                           int(personas_only["visitors"].sum()), "visitors")
    if none.sum() >= claims.MIN_UNITS and matched.denominator >= claims.MIN_UNITS:
        rest = results.rate(int(results.visitors.loc[none, "is_lead"].sum()), int(none.sum()),
                            "visitors")
        vs_none = conversions.compare(matched, rest, results.confidence)
        if vs_none.significant and vs_none.difference > 0:
            found.append(Claim("times", "persona", ("none",), results.confidence))
            gap = (f"Visitors who match a persona become leads {vs_none.ratio:.1f} times as often "
                   f"as the {_pc(rest.value)} of those who match none ({conf} CI of the ratio "
                   f"{vs_none.ratio_low:.1f} to {vs_none.ratio_high:.1f})")
        else:
            gap = ("Visitors who match a persona do not clearly become leads more often than the "
                   f"{_pc(rest.value)} of those who match none")
    else:
        gap = "Too few visitors match a persona, or match none, to compare the two"
    others = {str(row["persona"]): results.rate(int(row["conversions"]), int(row["visitors"]),
                                                "visitors")
              for _, row in personas_only.iterrows() if str(row["persona"]) != who}
    _, unclear = claims.clear_against(base, others, results.confidence) if others else ((), ())
    if not others:
        which = f"{_words(who)} is the only persona"
    elif not unclear:
        found.append(Claim("lowest", who, tuple(others), results.confidence))
        which = f"of the personas, {_words(who)} becomes leads least often (clearly, Holm-corrected)"
    else:
        which = (f"{_words(who)} has the lowest measured lead rate of the personas with at least "
                 f"{claims.MIN_UNITS} visitors, not clearly different from "
                 f"{', '.join(_words(n) for n in unclear)}, so start with it but expect the "
                 "others to gain as much")
    group = results.visitors[results.visitors["persona"].astype(str).eq(who).to_numpy(dtype=bool)]
    top = _top_section(group)
    offer = (f"an offer and content written for them on the pages they land on most ({top})"
             if top else "an offer and content written for them")
    size = _plan(base, int(results.visitors["persona"].eq(who).sum()) / weeks, lift)
    return (
        f"4. **Personalisation.** {gap}; {which}. Show them {offer}. *Success:* the lead rate of "
        f"visitors matching {_words(who)} rises from {_pc(base.value)} ({conf} CI "
        f"{_ci(base)}). *Pre-register:* {size}"
    )
