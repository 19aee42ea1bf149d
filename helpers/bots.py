"""Find bots in web sessions, by user agent and by behaviour, and say why.

Every session gets a verdict (``is_bot``) and the reason for it (``bot_reason``);
nothing is dropped. :func:`label` adds the verdict, :func:`split` and :func:`filter`
separate humans from bots, :func:`report` counts what a filter removes (and reconciles
with the rows that came in), :func:`evaluate` grades the verdicts against the truth, and
:func:`ua_verdicts` shows, agent by agent, what the public list matched, what it missed
and what the allow-list saved.

Two layers
----------
**User agent.** A session is a bot when its user agent

1. matches the maintained public list of crawler patterns from the
   ``crawler-user-agents`` package (pinned to an exact release in pyproject.toml),
   unless an :data:`ALLOW_LIST` entry excuses that very pattern for that agent
   (the list's known false positives: in-app browsers and app names that collide with
   a pattern) -> reason ``"ua:list"``;
2. declares itself in a way the list misses: words like *bot*, *crawl*, *spider*,
   *scrape*, a headless browser, an HTTP library or command-line client, a fetcher,
   checker or monitor, a URL inside the agent (the generic fallback,
   :data:`FALLBACK_TOKENS`; ``fallback=False`` switches it off)
   -> ``"ua:fallback:<token>"``, token one of garbage (injection payloads, strings
   without a letter), bot, crawl, spider, scrape, headless, scanner (security scanners),
   http-client, tool (monitoring, load-testing and infrastructure tools), google-service
   (Google's fetchers without a bot word), fetcher, url;
3. is empty, missing or ``"-"``: browsers always send one -> ``"ua:missing"``
   (``BotRules(missing_ua=False)`` switches this off).

4. opt-in (``label(..., shape=True)``): is not shaped like a browser
   (:data:`BROWSER_SHAPE`) -> ``"ua:shape"``. It catches most of what the rules above
   miss and flags far more long-tail devices: a precision/recall trade-off.

The list is matched as written on agents in mixed case (as ``crawleruseragents.is_crawler``
does) and case-insensitively on agents written in one case, so a pipeline that lower-cases
agents keeps its verdicts; the fallback is case-insensitive (ASCII). The device-model slot
of an Android agent ("Linux; [U; ]Android 15; [en-us; ]<model> Build/...") is masked
before any pattern runs: phones named "B BOT 50", "Forward Ruby" or "HTC Butterfly" are
not clients named so.

Measured (December 2026) on public collections the rules were not written from, the
default user-agent layer flags 85.1% of CrawlerDetect's crawlers (3,713 distinct agents)
and 85.9% of Matomo device-detector's bots (1,347), and 0% of CrawlerDetect's browser
strings (every 110th line of its devices list: 1,506), 0.14% of Matomo's smartphone,
desktop and tablet fixtures (3 of 2,143: Wget and two apps that put a URL in their agent)
and 0% of fake_useragent's 839 browser agents.

**Behaviour.** Rules on what the session did, with thresholds in :class:`BotRules`:
``"behaviour:robots_txt"`` (asked for /robots.txt, when the data records it),
``"behaviour:too_fast"`` (several pages in almost no time),
``"behaviour:pages_per_minute"`` (faster than anyone reads),
``"behaviour:schedule"`` (the same page hit on a clock by the same visitor, IP or agent),
``"behaviour:fast_form"`` (a form filled in faster than anyone can type) and
``"behaviour:spread"`` (one agent string from many addresses within minutes).

When several reasons fire, ``bot_reason`` holds the first in :data:`REASONS` order
(user agent before behaviour: what a client says about itself is the strongest
evidence) and ``bot_reasons`` lists them all, separated by ``"; "``.

How it stays fast
-----------------
Each *distinct* user agent is classified once and the verdicts are mapped back to the
rows with ``pd.factorize`` codes; nothing loops over rows. Running ~1,500 regular
expressions on every distinct agent would still cost ~0.2 ms each (that is what
``crawleruseragents.is_crawler`` spends per call), so the patterns go through an exact
pre-filter first:

* every pattern (list and fallback) must contain some fixed text (``Googlebot\\/`` needs
  ``googlebot/``); we parse each pattern once, take its fixed texts and pick the
  three-letter piece of them that is rarest in real agents (a *trigram*);
* all distinct agents are lower-cased and joined into one byte buffer, and NumPy looks up
  every three-byte window of that buffer in a 16 M-entry table of the chosen trigrams:
  one vectorised pass, a few nanoseconds per byte;
* only the (agent, pattern) pairs whose trigram occurs are checked with the real regular
  expression. An ordinary browser string usually contains none of the trigrams and costs
  no regular expression at all.

The screen is exact, not a heuristic: a pattern can only match an agent that contains its
fixed text, so it can only skip pairs that cannot match (a test compares it with a brute
force run of every pattern). The compiled patterns and the table are built lazily, once
per process (``functools.lru_cache``); nothing module-level is mutable.

Examples
--------
>>> import pandas as pd
>>> sessions = pd.DataFrame({
...     "session_id": ["s1", "s2", "s3"],
...     "user_agent": [
...         "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
...         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
...         "(KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
...         "",
...     ],
... })
>>> label(sessions, BotRules.ua_only())[["session_id", "is_bot", "bot_reason"]]
  session_id  is_bot  bot_reason
0         s1    True     ua:list
1         s2   False
2         s3    True  ua:missing
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ._frames import need_rows as _need_rows
from ._frames import need_times as _need_times
from ._frames import need_unique as _need_unique
from ._frames import need_zone as _need_zone
from .metrics import scores
from .networks import network_of
from .user_agents import (
    _MISSING_UA,
    ALLOW_LIST,
    FALLBACK_TOKENS,
    AllowEntry,
    _AgentVerdicts,
    _browser_shape,
    _classify,
    _matcher,
)

__all__ = [
    "ALLOW_LIST",
    "FALLBACK_TOKENS",
    "REASONS",
    "AllowEntry",
    "BotRules",
    "Evaluation",
    "evaluate",
    "filter",
    "label",
    "report",
    "split",
    "ua_verdicts",
]

#: Every ``bot_reason`` value, in precedence order ("" means human).
#: ``ua:fallback`` is followed by the token that fired, e.g. ``ua:fallback:http-client``.
REASONS: tuple[str, ...] = (
    "ua:list",
    "ua:fallback:<token>",
    "ua:missing",
    "ua:shape",
    "behaviour:robots_txt",
    "behaviour:too_fast",
    "behaviour:pages_per_minute",
    "behaviour:schedule",
    "behaviour:fast_form",
    "behaviour:spread",
    "net:datacenter",
)

_BEHAVIOUR = ("robots_txt", "too_fast", "pages_per_minute", "schedule", "fast_form", "spread")
#: Every per-session rule as a bit of one mask: the behaviour rules, then the network rule.
_BIT_REASONS = tuple(f"behaviour:{name}" for name in _BEHAVIOUR) + ("net:datacenter",)
_MASKS = 1 << len(_BIT_REASONS)

# ---------------------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BotRules:
    """Thresholds of the bot rules, with the reasoning behind each default.

    Set a rule's main threshold to ``None`` to switch that rule off;
    :meth:`ua_only` switches every behaviour rule off at once.

    Parameters
    ----------
    missing_ua : bool, default True
        Flag sessions without a user agent (empty, missing or ``"-"``). Every browser sends
        one; scripts and some privacy proxies do not. Switch off when your export loses
        the field for real visitors.
    too_fast_seconds : float or None, default 2.0
        ``behaviour:too_fast`` fires when ``duration_s`` is *below* this while
        ``pageviews`` is at least ``too_fast_min_pages``: a page takes about a second to
        load and be seen, so several pages in under two seconds were fetched, not read.
    too_fast_min_pages : int, default 3
        See ``too_fast_seconds``. One- and two-page visits are excluded because analytics
        tools record ~0 s for a visit whose last page got no further hit.
    max_pages_per_minute : float or None, default 30.0
        ``behaviour:pages_per_minute`` fires when ``pageviews / (duration_s / 60)`` is
        *above* this: one page every two seconds, sustained, is faster than anyone reads
        (brisk human browsing of a shop stays under ~10 pages a minute; in the kit's
        data no human session reaches 9).
    pages_per_minute_min_pages : int, default 3
        Pages a session needs before its pace counts: three pages give two page-to-page
        gaps, the fewest that show a pace; with two, one quick click back would decide.
    schedule_min_sessions : int or None, default 6
        ``behaviour:schedule`` looks at groups of sessions from one client (the same
        ``visitor_id``, or the same ``ip``) on the same ``landing_page``: an uptime monitor
        or a scraper on a timer opens one page at evenly spaced times. A group needs at
        least this many sessions (any visit in the group counts). Six sessions give five
        gaps, enough for a beat to show.
    schedule_tolerance_seconds : float, default 60.0
        How far, in seconds, a gap between two starts of a group may be from the group's
        *median* gap and still be *on the beat*. An ABSOLUTE tolerance: timers are regular
        to the second whatever their period (a 5-minute monitor with 20 s of jitter on each
        start has gaps of 300 ± 40 s), while a person's habit is regular to the quarter of
        an hour at best (every weekday at 09:00 ± 30 min gives gaps of 24 h ± up to an
        hour, almost none within a minute of the median). A relative tolerance (5% of the
        median, the rule before) flagged that person (±72 min on a 24 h beat) and missed
        the jittery monitor (±15 s on 300 s).
    schedule_tolerance : float, default 0.25
        The tolerance is also at most this share of the median gap, so that a group with
        short gaps (a busy page seen by many people sharing one agent string: gaps of tens
        of seconds) is not on a beat just because all its gaps are short.
    schedule_min_on_beat : float, default 0.8
        Share of a group's gaps that must be on the beat for the group to be on a
        schedule; then its sessions next to an on-beat gap (to the previous or to the next
        session) are flagged, and a visit between two beats is not. Below 1 so that a few
        other visits in the group do not hide a timer: a person behind the monitor's IP
        address who opens the same page splits one beat into two odd gaps, so 0.8
        tolerates one such visit per nine beats (18 in four weeks of a monitor every 4 h),
        or one missed beat per five. People's visits to one page are not evenly spaced:
        most of their gaps miss any beat. Timing alone cannot clear a visit that falls
        within the tolerance of a beat: it is flagged with the timer. Sessions of a group
        at the same instant share their verdict.
    schedule_keys : tuple of str, default ("visitor_id", "ip", "user_agent")
        Columns that identify "the same client"; each one present is tried. The user
        agent catches a monitor that rotates its probe addresses (every probe sends the
        same agent string); the median-share cap above keeps a popular browser string
        from looking like a timer. Absent columns are skipped; with none present, or
        without ``landing_page`` (optional in the schema), the rule is skipped with a
        warning.
    robots_txt : bool, default True
        ``behaviour:robots_txt`` fires for sessions whose boolean column ``robots_txt`` is
        True (the session requested ``/robots.txt``, as the web-log loader records).
        Browsers never ask for it; crawlers do, even those that pose as a browser. Data
        without the column skips the rule silently (analytics exports cannot see it).
    spread_min_ips : int or None, default 20
        ``behaviour:spread`` fires when one user-agent string comes from at least this many
        distinct ``ip`` addresses within ``spread_window_minutes``: a crawler spread over a
        pool of addresses. In the kit's data no human's agent string comes from more than
        6 addresses in any 10 minutes (and no bot's from more than 3: the kit's bots do
        not spread); on a busy site a popular browser string can, so raise it with traffic
        (or set None). Needs ``ip``, ``started_at`` and the user agent; data without
        ``ip`` (analytics exports) skips it silently, without ``started_at`` with a
        warning.
    spread_window_minutes : float, default 10.0
        See ``spread_min_ips``.
    fast_form_seconds : float or None, default 3.0
        ``behaviour:fast_form`` fires when ``form_seconds`` (from loading a form to
        submitting it) is *below* this. Typing even an e-mail address takes a person
        several seconds, and browser autofill still needs the page read and a click or
        two; form-spam bots post within a second or two. Three seconds is the usual
        "time trap" of anti-spam form plugins. Empty ``form_seconds`` (no form) never
        fires.

    Examples
    --------
    >>> BotRules().max_pages_per_minute
    30.0
    >>> BotRules(fast_form_seconds=None, robots_txt=False).enabled
    ('too_fast', 'pages_per_minute', 'schedule', 'spread')
    >>> BotRules.ua_only().enabled
    ()
    """

    missing_ua: bool = True
    too_fast_seconds: float | None = 2.0
    too_fast_min_pages: int = 3
    max_pages_per_minute: float | None = 30.0
    pages_per_minute_min_pages: int = 3
    schedule_min_sessions: int | None = 6
    schedule_tolerance_seconds: float = 60.0
    schedule_tolerance: float = 0.25
    schedule_min_on_beat: float = 0.8
    schedule_keys: tuple[str, ...] = ("visitor_id", "ip", "user_agent")
    fast_form_seconds: float | None = 3.0
    robots_txt: bool = True
    spread_min_ips: int | None = 20
    spread_window_minutes: float = 10.0

    def __post_init__(self) -> None:
        for name in ("too_fast_seconds", "max_pages_per_minute", "fast_form_seconds"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(
                    f"BotRules(): {name} must be a positive number of seconds/pages or None "
                    f"(rule off); got {value!r}."
                )
        for name in ("too_fast_min_pages", "pages_per_minute_min_pages"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise ValueError(f"BotRules(): {name} must be an integer >= 1.")
        if self.schedule_min_sessions is not None and not (
            isinstance(self.schedule_min_sessions, int) and self.schedule_min_sessions >= 3
        ):
            raise ValueError(
                "BotRules(): schedule_min_sessions must be an integer >= 3 (two gaps at "
                f"least) or None (rule off); got {self.schedule_min_sessions!r}."
            )
        tolerance = self.schedule_tolerance
        if not (isinstance(tolerance, (int, float)) and 0 <= tolerance < 1):
            raise ValueError(
                "BotRules(): schedule_tolerance is the largest share of the median gap the "
                f"tolerance may be, between 0 and 1 (0.25 means 25%); got {tolerance!r}."
            )
        seconds = self.schedule_tolerance_seconds
        if not (isinstance(seconds, (int, float)) and seconds >= 0):
            raise ValueError(
                "BotRules(): schedule_tolerance_seconds is a number of seconds >= 0 (60 means "
                f"a gap within a minute of the median is on the beat); got {seconds!r}."
            )
        if self.spread_min_ips is not None and not (
            isinstance(self.spread_min_ips, int) and self.spread_min_ips >= 2
        ):
            raise ValueError(
                "BotRules(): spread_min_ips must be an integer >= 2 or None (rule off); got "
                f"{self.spread_min_ips!r}."
            )
        window = self.spread_window_minutes
        if not (isinstance(window, (int, float)) and window > 0):
            raise ValueError(
                f"BotRules(): spread_window_minutes must be a positive number; got {window!r}."
            )
        share = self.schedule_min_on_beat
        if not (isinstance(share, (int, float)) and 0 < share <= 1):
            raise ValueError(
                "BotRules(): schedule_min_on_beat is a share of the gaps, above 0 and at most "
                f"1 (0.8 means 80%); got {share!r}."
            )
        if isinstance(self.schedule_keys, str):
            object.__setattr__(self, "schedule_keys", (self.schedule_keys,))

    @classmethod
    def ua_only(cls, *, missing_ua: bool = True) -> BotRules:
        """Rules with every behaviour rule off: judge by the user agent alone."""
        return cls(
            missing_ua=missing_ua,
            too_fast_seconds=None,
            max_pages_per_minute=None,
            schedule_min_sessions=None,
            fast_form_seconds=None,
            robots_txt=False,
            spread_min_ips=None,
        )

    @property
    def enabled(self) -> tuple[str, ...]:
        """Names of the behaviour rules that are switched on, in precedence order."""
        on = {
            "robots_txt": self.robots_txt,
            "spread": self.spread_min_ips is not None,
            "too_fast": self.too_fast_seconds is not None,
            "pages_per_minute": self.max_pages_per_minute is not None,
            "schedule": self.schedule_min_sessions is not None,
            "fast_form": self.fast_form_seconds is not None,
        }
        return tuple(name for name in _BEHAVIOUR if on[name])


_SWITCH_OFF = {
    "too_fast": "too_fast_seconds=None",
    "pages_per_minute": "max_pages_per_minute=None",
    "schedule": "schedule_min_sessions=None",
    "fast_form": "fast_form_seconds=None",
    "robots_txt": "robots_txt=False",
    "spread": "spread_min_ips=None",
}

# ---------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------


def _check_frame(func: str, frame: object, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func}(): {name} must be a pandas DataFrame; got {type(frame).__name__}.")
    return frame


def _columns_text(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    return ", ".join(cols[:30]) + (", ..." if len(cols) > 30 else "") if cols else "(none)"


def _agent_codes(
    func: str, sessions: pd.DataFrame, ua_column: str
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Factorize the user-agent column: codes per row, distinct agents, missing flags."""
    if ua_column not in sessions.columns:
        guess = [c for c in sessions.columns if re.search(r"agent|^ua$|browser", str(c), re.I)]
        hint = f"ua_column={guess[0]!r}" if guess else "ua_column='<your column>'"
        raise KeyError(
            f"{func}(): sessions has no column {ua_column!r}. It has: "
            f"{_columns_text(sessions)}. Rename it or pass {hint}."
        )
    column = sessions[ua_column]
    if isinstance(column, pd.DataFrame):
        raise ValueError(f"{func}(): sessions has more than one column named {ua_column!r}.")
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = list(uniques)
    bad = [i for i, v in enumerate(values) if not isinstance(v, str) and not _is_na(v)]
    if bad:
        rows = np.flatnonzero(np.isin(codes, bad))
        examples = ", ".join(
            f"row {_plain(sessions.index[r])!r}: {column.iloc[r]!r} "
            f"({type(column.iloc[r]).__name__})"
            for r in rows[:3]
        )
        raise TypeError(
            f"{func}(): column {ua_column!r} must hold text (user-agent strings); "
            f"{len(rows)} row(s) hold something else, e.g. {examples}. Empty or missing "
            f"values are fine. Fix the export, or convert with "
            f"sessions[{ua_column!r}].astype(str) if the values really are agents."
        )
    if any(not isinstance(v, str) for v in values):  # NA-like uniques (e.g. pd.NA)
        na = [i for i, v in enumerate(values) if not isinstance(v, str)]
        remap = np.arange(len(values))
        remap[na] = -1
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        values = [v if isinstance(v, str) else "" for v in values]
    missing = np.fromiter((v.strip() in _MISSING_UA for v in values), bool, len(values))
    return codes, values, missing


def _plain(value: object) -> object:
    """NumPy scalars as plain Python values, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def _is_na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _need(func: str, sessions: pd.DataFrame, rule: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in sessions.columns]
    if missing:
        raise KeyError(
            f"{func}(): rule '{rule}' needs column(s) {', '.join(map(repr, missing))}, which "
            f"sessions does not have. It has: {_columns_text(sessions)}. Rename your columns, "
            f"or switch the rule off with rules=BotRules({_SWITCH_OFF[rule]}) "
            f"(or BotRules.ua_only() to judge by user agent alone)."
        )


def _numbers(func: str, sessions: pd.DataFrame, column: str, unit: str) -> np.ndarray:
    values = sessions[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype) or pd.api.types.is_timedelta64_dtype(values.dtype):
        raise TypeError(
            f"{func}(): column {column!r} must hold numbers ({unit}), got dtype {values.dtype}. "
            "Fix the export or convert it, e.g. with .dt.total_seconds() for a duration."
        )
    try:
        numbers = pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (ValueError, TypeError):
        coerced = pd.to_numeric(values, errors="coerce")
        bad = values[coerced.isna() & values.notna()]
        examples = ", ".join(f"row {_plain(i)!r}: {v!r}" for i, v in bad.head(3).items())
        raise ValueError(
            f"{func}(): column {column!r} must hold numbers ({unit}); {len(bad)} row(s) do "
            f"not, e.g. {examples}. Fix the export or convert with pd.to_numeric(...)."
        ) from None
    if (numbers < 0).any():
        raise ValueError(
            f"{func}(): column {column!r} has {int((numbers < 0).sum())} negative value(s) "
            f"({unit} cannot be negative); fix the export or drop those rows."
        )
    return numbers


def _timestamps(func: str, sessions: pd.DataFrame, column: str) -> np.ndarray:
    values = sessions[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        try:
            values = pd.to_datetime(values, utc=True, format="ISO8601")
        except (ValueError, TypeError) as err:
            raise ValueError(
                f"{func}(): column {column!r} must hold timestamps (ISO-8601, e.g. "
                f"2024-03-01T09:30:00Z); {err}. Load the file with helpers.data or convert "
                f"with pd.to_datetime(..., utc=True)."
            ) from None
    values = _need_zone(func, "sessions", values, column).dt.tz_localize(None)  # naive: refused
    as_ns = values.astype("datetime64[ns]").to_numpy()
    seconds = as_ns.astype(np.int64).astype(float) / 1e9
    seconds[np.isnat(as_ns)] = np.nan
    return seconds


# ---------------------------------------------------------------------------------------
# Behaviour rules (each returns a boolean array aligned with the rows)
# ---------------------------------------------------------------------------------------


def _schedule(func: str, sessions: pd.DataFrame, rules: BotRules) -> np.ndarray:
    """Sessions of a group (client and page) on a beat: see ``BotRules.schedule_*``.

    Vectorised over all groups at once: two integer sorts and a few ``bincount``; no
    Python loop over groups or rows.
    """
    keys = [k for k in rules.schedule_keys if k in sessions.columns]
    _need(func, sessions, "schedule", ["started_at", "landing_page"])
    n = len(sessions)
    start = _timestamps(func, sessions, "started_at")
    page, page_values = pd.factorize(sessions["landing_page"], use_na_sentinel=True)
    # time order, shared by all keys (NaT last; the order of ties does not matter: sessions
    # of a group at the same instant get the same verdict, see below)
    by_time = np.argsort(start)
    flagged = np.zeros(n, dtype=bool)
    for key in keys:
        client, _ = pd.factorize(sessions[key], use_na_sentinel=True)
        valid = (client >= 0) & (page >= 0) & ~np.isnan(start)
        if not valid.any():
            continue
        group_key = client.astype(np.int64) * (len(page_values) + 1) + page
        order = by_time[valid[by_time]]  # valid rows in time order
        gid, _ = pd.factorize(group_key[order])  # compact group id, rows still in time order
        # Only groups with enough sessions can be on a schedule: drop the rest before sorting
        # (in real traffic that is almost every group).
        sessions_per = np.bincount(gid)
        keep = (sessions_per >= rules.schedule_min_sessions)[gid]
        if not keep.any():
            continue
        order, gid = order[keep], gid[keep]
        # Rows grouped, each group in time order. Sorting one integer key (group, position
        # in time) is several times faster than a stable argsort or a lexsort.
        m = len(order)
        key = np.sort(gid.astype(np.int64) * m + np.arange(m))
        g = key // m
        rows = order[key - g * m]
        # gap i is between rows i and i + 1, when they belong to the same group
        t = start[rows]
        gap_at = np.flatnonzero(g[1:] == g[:-1])
        gaps = np.diff(t)[gap_at]
        gg = g[gap_at]
        # median gap of each group: the gaps sorted within each group (again one integer
        # key: group, rank of the gap among all gaps), then the middle one or two
        k = len(gaps)
        by_size = np.argsort(gaps)
        rank = np.empty(k, dtype=np.int64)
        rank[by_size] = np.arange(k)
        sorted_gaps = gaps[by_size][np.sort(gg * k + rank) % k]
        n_groups = len(sessions_per)
        n_gaps = np.bincount(gg, minlength=n_groups)
        first = np.cumsum(n_gaps) - n_gaps
        median = np.zeros(n_groups)  # groups dropped above have no gap and stay at 0
        has = n_gaps > 0
        low = sorted_gaps[first[has] + (n_gaps[has] - 1) // 2]
        high = sorted_gaps[first[has] + n_gaps[has] // 2]
        median[has] = (low + high) / 2.0
        # a gap is on the beat when it is within the tolerance of its group's median
        beat = median[gg]
        tolerance = np.minimum(rules.schedule_tolerance_seconds, rules.schedule_tolerance * beat)
        on_beat = (beat > 0) & (np.abs(gaps - beat) <= tolerance)
        n_on = np.bincount(gg, weights=on_beat, minlength=n_groups)
        # (a hair of slack: 55 of 100 gaps must meet a share of 0.55, and 0.55 * 100 > 55)
        regular = has & (n_on >= rules.schedule_min_on_beat * n_gaps - 1e-9)
        # flag a session whose gap to the previous or to the next session is on the beat:
        # a visit that falls between two beats (a person behind the same IP) is not
        hit = np.zeros(len(rows), dtype=bool)
        hit[gap_at[on_beat]] = True
        hit[gap_at[on_beat] + 1] = True
        # sessions of a group at the same instant share the verdict, whatever their order
        same = (g[1:] == g[:-1]) & (t[1:] == t[:-1])
        if same.any():
            instant = np.concatenate([[0], np.cumsum(~same)])
            hit = np.bincount(instant, weights=hit)[instant] > 0
        flagged[rows[hit & regular[g]]] = True
    return flagged


def _booleans(func: str, sessions: pd.DataFrame, column: str) -> np.ndarray:
    """A True/False column as a bool array; missing values are False. Text is refused."""
    values = sessions[column]
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).to_numpy(dtype=bool)
    present = values[values.notna()]
    if len(present) and present.map(lambda v: isinstance(v, (bool, np.bool_))).all():
        return values.map(lambda v: bool(v) if isinstance(v, (bool, np.bool_)) else False).to_numpy(
            dtype=bool
        )
    examples = ", ".join(f"row {_plain(i)!r}: {v!r}" for i, v in present.head(3).items())
    raise TypeError(
        f"{func}(): column {column!r} must hold True/False; it holds {values.dtype} values, "
        f"e.g. {examples}. Text such as 'True'/'False' or 'yes'/'no' is not read as a "
        f"boolean: convert it yourself, e.g. sessions[{column!r}].map({{'True': True, "
        f"'False': False}}), so that nothing is guessed."
    )


def _spread(func: str, sessions: pd.DataFrame, rules: BotRules, ua_column: str) -> np.ndarray:
    """Sessions whose agent string comes from many addresses within a short window."""
    n = len(sessions)
    start = _timestamps(func, sessions, "started_at")
    agent, agent_values = pd.factorize(sessions[ua_column], use_na_sentinel=True)
    no_agent = np.fromiter(
        (not isinstance(v, str) or v.strip() in _MISSING_UA for v in agent_values),
        dtype=bool,
        count=len(agent_values),
    )
    agent = np.where((agent >= 0) & no_agent[np.maximum(agent, 0)], -1, agent)
    address, _ = pd.factorize(sessions["ip"].astype("string"), use_na_sentinel=True)
    valid = (agent >= 0) & (address >= 0) & ~np.isnan(start)
    flagged = np.zeros(n, dtype=bool)
    if not valid.any():
        return flagged
    rows = np.flatnonzero(valid)
    window = rules.spread_window_minutes * 60.0
    bucket = np.floor(start[rows] / window).astype(np.int64)
    # distinct addresses per (agent, window) in two staggered grids of windows, so that a
    # burst across a window boundary is not split in two halves
    for shift in (0.0, 0.5):
        b = np.floor(start[rows] / window + shift).astype(np.int64)
        key = pd.MultiIndex.from_arrays([agent[rows], b - bucket.min()])
        cell, _ = pd.factorize(key)
        pair = pd.DataFrame({"cell": cell, "ip": address[rows]}).drop_duplicates()
        per_cell = np.bincount(pair["cell"].to_numpy(), minlength=cell.max() + 1)
        flagged[rows[per_cell[cell] >= rules.spread_min_ips]] = True
    return flagged


def _behaviour(
    func: str,
    sessions: pd.DataFrame,
    rules: BotRules,
    ua_column: str = "user_agent",
    has_agents: bool = True,
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Verdicts of the enabled behaviour rules, and notes on the rules that were skipped."""
    enabled = rules.enabled
    notes: list[str] = []
    for rule, cols in (
        ("too_fast", ["duration_s", "pageviews"]),
        ("pages_per_minute", ["duration_s", "pageviews"]),
    ):
        if rule in enabled:
            _need(func, sessions, rule, cols)
    out: dict[str, np.ndarray] = {}
    if "robots_txt" in enabled and "robots_txt" in sessions.columns:
        out["robots_txt"] = _booleans(func, sessions, "robots_txt")
    if "too_fast" in enabled or "pages_per_minute" in enabled:
        duration = _numbers(func, sessions, "duration_s", "seconds")
        pages = _numbers(func, sessions, "pageviews", "a count")
        if "too_fast" in enabled:
            out["too_fast"] = (duration < rules.too_fast_seconds) & (
                pages >= rules.too_fast_min_pages
            )
        if "pages_per_minute" in enabled:
            with np.errstate(divide="ignore", invalid="ignore"):
                per_minute = pages / (duration / 60.0)
            out["pages_per_minute"] = (pages >= rules.pages_per_minute_min_pages) & (
                per_minute > rules.max_pages_per_minute
            )
    if "schedule" in enabled:
        keys = tuple(ua_column if k == "user_agent" else k for k in rules.schedule_keys)
        if "started_at" in sessions.columns and "landing_page" not in sessions.columns:
            # landing_page is optional in the schema (a GA4 or log export may lack it)
            notes.append("rule 'schedule' skipped: sessions has no column 'landing_page' "
                         "(the page a timer hits)")
        elif any(k in sessions.columns for k in keys):
            out["schedule"] = _schedule(
                func, sessions, dataclasses.replace(rules, schedule_keys=keys)
            )
        else:
            notes.append(
                f"rule 'schedule' skipped: sessions has none of the columns "
                f"{', '.join(map(repr, keys))} that tell clients apart"
            )
    if "fast_form" in enabled:
        if "form_seconds" in sessions.columns:
            form = _numbers(func, sessions, "form_seconds", "seconds; empty when no form")
            out["fast_form"] = form < rules.fast_form_seconds
        else:
            notes.append("rule 'fast_form' skipped: sessions has no column 'form_seconds'")
    # no agents: nothing to judge; no addresses (analytics exports): silently off, as
    # robots_txt without its column
    if "spread" in enabled and has_agents and "ip" in sessions.columns:
        lacking = [c for c in ("ip", "started_at", ua_column) if c not in sessions.columns]
        if lacking:
            notes.append(
                f"rule 'spread' skipped: sessions has no column(s) {', '.join(map(repr, lacking))}"
            )
        else:
            out["spread"] = _spread(func, sessions, rules, ua_column)
    return out, notes


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _ua_reasons(
    values: list[str],
    missing: np.ndarray,
    *,
    fallback: bool,
    missing_ua: bool,
    shape: bool = False,
) -> tuple[np.ndarray, _AgentVerdicts, np.ndarray]:
    """Reason per distinct agent ("" for none), plus the details behind it."""
    present = np.flatnonzero(~missing)
    verdicts = _classify([values[i] for i in present])
    m = _matcher()
    n = len(values)
    reason = np.full(n, "", dtype=object)
    list_pid = np.full(n, -1, dtype=np.int64)
    fallback_tid = np.full(n, -1, dtype=np.int64)
    allowed_by = np.full(n, "", dtype=object)
    list_pid[present] = verdicts.list_pid
    fallback_tid[present] = verdicts.fallback_tid
    allowed_by[present] = verdicts.allowed_by
    tokens = np.array([f"ua:fallback:{t}" for t in m.fallback_names] + [""], dtype=object)
    if fallback:
        reason = np.where(fallback_tid >= 0, tokens[fallback_tid], reason)
    reason = np.where(list_pid >= 0, "ua:list", reason)
    if shape:
        browser = _browser_shape()
        odd = np.fromiter((browser.search(v) is None for v in values), dtype=bool, count=n)
        reason = np.where((reason == "") & odd & ~missing, "ua:shape", reason)
    if missing_ua:
        reason = np.where(missing, "ua:missing", reason)
    details = _AgentVerdicts(list_pid, allowed_by, fallback_tid)
    return reason.astype(object), details, missing


def label(
    sessions: pd.DataFrame,
    rules: BotRules = BotRules(),
    *,
    ua_column: str = "user_agent",
    fallback: bool = True,
    shape: bool = False,
    user_agents: bool | None = None,
    networks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sessions with a bot verdict and its reason: ``is_bot``, ``bot_reason``, ``bot_reasons``.

    Nothing is dropped: the result has the same rows, order and index as ``sessions``
    (which is not modified), plus three columns.

    Parameters
    ----------
    sessions : DataFrame
        One row per visit. Needs ``ua_column``; the behaviour rules that are switched on
        also need ``duration_s`` and ``pageviews`` (too_fast, pages_per_minute),
        ``started_at``, ``landing_page`` and ``visitor_id`` or ``ip`` (schedule),
        ``form_seconds`` (fast_form).
    rules : BotRules, default BotRules()
        Thresholds; ``BotRules.ua_only()`` judges by the user agent alone.
    ua_column : str, default "user_agent"
        Column holding the user agent. Empty, missing or ``"-"`` means no agent.
    fallback : bool, default True
        Also flag agents the public list misses that declare themselves (bot, crawl,
        spider, scrape, a URL, an HTTP library, a headless browser, a monitoring or
        load-testing tool, a Google service agent, a security scanner, an injection
        payload or garbage): see :data:`FALLBACK_TOKENS`.
    shape : bool, default False
        Opt-in: also flag agents not shaped like a browser (:data:`BROWSER_SHAPE`), reason
        ``ua:shape``. It catches most bots the list and fallback miss (97.9% of
        CrawlerDetect's crawlers instead of 85.1%, 97.7% of Matomo's bots instead of
        85.9%) and flags far more long-tail devices (1.7% of CrawlerDetect's browser
        strings and 19.0% of Matomo's device fixtures, mostly apps: Office, Dalvik,
        CFNetwork, UC Browser's UCWEB, podcast and feed readers; instead of 0% and 0.14%):
        a precision/recall trade-off to choose knowingly.
    user_agents : bool or None, default None
        Whether the data has user agents at all. ``False``: behaviour rules only (no
        ``ua:`` reason; the column may be absent). ``None``: decided from the data: when
        the column is absent or every value is missing, the user-agent layer is skipped
        with one warning instead of labelling every session ``ua:missing``. When more than
        half the agents are missing, a warning says so (each missing agent is still
        flagged while ``BotRules.missing_ua`` is True). A missing number (``duration_s``,
        ``pageviews``, ``form_seconds``) fires no rule on it: a rule judges only what was
        measured.
    networks : DataFrame or None, default None
        Opt-in network rule: a network list (:func:`helpers.networks.load_networks`, the
        kit's ``networks.csv``). Sessions whose ``ip`` lies in a ``datacenter`` range are
        flagged ``net:datacenter``: bots that copy a browser's agent often run in the
        cloud, people rarely browse from there. Measured on the kit's data (answer key),
        the rule alone flags 2,631 bot sessions and 159 people (0.9% of human sessions:
        VPNs, cloud desktops), precision 94.3%, and misses the bots on consumer lines
        (residential proxies, a monitor on an office line). On top of the default rules,
        which already catch almost every bot there, it adds 3 bot sessions and 158 people:
        its worth is on traffic the other rules cannot see (one quiet page from a headless
        browser). Off by default because its false positives depend on the list and the
        audience; without an ``ip`` column it is skipped with a warning.

    Returns
    -------
    DataFrame
        A copy of ``sessions`` with ``is_bot`` (bool), ``bot_reason`` (str, "" for humans,
        the first reason in :data:`REASONS` order) and ``bot_reasons`` (str, every reason
        that fired, joined by "; ").

    Raises
    ------
    KeyError
        When ``ua_column`` (with ``user_agents=True``) or a column the too_fast or
        pages_per_minute rule needs is missing. Rules with optional columns (schedule
        without ``visitor_id``/``ip``/agent, fast_form without ``form_seconds``, spread
        without ``ip``) are skipped with one warning that names them; robots_txt without
        its column is skipped silently.
    TypeError
        When the user-agent column holds values that are not text, or ``robots_txt``
        values that are not True/False.

    Examples
    --------
    >>> import pandas as pd
    >>> sessions = pd.DataFrame({
    ...     "user_agent": ["brewlark-price-scraper/0.3", "Mozilla/5.0 (X11; Linux x86_64; "
    ...                    "rv:128.0) Gecko/20100101 Firefox/128.0", None],
    ...     "duration_s": [0.0, 0.4, 95.0],
    ...     "pageviews": [1, 6, 4],
    ... })
    >>> rules = BotRules(schedule_min_sessions=None, fast_form_seconds=None, spread_min_ips=None)
    >>> label(sessions, rules)[["is_bot", "bot_reason", "bot_reasons"]]
       is_bot                bot_reason                                    bot_reasons
    0    True  ua:fallback:scrape                             ua:fallback:scrape
    1    True  behaviour:too_fast  behaviour:too_fast; behaviour:pages_per_minute
    2    True          ua:missing                                      ua:missing
    """
    func = "label"
    _check_frame(func, sessions, "sessions")
    if not isinstance(rules, BotRules):
        raise TypeError(f"{func}(): rules must be a BotRules; got {type(rules).__name__}.")
    if user_agents not in (None, True, False):
        raise TypeError(f"{func}(): user_agents must be True, False or None; got {user_agents!r}.")
    notes: list[str] = []
    if user_agents is None and ua_column not in sessions.columns:
        if any(re.search(r"agent|^ua$|browser", str(c), re.I) for c in sessions.columns):
            _agent_codes(func, sessions, ua_column)  # a renamed column: say which, loudly
        user_agents = False
        notes.append(
            f"sessions has no column {ua_column!r}: judged by behaviour only (pass "
            f"ua_column=... if the agents are in another column, or user_agents=False to "
            f"say the data has none)"
        )
    if user_agents is False:
        codes = np.full(len(sessions), -1, dtype=np.int64)
        values: list[str] = []
        missing = np.zeros(0, dtype=bool)
    else:
        codes, values, missing = _agent_codes(func, sessions, ua_column)
        n_missing = int((codes < 0).sum() + missing[codes[codes >= 0]].sum())
        if (
            user_agents is None
            and rules.missing_ua
            and len(sessions)
            and n_missing == len(sessions)
        ):
            user_agents = False
            codes = np.full(len(sessions), -1, dtype=np.int64)
            notes.append(
                f"every session's {ua_column!r} is empty: judged by behaviour only, no session "
                f"is flagged for its missing agent (pass user_agents=False to say so)"
            )
        elif rules.missing_ua and len(sessions) and n_missing > 0.5 * len(sessions):
            notes.append(
                f"{n_missing:,} of {len(sessions):,} sessions ({n_missing / len(sessions):.0%}) "
                f"have no user agent and are flagged 'ua:missing'; if your export lost the "
                f"field, pass rules=BotRules(missing_ua=False) or user_agents=False"
            )
    has_agents = user_agents is not False and bool((~missing).any())
    behaviour, skipped = _behaviour(func, sessions, rules, ua_column, has_agents)
    notes += skipped
    if networks is not None:
        if "ip" in sessions.columns:
            kind = network_of(sessions["ip"], networks)["kind"]
            behaviour["net:datacenter"] = kind.eq("datacenter").to_numpy()
        else:
            notes.append("rule 'net:datacenter' skipped: sessions has no column 'ip'")
    if notes:
        warnings.warn(f"{func}(): " + "; ".join(notes) + ".", UserWarning, stacklevel=2)

    # Reason of each distinct agent; the missing value (code -1) goes last.
    if user_agents is False:
        agent_reason = np.array([""], dtype=object)
    else:
        agent_reason, _, _ = _ua_reasons(
            values, missing, fallback=fallback, missing_ua=rules.missing_ua, shape=shape
        )
        agent_reason = np.append(agent_reason, "ua:missing" if rules.missing_ua else "")
    vocab, agent_vocab = np.unique(agent_reason.astype(str), return_inverse=True)
    ua_code = agent_vocab[codes]  # code -1 picks the appended last entry

    bits = np.zeros(len(sessions), dtype=np.int64)
    for b, reason in enumerate(_BIT_REASONS):
        name = reason.removeprefix("behaviour:")
        if name in behaviour:
            bits |= behaviour[name].astype(np.int64) << b
    combined = ua_code.astype(np.int64) * _MASKS + bits
    first_table = np.empty(len(vocab) * _MASKS, dtype=object)
    all_table = np.empty(len(vocab) * _MASKS, dtype=object)
    for v, ua_reason in enumerate(vocab):
        for mask in range(_MASKS):
            fired = [ua_reason] if ua_reason else []
            fired += [reason for b, reason in enumerate(_BIT_REASONS) if mask >> b & 1]
            first_table[v * _MASKS + mask] = fired[0] if fired else ""
            all_table[v * _MASKS + mask] = "; ".join(fired)
    table_bot = np.array([bool(x) for x in first_table])

    used, inverse = np.unique(combined, return_inverse=True)
    first = _from_codes(inverse, first_table[used])
    every = _from_codes(inverse, all_table[used])
    return sessions.assign(
        is_bot=pd.Series(table_bot[combined], index=sessions.index, dtype=bool),
        bot_reason=pd.Series(first, index=sessions.index).astype("str"),
        bot_reasons=pd.Series(every, index=sessions.index).astype("str"),
    )


def _from_codes(codes: np.ndarray, labels: np.ndarray) -> pd.Categorical:
    """Categorical from per-row codes into ``labels`` (which may repeat)."""
    categories, relabel = np.unique(labels.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(relabel[codes], categories=categories.tolist())


def ua_verdicts(
    user_agents: pd.Series | pd.Index | Iterable[str | None],
    *,
    fallback: bool = True,
    missing_ua: bool = True,
    shape: bool = False,
) -> pd.DataFrame:
    """Each distinct user agent once, with its verdict and what decided it.

    Use it to audit the user-agent layer: what the public list matched, what it missed
    that the fallback caught, and which agents the allow-list saved.

    Parameters
    ----------
    user_agents : Series, Index or iterable of str
        User agents, one per session (repeats are counted); None/NaN/"" mean missing.
    fallback : bool, default True
        Include the generic fallback in the verdict (its match is reported either way).
    missing_ua : bool, default True
        Count a missing agent as a bot, as ``BotRules(missing_ua=...)`` does in
        :func:`label`.
    shape : bool, default False
        Also flag agents not shaped like a browser (``ua:shape``), as ``label(...,
        shape=True)`` does.

    Returns
    -------
    DataFrame
        One row per distinct agent, most frequent first (ties in the order the agents first
        appear): ``user_agent`` (missing shown
        as ""), ``sessions`` (how often it occurs), ``is_bot``, ``reason``, ``list_pattern``
        (the first list pattern that matched and was not excused, else ""),
        ``allowed_by`` (the :data:`ALLOW_LIST` entry that excused a list match, else "")
        and ``fallback_token`` (the first fallback token that matched, else "").

    Examples
    --------
    >>> v = ua_verdicts([
    ...     "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ...     "curl/8.5.0",
    ...     "curl/8.5.0",
    ...     "Mozilla/5.0 (Linux; Android 16; Pixel 10 Pro XL Build/CP1A.260305.018; wv) "
    ...     "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/146.0.7680.174 "
    ...     "Mobile Safari/537.36 MetaIAB Facebook",
    ... ])
    >>> v[["sessions", "reason", "list_pattern", "allowed_by", "fallback_token"]]
       sessions   reason list_pattern           allowed_by fallback_token
    0         2  ua:list        ^curl                         http-client
    1         1  ua:list      bingbot                                 bot
    2         1                        meta_in_app_browser
    """
    func = "ua_verdicts"
    if isinstance(user_agents, str):
        raise TypeError(
            f"{func}(): pass a list or column of user agents, not a single string; "
            f"e.g. {func}([agent])."
        )
    series = pd.Series(
        user_agents if isinstance(user_agents, (pd.Series, pd.Index)) else list(user_agents),
        dtype=object,
    )
    frame = pd.DataFrame({"user_agent": series.reset_index(drop=True)})
    codes, values, missing = _agent_codes(func, frame, "user_agent")
    counts = np.bincount(codes[codes >= 0], minlength=len(values)).astype(np.int64)
    n_na = int((codes < 0).sum())
    if n_na:  # None/NaN and "" are the same thing here: no agent
        if "" in values:
            counts[values.index("")] += n_na
        else:
            values = [*values, ""]
            missing = np.append(missing, True)
            counts = np.append(counts, n_na)
    reason, details, _ = _ua_reasons(
        values, missing, fallback=fallback, missing_ua=missing_ua, shape=shape
    )
    m = _matcher()
    patterns = np.array([*m.list_patterns, ""], dtype=object)
    tokens = np.array([*m.fallback_names, ""], dtype=object)
    out = pd.DataFrame(
        {
            "user_agent": pd.Series(values, dtype="str"),
            "sessions": counts,
            "is_bot": reason != "",
            "reason": pd.Series(reason, dtype="str"),
            "list_pattern": pd.Series(patterns[details.list_pid], dtype="str"),
            "allowed_by": pd.Series(details.allowed_by, dtype="str"),
            "fallback_token": pd.Series(tokens[details.fallback_tid], dtype="str"),
        }
    )
    # most frequent first; ties keep the order in which the agents first appear, so a table
    # of a list of agents reads in the list's order
    return out.sort_values("sessions", ascending=False, kind="stable").reset_index(drop=True)


def _check_labelled(func: str, labelled: object, name: str = "labelled") -> pd.DataFrame:
    frame = _check_frame(func, labelled, name)
    for col in ("is_bot", "bot_reason"):
        if col not in frame.columns:
            raise KeyError(
                f"{func}(): {name} has no column {col!r}. It has: {_columns_text(frame)}. "
                f"Label the sessions first: bots.label(sessions)."
            )
    if not pd.api.types.is_bool_dtype(frame["is_bot"]):
        raise TypeError(
            f"{func}(): column 'is_bot' must be True/False; it is {frame['is_bot'].dtype}. "
            f"Label the sessions with bots.label(sessions); text such as 'True'/'False' is "
            f"not read as a boolean (convert it with .map({{'True': True, 'False': False}}))."
        )
    return frame


def _is_bot(func: str, frame: pd.DataFrame) -> np.ndarray:
    flags = frame["is_bot"]
    if flags.isna().any():
        raise ValueError(
            f"{func}(): column 'is_bot' has {int(flags.isna().sum())} missing value(s); every "
            f"session needs True or False. Label the sessions again with bots.label(sessions)."
        )
    return flags.to_numpy(dtype=bool)


def split(labelled: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Humans and bots of labelled sessions, as two new frames: ``(humans, bots)``.

    Every row lands in exactly one of the two, in its original order.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled = label(pd.DataFrame({"user_agent": ["curl/8.5.0", "Mozilla/5.0 (Windows "
    ...     "NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0"]}),
    ...     BotRules.ua_only())
    >>> humans, bots = split(labelled)
    >>> len(humans), len(bots)
    (1, 1)
    """
    frame = _check_labelled("split", labelled)
    is_bot = _is_bot("split", frame)
    return frame[~is_bot].copy(), frame[is_bot].copy()


def filter(
    sessions: pd.DataFrame,
    rules: BotRules = BotRules(),
    *,
    ua_column: str = "user_agent",
    fallback: bool = True,
    shape: bool = False,
    user_agents: bool | None = None,
    networks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The human sessions only, with the same columns as ``sessions``.

    A shortcut for ``split(label(sessions, ...))[0]`` without the label columns. To see
    what it removes, use :func:`label` and :func:`report`.

    Examples
    --------
    >>> import pandas as pd
    >>> sessions = pd.DataFrame({"session_id": ["s1", "s2"], "user_agent": [
    ...     "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    ...     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    ...     "(KHTML, like Gecko) Version/18.3.1 Safari/605.1.15"]})
    >>> filter(sessions, BotRules.ua_only())["session_id"].tolist()
    ['s2']
    """
    if isinstance(sessions, pd.DataFrame) and "started_at" in sessions.columns:
        _need_times("filter", "sessions", sessions, ["started_at"])
    labelled = label(
        sessions,
        rules,
        ua_column=ua_column,
        fallback=fallback,
        shape=shape,
        user_agents=user_agents,
        networks=networks,
    )
    keep = ~labelled["is_bot"].to_numpy(dtype=bool)
    return sessions[keep].copy()


def report(labelled: pd.DataFrame) -> pd.DataFrame:
    """How many sessions each reason flags, with shares and a reconciling total.

    Parameters
    ----------
    labelled : DataFrame
        The output of :func:`label`.

    Returns
    -------
    DataFrame
        Indexed by ``reason``: ``"human"`` (kept), each ``bot_reason`` that occurs in
        :data:`REASONS` order (``"unknown"`` for flagged rows whose reason is empty or
        missing), then ``"total"``. Warns when more than half the sessions are flagged
        only for a missing user agent. Columns ``sessions`` and ``share``
        (of all sessions, between 0 and 1). The rows above ``total`` add up to it, and
        ``total`` equals the number of labelled rows.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled = label(pd.DataFrame({"user_agent": ["curl/8.5.0", "", "Mozilla/5.0 "
    ...     "(Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0",
    ...     "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]}),
    ...     BotRules.ua_only())
    >>> report(labelled)
                sessions  share
    reason
    human              1   0.25
    ua:list            2   0.50
    ua:missing         1   0.25
    total              4   1.00
    """
    frame = _check_labelled("report", labelled)
    if "session_id" in frame.columns:
        _need_unique("report", "labelled", frame, "session_id")
    is_bot = _is_bot("report", frame)
    reason = frame["bot_reason"].astype("str").fillna("").str.strip()
    # a flagged row whose reason was lost (edited or merged frames) still counts: "unknown"
    reason = reason.where(is_bot, "").mask(is_bot & reason.eq(""), "unknown")
    counts = reason.value_counts()  # no missing values left; ordered by rank below
    n_missing = int(reason.eq("ua:missing").sum())
    if len(frame) and n_missing > 0.5 * len(frame):
        warnings.warn(
            f"report(): {n_missing:,} of {len(frame):,} sessions ({n_missing / len(frame):.0%}) "
            f"are flagged only because they have no user agent; if your export lost the "
            f"field, label again with rules=BotRules(missing_ua=False) or user_agents=False.",
            UserWarning,  # pragma: no mutate (warn's default category is UserWarning too)
            stacklevel=2,  # pragma: no mutate (where the warning points, not what it counts)
        )
    order = {r.split("<")[0]: i for i, r in enumerate(REASONS)}

    def rank(r: str) -> tuple[int, str]:
        if r == "":
            return (-1, r)  # pragma: no mutate (any rank below 0 puts "human" first)
        hits = [i for prefix, i in order.items() if r.startswith(prefix)]
        return (min(hits) if hits else len(REASONS), r)

    index = sorted(counts.index, key=rank)
    table = pd.DataFrame(
        {"sessions": [int(counts[r]) for r in index]},
        index=pd.Index(["human" if r == "" else r for r in index], name="reason"),
    )
    total = len(frame)
    table.loc["total"] = [total]
    table["sessions"] = table["sessions"].astype(np.int64)
    table["share"] = table["sessions"] / total if total else 0.0
    return table


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """A bot filter graded against the truth (bots are the positive class).

    ``precision``: of the sessions flagged, the share that are bots. ``recall``: of the
    bots, the share flagged. ``f1``: their harmonic mean. All three come from
    :func:`helpers.metrics.scores` (undefined values, 0 / 0, are NaN; F1 is 0 when bots
    exist and none is caught). ``confusion`` is the 2 x 2 table of counts.
    """

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int
    confusion: pd.DataFrame = dataclasses.field(repr=False, compare=False)

    def __repr__(self) -> str:
        def pct(x: float) -> str:
            return "n/a" if math.isnan(x) else f"{x:.1%}"

        return (
            f"Evaluation(precision {pct(self.precision)}, recall {pct(self.recall)}, "
            f"F1 {pct(self.f1)}; tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def _truth_series(func: str, truth: object) -> pd.Series:
    if isinstance(truth, pd.DataFrame):
        for col in ("session_id", "segment"):
            if col not in truth.columns:
                raise KeyError(
                    f"{func}(): truth has no column {col!r}. It has: {_columns_text(truth)}. "
                    f"Pass the answer key (data.load_answer_key()) or a boolean Series of "
                    f"'is a bot' indexed by session_id."
                )
        segment = truth["segment"].astype("str").str.strip()
        unknown = segment.isna() | segment.eq("")
        if unknown.any():
            ids = truth.loc[unknown.to_numpy(), "session_id"].head(3).tolist()
            raise ValueError(
                f"{func}(): truth has {int(unknown.sum())} session(s) without a segment, e.g. "
                f"{ids}; a missing truth is not 'human'. Drop those sessions from both frames, "
                f"or fill the segment."
            )
        return pd.Series(
            segment.eq("bot").to_numpy(),
            index=pd.Index(truth["session_id"].astype("str"), name="session_id"),
        )
    if isinstance(truth, pd.Series):
        if truth.isna().any():
            raise ValueError(
                f"{func}(): truth has {int(truth.isna().sum())} missing value(s); every "
                f"session needs True (bot) or False (human)."
            )
        python_bools = truth.map(lambda v: isinstance(v, (bool, np.bool_))).all()
        if not (pd.api.types.is_bool_dtype(truth) or python_bools):
            raise TypeError(
                f"{func}(): truth must be True/False per session_id; it is {truth.dtype}. "
                f"From the answer key use key.set_index('session_id')['segment'] == 'bot'; "
                f"text such as 'True'/'False' is not read as a boolean (convert it with "
                f".map({{'True': True, 'False': False}}))."
            )
        return pd.Series(truth.to_numpy(dtype=bool), index=truth.index.astype("str"))
    raise TypeError(
        f"{func}(): truth must be the answer key (a DataFrame with session_id and segment) "
        f"or a boolean Series indexed by session_id; got {type(truth).__name__}."
    )


def evaluate(labelled: pd.DataFrame, truth: pd.DataFrame | pd.Series) -> Evaluation:
    """Grade bot labels against the truth: precision, recall, F1 and the confusion table.

    Parameters
    ----------
    labelled : DataFrame
        The output of :func:`label`, with a ``session_id`` column.
    truth : DataFrame or Series
        The answer key (``session_id`` and ``segment``; ``segment == "bot"`` is a bot) or
        a boolean Series, True for bots, indexed by ``session_id``. It may hold more
        sessions than ``labelled`` (grading a subset is fine), not fewer.

    Returns
    -------
    Evaluation

    Raises
    ------
    ValueError
        When ids repeat, or some labelled sessions have no truth.

    Examples
    --------
    >>> import pandas as pd
    >>> labelled = pd.DataFrame({"session_id": ["a", "b", "c", "d", "e"],
    ...                          "is_bot": [True, True, False, False, False],
    ...                          "bot_reason": ["ua:list", "ua:list", "", "", ""]})
    >>> truth = pd.Series([True, False, True, False, False], index=list("abcde"))
    >>> result = evaluate(labelled, truth)
    >>> result
    Evaluation(precision 50.0%, recall 50.0%, F1 50.0%; tp 1, fp 1, fn 1, tn 2)
    >>> result.confusion
    label        flagged as bot  kept as human
    truth
    bot                       1              1
    human                     1              2
    """
    func = "evaluate"
    frame = _check_labelled(func, labelled)
    _need_rows(func, "labelled", frame, "Pass bots.label(sessions) of a non-empty sessions table.")
    if "session_id" not in frame.columns:
        raise KeyError(
            f"{func}(): labelled has no column 'session_id' to match against the truth. "
            f"It has: {_columns_text(frame)}. Pass the result of bots.label(sessions)."
        )
    ids = frame["session_id"].astype("str")
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{func}(): labelled repeats session_id(s) {dup}; ids must be unique.")
    key = _truth_series(func, truth)
    if key.index.duplicated().any():
        dup = key.index[key.index.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{func}(): truth repeats session_id(s) {dup}; ids must be unique.")
    absent = ~ids.isin(key.index)
    if absent.any():
        raise ValueError(
            f"{func}(): {int(absent.sum())} of {len(ids)} labelled session(s) are not in the "
            f"truth, e.g. {ids[absent].head(3).tolist()}. Grade sessions against the answer "
            f"key of the same data set."
        )
    actual = key.reindex(ids).to_numpy(dtype=bool)  # pragma: no mutate (every id is in key)
    flagged = _is_bot(func, frame)
    tp = int((flagged & actual).sum())
    fp = int((flagged & ~actual).sum())
    fn = int((~flagged & actual).sum())
    tn = int((~flagged & ~actual).sum())
    graded = scores(tp, fp, fn)  # the kit's one precision/recall/F1 (0 / 0 rule there)
    precision, recall, f1 = graded.precision, graded.recall, graded.f1
    confusion = pd.DataFrame(
        [[tp, fn], [fp, tn]],
        index=pd.Index(["bot", "human"], name="truth"),
        columns=pd.Index(["flagged as bot", "kept as human"], name="label"),
    )
    return Evaluation(precision, recall, f1, tp, fp, fn, tn, confusion)

