"""The whole pipeline, end to end: traffic -> humans -> leads -> conversions -> rates.

Lessons 02-06 teach each step on its own; this module chains them, once, for lesson 07, the
README's own-data cell and anyone with a month of exports:

- :func:`capstone_results` runs every step and returns a :class:`Capstone` holding every
  number the manager's report (:mod:`helpers.report`) quotes;
- :func:`capstone_rates` and :func:`focus` slice it by channel or persona, with intervals
  and a comparison with everyone else;
- :func:`channel_funnel` follows one channel's visitors through lead, MQL, SQL and customer
  (lesson 05), :func:`scored_leads` builds lesson 06's scored analysis set;
- :data:`NEW_MONTH` is lesson 07's new month: one configuration for the notebook and its
  exercise checks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import bots, conversions, lag, personas, synth, traffic
from . import leads as lead_tools
from ._frames import need_flags, need_table, need_times
from .formatting import interval, label, p_value, percent

__all__ = [
    "CAPSTONE_METRICS",
    "NEW_MONTH",
    "analysis_set",
    "Capstone",
    "ChannelFunnel",
    "Focus",
    "capstone_rates",
    "capstone_results",
    "channel_funnel",
    "focus",
    "focus_options",
    "new_month",
    "scored_leads",
]

#: Lesson 07's new month: the four weeks after the kit's data (which starts on Monday 3
#: February 2025 and lasts 28 days), another seed, half the kit's visitors so that the whole
#: notebook runs in a few seconds. A trainer gives a cohort a different month with the
#: environment variable KIT_NEW_MONTH_SEED (``KIT_NEW_MONTH_SEED=7 make lab``) or here.
NEW_MONTH = synth.SynthConfig(
    seed=int(os.environ.get("KIT_NEW_MONTH_SEED") or 2026),
    start="2025-03-03",
    days=28,
    visitors=6000,
)

#: What the capstone can rate per group: column of ``Capstone.visitors``, and words.
CAPSTONE_METRICS: dict[str, tuple[str, str]] = {
    "lead": ("is_lead", "became leads"),
    "purchase": ("bought", "bought something"),
}


def new_month(config: synth.SynthConfig = NEW_MONTH) -> synth.Dataset:
    """The data set of lesson 07's new month: ``synth.generate(config)`` (deterministic)."""
    return synth.generate(config)


# --------------------------------------------------------------------------- the pipeline


@dataclass(frozen=True, eq=False)
class Capstone:
    """The whole pipeline's results for one data set; built by :func:`capstone_results`.

    Every number of the capstone report comes from here, so the report, the explorer and
    the exercise checks all read the same figures.

    Attributes
    ----------
    window : helpers.traffic.Window
        The traffic window (``start``, ``end`` and ``days`` read from it).
    sessions, bot_sessions : int
        All sessions, and those :func:`helpers.bots.label` flagged.
    audit : DataFrame
        :func:`helpers.bots.report`: sessions per reason, reconciling to the total.
    duplicates : int
        Exact duplicate event rows dropped (the same event recorded twice).
    human_events : DataFrame
        Events of human sessions, duplicates dropped.
    leads : DataFrame
        The leads that are people (:func:`helpers.traffic.human_events_and_leads`' rule),
        plus ``new``: True when the lead's first contact (``first_at``) is inside the window.
    visitors : DataFrame
        One row per human visitor: ``visitor_id``, ``channel`` and ``landing_page`` of their
        first human session (:func:`helpers.traffic.first_touch`), ``persona`` and
        ``persona_score`` (:func:`helpers.personas.assign`), ``is_lead`` (became a new lead
        in the window) and ``bought`` (made a macro conversion: a purchase with the default
        catalogue).
    per_lead : DataFrame
        :func:`helpers.conversions.count` of ``human_events`` for ``leads``: micro, macro and
        conversions per lead.
    qualified : DataFrame or None
        :func:`helpers.leads.qualify` of the CRM leads created in the window (those of bot
        visitors flagged ``created_by_bot``); None without a CRM.
    cart : DataFrame or None
        :func:`helpers.conversions.funnel` add_to_cart -> purchase of human visitors; None
        when the events have no add_to_cart.
    confidence : float
        Coverage of every interval.
    personas_left_out : tuple of str
        Default personas not used because a signal that defines them is not in the data
        (a topic nobody read: the kit's pages are not on this site); empty with your own
        ``persona_list``.
    """

    window: traffic.Window
    sessions: int
    bot_sessions: int
    audit: pd.DataFrame
    duplicates: int
    human_events: pd.DataFrame
    leads: pd.DataFrame
    visitors: pd.DataFrame
    per_lead: pd.DataFrame
    qualified: pd.DataFrame | None
    cart: pd.DataFrame | None
    confidence: float
    personas_left_out: tuple[str, ...] = ()

    # ---- headline figures

    @property
    def start(self) -> pd.Timestamp:
        """First session start."""
        return self.window.start

    @property
    def end(self) -> pd.Timestamp:
        """Last session start."""
        return self.window.end

    @property
    def days(self) -> int:
        """Length of the window in whole days."""
        return self.window.days

    @property
    def bot_share(self) -> float:
        """Share of all sessions flagged as bots."""
        return self.bot_sessions / self.sessions if self.sessions else float("nan")

    @property
    def human_visitors(self) -> int:
        """Distinct human visitors (the denominator of the per-visitor rates)."""
        return len(self.visitors)

    def rate(self, conversions_: int, denominator: int, unit: str = "visitors") -> conversions.Rate:
        """A :class:`helpers.conversions.Rate` at this result's confidence."""
        return conversions.rate(int(conversions_), int(denominator), self.confidence, unit=unit)

    @property
    def lead_rate(self) -> conversions.Rate:
        """Human visitors who became a new lead in the window, as a Rate."""
        return self.rate(self.visitors["is_lead"].sum(), len(self.visitors))

    @property
    def purchase_rate(self) -> conversions.Rate:
        """Human visitors with at least one macro conversion (a purchase), as a Rate."""
        return self.rate(self.visitors["bought"].sum(), len(self.visitors))

    @property
    def new_leads(self) -> pd.DataFrame:
        """The leads whose first contact is in the window (web and offline)."""
        return self.leads[self.leads["new"].to_numpy(dtype=bool)]

    @property
    def new_web_leads(self) -> pd.DataFrame:
        """New leads with a visitor id: the ones whose web conversions can be followed."""
        new = self.new_leads
        return new[new["visitor_id"].notna().to_numpy(dtype=bool)]

    @property
    def shop_buyers(self) -> pd.DataFrame:
        """New web leads created by a purchase: customers from their first moment, reported
        on their own line and never in :attr:`lead_buy_rate`."""
        new = self.new_web_leads
        return new[new["source"].astype(str).eq("purchase").to_numpy(dtype=bool)]

    @property
    def leads_to_follow(self) -> pd.DataFrame:
        """New web leads that did not start with a purchase: the ones that could go on to buy."""
        new = self.new_web_leads
        return new[~new["source"].astype(str).eq("purchase").to_numpy(dtype=bool)]

    @property
    def lead_buy_rate(self) -> conversions.Rate:
        """Of the new web leads that did not start with a purchase, those who then made a
        macro conversion (a purchase after becoming a lead: a lead created earlier by another
        action cannot have bought first). Leads created by a purchase are :attr:`shop_buyers`."""
        ids = self.leads_to_follow["visitor_id"]
        macro = self.per_lead["macro"].reindex(ids, fill_value=0)
        return self.rate((macro > 0).sum(), len(ids), "leads")

    @property
    def micro_only_share(self) -> float:
        """Share of the new web leads to follow with micro conversions but no macro one."""
        ids = self.leads_to_follow["visitor_id"]
        counts = self.per_lead.reindex(ids, fill_value=0)
        return float(((counts["micro"] > 0) & (counts["macro"] == 0)).mean()) if len(ids) else 0.0

    @property
    def conversions_by_kind(self) -> pd.Series:
        """Micro and macro conversions (events) made by leads in the window."""
        return self.per_lead[["micro", "macro"]].sum()

    @property
    def qualified_rate(self) -> conversions.Rate | None:
        """CRM leads of the window that pass the quality rules, as a Rate (None without CRM)."""
        if self.qualified is None or not len(self.qualified):
            return None
        return self.rate(self.qualified["qualified"].sum(), len(self.qualified), "leads")

    @property
    def cart_rate(self) -> conversions.Rate | None:
        """People who added to cart and then bought ÷ people who added to cart (or None)."""
        if self.cart is None or int(self.cart["people"].iloc[0]) == 0:
            return None
        people = self.cart["people"].to_numpy()
        return self.rate(people[-1], people[0], "people")

    def __repr__(self) -> str:
        return (
            f"Capstone({self.start:%d %b %Y}-{self.end:%d %b %Y}: {self.sessions:,} sessions, "
            f"{self.bot_share:.1%} bots, {self.human_visitors:,} human visitors, "
            f"lead rate {self.lead_rate.format()})"
        )


def capstone_results(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    crm: pd.DataFrame | None = None,
    *,
    rules: bots.BotRules | None = None,
    persona_list: Any = None,
    catalogue: conversions.Catalogue | None = None,
    confidence: float = 0.95,
) -> Capstone:
    """Run the whole pipeline once: traffic -> humans -> leads -> conversions -> rates.

    The steps lessons 02-06 teach, in the order lesson 07 shows them:

    1. label every session with :func:`helpers.bots.label` (nothing dropped; the audit is
       :func:`helpers.bots.report`) and keep the events of human sessions
       (:func:`helpers.traffic.human_events`), without exact duplicate rows;
    2. find the leads with :func:`helpers.leads.identify` and drop those of
       :func:`helpers.traffic.bot_visitors`; a lead is *new* when its first contact is in
       the window;
    3. count micro and macro conversions per lead with :func:`helpers.conversions.count`;
    4. give each human visitor the channel of their first session
       (:func:`helpers.traffic.first_touch`), a persona (:func:`helpers.personas.visitors`
       and :func:`helpers.personas.assign`, from the sessions before the visitor became a
       lead: :func:`helpers.personas.history_before`) and two flags: became a new lead, made a macro
       conversion;
    5. qualify the CRM leads created in the window (:func:`helpers.leads.qualify`) and
       follow people from cart to purchase (:func:`helpers.conversions.funnel`).

    Parameters
    ----------
    sessions, events : DataFrame
        As :func:`helpers.data.load_sessions` / ``load_events`` return them (the kit's, a
        generated month, or your own files). Events without ``visitor_id`` (optional in the
        schema) take the visitor of their session.
    crm : DataFrame, optional
        The CRM export (:func:`helpers.data.load_leads`). Without it, leads come from the
        web events only and nothing is qualified.
    rules : helpers.bots.BotRules, optional
        Bot thresholds; the defaults when left out.
    persona_list : sequence of helpers.personas.Persona, optional
        Default :data:`helpers.personas.DEFAULT_PERSONAS`, each used only when the data has
        every signal it is defined by (a topic at least one visitor read); the others are
        listed in ``personas_left_out`` and their visitors get ``"none"``. Your own list is
        used as given.
    catalogue : helpers.conversions.Catalogue, optional
        Default :data:`helpers.conversions.CATALOGUE`.
    confidence : float, default 0.95

    Returns
    -------
    Capstone

    Examples
    --------
    >>> month = synth.generate(synth.SynthConfig(seed=3, start="2025-03-03", visitors=400))
    >>> results = capstone_results(month.sessions, month.events, month.leads)
    >>> results.sessions == len(month.sessions)
    True
    >>> int(results.audit.loc["total", "sessions"]) == results.sessions
    True
    """
    func = "capstone_results"
    need_table(func, "sessions", sessions, ("session_id", "visitor_id", "started_at", "channel"))
    if (isinstance(events, pd.DataFrame) and "visitor_id" not in events.columns
            and "session_id" in events.columns and sessions["session_id"].is_unique):
        # events.visitor_id is optional in the schema: an event's visitor is its session's
        visitor_of = pd.Series(sessions["visitor_id"].to_numpy(), index=sessions["session_id"])
        events = events.assign(visitor_id=events["session_id"].map(visitor_of).to_numpy())
    need_table(func, "events", events, ("session_id", "visitor_id", "timestamp", "event_name"))
    if not len(sessions):
        raise ValueError(f"{func}(): sessions is empty; there is nothing to report on.")
    labelled = bots.label(sessions) if rules is None else bots.label(sessions, rules)
    is_bot = labelled["is_bot"].to_numpy()  # a bool column
    humans = labelled[~is_bot]
    if not len(humans):
        raise ValueError(f"{func}(): every session was flagged as a bot; check the bot rules.")
    if crm is not None and isinstance(crm, pd.DataFrame) and "created_at" not in crm.columns:
        raise KeyError(
            f"{func}(): crm has no column 'created_at' (a CRM file with only a converted "
            "flag?), so the pipeline cannot tell which leads are new in the window. Fix: export "
            "the leads' creation date and rename= it to created_at, or pass crm=None to "
            "measure the web events alone; leads.pipeline, qualify and score work on the file "
            "as it is."
        )
    deduped = traffic.deduplicate_events(events)
    human_events = traffic.human_events(deduped, labelled).reset_index(drop=True)

    window = traffic.window(labelled)
    bot_only = traffic.bot_visitors(labelled)
    found = lead_tools.identify(human_events, crm)
    lead_table = found[~found["visitor_id"].isin(bot_only).to_numpy()]
    lead_table = lead_table.reset_index(drop=True)
    if lead_table["first_at"].isna().all():  # no leads found (a web log): keep the time type
        no_time = pd.Series(pd.NaT, index=lead_table.index, dtype=human_events["timestamp"].dtype)  # pragma: no mutate (a Series of None, or of no value, with this dtype and index is the same all-NaT column)
        lead_table["first_at"] = no_time
    lead_table = lead_table.assign(new=window.since_start(lead_table["first_at"]).to_numpy())

    catalogue = conversions.CATALOGUE if catalogue is None else catalogue
    per_lead = conversions.count(human_events, catalogue, leads=lead_table)

    columns = ("channel", "landing_page") if "landing_page" in humans.columns else ("channel",)
    table = traffic.first_touch(humans, columns)
    # a persona that explains a conversion sees only the behaviour before it
    # (identify gives one row per visitor: each visitor_id once, so no de-duplication here)
    became_lead = lead_table[lead_table["new"].to_numpy()].dropna(subset=["visitor_id"])
    until = became_lead.set_index("visitor_id")["first_at"]
    signals = personas.visitors(*personas.history_before(humans, human_events, until))
    if persona_list is None:  # the kit's examples, only where the data shows what defines them
        used, left_out = _observable(personas.DEFAULT_PERSONAS, signals)
    else:
        one = isinstance(persona_list, personas.Persona)
        used, left_out = (persona_list,) if one else tuple(persona_list), ()
    if used:
        assigned = personas.assign(signals, used)
    else:
        assigned = pd.DataFrame({"persona": "none", "persona_score": np.nan},
                                index=signals.index)
    persona = table["visitor_id"].map(assigned["persona"]).fillna("none").astype(str)
    order = [p.name for p in used]  # then "none" (the only other value), when someone has it
    order += sorted(set(persona) - set(order))
    table["persona"] = pd.Categorical(persona, categories=order).remove_unused_categories()
    table["persona_score"] = table["visitor_id"].map(assigned["persona_score"])  # float, NaN if none
    new_ids = lead_table.loc[lead_table["new"].to_numpy(), "visitor_id"].dropna()
    table["is_lead"] = table["visitor_id"].isin(new_ids).to_numpy()
    macro_events = list(catalogue.macro)
    buyers = human_events.loc[human_events["event_name"].isin(macro_events), "visitor_id"]
    table["bought"] = table["visitor_id"].isin(buyers).to_numpy()

    qualified = None
    if crm is not None and {"created_at", "email", "name"}.issubset(crm.columns):
        in_window = crm[window.since_start(crm["created_at"]).to_numpy()]
        qualified = lead_tools.qualify(in_window, bot_visitors=bot_only)
    cart = None
    names = set(human_events["event_name"].astype(str).unique())
    if {"add_to_cart", "purchase"}.issubset(names):
        cart = conversions.funnel(human_events, ["add_to_cart", "purchase"])

    return Capstone(
        window=window, sessions=len(labelled), bot_sessions=int(is_bot.sum()),
        audit=bots.report(labelled), duplicates=len(events) - len(deduped),
        human_events=human_events, leads=lead_table, visitors=table, per_lead=per_lead,
        qualified=qualified, cart=cart, confidence=confidence, personas_left_out=left_out,
    )


def _observable(candidates, signals: pd.DataFrame) -> tuple[tuple, tuple[str, ...]]:
    """The personas whose signals the data has, and the names of the others.

    A persona is left out when a signal it is defined by is not in ``signals`` at all, or is
    a topic (``reads_<topic>``) that no visitor read: on a site without the kit's pages a
    default persona would otherwise be matched on its other signals alone (a desktop visitor
    in office hours who reads /contact became an "office manager" on any site).
    """
    kept, left = [], []
    for persona in candidates:
        absent = [c.signal for c in persona.criteria if c.signal not in signals.columns
                  or (c.signal.startswith("reads_")
                      and not signals[c.signal].fillna(False).astype(bool).any())]
        if absent:
            left.append(persona.name)
        else:
            kept.append(persona)
    return tuple(kept), tuple(left)


def _metric_column(func: str, metric: str) -> str:
    if metric not in CAPSTONE_METRICS:
        raise ValueError(
            f"{func}(): metric {metric!r} is not one of {', '.join(CAPSTONE_METRICS)}."
        )
    return CAPSTONE_METRICS[metric][0]


def capstone_rates(results: Capstone, by: str = "channel", metric: str = "lead") -> pd.DataFrame:
    """Rate per group of human visitors, with intervals and a Total row.

    Parameters
    ----------
    results : Capstone
    by : {"channel", "persona"}, default "channel"
        A column of ``results.visitors``.
    metric : {"lead", "purchase"}, default "lead"
        "lead": share who became a new lead; "purchase": share who bought.

    Returns
    -------
    DataFrame
        :func:`helpers.conversions.rate_table`: ``by``, ``conversions``, ``visitors``,
        ``rate``, ``low``, ``high``.
    """
    column = _metric_column("capstone_rates", metric)
    need_table("capstone_rates", "results.visitors", results.visitors, (by,))
    return conversions.rate_table(
        results.visitors, by, converted=column, unit="visitors", confidence=results.confidence
    )


# --------------------------------------------------------------------------- one group


def focus_options(results: Capstone) -> list[tuple[str, str]]:
    """The groups :func:`focus` takes: ``(label, value)`` for everyone, each channel, each persona.

    Values are ``"all"``, ``"channel:<name>"`` or ``"persona:<name>"``.
    """
    options = [("everyone", "all")]
    for by in ("channel", "persona"):
        column = results.visitors[by]
        if isinstance(column.dtype, pd.CategoricalDtype):
            names = [c for c in column.cat.categories if (column == c).any()]
        else:
            names = column.value_counts().index.tolist()
        options += [(f"{by}: {label(n)}", f"{by}:{n}") for n in names]
    return options


@dataclass(frozen=True, eq=False)
class Focus:
    """One group's rate against everyone else's; built by :func:`focus`.

    Attributes
    ----------
    segment, metric : str
        As passed to :func:`focus`.
    by, group : str or None
        ``"channel"``/``"persona"`` and the group's name (None for everyone).
    rate, rest, total : Rate
        The group's rate, everyone else's (None for everyone) and the total.
    comparison : Comparison or None
        :func:`helpers.conversions.compare` of ``rate`` with ``rest``.
    table : DataFrame
        :func:`capstone_rates` for the group's dimension (channels for everyone).
    """

    segment: str
    metric: str
    by: str | None
    group: str | None
    rate: conversions.Rate
    rest: conversions.Rate | None
    total: conversions.Rate
    comparison: conversions.Comparison | None
    table: pd.DataFrame = field(repr=False)

    @property
    def who(self) -> str:
        """The group in words: "Paid search visitors", "Visitors matching home barista"..."""
        if self.group is None:
            return "All human visitors"
        if self.by == "persona":
            name = "no persona" if self.group == "none" else label(self.group)
            return f"Visitors matching {name}"
        return f"{label(self.group).capitalize()} visitors"

    @property
    def words(self) -> str:
        """What the metric counts, in words: "became leads", "bought something"."""
        return CAPSTONE_METRICS[self.metric][1]

    @property
    def headline(self) -> str:
        """The key figure as text."""
        text = (
            f"{self.who}: {percent(self.rate.value)} {self.words} "
            f"({self.rate.confidence:.0%} CI {interval(self.rate.low, self.rate.high)})"
        )
        if self.comparison is None:
            return text
        if self.comparison.significant:
            side = "above" if self.comparison.difference > 0 else "below"
            return f"{text}, clearly {side} everyone else ({percent(self.rest.value)})"
        return f"{text}, not clearly different from everyone else ({percent(self.rest.value)})"

    @property
    def value(self) -> float:
        """The group's rate, rounded to 6 decimals."""
        return round(float(self.rate.value), 6)

    @property
    def summary(self) -> str:
        """The key figure as text (the same as :attr:`headline`)."""
        return self.headline

    @property
    def verdict(self) -> str:
        """The comparison with everyone else in one sentence ("" for everyone)."""
        c = self.comparison
        if c is None:
            return ""
        if c.significant:
            side = "higher" if c.difference > 0 else "lower"
            ending = f"clearly {side} than everyone else's"
        else:
            ending = "the data cannot tell it apart from everyone else's"
        return (
            f"{self.who}: {percent(self.rate.value)} against {percent(self.rest.value)} for "
            f"everyone else, a difference of {c.difference * 100:+.1f} points "
            f"({c.confidence:.0%} CI {c.difference_low * 100:+.1f} to "
            f"{c.difference_high * 100:+.1f}; {p_value(c.p_value, 3)}): "
            f"{ending}."
        )

    def __repr__(self) -> str:
        return f"Focus({self.headline})"


def focus(results: Capstone, segment: str = "all", metric: str = "lead") -> Focus:
    """A group's lead (or purchase) rate per human visitor, compared with everyone else.

    Parameters
    ----------
    results : Capstone
    segment : str, default "all"
        ``"all"``, ``"channel:<name>"`` or ``"persona:<name>"`` (see :func:`focus_options`).
    metric : {"lead", "purchase"}, default "lead"

    Returns
    -------
    Focus

    Examples
    --------
    >>> month = synth.generate(synth.SynthConfig(seed=3, start="2025-03-03", visitors=400))
    >>> results = capstone_results(month.sessions, month.events, month.leads)
    >>> focus(results).headline.startswith("All human visitors: ")
    True
    """
    func = "focus"
    column = _metric_column(func, metric)
    people = results.visitors
    flag = need_flags(func, people, column, f"True for visitors who {CAPSTONE_METRICS[metric][1]}",
                      "Build results with capstone_results().")
    total = results.rate(flag.sum(), len(people))
    if segment == "all":
        return Focus(
            segment=segment, metric=metric, by=None, group=None, rate=total, rest=None,
            total=total, comparison=None, table=capstone_rates(results, "channel", metric),
        )
    by, _, group = str(segment).partition(":")
    if by not in ("channel", "persona") or not group:
        raise ValueError(
            f"{func}(): segment {segment!r} must be 'all', 'channel:<name>' or "
            "'persona:<name>', e.g. 'channel:paid_search'."
        )
    inside = people[by].astype(str).eq(group).to_numpy()  # text compared: bool, never missing
    if not inside.any():
        known = ", ".join(sorted(people[by].astype(str).unique()))
        raise ValueError(f"{func}(): no human visitor has {by} {group!r}. Known: {known}.")
    rate = results.rate(flag[inside].sum(), inside.sum())
    rest = results.rate(flag[~inside].sum(), (~inside).sum()) if (~inside).any() else None
    name = "no persona" if by == "persona" and group == "none" else label(group)
    comparison = (
        conversions.compare(rate, rest, results.confidence, names=(name, "everyone else"))
        if rest is not None
        else None
    )
    return Focus(
        segment=segment, metric=metric, by=by, group=group, rate=rate, rest=rest, total=total,
        comparison=comparison, table=capstone_rates(results, by, metric),
    )


# --------------------------------------------------------------------------- one channel's funnel


@dataclass(frozen=True, eq=False)
class ChannelFunnel:
    """The visitor -> lead -> MQL -> SQL -> customer funnel of one channel's visitors.

    Built by :func:`channel_funnel`. ``table`` is :func:`helpers.leads.pipeline`'s table;
    ``remove_bots`` and ``window_only`` say whether the two classic mistakes were avoided;
    ``skipped`` counts the leads created by a purchase, left out of the stages (they are
    customers from their first moment and never passed MQL or SQL).
    """

    table: pd.DataFrame = field(repr=False)
    channel: str
    remove_bots: bool
    window_only: bool
    skipped: int = 0

    @property
    def visitors(self) -> int:
        """The channel's visitors (first stage)."""
        return int(self.table["reached"].iloc[0])

    @property
    def customers(self) -> int:
        """Those who became customers (last stage)."""
        return int(self.table["reached"].iloc[-1])

    @property
    def overall(self) -> float:
        """Customers ÷ visitors."""
        return float(self.table["overall"].iloc[-1])

    @property
    def mistakes(self) -> list[str]:
        """The classic mistakes switched on, in words."""
        return [
            text
            for text, on in (
                ("bots counted as visitors", not self.remove_bots),
                ("old leads counted as new", not self.window_only),
            )
            if on
        ]

    @property
    def channel_words(self) -> str:
        """The channel as words ("all" for every channel)."""
        return "all" if self.channel == "all" else label(self.channel)

    @property
    def headline(self) -> str:
        """The share of the channel's visitors who became customers, in words."""
        return (
            f"{self.customers / self.visitors:.1%} of {self.channel_words} visitors became "
            f"customers ({self.customers:,} of {self.visitors:,})"
        )

    @property
    def value(self) -> float:
        """Customers ÷ visitors, rounded to 6 decimals."""
        return round(self.overall, 6)

    def __repr__(self) -> str:
        return f"ChannelFunnel({self.headline})"


def channel_funnel(
    sessions: pd.DataFrame,
    leads: pd.DataFrame,
    channel: str = "all",
    *,
    remove_bots: bool = True,
    window_only: bool = True,
) -> ChannelFunnel:
    """The visitor -> lead -> MQL -> SQL -> customer funnel of the visitors one channel brought.

    Each visitor belongs to the channel of their first session
    (:func:`helpers.traffic.first_touch`). Their leads are the CRM rows with their
    ``visitor_id``; offline leads (no visitor id) cannot be followed from a visit and are
    left out. So are the leads created by a purchase (:func:`helpers.lag.bought_at_creation`,
    when ``leads`` has ``became_customer_at``): they never passed MQL or SQL, and nobody is
    counted as having passed a stage they skipped. ``.skipped`` says how many.

    Parameters
    ----------
    sessions : DataFrame
        One row per visit: ``session_id``, ``visitor_id``, ``started_at``, ``channel`` and
        the columns :func:`helpers.bots.label` needs when ``remove_bots``.
    leads : DataFrame
        The CRM export: ``visitor_id``, ``created_at``, ``stage``.
    channel : str, default "all"
        A channel, or "all".
    remove_bots : bool, default True
        Drop bot sessions first, so bots are not counted as visitors. With False, they are:
        a classic mistake. Sessions are labelled with :func:`helpers.bots.label`, unless
        they already have an ``is_bot`` column (then that verdict is used as it is).
    window_only : bool, default True
        Keep only leads created in the traffic window (:func:`helpers.traffic.window`).
        With False, old contacts who visited again count as new leads: another classic
        mistake.

    Returns
    -------
    ChannelFunnel
        ``.table`` is :func:`helpers.leads.pipeline` with ``visitors=``: ``stage``
        (visitor, lead, mql, sql, customer), ``reached``, ``now_at``, ``disqualified``,
        ``rate``, ``rate_value``, ``low``, ``high``, ``overall``.

    Raises
    ------
    ValueError
        When no visitor came from ``channel``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3", "s4"],
    ...     "visitor_id": ["a", "b", "c", "d"], "channel": ["email", "email", "social", "email"],
    ...     "started_at": pd.to_datetime(["2025-02-03"] * 4, utc=True)})
    >>> crm = pd.DataFrame({"visitor_id": ["a", "b", "c"], "stage": ["customer", "lead", "mql"],
    ...     "created_at": pd.to_datetime(["2025-02-03 10:00", "2024-01-01 09:00", "2025-02-04 08:00"],
    ...                                 utc=True)})
    >>> found = channel_funnel(s, crm, "email", remove_bots=False)
    >>> found.headline
    '33.3% of email visitors became customers (1 of 3)'
    >>> found.table[["stage", "reached", "overall"]].round(3)
          stage  reached  overall
    0   visitor        3    1.000
    1      lead        1    0.333
    2       mql        1    0.333
    3       sql        1    0.333
    4  customer        1    0.333
    """
    func = "channel_funnel"
    need_table(func, "sessions", sessions, ("visitor_id", "started_at", "channel"))
    need_table(func, "leads", leads, ("visitor_id", "created_at", "stage"))
    need_times(func, "sessions", sessions, ["started_at"])
    need_times(func, "leads", leads, ["created_at"])
    if len(sessions) == 0:
        raise ValueError(f"{func}(): sessions is empty; pass the sessions of the traffic window.")
    window = traffic.window(sessions)
    visits = sessions
    if remove_bots:
        if "is_bot" in sessions.columns:
            flags = need_flags(func, sessions, "is_bot", "True for a bot session",
                               "Pass bots.label(sessions), or drop the column to label them here.")
        else:
            flags = bots.label(sessions)["is_bot"].to_numpy()  # a bool column
        visits = sessions[~flags]
    first = traffic.first_touch(visits)
    if channel != "all":
        mask = first["channel"].astype("string").eq(channel).fillna(False).to_numpy()
        if not mask.any():
            known = ", ".join(sorted(visits["channel"].dropna().astype(str).unique()))
            raise ValueError(
                f"{func}(): no visitors came from channel {channel!r}. Channels: {known}, "
                "or 'all'."
            )
        first = first[mask]
    mine = leads[leads["visitor_id"].isin(first["visitor_id"]).to_numpy()]
    if window_only:
        mine = mine[window.since_start(mine["created_at"]).to_numpy()]
    skipped = 0
    if "became_customer_at" in mine.columns:
        at_creation = lag.bought_at_creation(mine).to_numpy()  # a bool column
        skipped, mine = int(at_creation.sum()), mine[~at_creation]
    table = lead_tools.pipeline(mine, visitors=len(first))
    return ChannelFunnel(table, channel, remove_bots, window_only, skipped)


# --------------------------------------------------------------------------- lesson 06's leads


def scored_leads(sessions: pd.DataFrame, events: pd.DataFrame, crm: pd.DataFrame) -> pd.DataFrame:
    """Lesson 06's scored analysis set, in one call (the input of ``leads.score_threshold``).

    The steps lesson 06 shows cell by cell, with the default rules everywhere:

    1. ``bots.label(sessions)`` and :func:`helpers.traffic.bot_visitors`;
    2. ``leads.qualify(crm, bot_visitors=...)`` adds ``qualified`` and ``reasons``;
    3. ``is_customer``: the CRM stage is ``customer``;
    4. the analysis set (:func:`analysis_set`): leads created in the traffic window (older
       leads were settled before it), not spam, that did not start with a purchase
       (customers from the start);
    5. ``leads.score(..., events=events)`` adds the points and ``score``.

    Returns
    -------
    DataFrame
        One row per lead of the analysis set: the CRM columns plus ``qualified``, ``reasons``,
        ``is_customer``, ``fit_points``, ``engagement_points``, ``score``, ``score_reasons``.

    Examples
    --------
    >>> from helpers import data
    >>> ds = data.load_all()
    >>> scored = scored_leads(ds.sessions, ds.events, ds.leads)
    >>> bool(scored["lead_source"].ne("purchase").all())
    True
    >>> bool((scored["created_at"] >= ds.sessions["started_at"].min()).all())
    True
    """
    func = "scored_leads"
    need_table(func, "sessions", sessions, ("visitor_id", "started_at"))
    need_table(func, "crm", crm, ("created_at", "lead_source", "stage"))
    need_times(func, "sessions", sessions, ["started_at"])
    need_times(func, "crm", crm, ["created_at"])
    if len(sessions) == 0:
        raise ValueError(f"{func}(): sessions is empty; pass the sessions of the traffic window.")
    labelled = bots.label(sessions)
    qualified = lead_tools.qualify(crm, bot_visitors=traffic.bot_visitors(labelled))
    qualified = qualified.assign(is_customer=qualified["stage"].eq("customer").fillna(False))
    return lead_tools.score(analysis_set(qualified, sessions, labelled), events=events)


def analysis_set(crm: pd.DataFrame, sessions: pd.DataFrame,
                 labelled: pd.DataFrame | None = None) -> pd.DataFrame:
    """The leads whose outcome was open when they arrived: lesson 06's analysis set.

    The rows of ``crm`` (in their order, with all their columns) that
    :func:`helpers.traffic.window_leads` keeps as people whose purchase was still to come:
    created in the traffic window, not spam (created by a bot visitor), not created by a
    purchase (a customer from the start: nothing to predict).

    Examples
    --------
    >>> from helpers import data
    >>> ds = data.load_all()
    >>> scoped = analysis_set(ds.leads, ds.sessions)
    >>> bool(scoped["lead_source"].ne("purchase").all()), len(scoped) < len(ds.leads)
    (True, True)
    """
    need_table("analysis_set", "crm", crm, ("lead_id", "created_at", "visitor_id", "became_customer_at"))
    need_times("analysis_set", "crm", crm, ["created_at", "became_customer_at"])
    marked = traffic.window_leads(crm, sessions, labelled)
    keep = marked.loc[~marked["spam"] & ~marked["bought_at_creation"], "lead_id"]
    return crm[crm["lead_id"].isin(keep).to_numpy(dtype=bool)]
