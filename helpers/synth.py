"""Synthetic web traffic, events and CRM leads for Brewlark Coffee Co.

``generate(SynthConfig())`` builds the kit's data set in memory; ``write`` saves it as
CSV; ``python -m helpers.synth --out data`` does both (``make data``). Everything is
drawn from ``numpy.random.default_rng(seed)`` with vectorised operations (no Python loop
over sessions or events), so ``--scale 1000000`` makes a million sessions in seconds.

User agents are real strings only: browsers from the data file shipped with
``fake-useragent`` (pinned), bots from ``crawler-user-agents`` (pinned). See
``data/README.md`` for every column, the knobs and the realism bounds.

How the generator works
-----------------------
Ten groups make the traffic (``Group``): five human segments (stumbled, loyal customer and
the three potential-buyer personas) and five kinds of bot. ``SEGMENTS`` holds one frozen
``SegmentBehaviour`` per group: when it visits, through which channels, on which devices
and pages, how long it stays, how many pages it views and how often it converts. **To
change one segment's behaviour, edit its entry in ``SEGMENTS``**; ``ReturnVisits``
(``RETURN_VISITS``), ``BotMix`` (``BOT_MIX``) and ``STAGE_MIX`` hold the few settings that
are not per group. ``generate`` runs these steps, one small function each:

1. Sessions (``_draw_sessions``): ``_human_visitors`` (segment, return visits, device,
   country, browser, IP per visitor); ``_bot_session_count``, ``_monitor_schedule``,
   ``_bot_groups``, ``_bot_channels``; ``_start_times``; ``_sources``; one function per bot
   kind for user agents and addresses (``_crawler_agents``, ``_scraper_agents``,
   ``_headless_agents``, ``_monitor_agents``, ``_form_spam_agents``); ``_in_app_agents``.
2. What each visit does: ``_plan_conversions`` (form, social follow, cart, checkout,
   purchase), ``_pages_per_visit``, then the pages: ``_browse``, ``_shop_pages``,
   ``_form_pages``.
3. Events: ``_dwell_times``, ``_conversion_event_parts`` (``_order_values`` prices the
   purchases), ``_conversion_events``, ``_duplicate_some``.
4. The CRM (``_crm_leads``): ``_lead_rows`` (``_web_leads``, ``_spam_leads``,
   ``_loyal_leads``, ``_trade_show_leads``), ``_stages``, ``_customers``, then contact
   details: ``_lead_names``, ``_lead_companies``, ``_lead_emails``, ``_lead_phones``,
   ``_spam_contacts``.
5. ``_frames`` builds the typed frames, which ``helpers.data`` validates; ``write``
   formats the CSV files; ``main`` is the command line.

All draws come from one ``numpy.random.Generator`` in a fixed order, so a seed always gives
the same bytes. Any change to a table, to the order of the draws or to which rows draw
changes the files: run ``make data`` and commit the CSV files with the code
(``tests/test_synth.py`` compares a fresh run with ``data/`` byte for byte).

Examples
--------
>>> ds = generate(SynthConfig(visitors=300, days=7))
>>> sorted(ds.answer_key["segment"].unique().astype(str))
['bot', 'loyal_customer', 'potential_buyer', 'stumbled']
>>> (ds.sessions.groupby("session_id")["pageviews"].first()
...  == ds.events[ds.events.event_name == "page_view"].groupby("session_id").size()).all()
np.True_
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import IntEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from helpers.data import (
    CATEGORIES,
    SCHEMAS,
    Dataset,
    validate_answer_key,
    validate_events,
    validate_leads,
    validate_sessions,
)

__all__ = [
    "BOT_MIX",
    "CRAWLER_PATTERNS",
    "DISPOSABLE_DOMAINS",
    "PAGES",
    "RETURN_VISITS",
    "SEGMENTS",
    "STAGE_MIX",
    "BotMix",
    "FormRates",
    "Group",
    "PagesPerVisit",
    "Propensities",
    "ReturnVisits",
    "SegmentBehaviour",
    "SynthConfig",
    "crawler_ua_pool",
    "generate",
    "human_ua_pool",
    "in_app_ua_pool",
    "main",
    "write",
]

# ------------------------------------------------------------------------- the site
BLOG: dict[str, tuple[str, ...]] = {
    "brewing": ("/blog/pour-over-basics", "/blog/french-press-guide",
                "/blog/cold-brew-at-home", "/blog/aeropress-recipes"),
    "espresso": ("/blog/dialing-in-espresso", "/blog/milk-steaming-tips",
                 "/blog/choosing-a-grinder"),
    "beans": ("/blog/single-origin-vs-blend", "/blog/storing-coffee-beans",
              "/blog/roast-levels-explained"),
    "office": ("/blog/office-coffee-on-a-budget", "/blog/coffee-and-productivity",
               "/blog/office-machine-buying-guide"),
    "cafe": ("/blog/opening-a-cafe-checklist", "/blog/cafe-coffee-margins",
             "/blog/choosing-a-wholesale-roaster"),
}
PRODUCTS: dict[str, float] = {  # path -> price in EUR
    "/shop/house-blend": 12.50, "/shop/ethiopia-yirgacheffe": 16.00,
    "/shop/espresso-blend": 13.50, "/shop/decaf-colombia": 14.00,
    "/shop/burr-grinder": 149.00, "/shop/gooseneck-kettle": 59.00,
    "/shop/pour-over-kit": 39.00, "/shop/subscription": 29.00,
}
CORE = ("/", "/about", "/blog", "/newsletter", "/guide", "/contact", "/wholesale",
        "/pricing", "/shop", "/cart", "/checkout")
PAGES: tuple[str, ...] = (CORE + tuple(path for posts in BLOG.values() for path in posts)
                          + tuple(PRODUCTS))
"""Every page path of the site; events.page and sessions.landing_page use these."""
_PAGE_INDEX = {path: index for index, path in enumerate(PAGES)}
_BLOG_POSTS = tuple(path for posts in BLOG.values() for path in posts)
_BEAN_PAGES = ("/shop/house-blend", "/shop/ethiopia-yirgacheffe", "/shop/espresso-blend",
               "/shop/decaf-colombia")
_GEAR_PAGES = ("/shop/burr-grinder", "/shop/gooseneck-kettle", "/shop/pour-over-kit")
_ALL_BUT_CART = {path: 1.0 for path in PAGES if path not in ("/cart", "/checkout")}


def _page_weights(spec: Mapping[str, float]) -> np.ndarray:
    """Probability of each page in ``PAGES`` from a ``{key: weight}`` spec.

    A key is a page path, ``"blog:<topic>"`` (the posts of one ``BLOG`` topic), ``"blog*"``
    (every post), ``"beans"`` or ``"gear"`` (those product pages); a group's weight is
    shared equally by its pages.

    Examples
    --------
    >>> weights = _page_weights({"/": 1.0, "gear": 1.0})
    >>> round(float(weights[PAGES.index("/")]), 6), round(float(weights[PAGES.index("/shop/burr-grinder")]), 6)
    (0.5, 0.166667)
    """
    weights = np.zeros(len(PAGES))
    for key, weight in spec.items():
        if key.startswith("blog:"):
            members = BLOG[key[5:]]
        elif key == "blog*":
            members = _BLOG_POSTS
        elif key == "beans":
            members = _BEAN_PAGES
        elif key == "gear":
            members = _GEAR_PAGES
        else:
            members = (key,)
        for member in members:
            weights[_PAGE_INDEX[member]] += weight / len(members)
    return weights / weights.sum()


def _daily_profile(peaks: tuple[tuple[float, float, float], ...], floor: float) -> np.ndarray:
    """Probability of each UTC hour: a ``floor`` level plus Gaussian peaks on a 24 h circle.

    ``peaks`` are ``(hour, width in hours, weight)``.
    """
    hours = np.arange(24) + 0.5
    weights = np.full(24, floor)
    for centre, width, weight in peaks:
        distance = np.minimum(np.abs(hours - centre), 24 - np.abs(hours - centre))
        weights += weight * np.exp(-0.5 * (distance / width) ** 2)
    return weights / weights.sum()


# ---------------------------------------------------------------- who makes the traffic
class Group(IntEnum):
    """Who makes a session: five human segments, then five kinds of bot (a fixed order).

    The numbers index ``SEGMENTS`` and the generator's arrays; the answer key shows each
    group as a segment, a persona and a bot kind.
    """

    STUMBLED = 0
    LOYAL = 1
    HOME_BARISTA = 2
    OFFICE_MANAGER = 3
    CAFE_OWNER = 4
    CRAWLER = 5
    SCRAPER = 6
    HEADLESS = 7
    MONITOR = 8
    FORM_SPAM = 9


HUMAN_GROUPS: tuple[Group, ...] = (Group.STUMBLED, Group.LOYAL, Group.HOME_BARISTA,
                                   Group.OFFICE_MANAGER, Group.CAFE_OWNER)
BOT_GROUPS: tuple[Group, ...] = (Group.CRAWLER, Group.SCRAPER, Group.HEADLESS, Group.MONITOR,
                                 Group.FORM_SPAM)
_BUYER_GROUPS = (Group.HOME_BARISTA, Group.OFFICE_MANAGER, Group.CAFE_OWNER)
_BUSINESS_GROUPS = (Group.OFFICE_MANAGER, Group.CAFE_OWNER)
_NEW_CONTACT_GROUPS = (Group.STUMBLED, *_BUYER_GROUPS)  # humans whose forms make new leads
_EMAIL_CAMPAIGN = len(Group)  # an extra timing profile: visits from the newsletter e-mail

_CHANNELS = CATEGORIES["channel"]
_CHANNEL_INDEX = {channel: index for index, channel in enumerate(_CHANNELS)}
_DEVICES = CATEGORIES["device"]
_FORMS = ("newsletter_signup", "guide_download", "contact_form", "blog_comment")


@dataclass(frozen=True)
class PagesPerVisit:
    """How many pages one visit views (capped at 120).

    ``first + floor(tail_scale * L ** tail_power)``, with ``L`` lognormal(0, 1) (a heavy
    tail); plus ``Geometric(geometric_p)`` more pages for the visits whose uniform draw
    ``u`` is above ``geometric_above`` (-1: every visit); plus one page when
    ``u < one_more_below``.

    Examples
    --------
    >>> PagesPerVisit(first=8, tail_scale=9, tail_power=0.6).first
    8
    """

    first: int = 1
    tail_scale: float = 0.0
    tail_power: float = 1.0
    geometric_p: float | None = None
    geometric_above: float = -1.0
    one_more_below: float = 0.0


@dataclass(frozen=True)
class FormRates:
    """Probability that one visit sends each form (a visit sends one form at most).

    Multiplied by the matching ``Propensities`` knob; blog comments make no lead.
    """

    newsletter_signup: float = 0.0
    guide_download: float = 0.0
    contact_form: float = 0.0
    blog_comment: float = 0.0


@dataclass(frozen=True)
class SegmentBehaviour:
    """How one group of visitors behaves: one entry of ``SEGMENTS``.

    Parameters
    ----------
    segment, persona, bot_kind : str or None
        What the answer key says about the group's sessions.
    weekly : tuple of 7 floats
        Relative traffic Monday..Sunday (a slight upward trend is added over the window).
    daily_peaks, daily_floor
        Hour-of-day profile in UTC: ``(hour, width in hours, weight)`` peaks over a floor
        level (customers are in Central Europe, UTC+1 in February).
    landing_pages, browse_pages : dict
        Page weights (see ``_page_weights``) of the first page and of the others;
        ``browse_pages=None`` browses like it lands.
    dwell_median_s, dwell_sigma : float
        Seconds on one page: lognormal with this median and sigma of the log (max 1800).
    pages_per_visit : PagesPerVisit
        How many pages a visit views.
    forms : FormRates or None
        Form submissions per visit (None: the group never sends forms).
    visitor_share : float
        Humans: share of the human visitors in this segment.
    devices : tuple of 3 floats
        Humans: desktop, mobile, tablet mix (per visitor).
    channels : dict
        Humans: channel mix of the visits (``CATEGORIES["channel"]`` -> weight).
    products : dict
        Humans: page weights of the product they put in the cart.
    social_follow, add_to_cart, purchase_after_checkout : float
        Humans: probability per visit of a social follow and of adding to the cart, and of
        buying once at the checkout (62 % of carts reach it, ``_CHECKOUT_AFTER_CART``).
    share_of_bots : float or None
        Bots other than monitors: their share of the unscheduled bot sessions.
    """

    segment: str
    persona: str | None
    bot_kind: str | None
    weekly: tuple[float, ...]
    daily_peaks: tuple[tuple[float, float, float], ...]
    daily_floor: float
    landing_pages: Mapping[str, float]
    browse_pages: Mapping[str, float] | None
    dwell_median_s: float
    dwell_sigma: float
    pages_per_visit: PagesPerVisit
    forms: FormRates | None = None
    visitor_share: float = 0.0
    devices: tuple[float, float, float] | None = None
    channels: Mapping[str, float] | None = None
    products: Mapping[str, float] | None = None
    social_follow: float = 0.0
    add_to_cart: float = 0.0
    purchase_after_checkout: float = 0.0
    share_of_bots: float | None = None


_EVERY_DAY = (1.0,) * 7

# Every human segment reaches the site through every door, in different proportions: a stray
# click on an ad, a forwarded newsletter, a typed address, a brand search by a loyal customer.
SEGMENTS: Mapping[Group, SegmentBehaviour] = MappingProxyType({
    Group.STUMBLED: SegmentBehaviour(
        segment="stumbled", persona=None, bot_kind=None,
        weekly=(1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.9),
        daily_peaks=((12.0, 3.0, 0.8), (19.5, 2.5, 1.0)), daily_floor=0.06,
        landing_pages={"blog:brewing": 3, "blog:espresso": 2, "blog:beans": 2,
                       "blog:office": 1, "blog:cafe": 1, "/": 0.4, "beans": 0.5},
        browse_pages={"/blog": 1.5, "blog*": 3, "/": 1.5, "/shop": 0.8, "beans": 0.6,
                      "/about": 0.5, "/newsletter": 0.3},
        dwell_median_s=38.0, dwell_sigma=1.0,
        pages_per_visit=PagesPerVisit(first=1, geometric_p=0.55, geometric_above=0.78),
        forms=FormRates(0.025, 0.008, 0.001, 0.006),
        visitor_share=0.63, devices=(0.28, 0.68, 0.04),
        channels={"organic_search": 0.46, "social": 0.40, "referral": 0.05,
                  "paid_search": 0.04, "direct": 0.03, "email": 0.02},
        products={"beans": 2, "gear": 1},
        social_follow=0.015, add_to_cart=0.003, purchase_after_checkout=0.6),
    Group.LOYAL: SegmentBehaviour(
        segment="loyal_customer", persona=None, bot_kind=None,
        weekly=(1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1),
        daily_peaks=((7.0, 1.5, 0.5), (12.0, 2.0, 0.5), (19.5, 2.0, 1.0)), daily_floor=0.05,
        landing_pages={"/": 3.5, "/shop": 2.5, "beans": 1.5, "/shop/subscription": 1,
                       "gear": 0.3, "blog*": 1.2},
        browse_pages={"/shop": 3, "beans": 3, "/shop/subscription": 1.2, "gear": 1,
                      "blog*": 1.2, "/": 0.8, "/about": 0.2},
        dwell_median_s=30.0, dwell_sigma=0.9,
        pages_per_visit=PagesPerVisit(first=1, tail_scale=2.2, tail_power=0.7),
        forms=FormRates(0.006, 0.010, 0.008, 0.030),
        visitor_share=0.06, devices=(0.50, 0.44, 0.06),
        channels={"direct": 0.40, "email": 0.42, "organic_search": 0.10, "social": 0.03,
                  "paid_search": 0.03, "referral": 0.02},
        products={"beans": 6, "/shop/subscription": 2, "gear": 1},
        social_follow=0.025, add_to_cart=0.14, purchase_after_checkout=0.88),
    Group.HOME_BARISTA: SegmentBehaviour(
        segment="potential_buyer", persona="home_barista", bot_kind=None,
        weekly=(0.75, 0.75, 0.8, 0.8, 0.95, 1.45, 1.5),
        daily_peaks=((19.5, 1.8, 1.0), (6.5, 1.2, 0.3), (12.5, 1.5, 0.2)), daily_floor=0.03,
        landing_pages={"blog:brewing": 2.2, "blog:espresso": 2.2, "blog:beans": 1.2,
                       "gear": 1.2, "beans": 0.8, "/": 1.0, "/guide": 0.8, "/shop": 0.7,
                       "blog:office": 0.2, "blog:cafe": 0.2},
        browse_pages={"blog:brewing": 2.5, "blog:espresso": 2.5, "blog:beans": 1.5,
                      "/blog": 1.0, "gear": 2.2, "beans": 1.5, "/shop": 1.5,
                      "/guide": 0.6, "/newsletter": 0.5, "/": 0.5, "/about": 0.3,
                      "blog:office": 0.2, "blog:cafe": 0.2, "/pricing": 0.1},
        dwell_median_s=42.0, dwell_sigma=0.95,
        pages_per_visit=PagesPerVisit(first=1, tail_scale=2.8, tail_power=0.8),
        forms=FormRates(0.100, 0.075, 0.004, 0.035),
        visitor_share=0.16, devices=(0.27, 0.66, 0.07),
        channels={"social": 0.32, "organic_search": 0.40, "email": 0.10, "direct": 0.10,
                  "referral": 0.05, "paid_search": 0.03},
        products={"gear": 3, "beans": 3, "/shop/subscription": 0.7},
        social_follow=0.060, add_to_cart=0.060, purchase_after_checkout=0.72),
    Group.OFFICE_MANAGER: SegmentBehaviour(
        segment="potential_buyer", persona="office_manager", bot_kind=None,
        weekly=(1.25, 1.25, 1.2, 1.2, 1.0, 0.15, 0.1),
        daily_peaks=((9.0, 1.8, 1.0), (13.5, 1.8, 0.8)), daily_floor=0.01,
        landing_pages={"/pricing": 2.5, "blog:office": 2.5, "/": 2.0, "/wholesale": 1.0,
                       "/guide": 1.0, "blog:brewing": 0.5, "blog:cafe": 0.3, "/shop": 0.3},
        browse_pages={"/pricing": 3.0, "/wholesale": 1.5, "blog:office": 2.5,
                      "/contact": 1.0, "/about": 1.0, "/guide": 0.7, "/": 0.8,
                      "/shop/subscription": 0.6, "beans": 0.4, "blog:brewing": 0.4,
                      "/blog": 0.5, "/shop": 0.4, "blog:cafe": 0.2},
        dwell_median_s=48.0, dwell_sigma=0.9,
        pages_per_visit=PagesPerVisit(first=1, tail_scale=3.2, tail_power=0.75),
        forms=FormRates(0.030, 0.080, 0.090, 0.003),
        visitor_share=0.09, devices=(0.84, 0.13, 0.03),
        channels={"paid_search": 0.33, "organic_search": 0.34, "email": 0.15,
                  "direct": 0.13, "referral": 0.05},
        products={"/shop/subscription": 3, "beans": 2},
        social_follow=0.005, add_to_cart=0.010, purchase_after_checkout=0.7),
    Group.CAFE_OWNER: SegmentBehaviour(
        segment="potential_buyer", persona="cafe_owner", bot_kind=None,
        weekly=(1.35, 1.15, 1.0, 1.0, 0.9, 0.45, 0.6),
        daily_peaks=((6.0, 1.2, 0.8), (14.5, 1.5, 1.0), (20.5, 1.5, 0.4)), daily_floor=0.02,
        landing_pages={"blog:cafe": 3.5, "/wholesale": 2.5, "/": 2.0, "/about": 1.0,
                       "blog:beans": 1.0, "/pricing": 0.5, "blog:espresso": 0.5},
        browse_pages={"/wholesale": 3.0, "blog:cafe": 2.5, "/contact": 1.0,
                      "/pricing": 1.2, "/about": 1.2, "blog:beans": 1.2, "beans": 1.2,
                      "blog:espresso": 0.6, "/": 0.6, "/blog": 0.5, "/shop": 0.4,
                      "blog:office": 0.3},
        dwell_median_s=50.0, dwell_sigma=0.9,
        pages_per_visit=PagesPerVisit(first=1, tail_scale=3.2, tail_power=0.75),
        forms=FormRates(0.030, 0.040, 0.120, 0.010),
        visitor_share=0.06, devices=(0.52, 0.22, 0.26),
        channels={"referral": 0.36, "organic_search": 0.36, "direct": 0.12, "social": 0.08,
                  "email": 0.05, "paid_search": 0.03},
        products={"beans": 4, "/shop/subscription": 1},
        social_follow=0.025, add_to_cart=0.012, purchase_after_checkout=0.7),
    Group.CRAWLER: SegmentBehaviour(
        segment="bot", persona=None, bot_kind="crawler",
        weekly=_EVERY_DAY, daily_peaks=(), daily_floor=1.0,
        landing_pages=_ALL_BUT_CART | {"/": 6.0}, browse_pages=None,
        dwell_median_s=1.6, dwell_sigma=0.8,
        pages_per_visit=PagesPerVisit(first=0, geometric_p=0.55),
        share_of_bots=0.55),
    Group.SCRAPER: SegmentBehaviour(
        segment="bot", persona=None, bot_kind="scraper",
        weekly=_EVERY_DAY, daily_peaks=((2.0, 3.0, 1.0),), daily_floor=0.3,
        landing_pages={"/shop": 3, "beans": 2, "gear": 2, "blog*": 2, "/pricing": 1, "/": 1},
        browse_pages=None,
        dwell_median_s=0.35, dwell_sigma=0.5,
        pages_per_visit=PagesPerVisit(first=8, tail_scale=9, tail_power=0.6),
        share_of_bots=0.22),
    Group.HEADLESS: SegmentBehaviour(
        segment="bot", persona=None, bot_kind="headless",
        weekly=_EVERY_DAY, daily_peaks=((3.0, 4.0, 0.5),), daily_floor=0.5,
        landing_pages={"/": 3, "/pricing": 1, "/shop": 1, "blog*": 1},
        browse_pages=_ALL_BUT_CART,
        dwell_median_s=0.9, dwell_sigma=0.6,
        pages_per_visit=PagesPerVisit(first=2, tail_scale=5, tail_power=0.7),
        share_of_bots=0.13),
    Group.MONITOR: SegmentBehaviour(
        segment="bot", persona=None, bot_kind="monitor",
        weekly=_EVERY_DAY, daily_peaks=(), daily_floor=1.0,
        landing_pages={"/": 1.0}, browse_pages=None,
        dwell_median_s=0.25, dwell_sigma=0.3,
        pages_per_visit=PagesPerVisit(first=1)),
    Group.FORM_SPAM: SegmentBehaviour(
        segment="bot", persona=None, bot_kind="form_spam",
        weekly=_EVERY_DAY, daily_peaks=((1.0, 3.0, 1.0),), daily_floor=0.4,
        landing_pages={"/contact": 3, "/newsletter": 2, "blog*": 2},
        browse_pages={"/contact": 2, "/newsletter": 2, "/": 1},
        dwell_median_s=1.4, dwell_sigma=0.4,
        pages_per_visit=PagesPerVisit(first=1, one_more_below=0.3),
        forms=FormRates(0.45, 0.0, 0.45, 0.10),
        share_of_bots=0.10),
})
"""Behaviour of every group, by ``Group`` (read-only): edit one entry here to change one segment."""

# Visits from the newsletter e-mail: the newsletter goes out on Tuesday mornings.
_EMAIL_CAMPAIGN_WEEKLY = (0.5, 3.0, 1.4, 0.8, 0.6, 0.5, 0.5)
_EMAIL_CAMPAIGN_PEAKS = ((8.5, 1.2, 1.0), (12.5, 2.0, 0.4), (19.5, 2.0, 0.4))
_EMAIL_CAMPAIGN_FLOOR = 0.03
_EMAIL_LANDING_SHARE = 0.6  # of e-mail visits land on what the newsletter links to
_EMAIL_LANDING = {"beans": 2, "/shop/subscription": 1, "blog*": 1, "/shop": 1}
_PAID_LANDING_PRICING = 0.6  # paid-search visits land on /pricing, the others on /guide
_CHECKOUT_AFTER_CART = 0.62


@dataclass(frozen=True)
class ReturnVisits:
    """How often a human visitor comes back in a 28-day window (scaled to ``days``).

    Loyal customers return ``Poisson(loyal_mean)`` times; a stumbled visitor returns once
    with probability ``stumbled_chance``; potential buyers return ``Poisson(buyer_mean)``
    times.
    """

    loyal_mean: float = 3.0
    stumbled_chance: float = 0.08
    buyer_mean: float = 1.0


RETURN_VISITS = ReturnVisits()


@dataclass(frozen=True)
class BotMix:
    """How bot sessions are made, besides the per-kind entries of ``SEGMENTS``.

    Parameters
    ----------
    monitor_share : float
        About this share of the bot sessions are uptime monitors, on a fixed schedule.
    monitor_intervals : tuple of int
        Minutes between checks of a schedule: the first monitor uses the "nice" interval
        closest to the target, the others these multiples of it.
    direct_below, referral_below, organic_below : float
        Scrapers, headless browsers and form spam claim a channel by a uniform draw ``u``:
        direct when ``u`` is below the first, a fake referral below the second, organic
        search below the third, social otherwise. Crawlers and monitors are always direct.
    """

    monitor_share: float = 0.30
    nice_intervals: tuple[int, ...] = (1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1440)
    monitor_intervals: tuple[int, ...] = (1, 2, 2)
    direct_below: float = 0.75
    referral_below: float = 0.87
    organic_below: float = 0.97


BOT_MIX = BotMix()

_SOURCES = {
    "organic_search": (("google", "bing", "duckduckgo", "ecosia"), (0.84, 0.09, 0.05, 0.02)),
    "paid_search": (("google", "bing"), (0.85, 0.15)),
    "social": (("facebook", "instagram", "twitter", "linkedin"), (0.40, 0.36, 0.10, 0.14)),
    "email": (("newsletter",), (1.0,)),
    "referral": (("brewersforum.example", "cafestartup.example", "localbiz.example",
                  "coffeereviews.example"), (0.30, 0.30, 0.20, 0.20)),
    "direct": (("(direct)",), (1.0,)),
}
_BOT_REFERRER = "seo-offers.example"
_COUNTRIES = ("DE", "NL", "BE", "FR", "AT", "GB", "IE", "DK", "SE", "ES", "IT", "PL",
              "CH", "US")
_COUNTRY_HUMAN = np.array([0.29, 0.12, 0.07, 0.07, 0.07, 0.10, 0.02, 0.03, 0.03, 0.04, 0.03,
                           0.03, 0.04, 0.06])
_COUNTRY_HUMAN = _COUNTRY_HUMAN / _COUNTRY_HUMAN.sum()
_COUNTRY_BOT = np.array([0.10, 0.08, 0.02, 0.05, 0.01, 0.05, 0.08, 0.01, 0.02, 0.01, 0.01,
                         0.03, 0.01, 0.52])
_COUNTRY_BOT = _COUNTRY_BOT / _COUNTRY_BOT.sum()
_IPV6_SHARE = 0.42  # of human visitors
_IN_APP_SHARE = 0.55  # of mobile visits from facebook, instagram or twitter
_NO_AGENT_HUMANS = 0.002  # privacy tools that send no user agent
_MISSING_COUNTRY = 0.025  # geo lookup failed


def _per_group(attribute: str, groups=tuple(Group)) -> dict[int, object]:
    """``{group: SEGMENTS[group].<attribute>}`` for the groups that have one, in order."""
    values = {int(group): getattr(SEGMENTS[group], attribute) for group in groups}
    return {group: value for group, value in values.items() if value is not None}


# Derived tables, by group code, in ``Group`` order (the order of the draws).
_SEGMENT_OF = np.array([SEGMENTS[group].segment for group in Group], dtype=object)
_BOT_KIND_OF = np.array([SEGMENTS[group].bot_kind for group in Group], dtype=object)
_PERSONA_OF = np.array([SEGMENTS[group].persona for group in Group], dtype=object)
_WEEKLY = _per_group("weekly") | {_EMAIL_CAMPAIGN: _EMAIL_CAMPAIGN_WEEKLY}
_HOURLY = {int(group): _daily_profile(SEGMENTS[group].daily_peaks, SEGMENTS[group].daily_floor)
           for group in Group} | {
    _EMAIL_CAMPAIGN: _daily_profile(_EMAIL_CAMPAIGN_PEAKS, _EMAIL_CAMPAIGN_FLOOR)}
_LANDING = {group: _page_weights(spec) for group, spec in _per_group("landing_pages").items()}
_BROWSE = {int(group): _page_weights(SEGMENTS[group].browse_pages
                                     or SEGMENTS[group].landing_pages) for group in Group}
_PRODUCT = {group: _page_weights(spec) for group, spec in _per_group("products").items()}
_CHANNEL_MIX = {group: np.array([mix.get(channel, 0.0) for channel in _CHANNELS])
                for group, mix in _per_group("channels").items()}
_DEVICE_MIX = {group: np.array(mix) for group, mix in _per_group("devices").items()}

DISPOSABLE_DOMAINS: tuple[str, ...] = ("tempmail.example", "throwaway.example",
                                       "trashbox.example", "minutemail.example")
"""Disposable-looking e-mail domains used in leads.csv (all on the reserved .example TLD)."""

CRAWLER_PATTERNS: dict[str, float] = {
    "Googlebot\\/": 0.26, "Googlebot-Mobile": 0.06, "bingbot": 0.14,
    "Ahrefs(Bot|SiteAudit)": 0.12, "S[eE][mM]rushBot": 0.11, "yandex\\.com\\/bots": 0.06,
    "Applebot": 0.06, "GPTBot": 0.07, "facebookexternalhit": 0.05, "DuckDuckBot": 0.04,
    "LinkedInBot": 0.03,
}
"""Honest crawlers: ``pattern`` of crawler-user-agents entries -> share of crawler sessions."""
_MONITOR_PATTERNS = ("UptimeRobot", "[pP]ingdom")
_HEADLESS_PATTERNS = ("HeadlessChrome", "Puppeteer")
_IN_APP_BROWSERS = ("Facebook", "Instagram", "Twitter")
_IN_APP_SOURCES = (("facebook", "Facebook"), ("instagram", "Instagram"), ("twitter", "Twitter"))


# -------------------------------------------------------------------------- config
@dataclass(frozen=True)
class Propensities:
    """Multipliers on the default conversion probabilities (1.0 = the kit's default).

    Examples
    --------
    >>> Propensities(guide_download=2.0).guide_download
    2.0
    """

    newsletter_signup: float = 1.0
    guide_download: float = 1.0
    contact_form: float = 1.0
    blog_comment: float = 1.0
    social_follow: float = 1.0
    add_to_cart: float = 1.0
    purchase: float = 1.0


_EARLIEST_START = pd.Timestamp("1980-01-01")  # loyal customers' leads are up to 900 days older
_LATEST_END = pd.Timestamp("2200-01-01")  # sales follow up to 45 days later; pandas ends in 2262
_MAX_DAYS = 3660


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator; the defaults make the committed ``data/`` files.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``: a whole number, 0 or more.
    start : str
        First day of the traffic window (UTC date, ``YYYY-MM-DD``), from 1980 on.
    days : int
        Length of the window in days, 1 to 3660; the window ends before 2200.
    visitors : int
        Human visitors (browsers), at least 10; bots come on top, see ``bot_share``.
    bot_share : float
        Share of all sessions that are bots, between 0 and 0.9.
    propensities : Propensities
        Multipliers on conversion probabilities.
    trade_show_leads : int or None
        Offline leads from the trade show; default scales with ``visitors`` (120 per 12,000).
    duplicate_events : int
        How many conversion events are recorded twice (exact duplicate rows).

    Examples
    --------
    >>> SynthConfig().days
    28
    >>> SynthConfig(bot_share=1.5)
    Traceback (most recent call last):
    ...
    ValueError: SynthConfig(): bot_share must be between 0 and 0.9, got 1.5.
    """

    seed: int = 2025
    start: str = "2025-02-03"
    days: int = 28
    visitors: int = 12_000
    bot_share: float = 0.22
    propensities: Propensities = field(default_factory=Propensities)
    trade_show_leads: int | None = None
    duplicate_events: int = 6

    def __post_init__(self) -> None:
        if not 0 <= self.bot_share <= 0.9:
            raise ValueError(
                f"SynthConfig(): bot_share must be between 0 and 0.9, got {self.bot_share}.")
        if self.days < 1:
            raise ValueError(f"SynthConfig(): days must be at least 1, got {self.days}.")
        if self.days > _MAX_DAYS:
            raise ValueError(
                f"SynthConfig(): days must be at most {_MAX_DAYS} (ten years), got {self.days}.")
        if self.visitors < 10:
            raise ValueError(f"SynthConfig(): visitors must be at least 10, got {self.visitors}.")
        if (isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer))
                or self.seed < 0):
            raise ValueError(
                f"SynthConfig(): seed must be a whole number, 0 or more, got {self.seed!r}.")
        self._check_start()

    def _check_start(self) -> None:
        """``start`` is a date, from 1980 on, and the window ends before 2200."""
        try:
            first_day = pd.Timestamp(self.start)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"SynthConfig(): start must be a date like '2025-02-03', got {self.start!r}."
            ) from exc
        if pd.isna(first_day):
            raise ValueError(
                f"SynthConfig(): start must be a date like '2025-02-03', got {self.start!r}.")
        first_day = first_day.tz_localize(None) if first_day.tzinfo else first_day
        if first_day < _EARLIEST_START or first_day + pd.Timedelta(days=self.days) > _LATEST_END:
            raise ValueError(
                f"SynthConfig(): the window must lie between {_EARLIEST_START.year} and "
                f"{_LATEST_END.year} (start {self.start!r}, {self.days} days); pick a start "
                "like '2025-02-03'.")


# ---------------------------------------------------------------- user agent pools
def _crawler_data() -> list[dict]:
    import crawleruseragents

    return crawleruseragents.CRAWLER_USER_AGENTS_DATA


@lru_cache(maxsize=1)
def _crawler_regex() -> re.Pattern:
    return re.compile("|".join(f"(?:{entry['pattern']})" for entry in _crawler_data()))


def _instances(pattern: str) -> tuple[str, ...]:
    for entry in _crawler_data():
        if entry["pattern"] == pattern:
            return tuple(sorted(set(entry.get("instances", []))))
    raise LookupError(
        f"synth: crawler-user-agents has no pattern {pattern!r}; the kit pins version "
        "1.67.0 (pip install crawler-user-agents==1.67.0)."
    )


@lru_cache(maxsize=1)
def crawler_ua_pool() -> dict[str, tuple[str, ...]]:
    """Real bot user agents taken from crawler-user-agents, by pattern.

    Returns
    -------
    dict
        ``pattern -> instances`` for the crawlers, monitors and headless browsers used.

    Examples
    --------
    >>> any("Googlebot" in ua for ua in crawler_ua_pool()["Googlebot\\\\/"])
    True
    """
    patterns = tuple(CRAWLER_PATTERNS) + _MONITOR_PATTERNS + _HEADLESS_PATTERNS
    return {pattern: _instances(pattern) for pattern in patterns}


@lru_cache(maxsize=1)
def _browser_rows() -> tuple[dict, ...]:
    try:
        text = (resources.files("fake_useragent") / "data" / "browsers.jsonl").read_text(
            encoding="utf-8")
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            "synth: generating data needs fake-useragent==2.2.0 (pip install "
            "'fake-useragent==2.2.0', or `make setup`)."
        ) from exc
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


_BROWSER_POOL_SIZES = {"desktop": 150, "mobile": 150, "tablet": 40}


@lru_cache(maxsize=1)
def human_ua_pool() -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
    """Real browser user agents from fake-useragent's data file, by device type.

    A fixed, deterministic subset: per type the most common strings (by the file's
    ``percent``; ties by string), excluding in-app browsers and any string that a
    crawler-user-agents pattern matches. Returns ``type -> (strings, weights)``.

    Examples
    --------
    >>> pool = human_ua_pool()
    >>> sorted(pool)
    ['desktop', 'mobile', 'tablet']
    >>> len(pool["desktop"][0]) <= 150
    True
    """
    crawler = _crawler_regex()
    percent: dict[tuple[str, str], float] = {}
    for row in _browser_rows():
        if row["browser"] not in _IN_APP_BROWSERS:
            key = (row["type"], row["useragent"])
            percent[key] = percent.get(key, 0.0) + float(row["percent"])
    pool = {}
    for device, size in _BROWSER_POOL_SIZES.items():
        ranked = sorted((-weight, agent) for (kind, agent), weight in percent.items()
                        if kind == device)
        chosen = []
        for negative_weight, agent in ranked:  # the most common that no crawler pattern matches
            if len(chosen) == size:
                break
            if not crawler.search(agent):
                chosen.append((negative_weight, agent))
        weights = np.array([-negative_weight for negative_weight, _ in chosen])
        pool[device] = (tuple(agent for _, agent in chosen), weights / weights.sum())
    return pool


@lru_cache(maxsize=1)
def in_app_ua_pool() -> dict[str, tuple[str, ...]]:
    """Real in-app browser user agents (Facebook, Instagram, Twitter) from fake-useragent.

    Returns ``browser -> strings``. LinkedIn and TikTok in-app strings are not in either
    pinned package, so the kit does not use any (it never invents user agents).

    Examples
    --------
    >>> all("FBAN" in ua for ua in in_app_ua_pool()["Facebook"])
    True
    """
    crawler = _crawler_regex()
    agents: dict[str, set[str]] = {browser: set() for browser in _IN_APP_BROWSERS}
    for row in _browser_rows():
        if row["browser"] in agents:
            agents[row["browser"]].add(row["useragent"])
    return {browser: tuple(sorted(agent for agent in found if not crawler.search(agent)))
            for browser, found in agents.items()}


def _device_of(agent: str) -> str:
    """Device class a user agent string claims."""
    if "iPad" in agent or "Tablet" in agent:
        return "tablet"
    if "Mobile" in agent or "iPhone" in agent or "Android" in agent:
        return "mobile"
    return "desktop"


# ------------------------------------------------------------------ drawing helpers
def _draw_index(rng, size: int, weights) -> np.ndarray:
    """``size`` indices into ``weights`` (normalised here); no draw when ``size`` is 0."""
    weights = np.asarray(weights, dtype=float)
    if not size:
        return np.zeros(0, dtype=np.int64)
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def _draw_per_group(rng, groups: np.ndarray, table: Mapping[int, np.ndarray]) -> np.ndarray:
    """For each row, an index drawn from ``table[its group]`` (0 for groups not in it).

    The groups draw in the table's order, and a group with no rows draws nothing.
    """
    drawn = np.zeros(len(groups), dtype=np.int64)
    for group, weights in table.items():
        rows = np.flatnonzero(groups == group)
        if len(rows):
            weights = np.asarray(weights, dtype=float)
            drawn[rows] = rng.choice(len(weights), size=len(rows), p=weights / weights.sum())
    return drawn


def _ipv4_addresses(rng, size: int, block: int | None, low: int, high: int) -> np.ndarray:
    """IPv4 documentation addresses (RFC 5737): ``block`` 0-2, or None for any of them."""
    prefixes = np.array(["192.0.2.", "198.51.100.", "203.0.113."], dtype=object)
    blocks = rng.integers(0, 3, size=size) if block is None else np.full(size, block)
    return prefixes[blocks] + rng.integers(low, high + 1, size=size).astype(str).astype(object)


def _ipv6_addresses(rng, size: int) -> np.ndarray:
    """IPv6 documentation addresses (RFC 3849, ``2001:db8::/32``)."""
    hexes = np.array([f"{number:x}" for number in range(65536)], dtype=object)
    parts = rng.integers(0, 65536, size=(size, 4))
    return ("2001:db8:" + hexes[parts[:, 0]] + ":" + hexes[parts[:, 1]] + "::"
            + hexes[parts[:, 2]] + ":" + hexes[parts[:, 3]])


def _browser_agents(rng, device: np.ndarray) -> np.ndarray:
    """A real browser user agent for each row, matching its device code."""
    pool = human_ua_pool()
    agents = np.empty(len(device), dtype=object)
    for code, kind in enumerate(_DEVICES):
        rows = np.flatnonzero(device == code)
        strings, weights = pool[kind]
        agents[rows] = np.array(strings, dtype=object)[
            rng.choice(len(strings), size=len(rows), p=weights)]
    return agents


# --------------------------------------------------------------------- sessions
@dataclass(frozen=True)
class _Sessions:
    """Every session's attributes as parallel arrays (codes index the category lists)."""

    group: np.ndarray
    visitor: np.ndarray
    started: np.ndarray  # seconds since the epoch
    channel: np.ndarray
    source: np.ndarray
    device: np.ndarray
    country: np.ndarray
    user_agent: np.ndarray
    ip: np.ndarray

    def reordered(self, order: np.ndarray) -> _Sessions:
        """The same sessions in another order."""
        return _Sessions(**{item.name: getattr(self, item.name)[order] for item in fields(self)})


@dataclass(frozen=True)
class _HumanVisitors:
    """Each human visitor's segment, visits in the window, device, country, browser, IP."""

    segment: np.ndarray
    visits: np.ndarray
    device: np.ndarray
    country: np.ndarray
    user_agent: np.ndarray
    ip: np.ndarray


def _return_visits(rng, segment: np.ndarray, window_share: float) -> np.ndarray:
    """Extra visits of each human visitor (``RETURN_VISITS``, scaled to the window)."""
    size = len(segment)
    return np.select(
        [segment == Group.LOYAL, segment == Group.STUMBLED],
        [rng.poisson(RETURN_VISITS.loyal_mean * window_share, size),
         (rng.random(size) < RETURN_VISITS.stumbled_chance * window_share).astype(np.int64)],
        rng.poisson(RETURN_VISITS.buyer_mean * window_share, size))


def _human_visitors(rng, config: SynthConfig) -> _HumanVisitors:
    """Draw the human visitors: segment by ``visitor_share``, then their fixed attributes."""
    size = config.visitors
    segment = rng.choice(np.array([int(group) for group in HUMAN_GROUPS]), size=size,
                         p=[SEGMENTS[group].visitor_share for group in HUMAN_GROUPS])
    visits = 1 + _return_visits(rng, segment, config.days / 28)
    device = _draw_per_group(rng, segment, _DEVICE_MIX)
    country = rng.choice(len(_COUNTRIES), size=size, p=_COUNTRY_HUMAN)
    user_agent = _browser_agents(rng, device)
    uses_ipv6 = rng.random(size) < _IPV6_SHARE
    ip = np.where(uses_ipv6, _ipv6_addresses(rng, size),
                  _ipv4_addresses(rng, size, block=None, low=1, high=199))
    return _HumanVisitors(segment, visits, device, country, user_agent, ip)


def _bot_session_count(human_sessions: int, bot_share: float) -> int:
    """Bot sessions that make ``bot_share`` of all sessions."""
    if bot_share <= 0:
        return 0
    return round(human_sessions * bot_share / (1 - bot_share))


def _monitor_schedule(rng, bots: int, days: int, start_second: int):
    """Uptime monitors' checks: ``(monitor number, start second)`` arrays.

    Three monitors, each on a fixed interval with a random phase and 0-2 s of jitter; the
    first interval is the ``BOT_MIX.nice_intervals`` value that makes about
    ``monitor_share`` of the bot sessions.
    """
    if not bots:
        return np.zeros(0, int), np.zeros(0, int)
    window_minutes = days * 1440
    budget = BOT_MIX.monitor_share * bots
    nice = np.array(BOT_MIX.nice_intervals)
    base = nice[np.argmin(np.abs(nice - 2 * window_minutes / max(budget, 1)))]
    numbers, times = [], []
    for monitor, multiple in enumerate(BOT_MIX.monitor_intervals):
        interval = multiple * base
        checks = np.arange(window_minutes // interval)
        phase = rng.integers(0, interval * 60)
        times.append(start_second + phase + checks * interval * 60
                     + rng.integers(0, 3, size=len(checks)))
        numbers.append(np.full(len(checks), monitor))
    return np.concatenate(numbers), np.concatenate(times)


def _bot_groups(rng, bots: int, monitor_checks: int) -> np.ndarray:
    """Group of each bot session: the unscheduled ones by ``share_of_bots``, then monitors."""
    shares = _per_group("share_of_bots", BOT_GROUPS)
    unscheduled = rng.choice(np.array(list(shares)), size=max(bots - monitor_checks, 0),
                             p=list(shares.values()))
    return np.concatenate([unscheduled, np.full(monitor_checks, int(Group.MONITOR))])


def _bot_channels(rng, bot_group: np.ndarray) -> np.ndarray:
    """Channel of each bot session: mostly direct; some fake a referrer (see ``BotMix``)."""
    claim = rng.random(len(bot_group))
    channel = np.select(
        [claim < BOT_MIX.direct_below, claim < BOT_MIX.referral_below,
         claim < BOT_MIX.organic_below],
        [_CHANNEL_INDEX["direct"], _CHANNEL_INDEX["referral"],
         _CHANNEL_INDEX["organic_search"]],
        _CHANNEL_INDEX["social"],
    ).astype(np.int64)
    channel[bot_group == Group.MONITOR] = _CHANNEL_INDEX["direct"]
    channel[bot_group == Group.CRAWLER] = _CHANNEL_INDEX["direct"]
    return channel


def _day_weights(start: pd.Timestamp, days: int, weekly) -> np.ndarray:
    """Probability of each day of the window: weekday weights times a slight upward trend."""
    weekday = (start.day_of_week + np.arange(days)) % 7
    trend = 1.0 + 0.08 * np.arange(days) / max(days - 1, 1)
    weights = np.asarray(weekly)[weekday] * trend
    return weights / weights.sum()


def _start_times(rng, profile: np.ndarray, start: pd.Timestamp, days: int) -> np.ndarray:
    """Start second (since the epoch) of sessions with timing ``profile`` (group codes)."""
    day = _draw_per_group(rng, profile, {group: _day_weights(start, days, weekly)
                                         for group, weekly in _WEEKLY.items()})
    hour = _draw_per_group(rng, profile, _HOURLY)
    second = rng.integers(0, 3600, size=len(profile))
    return int(start.timestamp()) + day * 86400 + hour * 3600 + second


def _sources(rng, channel: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Exact source within each channel; bots that fake a referral come from one spam site."""
    source = np.empty(len(channel), dtype=object)
    for name, (options, weights) in _SOURCES.items():
        rows = np.flatnonzero(channel == _CHANNEL_INDEX[name])
        source[rows] = np.array(options, dtype=object)[_draw_index(rng, len(rows), weights)]
    source[(channel == _CHANNEL_INDEX["referral"]) & (group >= Group.CRAWLER)] = _BOT_REFERRER
    return source


# ----------------------------------------------------------- bots' agents, by kind
def _crawler_agents(rng, size: int):
    """Honest crawlers: a ``CRAWLER_PATTERNS`` string each, five addresses per crawler."""
    pools = crawler_ua_pool()
    patterns = list(CRAWLER_PATTERNS)
    which = _draw_index(rng, size, list(CRAWLER_PATTERNS.values()))
    pick = rng.random(size)
    agents = np.empty(size, dtype=object)
    addresses = np.empty(size, dtype=object)
    for number, pattern in enumerate(patterns):
        rows = np.flatnonzero(which == number)
        instances = np.array(pools[pattern], dtype=object)
        agents[rows] = instances[(pick[rows] * len(instances)).astype(int)]
        addresses[rows] = _ipv4_addresses(rng, len(rows), block=0, low=10 + 10 * number,
                                          high=14 + 10 * number)
    return agents, addresses


def _scraper_agents(rng, size: int):
    """Scrapers fake a browser (mostly desktop); 8 % send no user agent at all."""
    device = np.where(rng.random(size) < 0.8, 0, 1)
    agents = _browser_agents(rng, device)
    agents[rng.random(size) < 0.08] = None
    return agents, _ipv4_addresses(rng, size, block=2, low=200, high=211)


def _headless_agents(rng, size: int):
    """Headless browsers: 40 % admit it (HeadlessChrome / Puppeteer), the rest fake Chrome."""
    pools = crawler_ua_pool()
    honest = np.array(pools["HeadlessChrome"] + pools["Puppeteer"], dtype=object)
    agents = _browser_agents(rng, np.zeros(size, dtype=np.int64))
    admits = rng.random(size) < 0.4
    agents[admits] = honest[rng.integers(0, len(honest), size=admits.sum())]
    return agents, _ipv4_addresses(rng, size, block=1, low=240, high=247)


_PINGDOM = "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)"
_MONITOR_ADDRESSES = ("192.0.2.250", "192.0.2.251", "198.51.100.77")
_MONITOR_COUNTRIES = ("US", "SE", "DE")


def _monitor_agents(monitor: np.ndarray):
    """UptimeRobot, Pingdom and a sneaky one with a browser user agent (no draws).

    Returns user agents, addresses and country codes for monitor numbers 0-2.
    """
    pools = crawler_ua_pool()
    pingdom = _PINGDOM if _PINGDOM in pools["[pP]ingdom"] else pools["[pP]ingdom"][0]
    sneaky = human_ua_pool()["desktop"][0][0]
    agents = np.array([pools["UptimeRobot"][0], pingdom, sneaky], dtype=object)
    countries = np.array([_COUNTRIES.index(code) for code in _MONITOR_COUNTRIES])
    return (agents[monitor], np.array(_MONITOR_ADDRESSES, dtype=object)[monitor],
            countries[monitor])


def _form_spam_agents(rng, size: int):
    """Form spam: fake browsers (70 % desktop) from a handful of addresses."""
    agents = _browser_agents(rng, np.where(rng.random(size) < 0.7, 0, 1))
    return agents, _ipv4_addresses(rng, size, block=None, low=230, high=236)


def _in_app_agents(rng, user_agent: np.ndarray, source: np.ndarray, device: np.ndarray):
    """Mobile visits from social networks often come through the app's own browser."""
    agents = user_agent.copy()
    in_app = in_app_ua_pool()
    mobile = _DEVICES.index("mobile")
    for network, browser in _IN_APP_SOURCES:
        rows = np.flatnonzero((source == network) & (device == mobile)
                              & (rng.random(len(source)) < _IN_APP_SHARE))
        options = np.array(in_app[browser], dtype=object)
        if len(options) and len(rows):
            agents[rows] = options[rng.integers(0, len(options), size=len(rows))]
    return agents


def _devices_of_agents(agents: np.ndarray) -> np.ndarray:
    """Device code each user agent claims (on the distinct strings; empty = desktop)."""
    strings, inverse = np.unique(np.where(agents == None, "", agents).astype(str),  # noqa: E711
                                 return_inverse=True)
    codes = np.array([_DEVICES.index(_device_of(agent)) for agent in strings], dtype=np.int64)
    return codes[inverse]


def _bot_agents(rng, bot_group: np.ndarray, monitor: np.ndarray, country: np.ndarray):
    """User agents, addresses and countries of the bot sessions, one kind at a time."""
    agents = np.empty(len(bot_group), dtype=object)
    addresses = np.empty(len(bot_group), dtype=object)
    country = country.copy()
    for kind, make in ((Group.CRAWLER, _crawler_agents), (Group.SCRAPER, _scraper_agents),
                       (Group.HEADLESS, _headless_agents)):
        rows = np.flatnonzero(bot_group == kind)
        agents[rows], addresses[rows] = make(rng, len(rows))
    rows = np.flatnonzero(bot_group == Group.MONITOR)
    agents[rows], addresses[rows], country[rows] = _monitor_agents(monitor)
    rows = np.flatnonzero(bot_group == Group.FORM_SPAM)
    agents[rows], addresses[rows] = _form_spam_agents(rng, len(rows))
    return agents, addresses, country


def _draw_sessions(rng, config: SynthConfig, start: pd.Timestamp) -> _Sessions:
    """Every session, humans first, then bots (not yet in time order)."""
    humans = _human_visitors(rng, config)
    visitor = np.repeat(np.arange(config.visitors), humans.visits)
    human_group = humans.segment[visitor]
    human_channel = _draw_per_group(rng, human_group, _CHANNEL_MIX)
    human_count = len(visitor)

    bots = _bot_session_count(human_count, config.bot_share)
    monitor, monitor_time = _monitor_schedule(rng, bots, config.days, int(start.timestamp()))
    bot_group = _bot_groups(rng, bots, len(monitor))
    bot_count = len(bot_group)
    group = np.concatenate([human_group, bot_group])
    channel = np.concatenate([human_channel, _bot_channels(rng, bot_group)])

    timing = group.copy()
    timing[:human_count][human_channel == _CHANNEL_INDEX["email"]] = _EMAIL_CAMPAIGN
    started = _start_times(rng, timing, start, config.days)
    started[len(group) - len(monitor_time):] = monitor_time
    source = _sources(rng, channel, group)

    bot_country = rng.choice(len(_COUNTRIES), size=bot_count, p=_COUNTRY_BOT)
    bot_agent, bot_ip, bot_country = _bot_agents(rng, bot_group, monitor, bot_country)
    device = np.concatenate([humans.device[visitor], np.zeros(bot_count, dtype=np.int64)])
    agent = np.concatenate([humans.user_agent[visitor], bot_agent])
    agent = _in_app_agents(rng, agent, source, device)
    private = (group < Group.CRAWLER) & (rng.random(len(group)) < _NO_AGENT_HUMANS)
    agent[private] = None
    device[human_count:] = _devices_of_agents(agent[human_count:])
    return _Sessions(
        group=group, visitor=np.concatenate([visitor, config.visitors + np.arange(bot_count)]),
        started=started, channel=channel, source=source, device=device,
        country=np.concatenate([humans.country[visitor], bot_country]), user_agent=agent,
        ip=np.concatenate([humans.ip[visitor], bot_ip]))


# -------------------------------------------------------------- what visits do
@dataclass(frozen=True)
class _Conversions:
    """What each session does: a form (-1 none, else index into ``_FORMS``), the shop."""

    form: np.ndarray
    social: np.ndarray
    cart: np.ndarray
    checkout: np.ndarray
    purchase: np.ndarray

    @property
    def funnel_pages(self) -> np.ndarray:
        """Shop pages at the end of each visit: product + cart (2), + checkout (3), or 0."""
        return np.where(self.checkout, 3, np.where(self.cart, 2, 0))


def _form_table(propensities: Propensities) -> dict[int, np.ndarray]:
    """Per group with forms: probabilities of no form, then of each of ``_FORMS``."""
    table = {}
    for group, rates in _per_group("forms").items():
        base = tuple(getattr(rates, name) for name in _FORMS)
        table[group] = np.array([1 - sum(base)] + [
            rate * getattr(propensities, name) for rate, name in zip(base, _FORMS, strict=True)])
        table[group][0] = max(1 - table[group][1:].sum(), 0.0)
    return table


def _plan_conversions(rng, group: np.ndarray, propensities: Propensities) -> _Conversions:
    """Draw each session's form, social follow and shop funnel from ``SEGMENTS``."""
    form = _draw_per_group(rng, group, _form_table(propensities)) - 1
    social = np.zeros(len(group), dtype=bool)
    cart = np.zeros(len(group), dtype=bool)
    social_draw, cart_draw, checkout_draw, purchase_draw = rng.random((4, len(group)))
    for segment in HUMAN_GROUPS:
        behaviour = SEGMENTS[segment]
        rows = group == segment
        social |= rows & (social_draw < behaviour.social_follow * propensities.social_follow)
        cart |= rows & (cart_draw < behaviour.add_to_cart * propensities.add_to_cart)
    checkout = cart & (checkout_draw < _CHECKOUT_AFTER_CART)
    buys = np.array([SEGMENTS[member].purchase_after_checkout for member in Group])
    purchase = checkout & (purchase_draw < np.minimum(buys[group] * propensities.purchase, 1.0))
    return _Conversions(form, social, cart, checkout, purchase)


def _pages_per_visit(rng, group: np.ndarray) -> np.ndarray:
    """Page views of each session, from each group's ``PagesPerVisit`` (max 120)."""
    size = len(group)
    uniform = rng.random(size)
    tail = rng.lognormal(0.0, 1.0, size)
    pages = np.ones(size, dtype=np.int64)
    for member in Group:
        model = SEGMENTS[member].pages_per_visit
        count = model.first + np.floor(model.tail_scale * tail ** model.tail_power)
        if model.geometric_p is not None:
            count = count + (uniform > model.geometric_above) * rng.geometric(
                model.geometric_p, size)
        count = count + (uniform < model.one_more_below)
        pages = np.where(group == member, count, pages)
    return np.minimum(pages, 120).astype(np.int64)


@dataclass(frozen=True)
class _Visits:
    """Page views: the session of each (``session``), the first and one-past-last view of
    each session (``first``, ``end``) and each view's page code."""

    session: np.ndarray
    first: np.ndarray
    end: np.ndarray
    page: np.ndarray


def _browse(rng, sessions: _Sessions, pageviews: np.ndarray) -> _Visits:
    """Landing and browsing pages by group; e-mail and paid-search visits land on campaigns."""
    first = np.cumsum(pageviews) - pageviews
    session = np.repeat(np.arange(len(pageviews)), pageviews)
    page = _draw_per_group(rng, sessions.group[session], _BROWSE)
    page[first] = _draw_per_group(rng, sessions.group, _LANDING)
    from_email = np.flatnonzero((sessions.channel == _CHANNEL_INDEX["email"])
                                & (rng.random(len(pageviews)) < _EMAIL_LANDING_SHARE))
    page[first[from_email]] = _draw_per_group(rng, sessions.group[from_email], {
        int(group): _page_weights(_EMAIL_LANDING) for group in HUMAN_GROUPS})
    paid = np.flatnonzero(sessions.channel == _CHANNEL_INDEX["paid_search"])
    page[first[paid]] = np.where(rng.random(len(paid)) < _PAID_LANDING_PRICING,
                                 _PAGE_INDEX["/pricing"], _PAGE_INDEX["/guide"])
    return _Visits(session, first, first + pageviews, page)


def _shop_pages(rng, visits: _Visits, group: np.ndarray, funnel: np.ndarray) -> None:
    """A visit that shops ends on a product, the cart and maybe the checkout (in place)."""
    shoppers = np.flatnonzero(funnel > 0)
    product_view = visits.end[shoppers] - funnel[shoppers]
    visits.page[product_view] = _draw_per_group(rng, group[shoppers], _PRODUCT)
    visits.page[product_view + 1] = _PAGE_INDEX["/cart"]
    buyers = np.flatnonzero(funnel == 3)
    visits.page[visits.end[buyers] - 1] = _PAGE_INDEX["/checkout"]


def _form_pages(rng, visits: _Visits, form_sessions: np.ndarray, form: np.ndarray,
                funnel: np.ndarray) -> np.ndarray:
    """Put each form on its page, just before any shop pages; returns the form's view."""
    view = visits.end[form_sessions] - 1 - funnel[form_sessions]
    blog_codes = np.array([_PAGE_INDEX[path] for path in _BLOG_POSTS])
    on_blog = np.isin(visits.page[view], blog_codes)
    any_post = blog_codes[rng.integers(0, len(blog_codes), size=len(form_sessions))]
    newsletter_page = np.where((rng.random(len(form_sessions)) < 0.55) | ~on_blog,
                               _PAGE_INDEX["/newsletter"], visits.page[view])
    visits.page[view] = np.select(
        [form == 0, form == 1, form == 2],
        [newsletter_page, np.full(len(form_sessions), _PAGE_INDEX["/guide"]),
         np.full(len(form_sessions), _PAGE_INDEX["/contact"])],
        np.where(on_blog, visits.page[view], any_post))  # blog comments stay on a post
    return view


@dataclass(frozen=True)
class _Timing:
    """Seconds: dwell on each page view, its offset in the session, visit durations, and
    how long each form took (``form_seconds``, for the form sessions)."""

    dwell: np.ndarray
    offset: np.ndarray
    duration: np.ndarray
    form_seconds: np.ndarray


def _dwell_times(rng, visits: _Visits, group: np.ndarray, form_view: np.ndarray,
                 form_group: np.ndarray, checkout_view: np.ndarray) -> _Timing:
    """Lognormal dwell per page by group; humans take 5-120 s on a form, spam under 3 s."""
    median = np.array([SEGMENTS[member].dwell_median_s for member in Group])
    sigma = np.array([SEGMENTS[member].dwell_sigma for member in Group])
    view_group = group[visits.session]
    dwell = np.minimum(median[view_group]
                       * np.exp(sigma[view_group] * rng.standard_normal(len(visits.page))),
                       1800.0)
    human_form = 4.0 + rng.lognormal(np.log(22.0), 0.6, len(form_view))
    spam_form = rng.uniform(0.3, 2.8, len(form_view))
    form_seconds = np.round(np.where(form_group == Group.FORM_SPAM, spam_form,
                                     np.minimum(human_form, 600.0)), 1)
    dwell[form_view] = np.maximum(dwell[form_view], form_seconds + 1.0)
    dwell[checkout_view] = np.maximum(dwell[checkout_view], 25.0)  # filling in the checkout
    before = np.cumsum(dwell) - dwell
    offset = before - before[visits.first][visits.session]
    duration = np.ceil(np.add.reduceat(dwell, visits.first) * 10) / 10
    return _Timing(dwell, offset, duration, form_seconds)


# ------------------------------------------------------------------------ events
_EVENT_NAMES = list(CATEGORIES["event_name"])
_ADD_ONS = np.array([12.5, 16.0, 13.5, 39.0])  # a bag of beans or a pour-over kit
_SHIPPING, _FREE_SHIPPING_FROM = 4.9, 40


def _order_values(rng, product: np.ndarray) -> np.ndarray:
    """Value of each order: price x quantity (beans: 1 + Poisson(0.7) bags), an add-on in
    30 % of orders, and shipping under 40 EUR."""
    price = np.array([PRODUCTS.get(path, 0.0) for path in PAGES])
    bean_codes = [_PAGE_INDEX[path] for path in _BEAN_PAGES]
    quantity = 1 + np.where(np.isin(product, bean_codes), rng.poisson(0.7, len(product)), 0)
    add_on = (rng.random(len(product)) < 0.3) * _ADD_ONS[
        rng.integers(0, len(_ADD_ONS), len(product))]
    goods = price[product] * quantity
    return np.round(goods + add_on + np.where(goods < _FREE_SHIPPING_FROM, _SHIPPING, 0), 2)


def _conversion_event_parts(rng, visits: _Visits, timing: _Timing, plan: _Conversions,
                            form_sessions: np.ndarray, form_view: np.ndarray) -> dict:
    """Conversion events by name, each ``(session, page view, offset s, event code, value)``:
    forms, social follows, add to cart, begin checkout, purchase (the order of the draws)."""
    funnel = plan.funnel_pages
    form_codes = np.array([_EVENT_NAMES.index(name) for name in _FORMS])
    blocks = {"forms": (form_sessions, form_view,
                        timing.offset[form_view] + timing.form_seconds,
                        form_codes[plan.form[form_sessions]],
                        np.full(len(form_sessions), np.nan))}
    followers = np.flatnonzero(plan.social)
    view = visits.first[followers] + (rng.random(len(followers))
                                      * (visits.end - visits.first)[followers]).astype(np.int64)
    moment = timing.dwell[view] * rng.uniform(0.2, 0.9, len(followers))
    blocks["social_follow"] = _event_block(followers, view, timing.offset[view] + moment,
                                           "social_follow")
    shoppers = np.flatnonzero(funnel > 0)
    view = visits.end[shoppers] - funnel[shoppers]
    blocks["add_to_cart"] = _event_block(shoppers, view,
                                         timing.offset[view] + 0.7 * timing.dwell[view],
                                         "add_to_cart")
    at_checkout = np.flatnonzero(funnel == 3)
    view = visits.end[at_checkout] - 1
    blocks["begin_checkout"] = _event_block(at_checkout, view,
                                            timing.offset[view] + 0.05 * timing.dwell[view],
                                            "begin_checkout")
    buyers = np.flatnonzero(plan.purchase)
    value = _order_values(rng, visits.page[visits.end[buyers] - 3])
    view = visits.end[buyers] - 1
    blocks["purchase"] = _event_block(buyers, view,
                                      timing.offset[view] + 0.95 * timing.dwell[view],
                                      "purchase", value)
    return blocks


def _event_block(sessions: np.ndarray, view: np.ndarray, offset: np.ndarray, name: str,
                 value: np.ndarray | None = None) -> tuple:
    """One event per session: ``(session, page view, offset, event code, value)``."""
    if value is None:
        value = np.full(len(sessions), np.nan)
    return sessions, view, offset, np.full(len(sessions), _EVENT_NAMES.index(name)), value


@dataclass(frozen=True)
class _Events:
    """The events table as arrays: session index, second, event code, page code, value,
    event number (duplicates share their number)."""

    session: np.ndarray
    second: np.ndarray
    name: np.ndarray
    page: np.ndarray
    value: np.ndarray
    number: np.ndarray


def _conversion_events(started: np.ndarray, visits: _Visits, timing: _Timing,
                       blocks) -> _Events:
    """Page views plus conversion events, in order of session, time and event code."""
    columns = [np.concatenate(parts) for parts in zip(*blocks.values(), strict=True)]
    session, view, offset, name, value = columns
    session = np.concatenate([visits.session, session])
    offset = np.concatenate([timing.offset, offset])
    name = np.concatenate([np.zeros(len(visits.page), dtype=np.int64), name.astype(np.int64)])
    page = np.concatenate([visits.page, visits.page[view]])
    value = np.concatenate([np.full(len(visits.page), np.nan), value])
    order = np.lexsort((name, offset, session))
    session, offset, name, page, value = (column[order] for column in
                                          (session, offset, name, page, value))
    second = started[session] + np.floor(offset).astype(np.int64)
    return _Events(session, second, name, page, value, np.arange(1, len(session) + 1))


def _duplicate_some(rng, events: _Events, how_many: int) -> _Events:
    """Record ``how_many`` purchase or newsletter events twice (identical rows, same id)."""
    candidates = np.flatnonzero(np.isin(events.name, [_EVENT_NAMES.index("purchase"),
                                                      _EVENT_NAMES.index("newsletter_signup")]))
    if not how_many or not len(candidates):
        return events
    twice = np.sort(rng.choice(candidates, size=min(how_many, len(candidates)), replace=False))
    keep = np.sort(np.concatenate([np.arange(len(events.session)), twice]), kind="stable")
    return _Events(**{item.name: getattr(events, item.name)[keep] for item in fields(events)})


# -------------------------------------------------------------------- generation
def _in_time_order(rng, sessions: _Sessions) -> _Sessions:
    """Sessions sorted by start time (ties in random order)."""
    return sessions.reordered(np.lexsort((rng.random(len(sessions.group)), sessions.started)))


def _visitor_numbers(sessions: _Sessions) -> tuple[np.ndarray, np.ndarray]:
    """Visitor numbers in order of first visit, and whether each session is a return."""
    _, first_visit, inverse = np.unique(sessions.visitor, return_index=True,
                                        return_inverse=True)
    rank = np.empty(len(first_visit), dtype=np.int64)
    rank[np.argsort(first_visit, kind="stable")] = np.arange(len(first_visit))
    is_first = np.zeros(len(sessions.group), dtype=bool)
    is_first[first_visit] = True
    return rank[inverse], ~is_first | (sessions.group == Group.LOYAL)


def generate(config: SynthConfig | None = None) -> Dataset:
    """Generate sessions, events, leads and the answer key for one configuration.

    Parameters
    ----------
    config : SynthConfig, optional
        The knobs; default ``SynthConfig()`` (the committed data).

    Returns
    -------
    Dataset
        Typed frames, exactly as ``helpers.data.load_all`` returns them.

    Examples
    --------
    >>> ds = generate(SynthConfig(visitors=200, days=7, seed=1))
    >>> ds.sessions.columns[:3].tolist()
    ['session_id', 'visitor_id', 'started_at']
    """
    config = config or SynthConfig()
    rng = np.random.default_rng(config.seed)
    start = pd.Timestamp(config.start, tz="UTC").normalize()
    sessions = _in_time_order(rng, _draw_sessions(rng, config, start))
    visitor, is_returning = _visitor_numbers(sessions)
    plan = _plan_conversions(rng, sessions.group, config.propensities)
    funnel = plan.funnel_pages
    pageviews = np.maximum(_pages_per_visit(rng, sessions.group), funnel + (plan.form >= 0))
    visits = _browse(rng, sessions, pageviews)
    _shop_pages(rng, visits, sessions.group, funnel)
    form_sessions = np.flatnonzero(plan.form >= 0)
    form_view = _form_pages(rng, visits, form_sessions, plan.form[form_sessions], funnel)
    timing = _dwell_times(rng, visits, sessions.group, form_view, sessions.group[form_sessions],
                          visits.end[np.flatnonzero(funnel == 3)] - 1)
    blocks = _conversion_event_parts(rng, visits, timing, plan, form_sessions, form_view)
    events = _duplicate_some(rng, _conversion_events(sessions.started, visits, timing, blocks),
                             config.duplicate_events)
    lead_events = _LeadEvents(
        form_session=form_sessions, form_type=plan.form[form_sessions],
        form_second=sessions.started[form_sessions] + np.floor(
            timing.offset[form_view] + timing.form_seconds),
        purchase_session=blocks["purchase"][0], purchase_value=blocks["purchase"][4])
    leads = _crm_leads(rng, config, start, sessions, visitor, lead_events)
    form_seconds = np.full(len(pageviews), np.nan)
    form_seconds[form_sessions] = timing.form_seconds
    facts = _SessionFacts(visitor=visitor, is_returning=is_returning,
                          landing_page=visits.page[visits.first], duration=timing.duration,
                          pageviews=pageviews, form_seconds=form_seconds)
    return _frames(rng, sessions, facts, events, leads)


# ------------------------------------------------------------------------- leads
_FIRST_NAMES = ("Anna", "Lukas", "Sofia", "Jonas", "Emma", "Noah", "Mia", "Elias", "Lea",
                "Finn", "Marta", "Pieter", "Chloe", "Hugo", "Ines", "Mateo", "Julia", "Oskar",
                "Nora", "Felix", "Lena", "Tomas", "Sara", "Milan", "Alice", "Jan", "Clara",
                "Leon", "Eva", "Ruben", "Hanna", "David", "Lina", "Max", "Zoe", "Karim",
                "Amira", "Yusuf", "Priya", "Arjun")
_LAST_NAMES = ("Novak", "Jansen", "Muller", "Rossi", "Dubois", "Berg", "Kowalski", "Larsen",
               "Garcia", "Peeters", "Schmidt", "Visser", "Moreau", "Lindqvist", "Horvat",
               "Keller", "Brennan", "Costa", "Hofer", "Nowak", "Fischer", "Bakker", "Lambert",
               "Nilsson", "Romano", "Weber", "Smit", "Martin", "Andersen", "Ferrari", "Wagner",
               "Mertens", "Laurent", "Svensson", "Kaya", "Okafor", "Haddad", "Sharma",
               "Tanaka", "Olsen")
_FIRST, _LAST = _FIRST_NAMES, _LAST_NAMES  # the names tests/test_data.py checks against
_COMPANY_ADJECTIVES = ("Bright", "Northern", "Blue", "Quiet", "Copper", "Linden", "Harbor",
                       "Summit", "Maple", "Silver", "Golden", "Little", "Green", "Oak",
                       "Riverside", "Cedar")
_COMPANY_NOUNS = ("Ledger", "Pixel", "Anchor", "Orchard", "Beacon", "Falcon", "Meadow",
                  "Bridge", "Lantern", "Compass", "Harvest", "Atlas", "Willow", "Foundry",
                  "Sparrow", "Tide")
_OFFICE_INDUSTRIES = (("software", "Software", 0.30), ("agency", "Studio", 0.20),
                      ("legal", "Legal", 0.15), ("healthcare", "Clinic", 0.12),
                      ("finance", "Partners", 0.13), ("education", "Academy", 0.10))
_CAFE_SUFFIXES = ("Cafe", "Coffee House", "Espresso Bar", "Bakery", "Kitchen")
_SPAM_NAMES = ("SEO Services", "Crypto Deals", "Best Offer", "asdf qwer", "Test Test",
               "Web Design Pro")
_STAGES = CATEGORIES["stage"]
_CUSTOMER = _STAGES.index("customer")

# Lead origin: 0 a web form or purchase, 1 form spam, 2 a loyal customer's old lead, 3 trade show.
_WEB, _SPAM, _LOYAL, _TRADE_SHOW = range(4)
# Chance of each stage (lead, mql, sql, customer, disqualified), by kind of lead.
STAGE_MIX: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "home_barista_web": (0.57, 0.30, 0.03, 0.0, 0.10),
    "business_newsletter_or_guide": (0.30, 0.33, 0.17, 0.12, 0.08),
    "business_contact_form": (0.12, 0.22, 0.31, 0.27, 0.08),
    "stumbled": (0.62, 0.14, 0.02, 0.0, 0.22),
    "form_spam": (0.30, 0.0, 0.0, 0.0, 0.70),
    "loyal_customer": (0.0, 0.0, 0.0, 1.0, 0.0),
    "trade_show": (0.36, 0.28, 0.18, 0.12, 0.06),
})
_STAGE_CLASS = {name: number for number, name in enumerate(STAGE_MIX)}
_TRADE_SHOW_MIX = {Group.OFFICE_MANAGER: 0.55, Group.CAFE_OWNER: 0.38, Group.HOME_BARISTA: 0.07}
_LOYAL_FIRST_SOURCE = {"purchase": 0.55, "newsletter_signup": 0.25, "guide_download": 0.12,
                       "contact_form": 0.08}


@dataclass(frozen=True)
class _LeadEvents:
    """The web events that can make a lead: forms (with their second) and purchases."""

    form_session: np.ndarray
    form_type: np.ndarray
    form_second: np.ndarray
    purchase_session: np.ndarray
    purchase_value: np.ndarray


@dataclass(frozen=True)
class _LeadRows:
    """The CRM rows before contact details: origin, group, creation second, lead source,
    visitor number (-1 none) and country code."""

    origin: np.ndarray
    group: np.ndarray
    created: np.ndarray
    source: np.ndarray
    visitor: np.ndarray
    country: np.ndarray

    @property
    def business(self) -> np.ndarray:
        return np.isin(self.group, _BUSINESS_GROUPS)


def _web_leads(sessions: _Sessions, visitor: np.ndarray, events: _LeadEvents):
    """Each new human contact's first lead-making event (blog comments make no lead).

    Returns ``(session, second, source)`` arrays, one row per visitor.
    """
    lead_form = events.form_type < 3
    session = np.concatenate([events.form_session[lead_form], events.purchase_session])
    second = np.concatenate([events.form_second[lead_form],
                             sessions.started[events.purchase_session] + 60])
    source = np.concatenate([np.array(_FORMS[:3], dtype=object)[events.form_type[lead_form]],
                             np.full(len(events.purchase_session), "purchase", dtype=object)])
    human = np.isin(sessions.group[session], _NEW_CONTACT_GROUPS)
    session, second, source = session[human], second[human], source[human]
    order = np.lexsort((second, visitor[session]))
    session, second, source = session[order], second[order], source[order]
    _, first = np.unique(visitor[session], return_index=True)
    return session[first], second[first], source[first]


def _first_purchases(sessions: _Sessions, visitor: np.ndarray, events: _LeadEvents):
    """Each new human contact's first purchase: ``(visitor, second, value)`` by visitor."""
    bought = events.purchase_session
    session = bought[np.isin(sessions.group[bought], _NEW_CONTACT_GROUPS)]
    session = session[np.lexsort((sessions.started[session], visitor[session]))]
    buyers, first = np.unique(visitor[session], return_index=True)
    value_of_session = np.full(len(sessions.group), np.nan)
    value_of_session[bought] = events.purchase_value
    return (buyers, sessions.started[session[first]] + 60,
            value_of_session[session[first]])


def _spam_leads(sessions: _Sessions, events: _LeadEvents):
    """Every newsletter or contact form sent by form spam: ``(session, second, source)``."""
    spam = (events.form_type < 3) & (sessions.group[events.form_session] == Group.FORM_SPAM)
    source = np.where(events.form_type[spam] == 0, "newsletter_signup",
                      "contact_form").astype(object)
    return events.form_session[spam], events.form_second[spam], source


def _loyal_leads(rng, loyal_visitors: np.ndarray, start_second: int):
    """Loyal customers' old leads: created 30-900 days before the window, a customer some
    time after. Returns ``(created, became customer, source)``."""
    count = len(loyal_visitors)
    created = (start_second - rng.integers(30, 900, count) * 86400
               - rng.integers(0, 86400, count))
    became = created + ((start_second - created) * rng.uniform(0, 0.6, count)).astype(np.int64)
    source = np.array(list(_LOYAL_FIRST_SOURCE), dtype=object)[
        rng.choice(len(_LOYAL_FIRST_SOURCE), count, p=list(_LOYAL_FIRST_SOURCE.values()))]
    return created, became, source


def _trade_show_leads(rng, config: SynthConfig, start_second: int):
    """Offline leads from a two-day trade show in the second week, in office hours.

    Returns ``(created, group)``; the default count is 120 per 12,000 visitors.
    """
    count = (config.trade_show_leads if config.trade_show_leads is not None
             else round(120 * config.visitors / 12_000))
    show_day = min(9, config.days - 1)
    created = (start_second + (show_day + rng.integers(0, 2, count)) * 86400
               + rng.integers(8 * 3600, 17 * 3600, count))
    group = rng.choice(np.array([int(member) for member in _TRADE_SHOW_MIX]), count,
                       p=list(_TRADE_SHOW_MIX.values()))
    return created, group


def _lead_rows(rng, config: SynthConfig, start: pd.Timestamp, sessions: _Sessions,
               visitor: np.ndarray, events: _LeadEvents):
    """Every CRM row (web, spam, loyal, trade show) before stages and contact details.

    Returns the rows and the loyal customers' ``became customer`` seconds.
    """
    start_second = int(start.timestamp())
    web_session, web_second, web_source = _web_leads(sessions, visitor, events)
    spam_session, spam_second, spam_source = _spam_leads(sessions, events)
    loyal_visitors = np.unique(visitor[sessions.group == Group.LOYAL])
    loyal_created, loyal_became, loyal_source = _loyal_leads(rng, loyal_visitors, start_second)
    trade_created, trade_group = _trade_show_leads(rng, config, start_second)
    counts = (len(web_session), len(spam_session), len(loyal_visitors), len(trade_created))
    rows = _LeadRows(
        origin=np.concatenate([np.full(count, origin) for origin, count in
                               zip((_WEB, _SPAM, _LOYAL, _TRADE_SHOW), counts, strict=True)]
                              ).astype(np.int64),
        group=np.concatenate([sessions.group[web_session],
                              np.full(counts[1], int(Group.FORM_SPAM)),
                              np.full(counts[2], int(Group.LOYAL)), trade_group]),
        created=np.concatenate([web_second, spam_second, loyal_created, trade_created]
                               ).astype(np.int64),
        source=np.concatenate([web_source, spam_source, loyal_source,
                               np.full(counts[3], "trade_show", dtype=object)]),
        visitor=np.concatenate([visitor[web_session], visitor[spam_session], loyal_visitors,
                                np.full(counts[3], -1)]),
        country=np.concatenate([
            sessions.country[web_session], sessions.country[spam_session],
            rng.choice(len(_COUNTRIES), counts[2], p=_COUNTRY_HUMAN),
            rng.choice(len(_COUNTRIES), counts[3], p=_COUNTRY_HUMAN)]))
    return rows, loyal_became


def _stages(rng, rows: _LeadRows) -> np.ndarray:
    """Each lead's stage code, drawn from ``STAGE_MIX`` for its kind of lead."""
    business = rows.business
    kind = np.select(
        [rows.origin == _SPAM, rows.origin == _LOYAL, rows.origin == _TRADE_SHOW,
         rows.group == Group.STUMBLED, business & (rows.source == "contact_form"), business],
        [_STAGE_CLASS["form_spam"], _STAGE_CLASS["loyal_customer"], _STAGE_CLASS["trade_show"],
         _STAGE_CLASS["stumbled"], _STAGE_CLASS["business_contact_form"],
         _STAGE_CLASS["business_newsletter_or_guide"]],
        _STAGE_CLASS["home_barista_web"])
    return _draw_per_group(rng, kind, {number: np.array(mix) for number, mix in
                                       enumerate(STAGE_MIX.values())})


def _customers(rng, rows: _LeadRows, stage: np.ndarray, purchases, loyal_became: np.ndarray):
    """When each customer became one and its first order value (web buyers from their first
    purchase, businesses from an offline sale 2-45 days later, loyal customers from before).

    Returns ``(stage, became customer second or -1, first order value or NaN)``.
    """
    buyers, bought_at, bought_value = purchases
    stage = stage.copy()
    became = np.full(len(stage), -1, dtype=np.int64)
    value = np.full(len(stage), np.nan)
    web = np.flatnonzero(rows.origin == _WEB)
    at = np.minimum(np.searchsorted(buyers, rows.visitor[web]), max(len(buyers) - 1, 0))
    bought = (buyers[at] == rows.visitor[web]) if len(buyers) else np.zeros(len(web), bool)
    web_buyers = web[bought]
    stage[web_buyers] = _CUSTOMER
    became[web_buyers] = np.maximum(bought_at[at[bought]], rows.created[web_buyers])
    value[web_buyers] = bought_value[at[bought]]
    offline = np.flatnonzero((stage == _CUSTOMER) & (became < 0) & (rows.origin != _LOYAL))
    became[offline] = (rows.created[offline] + rng.integers(2, 45, len(offline)) * 86400
                       + rng.integers(0, 86400, len(offline)))
    office = rows.group[offline] == Group.OFFICE_MANAGER
    value[offline] = np.round(np.where(office, rng.lognormal(np.log(900), 0.6, len(offline)),
                                       rng.lognormal(np.log(1500), 0.6, len(offline))), 2)
    loyal = np.flatnonzero(rows.origin == _LOYAL)
    became[loyal] = loyal_became
    value[loyal] = np.round(rng.lognormal(np.log(32), 0.5, len(loyal)), 2)
    return stage, became, value


def _pick_from(rng, options: tuple, size: int) -> np.ndarray:
    """``size`` options drawn uniformly, as an object array."""
    return np.array(options, dtype=object)[rng.integers(0, len(options), size)]


def _lead_names(rng, size: int):
    """First and last names from two short lists: ``(first, last)``."""
    return _pick_from(rng, _FIRST_NAMES, size), _pick_from(rng, _LAST_NAMES, size)


def _lead_companies(rng, rows: _LeadRows):
    """Company, industry and size for business leads (90 % give a company; some fields
    empty). Returns ``(company, industry, size, has_company, slug)``; ``slug`` names the
    company's e-mail domain."""
    size = len(rows.group)
    office = rows.group == Group.OFFICE_MANAGER
    adjective = rng.integers(0, len(_COMPANY_ADJECTIVES), size)
    noun = rng.integers(0, len(_COMPANY_NOUNS), size)
    industry_number = rng.choice(len(_OFFICE_INDUSTRIES), size,
                                 p=[share for _, _, share in _OFFICE_INDUSTRIES])
    cafe_suffix = _pick_from(rng, _CAFE_SUFFIXES, size)
    name = (np.array(_COMPANY_ADJECTIVES, dtype=object)[adjective] + " "
            + np.array(_COMPANY_NOUNS, dtype=object)[noun])
    office_suffix = np.array([suffix for _, suffix, _ in _OFFICE_INDUSTRIES], dtype=object)
    company = np.where(office, name + " " + office_suffix[industry_number],
                       name + " " + cafe_suffix)
    industry = np.where(office, np.array([industry for industry, _, _ in _OFFICE_INDUSTRIES],
                                         dtype=object)[industry_number], "hospitality")
    employees = np.where(office, np.clip(np.round(rng.lognormal(np.log(45), 0.9, size)), 10, 500),
                         np.clip(np.round(rng.lognormal(np.log(8), 0.7, size)), 1, 50))
    has_company = rows.business & (rng.random(size) < 0.9)
    company = np.where(has_company, company, None)
    industry = np.where(has_company & (rng.random(size) < 0.93), industry, None)
    employees = np.where(has_company & (rng.random(size) < 0.85), employees, np.nan)
    slug = (np.array([word.lower() for word in _COMPANY_ADJECTIVES], dtype=object)[adjective]
            + np.array([word.lower() for word in _COMPANY_NOUNS], dtype=object)[noun])
    return company, industry, employees, has_company, slug


def _lead_emails(rng, rows: _LeadRows, first: np.ndarray, last: np.ndarray,
                 has_company: np.ndarray, slug: np.ndarray):
    """E-mail addresses, all on reserved domains, with real CRMs' mess: about 3 % invalid
    (no @, a doubled @, a space), 2 % empty, 2.5 % of consumers on a disposable domain.

    Returns ``(email, disposable domain of each row)``.
    """
    size = len(rows.group)
    generic = np.array(["example.com", "example.org", "example.net"], dtype=object)[
        rng.choice(3, size, p=[0.6, 0.25, 0.15])]
    domain = np.where(has_company & (rng.random(size) < 0.85), slug + ".example", generic)
    disposable = _pick_from(rng, DISPOSABLE_DOMAINS, size)
    domain = np.where(~rows.business & (rng.random(size) < 0.025), disposable, domain)
    first_lower, last_lower = (np.array([name.lower() for name in names], dtype=object)
                               for names in (first, last))
    style = rng.integers(0, 3, size)
    local = np.select(
        [style == 0, style == 1],
        [first_lower + "." + last_lower,
         np.array([name[0] for name in first_lower], dtype=object) + last_lower],
        first_lower + last_lower + rng.integers(1, 99, size).astype(str).astype(object))
    email = local + "@" + domain
    invalid = rng.random(size)
    email = np.where(invalid < 0.010, local + "." + domain, email)
    email = np.where((invalid >= 0.010) & (invalid < 0.020), local + "@@" + domain, email)
    email = np.where((invalid >= 0.020) & (invalid < 0.030),
                     first.astype(str).astype(object) + " " + last_lower + "@" + domain, email)
    return np.where(rng.random(size) < 0.02, None, email), disposable


def _lead_phones(rng, rows: _LeadRows) -> np.ndarray:
    """Phone numbers in Ofcom's drama range: 60 % of businesses and 12 % of consumers give
    one, written +44 20 7946 0xxx, or 020 7946 0xxx one time in five.

    The last digits are not zero-padded (a known defect kept so the data stays the same:
    numbers below 100 come out one or two digits short).
    """
    size = len(rows.group)
    gives = rng.random(size) < np.where(rows.business, 0.6, 0.12)
    phone = np.where(gives, "+44 20 7946 0" + rng.integers(0, 1000, size).astype(str).astype(
        object), None)
    national = rng.random(size) < 0.2
    return np.where(phone == None, None, np.where(  # noqa: E711
        national, "020 7946 0" + rng.integers(0, 1000, size).astype(str).astype(object),
        phone))


def _spam_contacts(rng, count: int, disposable: np.ndarray):
    """Form spam's junk names and throwaway addresses: ``(name, email)``."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"), dtype=object)
    junk = letters[rng.integers(0, len(letters), (count, 8))].sum(axis=1)
    return _pick_from(rng, _SPAM_NAMES, count), junk + "@" + disposable


def _crm_leads(rng, config: SynthConfig, start: pd.Timestamp, sessions: _Sessions,
               visitor: np.ndarray, events: _LeadEvents) -> dict[str, np.ndarray]:
    """One CRM row per contact: web leads, loyal customers' old leads, trade show, spam.

    Returns the leads' columns as arrays, in order of creation.
    """
    rows, loyal_became = _lead_rows(rng, config, start, sessions, visitor, events)
    stage, became, first_order = _customers(rng, rows, _stages(rng, rows),
                                            _first_purchases(sessions, visitor, events),
                                            loyal_became)
    first, last = _lead_names(rng, len(rows.group))
    name = first + " " + last
    company, industry, employees, has_company, slug = _lead_companies(rng, rows)
    email, disposable = _lead_emails(rng, rows, first, last, has_company, slug)
    phone = _lead_phones(rng, rows)
    spam = np.flatnonzero(rows.origin == _SPAM)
    name[spam], email[spam] = _spam_contacts(rng, len(spam), disposable[spam])
    phone[spam] = None
    country = np.array(_COUNTRIES, dtype=object)[rows.country]
    country[rng.random(len(rows.group)) < 0.06] = None
    order = np.lexsort((rows.visitor, rows.created))
    columns = {"created": rows.created, "vnum": rows.visitor, "source": rows.source,
               "name": name, "email": email, "phone": phone, "company": company,
               "company_size": employees, "industry": industry, "country": country,
               "stage": np.array(_STAGES, dtype=object)[stage], "became": became,
               "value": first_order}
    return {column: values[order] for column, values in columns.items()}


# ---------------------------------------------------------------------- frames
_LOOKUP = {"landing_page": PAGES, "page": PAGES, "country": _COUNTRIES}


def _typed(frame: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Build a frame with the loaders' dtypes from numpy arrays.

    Timestamps come as integer seconds since the epoch (negative = missing); category
    columns as codes into ``CATEGORIES`` or as strings; ``page``, ``landing_page`` and
    ``country`` as codes into ``PAGES`` / the country list (-1 = missing).
    """
    out = {}
    for column in SCHEMAS[frame]:
        value = values[column.name]
        if column.name in _LOOKUP and np.issubdtype(np.asarray(value).dtype, np.integer):
            lookup = np.array((*_LOOKUP[column.name], None), dtype=object)
            value = lookup[np.where(value < 0, len(lookup) - 1, value)]
        if column.kind in ("id", "str"):
            out[column.name] = pd.array(np.asarray(value, dtype=object), dtype="str")
        elif column.kind == "timestamp":
            value = np.asarray(value, dtype=np.int64)
            moments = np.where(value < 0, np.datetime64("NaT"), value.astype("datetime64[s]"))
            out[column.name] = pd.Series(moments.astype("datetime64[us]")).dt.tz_localize("UTC")
        elif column.kind == "category":
            categories = list(CATEGORIES[column.name])
            if np.issubdtype(np.asarray(value).dtype, np.integer):
                out[column.name] = pd.Categorical.from_codes(value, categories=categories)
            else:
                out[column.name] = pd.Categorical(value, categories=categories)
        else:
            out[column.name] = pd.array(value, dtype=column.dtype)
    return pd.DataFrame(out)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded numbers, e.g. ``s0000001``."""
    if len(numbers) == 0:
        return np.zeros(0, dtype=object)
    digits = np.strings.zfill(np.asarray(numbers, dtype=np.int64).astype(f"U{width}"), width)
    return np.strings.add(prefix, digits).astype(object)


def _width(count: int, minimum: int) -> int:
    """Digits of an id: at least ``minimum``, more when ``count`` needs them."""
    return max(minimum, len(str(count)))


@dataclass(frozen=True)
class _SessionFacts:
    """What the visits did, per session in time order: visitor number, return visit,
    landing page code, duration, page views and form seconds (NaN without a form)."""

    visitor: np.ndarray
    is_returning: np.ndarray
    landing_page: np.ndarray
    duration: np.ndarray
    pageviews: np.ndarray
    form_seconds: np.ndarray


def _frames(rng, sessions: _Sessions, facts: _SessionFacts, events: _Events,
            leads: dict[str, np.ndarray]) -> Dataset:
    """The four typed, validated frames; 2.5 % of sessions lose their country here."""
    visitor, pageviews = facts.visitor, facts.pageviews
    session_id = _ids("s", np.arange(1, len(pageviews) + 1), _width(len(pageviews), 7))
    visitor_width = _width(int(visitor.max()) + 1, 6)
    visitor_id = _ids("v", visitor + 1, visitor_width)
    country = sessions.country.copy()
    country[rng.random(len(pageviews)) < _MISSING_COUNTRY] = -1
    session_frame = _typed("sessions", {
        "session_id": session_id, "visitor_id": visitor_id, "started_at": sessions.started,
        "channel": sessions.channel, "source": sessions.source,
        "landing_page": facts.landing_page, "device": sessions.device,
        "country": country, "user_agent": sessions.user_agent, "ip": sessions.ip,
        "duration_s": facts.duration, "pageviews": pageviews,
        "is_returning": facts.is_returning, "form_seconds": facts.form_seconds,
    })
    event_frame = _typed("events", {
        "event_id": _ids("e", events.number, _width(int(events.number.max()), 8)),
        "session_id": session_id[events.session], "visitor_id": visitor_id[events.session],
        "timestamp": events.second, "event_name": events.name, "page": events.page,
        "value": events.value,
    })
    lead_count = len(leads["created"])
    lead_frame = _typed("leads", {
        "lead_id": _ids("L", np.arange(1, lead_count + 1), _width(lead_count, 6)),
        "visitor_id": np.where(leads["vnum"] >= 0, _ids(
            "v", np.maximum(leads["vnum"], 0) + 1, visitor_width), None),
        "created_at": leads["created"], "lead_source": leads["source"],
        "name": leads["name"], "email": leads["email"], "phone": leads["phone"],
        "company": leads["company"], "company_size": leads["company_size"],
        "industry": leads["industry"], "country": leads["country"], "stage": leads["stage"],
        "became_customer_at": leads["became"], "first_order_value": leads["value"],
    })
    answer_key = _typed("answer_key", {
        "session_id": session_id, "visitor_id": visitor_id,
        "segment": _SEGMENT_OF[sessions.group], "bot_kind": _BOT_KIND_OF[sessions.group],
        "persona": _PERSONA_OF[sessions.group],
    })
    validate_sessions(session_frame)
    validate_events(event_frame, session_frame)
    validate_leads(lead_frame)
    validate_answer_key(answer_key, session_frame)
    return Dataset(session_frame, event_frame, lead_frame, answer_key)


# --------------------------------------------------------------------------- writing
_DECIMALS = {"duration_s": 1, "form_seconds": 1, "value": 2, "first_order_value": 2}


@lru_cache(maxsize=1)
def _clock() -> np.ndarray:
    """'THH:MM:SSZ' for every second of a day (built once)."""
    second = np.arange(86400)
    return np.array([f"T{hour:02d}:{minute:02d}:{sec:02d}Z" for hour, minute, sec in
                     zip(second // 3600, second // 60 % 60, second % 60, strict=True)],
                    dtype=object)


def _timestamp_text(values: pd.Series, missing: np.ndarray) -> np.ndarray:
    """ISO-8601 UTC with ``Z``, whole seconds (dates formatted once per distinct day)."""
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    day, second_of_day = np.divmod(np.where(missing, 0, naive.astype(np.int64)), 86400)
    days, inverse = np.unique(day, return_inverse=True)
    dates = np.datetime_as_string((days * 86400).astype("datetime64[s]"), unit="D")
    return dates.astype(object)[inverse] + _clock()[second_of_day]


def _float_text(values: pd.Series, missing: np.ndarray, decimals: int) -> np.ndarray:
    """Fixed decimals, no exponent, computed on integers so it never rounds differently."""
    number = np.where(missing, 0.0, values.to_numpy(dtype=float, na_value=np.nan))
    scaled = np.round(np.abs(number) * 10**decimals).astype(np.int64)
    whole, fraction = np.divmod(scaled, 10**decimals)
    sign = np.where(number < 0, "-", "").astype(object)
    fraction_text = np.strings.zfill(fraction.astype(f"U{decimals}"), decimals).astype(object)
    return sign + whole.astype(str).astype(object) + "." + fraction_text


def _text(column, values: pd.Series) -> np.ndarray:
    """One column as an object array of CSV field strings ('' when missing)."""
    missing = values.isna().to_numpy(dtype=bool)
    if len(values) == 0:
        return np.zeros(0, dtype=object)
    if column.kind == "timestamp":
        text = _timestamp_text(values, missing)
    elif column.kind == "float":
        text = _float_text(values, missing, _DECIMALS.get(column.name, 2))
    elif column.kind in ("int", "Int"):
        text = np.where(missing, 0, values.to_numpy(dtype=float, na_value=0)).astype(
            np.int64).astype(str).astype(object)
    elif column.kind == "bool":
        text = np.where(values.to_numpy(dtype=bool), "True", "False").astype(object)
    elif column.kind == "category":
        codes = values.cat.codes.to_numpy()
        text = np.array((*map(str, values.cat.categories), ""), dtype=object)[codes]
    else:
        text = values.to_numpy(dtype=object, na_value="")
    if missing.any():
        text = np.where(missing, "", text)
    return text


def write(dataset: Dataset, folder: str | Path) -> dict[str, Path]:
    """Write a dataset as the kit's four CSV files (stable, byte-reproducible format).

    Parameters
    ----------
    dataset : Dataset
        From ``generate`` (or ``helpers.data.load_all``).
    folder : str or Path
        Where to write; created if needed. Nothing is written anywhere else.

    Returns
    -------
    dict
        ``name -> path`` of the files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write(generate(SynthConfig(visitors=100, days=7)), tmp)
    ...     sorted(p.name for p in paths.values())
    ['answer_key.csv', 'events.csv', 'leads.csv', 'sessions.csv']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for frame in ("sessions", "events", "leads", "answer_key"):
        table = getattr(dataset, frame)
        columns = [column for column in SCHEMAS[frame] if column.name in table.columns]
        texts = [_text(column, table[column.name]) for column in columns]
        path = folder / f"{frame}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column.name for column in columns])
            writer.writerows(zip(*texts, strict=True))
        paths[frame] = path
    return paths


# ------------------------------------------------------------------- command line
def _visitors_for(sessions: int, bot_share: float) -> int:
    """Human visitors that give about ``sessions`` sessions in all (28-day window)."""
    per_visitor = 0.63 * 1.08 + 0.06 * 4.0 + 0.31 * 2.0
    return max(10, round(sessions * (1 - bot_share) / per_visitor))


def _whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number, got {text!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number
    return parse


def _bot_share(text: str) -> float:
    """An argparse type: a share of sessions between 0 and 0.9."""
    try:
        share = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a share between 0 and 0.9, like 0.22, got {text!r}") from None
    if not (math.isfinite(share) and 0 <= share <= 0.9):
        raise argparse.ArgumentTypeError(
            f"must be a share between 0 and 0.9, like 0.22 (not a percentage), got {text}")
    return share


def _output_folder(text: str) -> Path:
    """An argparse type: a folder that exists or can be made, and can be written to."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder, like data or my_cohort")
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    existing = next(parent for parent in (folder, *folder.parents) if parent.exists())
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"cannot make {text}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write to {existing} (permission denied)")
    return folder


def _argument_parser() -> argparse.ArgumentParser:
    """The command line's options; defaults come from ``SynthConfig``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.synth",
                                     description="Generate the kit's synthetic data as CSV.")
    default = SynthConfig()
    parser.add_argument("--out", required=True, type=_output_folder,
                        help="folder to write the four CSV files to")
    parser.add_argument("--seed", type=_whole_number(0), default=default.seed)
    parser.add_argument("--start", default=default.start, help="first day, YYYY-MM-DD (UTC)")
    parser.add_argument("--days", type=_whole_number(1), default=default.days)
    parser.add_argument("--visitors", type=_whole_number(10), default=default.visitors,
                        help="human visitors")
    parser.add_argument("--bot-share", type=_bot_share, default=default.bot_share)
    parser.add_argument("--scale", type=_whole_number(1), default=None, metavar="SESSIONS",
                        help="about this many sessions (overrides --visitors), for benchmarks")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.synth --out data [--seed ... --scale N]``.

    Bad arguments end with argparse's one-line error (exit status 2), never a traceback.
    """
    parser = _argument_parser()
    arguments = parser.parse_args(argv)
    visitors = (_visitors_for(arguments.scale, arguments.bot_share) if arguments.scale
                else arguments.visitors)
    try:
        config = SynthConfig(seed=arguments.seed, start=arguments.start, days=arguments.days,
                             visitors=visitors, bot_share=arguments.bot_share)
    except ValueError as exc:
        parser.error(str(exc))
    began = time.perf_counter()
    try:
        dataset = generate(config)
    except MemoryError:
        parser.error(f"not enough memory for {visitors:,} visitors over {config.days} days; "
                     "use fewer --visitors, a smaller --scale or fewer --days")
    generated = time.perf_counter() - began
    try:
        paths = write(dataset, arguments.out)
    except OSError as exc:
        parser.error(f"cannot write to {arguments.out}: {exc.strerror or exc}")
    written = time.perf_counter() - began - generated
    megabytes = sum(path.stat().st_size for path in paths.values()) / 1e6
    print(f"{len(dataset.sessions):,} sessions, {len(dataset.events):,} events, "
          f"{len(dataset.leads):,} leads -> {arguments.out} ({megabytes:.1f} MB; generated in "
          f"{generated:.1f} s, written in {written:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
