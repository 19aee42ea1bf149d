"""Every table the generator draws from: edit here to change the data.

The site (``PAGES``), the ten groups that make the traffic (``Group``) and one frozen
``SegmentBehaviour`` per group in ``SEGMENTS``; the few settings that are not per group
(``RETURN_VISITS``, ``BOT_MIX``, sources, countries, the CRM's ``STAGE_MIX`` and word lists);
and the per-group arrays derived from them, in ``Group`` order (the order of the draws).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType

import numpy as np

from helpers.data import CATEGORIES

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
