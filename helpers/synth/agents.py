"""Real user-agent strings, read from the pinned fake-useragent and crawler-user-agents."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

import numpy as np

from helpers.synth.behaviour import (
    _HEADLESS_PATTERNS,
    _IN_APP_BROWSERS,
    _MONITOR_PATTERNS,
    CRAWLER_PATTERNS,
)


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
