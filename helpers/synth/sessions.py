"""Sessions: human visitors and their visits, bot sessions (one function per kind of bot),
start times, sources, user agents and addresses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from helpers.synth.agents import _device_of, crawler_ua_pool, human_ua_pool, in_app_ua_pool
from helpers.synth.behaviour import (
    _BOT_REFERRER,
    _CHANNEL_INDEX,
    _CHANNEL_MIX,
    _COUNTRIES,
    _COUNTRY_BOT,
    _COUNTRY_HUMAN,
    _DEVICE_MIX,
    _DEVICES,
    _EMAIL_CAMPAIGN,
    _HOURLY,
    _IN_APP_SHARE,
    _IN_APP_SOURCES,
    _IPV6_SHARE,
    _NO_AGENT_HUMANS,
    _SOURCES,
    _WEEKLY,
    BOT_GROUPS,
    BOT_MIX,
    CRAWLER_PATTERNS,
    HUMAN_GROUPS,
    RETURN_VISITS,
    SEGMENTS,
    Group,
    _per_group,
)
from helpers.synth.config import SynthConfig


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
