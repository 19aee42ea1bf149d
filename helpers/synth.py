"""Synthetic web traffic, events and CRM leads for Brewlark Coffee Co.

``generate(SynthConfig())`` builds the kit's data set in memory; ``write`` saves it as
CSV; ``python -m helpers.synth --out data`` does both (``make data``). Everything is
drawn from ``numpy.random.default_rng(seed)`` with vectorised operations (no Python loop
over sessions or events), so ``--scale 1000000`` makes a million sessions in seconds.

User agents are real strings only: browsers from the data file shipped with
``fake-useragent`` (pinned), bots from ``crawler-user-agents`` (pinned). See
``data/README.md`` for every column, the knobs and the realism bounds.

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
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
    "CRAWLER_PATTERNS",
    "DISPOSABLE_DOMAINS",
    "PAGES",
    "Propensities",
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
PAGES: tuple[str, ...] = CORE + tuple(p for ps in BLOG.values() for p in ps) + tuple(PRODUCTS)
"""Every page path of the site; events.page and sessions.landing_page use these."""
_P = {p: i for i, p in enumerate(PAGES)}
_BLOG_ALL = tuple(p for ps in BLOG.values() for p in ps)
_BEANS = ("/shop/house-blend", "/shop/ethiopia-yirgacheffe", "/shop/espresso-blend",
          "/shop/decaf-colombia")
_GEAR = ("/shop/burr-grinder", "/shop/gooseneck-kettle", "/shop/pour-over-kit")

# Groups: who generates a session (behaviour), in a fixed order.
G_STUMBLED, G_LOYAL, G_HB, G_OM, G_CO, G_CRAWLER, G_SCRAPER, G_HEADLESS, G_MONITOR, G_SPAM = range(10)
_N_GROUPS = 10
_HUMAN_GROUPS = (G_STUMBLED, G_LOYAL, G_HB, G_OM, G_CO)
_SEGMENT = np.array(["stumbled", "loyal_customer", "potential_buyer", "potential_buyer",
                     "potential_buyer", "bot", "bot", "bot", "bot", "bot"], dtype=object)
_BOT_KIND = np.array([None] * 5 + ["crawler", "scraper", "headless", "monitor", "form_spam"],
                     dtype=object)
_PERSONA = np.array([None, None, "home_barista", "office_manager", "cafe_owner"]
                    + [None] * 5, dtype=object)

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


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator; the defaults make the committed ``data/`` files.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``.
    start : str
        First day of the traffic window (UTC date, ``YYYY-MM-DD``).
    days : int
        Length of the window in days.
    visitors : int
        Human visitors (browsers); bots come on top, see ``bot_share``.
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
        if self.visitors < 10:
            raise ValueError(f"SynthConfig(): visitors must be at least 10, got {self.visitors}.")
        try:
            pd.Timestamp(self.start)
        except ValueError as exc:
            raise ValueError(
                f"SynthConfig(): start must be a date like '2025-02-03', got {self.start!r}."
            ) from exc


# ---------------------------------------------------------------- user agent pools
def _crawler_data() -> list[dict]:
    import crawleruseragents

    return crawleruseragents.CRAWLER_USER_AGENTS_DATA


@lru_cache(maxsize=1)
def _crawler_regex() -> re.Pattern:
    return re.compile("|".join(f"(?:{e['pattern']})" for e in _crawler_data()))


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
    pats = tuple(CRAWLER_PATTERNS) + _MONITOR_PATTERNS + _HEADLESS_PATTERNS
    return {p: _instances(p) for p in pats}


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
    rx = _crawler_regex()
    best: dict[tuple[str, str], float] = {}
    for r in _browser_rows():
        if r["browser"] not in _IN_APP_BROWSERS:
            key = (r["type"], r["useragent"])
            best[key] = best.get(key, 0.0) + float(r["percent"])
    sizes = {"desktop": 150, "mobile": 150, "tablet": 40}
    out = {}
    for kind, n in sizes.items():
        ranked = sorted((-w, ua) for (t, ua), w in best.items() if t == kind)
        items = []
        for nw, ua in ranked:  # the most common strings that no crawler pattern matches
            if len(items) == n:
                break
            if not rx.search(ua):
                items.append((nw, ua))
        uas = tuple(ua for _, ua in items)
        w = np.array([-nw for nw, _ in items])
        out[kind] = (uas, w / w.sum())
    return out


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
    rx = _crawler_regex()
    out: dict[str, set[str]] = {b: set() for b in _IN_APP_BROWSERS}
    for r in _browser_rows():
        if r["browser"] in out:
            out[r["browser"]].add(r["useragent"])
    return {b: tuple(sorted(u for u in v if not rx.search(u))) for b, v in out.items()}


def _device_of(ua: str) -> str:
    if "iPad" in ua or "Tablet" in ua:
        return "tablet"
    if "Mobile" in ua or "iPhone" in ua or "Android" in ua:
        return "mobile"
    return "desktop"


# ------------------------------------------------------------------------ helpers
def _pick(rng, n: int, options, p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum()) if n else np.zeros(0, dtype=np.int64)


def _by_group(rng, groups: np.ndarray, table: dict[int, np.ndarray]) -> np.ndarray:
    """For each row, draw an index from ``table[group]`` (a probability vector)."""
    out = np.zeros(len(groups), dtype=np.int64)
    for g, p in table.items():
        idx = np.flatnonzero(groups == g)
        if len(idx):
            p = np.asarray(p, dtype=float)
            out[idx] = rng.choice(len(p), size=len(idx), p=p / p.sum())
    return out


def _page_weights(spec: dict[str, float]) -> np.ndarray:
    """Page probability vector from {'page' or 'blog:topic'/'blog'/'beans'/'gear': weight}."""
    w = np.zeros(len(PAGES))
    for key, weight in spec.items():
        if key.startswith("blog:"):
            members = BLOG[key[5:]]
        elif key == "blog*":
            members = _BLOG_ALL
        elif key == "beans":
            members = _BEANS
        elif key == "gear":
            members = _GEAR
        else:
            members = (key,)
        for m in members:
            w[_P[m]] += weight / len(members)
    return w / w.sum()


def _hourly(peaks: list[tuple[float, float, float]], base: float) -> np.ndarray:
    h = np.arange(24) + 0.5
    w = np.full(24, base)
    for centre, width, weight in peaks:
        d = np.minimum(np.abs(h - centre), 24 - np.abs(h - centre))
        w += weight * np.exp(-0.5 * (d / width) ** 2)
    return w / w.sum()


# Session-time profiles (UTC; customers are in Central Europe, local = UTC+1 in Feb).
_TP_EMAIL = _N_GROUPS  # extra profile for e-mail campaign visits
_WEEKLY = {  # Mon..Sun
    G_STUMBLED: [1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.9],
    G_LOYAL: [1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1],
    G_HB: [0.75, 0.75, 0.8, 0.8, 0.95, 1.45, 1.5],
    G_OM: [1.25, 1.25, 1.2, 1.2, 1.0, 0.15, 0.1],
    G_CO: [1.35, 1.15, 1.0, 1.0, 0.9, 0.45, 0.6],
    G_CRAWLER: [1.0] * 7, G_SCRAPER: [1.0] * 7, G_HEADLESS: [1.0] * 7,
    G_MONITOR: [1.0] * 7, G_SPAM: [1.0] * 7,
    _TP_EMAIL: [0.5, 3.0, 1.4, 0.8, 0.6, 0.5, 0.5],  # newsletter goes out on Tuesdays
}
_HOURLY = {
    G_STUMBLED: _hourly([(12.0, 3.0, 0.8), (19.5, 2.5, 1.0)], 0.06),
    G_LOYAL: _hourly([(7.0, 1.5, 0.5), (12.0, 2.0, 0.5), (19.5, 2.0, 1.0)], 0.05),
    G_HB: _hourly([(19.5, 1.8, 1.0), (6.5, 1.2, 0.3), (12.5, 1.5, 0.2)], 0.03),
    G_OM: _hourly([(9.0, 1.8, 1.0), (13.5, 1.8, 0.8)], 0.01),
    G_CO: _hourly([(6.0, 1.2, 0.8), (14.5, 1.5, 1.0), (20.5, 1.5, 0.4)], 0.02),
    G_CRAWLER: _hourly([], 1.0),
    G_SCRAPER: _hourly([(2.0, 3.0, 1.0)], 0.3),
    G_HEADLESS: _hourly([(3.0, 4.0, 0.5)], 0.5),
    G_MONITOR: _hourly([], 1.0),
    G_SPAM: _hourly([(1.0, 3.0, 1.0)], 0.4),
    _TP_EMAIL: _hourly([(8.5, 1.2, 1.0), (12.5, 2.0, 0.4), (19.5, 2.0, 0.4)], 0.03),
}

_CHANNELS = CATEGORIES["channel"]
_C = {c: i for i, c in enumerate(_CHANNELS)}


def _chan(**kw: float) -> np.ndarray:
    return np.array([kw.get(c, 0.0) for c in _CHANNELS])


# Every segment reaches the site through every door, in different proportions: a stray
# click on an ad, a forwarded newsletter, a typed address, a brand search by a loyal customer.
_CHANNEL_P = {
    G_STUMBLED: _chan(organic_search=0.46, social=0.40, referral=0.05, paid_search=0.04,
                      direct=0.03, email=0.02),
    G_LOYAL: _chan(direct=0.40, email=0.42, organic_search=0.10, social=0.03, paid_search=0.03,
                   referral=0.02),
    G_HB: _chan(social=0.32, organic_search=0.40, email=0.10, direct=0.10, referral=0.05,
                paid_search=0.03),
    G_OM: _chan(paid_search=0.33, organic_search=0.34, email=0.15, direct=0.13, referral=0.05),
    G_CO: _chan(referral=0.36, organic_search=0.36, direct=0.12, social=0.08, email=0.05,
                paid_search=0.03),
}
_SOURCES = {
    "organic_search": (("google", "bing", "duckduckgo", "ecosia"), (0.84, 0.09, 0.05, 0.02)),
    "paid_search": (("google", "bing"), (0.85, 0.15)),
    "social": (("facebook", "instagram", "twitter", "linkedin"), (0.40, 0.36, 0.10, 0.14)),
    "email": (("newsletter",), (1.0,)),
    "referral": (("brewersforum.example", "cafestartup.example", "localbiz.example",
                  "coffeereviews.example"), (0.30, 0.30, 0.20, 0.20)),
    "direct": (("(direct)",), (1.0,)),
}
_DEVICES = CATEGORIES["device"]
_DEVICE_P = {G_STUMBLED: [0.28, 0.68, 0.04], G_LOYAL: [0.50, 0.44, 0.06],
             G_HB: [0.27, 0.66, 0.07], G_OM: [0.84, 0.13, 0.03], G_CO: [0.52, 0.22, 0.26]}
_COUNTRIES = ("DE", "NL", "BE", "FR", "AT", "GB", "IE", "DK", "SE", "ES", "IT", "PL",
              "CH", "US")
_COUNTRY_HUMAN = np.array([0.29, 0.12, 0.07, 0.07, 0.07, 0.10, 0.02, 0.03, 0.03, 0.04, 0.03, 0.03,
                  0.04, 0.06])
_COUNTRY_HUMAN = _COUNTRY_HUMAN / _COUNTRY_HUMAN.sum()
_COUNTRY_BOT = np.array([0.10, 0.08, 0.02, 0.05, 0.01, 0.05, 0.08, 0.01, 0.02, 0.01, 0.01, 0.03,
                0.01, 0.52])
_COUNTRY_BOT = _COUNTRY_BOT / _COUNTRY_BOT.sum()

_LANDING = {
    G_STUMBLED: _page_weights({"blog:brewing": 3, "blog:espresso": 2, "blog:beans": 2,
                               "blog:office": 1, "blog:cafe": 1, "/": 0.4, "beans": 0.5}),
    G_LOYAL: _page_weights({"/": 3.5, "/shop": 2.5, "beans": 1.5, "/shop/subscription": 1,
                            "gear": 0.3, "blog*": 1.2}),
    G_HB: _page_weights({"blog:brewing": 2.2, "blog:espresso": 2.2, "blog:beans": 1.2,
                         "gear": 1.2, "beans": 0.8, "/": 1.0, "/guide": 0.8, "/shop": 0.7,
                         "blog:office": 0.2, "blog:cafe": 0.2}),
    G_OM: _page_weights({"/pricing": 2.5, "blog:office": 2.5, "/": 2.0, "/wholesale": 1.0,
                         "/guide": 1.0, "blog:brewing": 0.5, "blog:cafe": 0.3, "/shop": 0.3}),
    G_CO: _page_weights({"blog:cafe": 3.5, "/wholesale": 2.5, "/": 2.0, "/about": 1.0,
                         "blog:beans": 1.0, "/pricing": 0.5, "blog:espresso": 0.5}),
    G_CRAWLER: _page_weights({p: 1.0 for p in PAGES if p not in ("/cart", "/checkout")}
                             | {"/": 6.0}),
    G_SCRAPER: _page_weights({"/shop": 3, "beans": 2, "gear": 2, "blog*": 2, "/pricing": 1,
                              "/": 1}),
    G_HEADLESS: _page_weights({"/": 3, "/pricing": 1, "/shop": 1, "blog*": 1}),
    G_MONITOR: _page_weights({"/": 1.0}),
    G_SPAM: _page_weights({"/contact": 3, "/newsletter": 2, "blog*": 2}),
}
_BROWSE = {
    G_STUMBLED: _page_weights({"/blog": 1.5, "blog*": 3, "/": 1.5, "/shop": 0.8,
                               "beans": 0.6, "/about": 0.5, "/newsletter": 0.3}),
    G_LOYAL: _page_weights({"/shop": 3, "beans": 3, "/shop/subscription": 1.2, "gear": 1,
                            "blog*": 1.2, "/": 0.8, "/about": 0.2}),
    G_HB: _page_weights({"blog:brewing": 2.5, "blog:espresso": 2.5, "blog:beans": 1.5,
                         "/blog": 1.0, "gear": 2.2, "beans": 1.5, "/shop": 1.5,
                         "/guide": 0.6, "/newsletter": 0.5, "/": 0.5, "/about": 0.3,
                         "blog:office": 0.2, "blog:cafe": 0.2, "/pricing": 0.1}),
    G_OM: _page_weights({"/pricing": 3.0, "/wholesale": 1.5, "blog:office": 2.5,
                         "/contact": 1.0, "/about": 1.0, "/guide": 0.7, "/": 0.8,
                         "/shop/subscription": 0.6, "beans": 0.4, "blog:brewing": 0.4,
                         "/blog": 0.5, "/shop": 0.4, "blog:cafe": 0.2}),
    G_CO: _page_weights({"/wholesale": 3.0, "blog:cafe": 2.5, "/contact": 1.0,
                         "/pricing": 1.2, "/about": 1.2, "blog:beans": 1.2, "beans": 1.2,
                         "blog:espresso": 0.6, "/": 0.6, "/blog": 0.5, "/shop": 0.4,
                         "blog:office": 0.3}),
    G_CRAWLER: _LANDING[G_CRAWLER],
    G_SCRAPER: _LANDING[G_SCRAPER],
    G_HEADLESS: _page_weights({p: 1.0 for p in PAGES if p not in ("/cart", "/checkout")}),
    G_MONITOR: _LANDING[G_MONITOR],
    G_SPAM: _page_weights({"/contact": 2, "/newsletter": 2, "/": 1}),
}
_PRODUCT_P = {
    G_STUMBLED: _page_weights({"beans": 2, "gear": 1}),
    G_LOYAL: _page_weights({"beans": 6, "/shop/subscription": 2, "gear": 1}),
    G_HB: _page_weights({"gear": 3, "beans": 3, "/shop/subscription": 0.7}),
    G_OM: _page_weights({"/shop/subscription": 3, "beans": 2}),
    G_CO: _page_weights({"beans": 4, "/shop/subscription": 1}),
}
# dwell per page: (median seconds, sigma of the log)
_DWELL = {G_STUMBLED: (38.0, 1.0), G_LOYAL: (30.0, 0.9), G_HB: (42.0, 0.95),
          G_OM: (48.0, 0.9), G_CO: (50.0, 0.9), G_CRAWLER: (1.6, 0.8),
          G_SCRAPER: (0.35, 0.5), G_HEADLESS: (0.9, 0.6), G_MONITOR: (0.25, 0.3),
          G_SPAM: (1.4, 0.4)}
# per-session probabilities: newsletter, guide, contact, blog_comment (one form at most)
_FORM_P = {G_STUMBLED: (0.025, 0.008, 0.001, 0.006), G_LOYAL: (0.006, 0.010, 0.008, 0.030),
           G_HB: (0.100, 0.075, 0.004, 0.035), G_OM: (0.030, 0.080, 0.090, 0.003),
           G_CO: (0.030, 0.040, 0.120, 0.010), G_SPAM: (0.45, 0.0, 0.45, 0.10)}
_FORMS = ("newsletter_signup", "guide_download", "contact_form", "blog_comment")
_SOCIAL_P = {G_STUMBLED: 0.015, G_LOYAL: 0.025, G_HB: 0.060, G_OM: 0.005, G_CO: 0.025}
_CART_P = {G_STUMBLED: 0.003, G_LOYAL: 0.14, G_HB: 0.060, G_OM: 0.010, G_CO: 0.012}
_CHECKOUT_GIVEN_CART = 0.62
_PURCHASE_GIVEN_CHECKOUT = {G_STUMBLED: 0.6, G_LOYAL: 0.88, G_HB: 0.72, G_OM: 0.7, G_CO: 0.7}

_FIRST = ("Anna", "Lukas", "Sofia", "Jonas", "Emma", "Noah", "Mia", "Elias", "Lea", "Finn",
          "Marta", "Pieter", "Chloe", "Hugo", "Ines", "Mateo", "Julia", "Oskar", "Nora",
          "Felix", "Lena", "Tomas", "Sara", "Milan", "Alice", "Jan", "Clara", "Leon",
          "Eva", "Ruben", "Hanna", "David", "Lina", "Max", "Zoe", "Karim", "Amira", "Yusuf",
          "Priya", "Arjun")
_LAST = ("Novak", "Jansen", "Muller", "Rossi", "Dubois", "Berg", "Kowalski", "Larsen",
         "Garcia", "Peeters", "Schmidt", "Visser", "Moreau", "Lindqvist", "Horvat", "Keller",
         "Brennan", "Costa", "Hofer", "Nowak", "Fischer", "Bakker", "Lambert", "Nilsson",
         "Romano", "Weber", "Smit", "Martin", "Andersen", "Ferrari", "Wagner", "Mertens",
         "Laurent", "Svensson", "Kaya", "Okafor", "Haddad", "Sharma", "Tanaka", "Olsen")
_ADJ = ("Bright", "Northern", "Blue", "Quiet", "Copper", "Linden", "Harbor", "Summit",
        "Maple", "Silver", "Golden", "Little", "Green", "Oak", "Riverside", "Cedar")
_NOUN = ("Ledger", "Pixel", "Anchor", "Orchard", "Beacon", "Falcon", "Meadow", "Bridge",
         "Lantern", "Compass", "Harvest", "Atlas", "Willow", "Foundry", "Sparrow", "Tide")
_OFFICE_INDUSTRY = (("software", "Software", 0.30), ("agency", "Studio", 0.20),
                    ("legal", "Legal", 0.15), ("healthcare", "Clinic", 0.12),
                    ("finance", "Partners", 0.13), ("education", "Academy", 0.10))
_CAFE_SUFFIX = ("Cafe", "Coffee House", "Espresso Bar", "Bakery", "Kitchen")
_STAGES = CATEGORIES["stage"]


# ---------------------------------------------------------------------- generation
def _day_weights(start: pd.Timestamp, days: int, weekly) -> np.ndarray:
    dow = (start.day_of_week + np.arange(days)) % 7
    trend = 1.0 + 0.08 * np.arange(days) / max(days - 1, 1)
    w = np.asarray(weekly)[dow] * trend
    return w / w.sum()


def _times(rng, tp: np.ndarray, start: pd.Timestamp, days: int) -> np.ndarray:
    """Start times (integer seconds since the epoch) for sessions of profiles ``tp``."""
    day = _by_group(rng, tp, {g: _day_weights(start, days, w) for g, w in _WEEKLY.items()})
    hour = _by_group(rng, tp, _HOURLY)
    sec = rng.integers(0, 3600, size=len(tp))
    return int(start.timestamp()) + day * 86400 + hour * 3600 + sec


def _ipv4(rng, n: int, block: int, low: int, high: int) -> np.ndarray:
    prefixes = np.array(["192.0.2.", "198.51.100.", "203.0.113."], dtype=object)
    b = rng.integers(0, 3, size=n) if block < 0 else np.full(n, block)
    return prefixes[b] + rng.integers(low, high + 1, size=n).astype(str).astype(object)


def _ipv6(rng, n: int) -> np.ndarray:
    hexes = np.array([f"{i:x}" for i in range(65536)], dtype=object)
    parts = rng.integers(0, 65536, size=(n, 4))
    return ("2001:db8:" + hexes[parts[:, 0]] + ":" + hexes[parts[:, 1]] + "::"
            + hexes[parts[:, 2]] + ":" + hexes[parts[:, 3]])


def _human_uas(rng, device: np.ndarray) -> np.ndarray:
    pool = human_ua_pool()
    out = np.empty(len(device), dtype=object)
    for i, kind in enumerate(_DEVICES):
        idx = np.flatnonzero(device == i)
        uas, w = pool[kind]
        out[idx] = np.array(uas, dtype=object)[rng.choice(len(uas), size=len(idx), p=w)]
    return out


def _sessions(rng, cfg: SynthConfig, start: pd.Timestamp) -> dict[str, np.ndarray]:
    """All sessions' attributes (unsorted), as numpy arrays."""
    V = cfg.visitors
    # ---- human visitors
    vgroup = rng.choice(np.array(_HUMAN_GROUPS), size=V, p=[0.63, 0.06, 0.16, 0.09, 0.06])
    f = cfg.days / 28  # repeat visits scale with the window
    n_extra = np.select(
        [vgroup == G_LOYAL, vgroup == G_STUMBLED],
        [rng.poisson(3.0 * f, V), (rng.random(V) < 0.08 * f).astype(np.int64)],
        rng.poisson(1.0 * f, V))
    n_sess = 1 + n_extra
    vdevice = _by_group(rng, vgroup, {g: np.array(p) for g, p in _DEVICE_P.items()})
    vcountry = rng.choice(len(_COUNTRIES), size=V, p=_COUNTRY_HUMAN)
    vua = _human_uas(rng, vdevice)
    v6 = rng.random(V) < 0.42
    vip = np.where(v6, _ipv6(rng, V), _ipv4(rng, V, -1, 1, 199))
    hv = np.repeat(np.arange(V), n_sess)
    H = len(hv)
    group_h = vgroup[hv]
    channel_h = _by_group(rng, group_h, _CHANNEL_P)

    # ---- bots: counts from the bot share; monitors on a fixed schedule
    B = round(H * cfg.bot_share / (1 - cfg.bot_share)) if cfg.bot_share > 0 else 0
    window_min = cfg.days * 1440
    monitor_budget = 0.30 * B
    nice = np.array([1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1440])
    base = nice[np.argmin(np.abs(nice - 2 * window_min / max(monitor_budget, 1)))] if B else 0
    mon_parts = []
    if B:
        for m, interval in enumerate((base, 2 * base, 2 * base)):
            k = np.arange(window_min // interval)
            offset = rng.integers(0, interval * 60)
            t = (int(start.timestamp()) + offset + k * interval * 60
                 + rng.integers(0, 3, size=len(k)))
            mon_parts.append((np.full(len(k), m), t))
    mon_id = np.concatenate([m for m, _ in mon_parts]) if mon_parts else np.zeros(0, int)
    mon_t = np.concatenate([t for _, t in mon_parts]) if mon_parts else np.zeros(0, int)
    rest = max(B - len(mon_id), 0)
    kinds = rng.choice(np.array([G_CRAWLER, G_SCRAPER, G_HEADLESS, G_SPAM]), size=rest,
                       p=[0.55, 0.22, 0.13, 0.10])
    bgroup = np.concatenate([kinds, np.full(len(mon_id), G_MONITOR)])
    nb = len(bgroup)

    group = np.concatenate([group_h, bgroup])
    S = len(group)
    tp = group.copy()
    channel = np.concatenate([channel_h, np.zeros(nb, dtype=np.int64)])
    # bots: crawlers/monitors show up as direct; scrapers/spam sometimes fake a referrer
    # (a partner site, a search engine or a social network)
    fake = rng.random(nb)
    bot_channel = np.select(
        [fake < 0.75, fake < 0.87, fake < 0.97],
        [_C["direct"], _C["referral"], _C["organic_search"]],
        _C["social"],
    ).astype(np.int64)
    bot_channel[bgroup == G_MONITOR] = _C["direct"]
    bot_channel[bgroup == G_CRAWLER] = _C["direct"]
    channel[H:] = bot_channel
    tp[:H][channel_h == _C["email"]] = _TP_EMAIL
    started = _times(rng, tp, start, cfg.days)
    started[S - len(mon_t):] = mon_t

    # source
    source = np.empty(S, dtype=object)
    for c, (names, p) in _SOURCES.items():
        idx = np.flatnonzero(channel == _C[c])
        source[idx] = np.array(names, dtype=object)[_pick(rng, len(idx), names, p)]
    source[(channel == _C["referral"]) & (group >= G_CRAWLER)] = "seo-offers.example"

    # visitor, device, country, ua, ip
    visitor = np.concatenate([hv, V + np.arange(nb)])
    device = np.concatenate([vdevice[hv], np.zeros(nb, dtype=np.int64)])
    country = np.concatenate([vcountry[hv], rng.choice(len(_COUNTRIES), size=nb,
                                                       p=_COUNTRY_BOT)])
    ua = np.concatenate([vua[hv], np.empty(nb, dtype=object)])
    ip = np.concatenate([vip[hv], np.empty(nb, dtype=object)])
    bidx = H + np.arange(nb)
    pools = crawler_ua_pool()
    # crawlers
    ci = bidx[bgroup == G_CRAWLER]
    pats = list(CRAWLER_PATTERNS)
    which = _pick(rng, len(ci), pats, list(CRAWLER_PATTERNS.values()))
    inst_pick = rng.random(len(ci))
    for k, pat in enumerate(pats):
        sel = ci[which == k]
        inst = np.array(pools[pat], dtype=object)
        ua[sel] = inst[(inst_pick[which == k] * len(inst)).astype(int)]
        ip[sel] = _ipv4(rng, len(sel), 0, 10 + 10 * k, 14 + 10 * k)
    # scrapers: fake a browser (mostly desktop), 8% send no user agent at all
    si = bidx[bgroup == G_SCRAPER]
    sdev = np.where(rng.random(len(si)) < 0.8, 0, 1)
    ua[si] = _human_uas(rng, sdev)
    ua[si[rng.random(len(si)) < 0.08]] = None
    ip[si] = _ipv4(rng, len(si), 2, 200, 211)
    # headless browsers: 40% admit it (HeadlessChrome / Puppeteer), the rest fake Chrome
    hi = bidx[bgroup == G_HEADLESS]
    honest = np.array(pools["HeadlessChrome"] + pools["Puppeteer"], dtype=object)
    ua[hi] = _human_uas(rng, np.zeros(len(hi), dtype=np.int64))
    admit = rng.random(len(hi)) < 0.4
    ua[hi[admit]] = honest[rng.integers(0, len(honest), size=admit.sum())]
    ip[hi] = _ipv4(rng, len(hi), 1, 240, 247)
    # monitors: UptimeRobot, Pingdom and a sneaky one with a browser user agent
    mi = bidx[bgroup == G_MONITOR]
    sneaky = human_ua_pool()["desktop"][0][0]
    mon_ua = np.array([pools["UptimeRobot"][0],
                       "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", sneaky],
                      dtype=object)
    if "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)" not in pools["[pP]ingdom"]:
        mon_ua[1] = pools["[pP]ingdom"][0]
    ua[mi] = mon_ua[mon_id]
    ip[mi] = np.array(["192.0.2.250", "192.0.2.251", "198.51.100.77"], dtype=object)[mon_id]
    country[mi] = np.array([_COUNTRIES.index("US"), _COUNTRIES.index("SE"),
                            _COUNTRIES.index("DE")])[mon_id]
    # form spam: fake browsers from a handful of addresses
    pi = bidx[bgroup == G_SPAM]
    ua[pi] = _human_uas(rng, np.where(rng.random(len(pi)) < 0.7, 0, 1))
    ip[pi] = _ipv4(rng, len(pi), -1, 230, 236)
    # in-app browsers for social visits on mobile
    inapp = in_app_ua_pool()
    for src, browser in (("facebook", "Facebook"), ("instagram", "Instagram"),
                         ("twitter", "Twitter")):
        sel = np.flatnonzero((source == src) & (device == 1) & (rng.random(S) < 0.55))
        opts = np.array(inapp[browser], dtype=object)
        if len(opts) and len(sel):
            ua[sel] = opts[rng.integers(0, len(opts), size=len(sel))]
    # a few humans send no user agent (privacy tools)
    ua[np.flatnonzero((group < G_CRAWLER) & (rng.random(S) < 0.002))] = None
    # bots' device follows their user agent
    uniq, inv = np.unique(np.where(ua[H:] == None, "", ua[H:]).astype(str),  # noqa: E711
                          return_inverse=True)
    dev_of = np.array([_DEVICES.index(_device_of(u)) for u in uniq], dtype=np.int64)
    device[H:] = dev_of[inv]
    return {"group": group, "visitor": visitor, "started": started, "channel": channel,
            "source": source, "device": device, "country": country, "ua": ua, "ip": ip,
            "n_human_visitors": np.array([V])}


def _pageviews(rng, group: np.ndarray) -> np.ndarray:
    S = len(group)
    u = rng.random(S)
    logn = rng.lognormal(0.0, 1.0, S)
    pv = np.ones(S, dtype=np.int64)
    g = group
    pv = np.where(g == G_STUMBLED, 1 + (u > 0.78) * rng.geometric(0.55, S), pv)
    pv = np.where(g == G_LOYAL, 1 + np.floor(2.2 * logn ** 0.7), pv)
    pv = np.where(g == G_HB, 1 + np.floor(2.8 * logn ** 0.8), pv)
    pv = np.where(np.isin(g, (G_OM, G_CO)), 1 + np.floor(3.2 * logn ** 0.75), pv)
    pv = np.where(g == G_CRAWLER, rng.geometric(0.55, S), pv)
    pv = np.where(g == G_SCRAPER, 8 + np.floor(9 * logn ** 0.6), pv)
    pv = np.where(g == G_HEADLESS, 2 + np.floor(5 * logn ** 0.7), pv)
    pv = np.where(g == G_MONITOR, 1, pv)
    pv = np.where(g == G_SPAM, 1 + (u < 0.3), pv)
    return np.minimum(pv, 120).astype(np.int64)


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
    cfg = config or SynthConfig()
    rng = np.random.default_rng(cfg.seed)
    start = pd.Timestamp(cfg.start, tz="UTC").normalize()
    s = _sessions(rng, cfg, start)
    group = s["group"]
    S = len(group)
    prop = cfg.propensities

    # ---- order sessions by start, give ids
    order = np.lexsort((rng.random(S), s["started"]))
    s = {k: (v[order] if k != "n_human_visitors" else v) for k, v in s.items()}
    group = s["group"]
    started = s["started"]
    # visitor ids in order of first visit
    _, first_idx, vinv = np.unique(s["visitor"], return_index=True, return_inverse=True)
    rank = np.empty(len(first_idx), dtype=np.int64)
    rank[np.argsort(first_idx, kind="stable")] = np.arange(len(first_idx))
    vnum = rank[vinv]
    is_first = np.zeros(S, dtype=bool)
    is_first[first_idx] = True
    is_returning = ~is_first | (group == G_LOYAL)

    # ---- conversions planned per session
    form_p = {g: np.array([1 - sum(p)] + [pi * getattr(prop, n) for pi, n in zip(p, _FORMS, strict=True)])
              for g, p in _FORM_P.items()}
    for g in form_p:
        form_p[g][0] = max(1 - form_p[g][1:].sum(), 0.0)
    form = _by_group(rng, group, form_p) - 1  # -1 = none, else index into _FORMS
    social = np.zeros(S, dtype=bool)
    cart = np.zeros(S, dtype=bool)
    u1, u2, u3, u4 = rng.random((4, S))
    for g in _HUMAN_GROUPS:
        m = group == g
        social |= m & (u1 < _SOCIAL_P[g] * prop.social_follow)
        cart |= m & (u2 < _CART_P[g] * prop.add_to_cart)
    checkout = cart & (u3 < _CHECKOUT_GIVEN_CART)
    pg = np.array([_PURCHASE_GIVEN_CHECKOUT.get(g, 0.0) for g in range(_N_GROUPS)])
    purchase = checkout & (u4 < np.minimum(pg[group] * prop.purchase, 1.0))
    funnel = np.where(checkout, 3, np.where(cart, 2, 0))
    pv = np.maximum(_pageviews(rng, group), funnel + (form >= 0))

    # ---- page_view events
    E = int(pv.sum())
    first = np.cumsum(pv) - pv
    sess = np.repeat(np.arange(S), pv)
    gpv = group[sess]
    page = _by_group(rng, gpv, _BROWSE)
    page[first] = _by_group(rng, group, _LANDING)
    email_land = np.flatnonzero((s["channel"] == _C["email"]) & (rng.random(S) < 0.6))
    page[first[email_land]] = _by_group(rng, group[email_land], {
        g: _page_weights({"beans": 2, "/shop/subscription": 1, "blog*": 1, "/shop": 1})
        for g in _HUMAN_GROUPS})
    paid = np.flatnonzero(s["channel"] == _C["paid_search"])
    page[first[paid]] = np.where(rng.random(len(paid)) < 0.6, _P["/pricing"], _P["/guide"])
    end = first + pv
    fs = np.flatnonzero(funnel > 0)
    prod = _by_group(rng, group[fs], _PRODUCT_P)
    page[end[fs] - funnel[fs]] = prod
    page[end[fs] - funnel[fs] + 1] = _P["/cart"]
    co = np.flatnonzero(funnel == 3)
    page[end[co] - 1] = _P["/checkout"]
    fi = np.flatnonzero(form >= 0)
    slot = end[fi] - 1 - funnel[fi]
    ftype = form[fi]
    blog_codes = np.array([_P[p] for p in _BLOG_ALL])
    is_blog = np.isin(page[slot], blog_codes)
    rand_blog = blog_codes[rng.integers(0, len(blog_codes), size=len(fi))]
    form_page = np.select(
        [ftype == 0, ftype == 1, ftype == 2],
        [np.where((rng.random(len(fi)) < 0.55) | ~is_blog, _P["/newsletter"], page[slot]),
         np.full(len(fi), _P["/guide"]), np.full(len(fi), _P["/contact"])],
        np.where(is_blog, page[slot], rand_blog))
    page[slot] = form_page

    med = np.array([_DWELL[g][0] for g in range(_N_GROUPS)])
    sig = np.array([_DWELL[g][1] for g in range(_N_GROUPS)])
    dwell = np.minimum(med[gpv] * np.exp(sig[gpv] * rng.standard_normal(E)), 1800.0)
    # form timing: humans take 5-120 s, spam bots under 3 s
    human_fs = 4.0 + rng.lognormal(np.log(22.0), 0.6, len(fi))
    spam_fs = rng.uniform(0.3, 2.8, len(fi))
    fsec = np.round(np.where(group[fi] == G_SPAM, spam_fs, np.minimum(human_fs, 600.0)), 1)
    dwell[slot] = np.maximum(dwell[slot], fsec + 1.0)
    dwell[end[co] - 1] = np.maximum(dwell[end[co] - 1], 25.0)  # filling in the checkout
    csum = np.cumsum(dwell) - dwell
    offset = csum - csum[first][sess]
    duration = np.ceil(np.add.reduceat(dwell, first) * 10) / 10

    # ---- conversion events (session, offset, name, page, value)
    names = list(CATEGORIES["event_name"])
    conv = []  # (session idx, pv event idx, time offset, name code, value)
    conv.append((fi, slot, offset[slot] + fsec,
                 np.array([names.index(n) for n in _FORMS])[ftype], np.full(len(fi), np.nan)))
    so = np.flatnonzero(social)
    spos = first[so] + (rng.random(len(so)) * pv[so]).astype(np.int64)
    conv.append((so, spos, offset[spos] + dwell[spos] * rng.uniform(0.2, 0.9, len(so)),
                 np.full(len(so), names.index("social_follow")), np.full(len(so), np.nan)))
    ppos = end[fs] - funnel[fs]
    conv.append((fs, ppos, offset[ppos] + 0.7 * dwell[ppos],
                 np.full(len(fs), names.index("add_to_cart")), np.full(len(fs), np.nan)))
    cpos = end[co] - 1
    conv.append((co, cpos, offset[cpos] + 0.05 * dwell[cpos],
                 np.full(len(co), names.index("begin_checkout")), np.full(len(co), np.nan)))
    pu = np.flatnonzero(purchase)
    price = np.array([PRODUCTS.get(p, 0.0) for p in PAGES])
    pprod = page[end[pu] - 3]
    qty = 1 + np.where(np.isin(pprod, [_P[p] for p in _BEANS]), rng.poisson(0.7, len(pu)), 0)
    addon = (rng.random(len(pu)) < 0.3) * np.array([12.5, 16.0, 13.5, 39.0])[
        rng.integers(0, 4, len(pu))]
    value = np.round(price[pprod] * qty + addon + np.where(price[pprod] * qty < 40, 4.9, 0), 2)
    conv.append((pu, end[pu] - 1, offset[end[pu] - 1] + 0.95 * dwell[end[pu] - 1],
                 np.full(len(pu), names.index("purchase")), value))
    c_sess = np.concatenate([c[0] for c in conv])
    c_pos = np.concatenate([c[1] for c in conv])
    c_off = np.concatenate([c[2] for c in conv])
    c_name = np.concatenate([c[3] for c in conv]).astype(np.int64)
    c_val = np.concatenate([c[4] for c in conv])

    ev_sess = np.concatenate([sess, c_sess])
    ev_off = np.concatenate([offset, c_off])
    ev_name = np.concatenate([np.zeros(E, dtype=np.int64), c_name])
    ev_page = np.concatenate([page, page[c_pos]])
    ev_val = np.concatenate([np.full(E, np.nan), c_val])
    ev_order = np.lexsort((ev_name, ev_off, ev_sess))
    ev_sess, ev_off, ev_name, ev_page, ev_val = (a[ev_order] for a in
                                                 (ev_sess, ev_off, ev_name, ev_page, ev_val))
    ev_ts = started[ev_sess] + np.floor(ev_off).astype(np.int64)
    n_ev = len(ev_sess)
    ev_num = np.arange(1, n_ev + 1)
    # a few conversion events recorded twice (exact duplicate rows)
    cand = np.flatnonzero(np.isin(ev_name, [names.index("purchase"),
                                            names.index("newsletter_signup")]))
    if cfg.duplicate_events and len(cand):
        dup = np.sort(rng.choice(cand, size=min(cfg.duplicate_events, len(cand)),
                                 replace=False))
        keep = np.sort(np.concatenate([np.arange(n_ev), dup]), kind="stable")
        ev_sess, ev_ts, ev_name, ev_page, ev_val, ev_num = (
            a[keep] for a in (ev_sess, ev_ts, ev_name, ev_page, ev_val, ev_num))

    # ---- form seconds per session
    form_seconds = np.full(S, np.nan)
    form_seconds[fi] = fsec

    # ---- leads
    leads = _leads(rng, cfg, start, group, vnum, s, fi, ftype, offset, slot, fsec,
                   started, pu, value, end)

    # ---- assemble typed frames
    sw = max(7, len(str(S)))
    vw = max(6, len(str(int(vnum.max()) + 1)))
    ew = max(8, len(str(n_ev)))
    sid = _ids("s", np.arange(1, S + 1), sw)
    vid = _ids("v", vnum + 1, vw)
    country = s["country"].copy()
    country[rng.random(S) < 0.025] = -1
    sessions = _typed("sessions", {
        "session_id": sid, "visitor_id": vid, "started_at": started,
        "channel": s["channel"], "source": s["source"], "landing_page": page[first],
        "device": s["device"], "country": country, "user_agent": s["ua"], "ip": s["ip"],
        "duration_s": duration, "pageviews": pv, "is_returning": is_returning,
        "form_seconds": form_seconds,
    })
    events = _typed("events", {
        "event_id": _ids("e", ev_num, ew), "session_id": sid[ev_sess],
        "visitor_id": vid[ev_sess], "timestamp": ev_ts, "event_name": ev_name,
        "page": ev_page, "value": ev_val,
    })
    n_leads = len(leads["created"])
    lw = max(6, len(str(n_leads)))
    lvid = np.where(leads["vnum"] >= 0, _ids("v", np.maximum(leads["vnum"], 0) + 1, vw), None)
    leads_df = _typed("leads", {
        "lead_id": _ids("L", np.arange(1, n_leads + 1), lw), "visitor_id": lvid,
        "created_at": leads["created"], "lead_source": leads["source"],
        "name": leads["name"], "email": leads["email"], "phone": leads["phone"],
        "company": leads["company"], "company_size": leads["company_size"],
        "industry": leads["industry"], "country": leads["country"], "stage": leads["stage"],
        "became_customer_at": leads["became"], "first_order_value": leads["value"],
    })
    answer_key = _typed("answer_key", {
        "session_id": sid, "visitor_id": vid, "segment": _SEGMENT[group],
        "bot_kind": _BOT_KIND[group], "persona": _PERSONA[group],
    })
    validate_sessions(sessions)
    validate_events(events, sessions)
    validate_leads(leads_df)
    validate_answer_key(answer_key, sessions)
    return Dataset(sessions, events, leads_df, answer_key)


_LOOKUP = {"landing_page": PAGES, "page": PAGES, "country": _COUNTRIES}


def _typed(frame: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Build a frame with the loaders' dtypes from numpy arrays.

    Timestamps come as integer seconds since the epoch (negative = missing); category
    columns as codes into ``CATEGORIES`` or as strings; ``page``, ``landing_page`` and
    ``country`` as codes into ``PAGES`` / the country list (-1 = missing).
    """
    out = {}
    for col in SCHEMAS[frame]:
        v = values[col.name]
        if col.name in _LOOKUP and np.issubdtype(np.asarray(v).dtype, np.integer):
            lut = np.array((*_LOOKUP[col.name], None), dtype=object)
            v = lut[np.where(v < 0, len(lut) - 1, v)]
        if col.kind in ("id", "str"):
            out[col.name] = pd.array(np.asarray(v, dtype=object), dtype="str")
        elif col.kind == "timestamp":
            v = np.asarray(v, dtype=np.int64)
            ts = np.where(v < 0, np.datetime64("NaT"), v.astype("datetime64[s]"))
            out[col.name] = pd.Series(ts.astype("datetime64[us]")).dt.tz_localize("UTC")
        elif col.kind == "category":
            cats = list(CATEGORIES[col.name])
            if np.issubdtype(np.asarray(v).dtype, np.integer):
                out[col.name] = pd.Categorical.from_codes(v, categories=cats)
            else:
                out[col.name] = pd.Categorical(v, categories=cats)
        else:
            out[col.name] = pd.array(v, dtype=col.dtype)
    return pd.DataFrame(out)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    if len(numbers) == 0:
        return np.zeros(0, dtype=object)
    digits = np.strings.zfill(np.asarray(numbers, dtype=np.int64).astype(f"U{width}"), width)
    return np.strings.add(prefix, digits).astype(object)


def _leads(rng, cfg, start, group, vnum, s, fi, ftype, offset, slot, fsec, started, pu,
           value, end) -> dict[str, np.ndarray]:
    """One CRM row per contact: web leads, loyal customers' old leads, trade show, spam."""
    t0 = int(start.timestamp())
    # web leads: first lead-creating event per (human) visitor
    lead_form = ftype < 3  # newsletter, guide, contact (blog comments do not make leads)
    w_sess = np.concatenate([fi[lead_form], pu])
    w_time = np.concatenate([started[fi[lead_form]]
                             + np.floor(offset[slot[lead_form]] + fsec[lead_form]),
                             started[pu] + 60])
    w_src = np.concatenate([np.array(["newsletter_signup", "guide_download", "contact_form"],
                                     dtype=object)[ftype[lead_form]],
                            np.full(len(pu), "purchase", dtype=object)])
    web = np.isin(group[w_sess], (G_STUMBLED, G_HB, G_OM, G_CO))
    w_sess, w_time, w_src = w_sess[web], w_time[web], w_src[web]
    o = np.lexsort((w_time, vnum[w_sess]))
    w_sess, w_time, w_src = w_sess[o], w_time[o], w_src[o]
    _, firsts = np.unique(vnum[w_sess], return_index=True)
    l_sess, l_time, l_src = w_sess[firsts], w_time[firsts], w_src[firsts]
    l_group = group[l_sess]
    # first purchase per visitor (for customers)
    pv_sess = pu[np.isin(group[pu], (G_STUMBLED, G_HB, G_OM, G_CO))]
    po = np.lexsort((started[pv_sess], vnum[pv_sess]))
    pv_sess = pv_sess[po]
    pvis, pfirst = np.unique(vnum[pv_sess], return_index=True)
    pur_time = started[pv_sess[pfirst]] + 60  # per visitor in pvis (sorted)
    value_of_session = np.full(len(group), np.nan)
    value_of_session[pu] = value
    pur_val = value_of_session[pv_sess[pfirst]]
    n_web = len(l_sess)

    # spam leads: every spam newsletter/contact submission
    sp = lead_form & (group[fi] == G_SPAM)
    sp_sess = fi[sp]
    sp_time = started[sp_sess] + np.floor(offset[slot[sp]] + fsec[sp])
    sp_src = np.where(ftype[sp] == 0, "newsletter_signup", "contact_form").astype(object)

    # loyal customers: one old lead each
    loyal_v = np.unique(vnum[group == G_LOYAL])
    n_loyal = len(loyal_v)
    loyal_created = t0 - rng.integers(30, 900, n_loyal) * 86400 - rng.integers(0, 86400,
                                                                              n_loyal)
    loyal_became = loyal_created + ((t0 - loyal_created) * rng.uniform(0, 0.6, n_loyal)
                                    ).astype(np.int64)
    loyal_src = np.array(["purchase", "newsletter_signup", "guide_download", "contact_form"],
                         dtype=object)[rng.choice(4, n_loyal, p=[0.55, 0.25, 0.12, 0.08])]

    # trade show: two days in the second week, office hours
    n_trade = (cfg.trade_show_leads if cfg.trade_show_leads is not None
               else round(120 * cfg.visitors / 12_000))
    show_day = min(9, cfg.days - 1)
    trade_time = (t0 + (show_day + rng.integers(0, 2, n_trade)) * 86400
                  + rng.integers(8 * 3600, 17 * 3600, n_trade))
    trade_group = rng.choice(np.array([G_OM, G_CO, G_HB]), n_trade, p=[0.55, 0.38, 0.07])

    # stack all leads: kind 0 web, 1 spam, 2 loyal, 3 trade
    kind = np.concatenate([np.zeros(n_web), np.ones(len(sp_sess)), np.full(n_loyal, 2),
                           np.full(n_trade, 3)]).astype(np.int64)
    N = len(kind)
    lg = np.concatenate([l_group, np.full(len(sp_sess), G_SPAM), np.full(n_loyal, G_LOYAL),
                         trade_group])
    created = np.concatenate([l_time, sp_time, loyal_created, trade_time]).astype(np.int64)
    source = np.concatenate([l_src, sp_src, loyal_src,
                             np.full(n_trade, "trade_show", dtype=object)])
    lv = np.concatenate([vnum[l_sess], vnum[sp_sess], loyal_v, np.full(n_trade, -1)])
    sess_country = np.concatenate([s["country"][l_sess], s["country"][sp_sess],
                                   rng.choice(len(_COUNTRIES), n_loyal, p=_COUNTRY_HUMAN),
                                   rng.choice(len(_COUNTRIES), n_trade, p=_COUNTRY_HUMAN)])
    b2b = np.isin(lg, (G_OM, G_CO))

    # stage
    stage_p = {
        0: [0.57, 0.30, 0.03, 0.0, 0.10],   # home barista, web
        1: [0.30, 0.33, 0.17, 0.12, 0.08],  # office/cafe, newsletter or guide
        2: [0.12, 0.22, 0.31, 0.27, 0.08],  # office/cafe, contact form
        3: [0.62, 0.14, 0.02, 0.0, 0.22],   # stumbled
        4: [0.30, 0.0, 0.0, 0.0, 0.70],     # spam
        5: [0.0, 0.0, 0.0, 1.0, 0.0],       # loyal
        6: [0.36, 0.28, 0.18, 0.12, 0.06],  # trade show
    }
    cls = np.select(
        [kind == 1, kind == 2, kind == 3, lg == G_STUMBLED,
         b2b & (source == "contact_form"), b2b],
        [4, 5, 6, 3, 2, 1], 0)
    stage = _by_group(rng, cls, {k: np.array(v) for k, v in stage_p.items()})
    became = np.full(N, -1, dtype=np.int64)
    fov = np.full(N, np.nan)
    # web visitors who purchased are customers from their first purchase
    web_idx = np.flatnonzero(kind == 0)
    at = np.minimum(np.searchsorted(pvis, lv[web_idx]), max(len(pvis) - 1, 0))
    bought = (pvis[at] == lv[web_idx]) if len(pvis) else np.zeros(len(web_idx), dtype=bool)
    bi = web_idx[bought]
    stage[bi] = _STAGES.index("customer")
    became[bi] = np.maximum(pur_time[at[bought]], created[bi])
    fov[bi] = pur_val[at[bought]]
    # B2B/trade customers without a web purchase: an offline sale days later
    off = np.flatnonzero((stage == _STAGES.index("customer")) & (became < 0) & (kind != 2))
    became[off] = created[off] + rng.integers(2, 45, len(off)) * 86400 + rng.integers(
        0, 86400, len(off))
    om = lg[off] == G_OM
    fov[off] = np.round(np.where(om, rng.lognormal(np.log(900), 0.6, len(off)),
                                 rng.lognormal(np.log(1500), 0.6, len(off))), 2)
    li = np.flatnonzero(kind == 2)
    became[li] = loyal_became
    fov[li] = np.round(rng.lognormal(np.log(32), 0.5, len(li)), 2)

    # names, e-mails, phones, companies
    fn = np.array(_FIRST, dtype=object)[rng.integers(0, len(_FIRST), N)]
    ln = np.array(_LAST, dtype=object)[rng.integers(0, len(_LAST), N)]
    name = fn + " " + ln
    adj = rng.integers(0, len(_ADJ), N)
    noun = rng.integers(0, len(_NOUN), N)
    ind = rng.choice(len(_OFFICE_INDUSTRY), N, p=[x[2] for x in _OFFICE_INDUSTRY])
    cafe_suffix = np.array(_CAFE_SUFFIX, dtype=object)[rng.integers(0, len(_CAFE_SUFFIX), N)]
    base_co = np.array(_ADJ, dtype=object)[adj] + " " + np.array(_NOUN, dtype=object)[noun]
    company = np.where(lg == G_OM,
                       base_co + " " + np.array([x[1] for x in _OFFICE_INDUSTRY],
                                                dtype=object)[ind],
                       base_co + " " + cafe_suffix)
    industry = np.where(lg == G_OM, np.array([x[0] for x in _OFFICE_INDUSTRY],
                                             dtype=object)[ind], "hospitality")
    size = np.where(lg == G_OM, np.clip(np.round(rng.lognormal(np.log(45), 0.9, N)), 10, 500),
                    np.clip(np.round(rng.lognormal(np.log(8), 0.7, N)), 1, 50))
    has_firm = b2b & (rng.random(N) < 0.9)
    company = np.where(has_firm, company, None)
    industry = np.where(has_firm & (rng.random(N) < 0.93), industry, None)
    size = np.where(has_firm & (rng.random(N) < 0.85), size, np.nan)
    slug = (np.array([a.lower() for a in _ADJ], dtype=object)[adj]
            + np.array([n.lower() for n in _NOUN], dtype=object)[noun])
    generic = np.array(["example.com", "example.org", "example.net"], dtype=object)[
        rng.choice(3, N, p=[0.6, 0.25, 0.15])]
    domain = np.where(has_firm & (rng.random(N) < 0.85), slug + ".example", generic)
    disposable = np.array(DISPOSABLE_DOMAINS, dtype=object)[
        rng.integers(0, len(DISPOSABLE_DOMAINS), N)]
    domain = np.where(~b2b & (rng.random(N) < 0.025), disposable, domain)
    fl, ll = (np.array([x.lower() for x in a], dtype=object) for a in (fn, ln))
    style = rng.integers(0, 3, N)
    local = np.select([style == 0, style == 1],
                      [fl + "." + ll, np.array([x[0] for x in fl], dtype=object) + ll],
                      fl + ll + rng.integers(1, 99, N).astype(str).astype(object))
    email = local + "@" + domain
    # invalid e-mails (about 3%): missing @, doubled @, a space
    bad = rng.random(N)
    email = np.where(bad < 0.010, local + "." + domain, email)
    email = np.where((bad >= 0.010) & (bad < 0.020), local + "@@" + domain, email)
    email = np.where((bad >= 0.020) & (bad < 0.030), fn.astype(str).astype(object) + " "
                     + ll + "@" + domain, email)
    email = np.where(rng.random(N) < 0.02, None, email)
    phone = np.where(rng.random(N) < np.where(b2b, 0.6, 0.12),
                     "+44 20 7946 0" + rng.integers(0, 1000, N).astype(str).astype(object),
                     None)
    phone = np.where(phone == None, None, np.where(  # noqa: E711
        rng.random(N) < 0.2, "020 7946 0" + rng.integers(0, 1000, N).astype(str).astype(
            object), phone))
    # spam: junk names and throwaway addresses
    si = np.flatnonzero(kind == 1)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"), dtype=object)
    junk = letters[rng.integers(0, len(letters), (len(si), 8))].sum(axis=1)
    name[si] = np.array(["SEO Services", "Crypto Deals", "Best Offer", "asdf qwer", "Test Test",
                         "Web Design Pro"], dtype=object)[rng.integers(0, 6, len(si))]
    email[si] = junk + "@" + disposable[si]
    phone[si] = None
    country = np.array(_COUNTRIES, dtype=object)[sess_country]
    country[rng.random(N) < 0.06] = None

    o = np.lexsort((lv, created))
    out = {"created": created, "vnum": lv, "source": source, "name": name, "email": email,
           "phone": phone, "company": company, "company_size": size, "industry": industry,
           "country": country, "stage": np.array(_STAGES, dtype=object)[stage],
           "became": became, "value": fov}
    return {k: v[o] for k, v in out.items()}


# --------------------------------------------------------------------------- writing
_DECIMALS = {"duration_s": 1, "form_seconds": 1, "value": 2, "first_order_value": 2}
_CLOCK: list[np.ndarray] = []


def _clock() -> np.ndarray:
    """'THH:MM:SSZ' for every second of a day (built once)."""
    if not _CLOCK:
        sec = np.arange(86400)
        _CLOCK.append(np.array([f"T{h:02d}:{m:02d}:{x:02d}Z" for h, m, x in
                                zip(sec // 3600, sec // 60 % 60, sec % 60, strict=True)], dtype=object))
    return _CLOCK[0]


def _text(col, s: pd.Series) -> np.ndarray:
    """One column as an object array of CSV field strings ('' when missing)."""
    missing = s.isna().to_numpy(dtype=bool)
    if len(s) == 0:
        return np.zeros(0, dtype=object)
    if col.kind == "timestamp":
        sec = (_naive_seconds(s))
        day, tod = np.divmod(np.where(missing, 0, sec), 86400)
        days, inv = np.unique(day, return_inverse=True)
        dates = np.datetime_as_string((days * 86400).astype("datetime64[s]"), unit="D")
        out = dates.astype(object)[inv] + _clock()[tod]
    elif col.kind == "float":
        d = _DECIMALS.get(col.name, 2)
        x = np.where(missing, 0.0, s.to_numpy(dtype=float, na_value=np.nan))
        iv = np.round(np.abs(x) * 10**d).astype(np.int64)
        whole, frac = np.divmod(iv, 10**d)
        sign = np.where(x < 0, "-", "").astype(object)
        fracs = np.strings.zfill(frac.astype(f"U{d}"), d).astype(object)
        out = sign + whole.astype(str).astype(object) + "." + fracs
    elif col.kind in ("int", "Int"):
        out = np.where(missing, 0, s.to_numpy(dtype=float, na_value=0)).astype(
            np.int64).astype(str).astype(object)
    elif col.kind == "bool":
        out = np.where(s.to_numpy(dtype=bool), "True", "False").astype(object)
    elif col.kind == "category":
        codes = s.cat.codes.to_numpy()
        out = np.array((*map(str, s.cat.categories), ""), dtype=object)[codes]
    else:
        out = s.to_numpy(dtype=object, na_value="")
    if missing.any():
        out = np.where(missing, "", out)
    return out


def _naive_seconds(s: pd.Series) -> np.ndarray:
    naive = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    return naive.astype(np.int64)


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
        df = getattr(dataset, frame)
        cols = [c for c in SCHEMAS[frame] if c.name in df.columns]
        fields = [_text(c, df[c.name]) for c in cols]
        path = folder / f"{frame}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([c.name for c in cols])
            writer.writerows(zip(*fields, strict=True))
        paths[frame] = path
    return paths


def _visitors_for(sessions: int, bot_share: float) -> int:
    """Human visitors that give about ``sessions`` sessions in all (28-day window)."""
    per_visitor = 0.63 * 1.08 + 0.06 * 4.0 + 0.31 * 2.0
    return max(10, round(sessions * (1 - bot_share) / per_visitor))


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.synth --out data [--seed ... --scale N]``."""
    p = argparse.ArgumentParser(prog="python -m helpers.synth",
                                description="Generate the kit's synthetic data as CSV.")
    d = SynthConfig()
    p.add_argument("--out", required=True, help="folder to write the four CSV files to")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--start", default=d.start, help="first day, YYYY-MM-DD (UTC)")
    p.add_argument("--days", type=int, default=d.days)
    p.add_argument("--visitors", type=int, default=d.visitors, help="human visitors")
    p.add_argument("--bot-share", type=float, default=d.bot_share)
    p.add_argument("--scale", type=int, default=None, metavar="SESSIONS",
                   help="about this many sessions (overrides --visitors), for benchmarks")
    a = p.parse_args(argv)
    visitors = _visitors_for(a.scale, a.bot_share) if a.scale else a.visitors
    try:
        cfg = SynthConfig(seed=a.seed, start=a.start, days=a.days, visitors=visitors,
                          bot_share=a.bot_share)
    except ValueError as exc:
        p.error(str(exc))
    t = time.perf_counter()
    ds = generate(cfg)
    t_gen = time.perf_counter() - t
    paths = write(ds, a.out)
    t_all = time.perf_counter() - t
    size = sum(pp.stat().st_size for pp in paths.values()) / 1e6
    print(f"{len(ds.sessions):,} sessions, {len(ds.events):,} events, {len(ds.leads):,} "
          f"leads -> {a.out} ({size:.1f} MB; generated in {t_gen:.1f} s, "
          f"written in {t_all - t_gen:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
