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
   -> ``"ua:fallback:<token>"``, token one of bot, crawl, spider, scrape, headless,
   http-client, fetcher, url;
3. is empty, missing or ``"-"``: browsers always send one -> ``"ua:missing"``
   (``BotRules(missing_ua=False)`` switches this off).

The list is matched case-sensitively, as ``crawleruseragents.is_crawler`` does by default;
the fallback is case-insensitive (ASCII).

**Behaviour.** Rules on what the session did, with thresholds in :class:`BotRules`:
``"behaviour:too_fast"`` (several pages in almost no time),
``"behaviour:pages_per_minute"`` (faster than anyone reads),
``"behaviour:schedule"`` (the same page hit on a clock by the same visitor or IP) and
``"behaviour:fast_form"`` (a form filled in faster than anyone can type).

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
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from .metrics import scores

try:  # Python >= 3.11
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

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
    "behaviour:too_fast",
    "behaviour:pages_per_minute",
    "behaviour:schedule",
    "behaviour:fast_form",
)

_BEHAVIOUR = ("too_fast", "pages_per_minute", "schedule", "fast_form")

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
    schedule_tolerance : float, default 0.05
        How far a gap between two starts of a group may be from the group's *median* gap,
        as a share of that median, and still be *on the beat*. Timers are regular to the
        second (the kit's monitors jitter by up to 2 s on beats of hours); 5% leaves room
        for a timer that queues or drifts (±3 min on an hour). The median, unlike the mean
        or the coefficient of variation of all gaps, is not moved by a few odd gaps. A
        person who opens a page "every morning" can be on a 24 h beat too (±72 min is 5%):
        what makes a timer is six visits or more to one page with most gaps on the beat.
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
    schedule_keys : tuple of str, default ("visitor_id", "ip")
        Columns that identify "the same client"; each one present is tried.
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
    >>> BotRules(fast_form_seconds=None).enabled
    ('too_fast', 'pages_per_minute', 'schedule')
    >>> BotRules.ua_only().enabled
    ()
    """

    missing_ua: bool = True
    too_fast_seconds: float | None = 2.0
    too_fast_min_pages: int = 3
    max_pages_per_minute: float | None = 30.0
    pages_per_minute_min_pages: int = 3
    schedule_min_sessions: int | None = 6
    schedule_tolerance: float = 0.05
    schedule_min_on_beat: float = 0.8
    schedule_keys: tuple[str, ...] = ("visitor_id", "ip")
    fast_form_seconds: float | None = 3.0

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
                "BotRules(): schedule_tolerance is a share of the median gap, between 0 and "
                f"1 (0.05 means within 5%); got {tolerance!r}."
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
        )

    @property
    def enabled(self) -> tuple[str, ...]:
        """Names of the behaviour rules that are switched on, in precedence order."""
        on = {
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
}

# ---------------------------------------------------------------------------------------
# User-agent knowledge: allow-list and fallback
# ---------------------------------------------------------------------------------------


class AllowEntry(NamedTuple):
    """One known false positive of the public list: human traffic a pattern flags.

    ``pattern`` is the list pattern it excuses (exactly as in the list), ``regex`` what
    the agent must look like to be excused (the shape of a real browser, so a bot that
    merely contains the same word stays flagged), ``reason`` why it is human.
    """

    name: str
    pattern: str
    regex: str
    reason: str


#: Known false positives of crawler-user-agents 1.67.0, found by running the list against
#: real agents (fake_useragent's browsers and the list's own examples). An entry excuses
#: only its own pattern: an agent that also matches another list pattern stays a bot.
ALLOW_LIST: tuple[AllowEntry, ...] = (
    AllowEntry(
        name="meta_in_app_browser",
        pattern="MetaIAB Facebook",
        regex=r"^Mozilla/5\.0 \(Linux; Android [^)]*; wv\) AppleWebKit/[\d.]+ .* MetaIAB Facebook",
        reason="Facebook's in-app browser on Android (a WebView, 'wv'): a person who tapped "
        "a link in the app, not Meta's link-preview fetcher.",
    ),
    AllowEntry(
        name="android_build_AP3A.240617.008",
        pattern=r"AP3A\.240617\.008",
        regex=r"^Mozilla/5\.0 \(Linux; Android \d+; [^;)]+ Build/AP3A\.240617\.008[;)]",
        reason="An Android 15 build number shared by many phones (the list's example is "
        "Instagram's in-app browser on an OPPO); 80legs' real agent says '008/0.83'.",
    ),
    AllowEntry(
        name="fluid_app",
        pattern="Fluid",
        regex=r"^Mozilla/5\.0 \(Macintosh; [^)]*\) AppleWebKit/[\d.]+ \(KHTML, like Gecko\) "
        r"Fluid/[\d.]+ Safari/[\d.]+$",
        reason="Fluid.app, a Mac browser that wraps one website in its own window: a person "
        "using the site, the list's only example of the 'Fluid' pattern.",
    ),
)

#: The generic fallback for agents that declare themselves but are not on the list,
#: as (token, case-insensitive regex); the first token that matches names the reason.
FALLBACK_TOKENS: tuple[tuple[str, str], ...] = (
    # "bot" ending a word: Googlebot/, SomeBot;, robot. Not Cubot phones, not "Botanic".
    ("bot", r"(?<!cu)bot(?![a-z])"),
    ("crawl", r"crawl"),
    ("spider", r"spider"),
    ("scrape", r"scrap(?:e|er|ing|y)"),
    (
        "headless",
        r"headless|phantomjs|puppeteer|playwright|selenium|webdriver|slimerjs"
        r"|\bsplash\b|jsdom|\bcypress/|htmlunit|nightmare",
    ),
    (
        "http-client",
        r"python-requests|python-urllib|python-httpx|\bhttpx/|aiohttp|\burllib|pycurl"
        r"|go-http-client|\bgo http package|okhttp|\baxios/|node-fetch|\bundici\b|\bgot \("
        r"|\bjava/\d|apache-httpclient|jakarta commons|libwww-perl|\blwp::|\bscrapy\b"
        r"|guzzlehttp|\bruby\b|faraday|\breqwest/|\bdart/\d|restsharp|postmanruntime"
        r"|insomnia/|winhttp|\bhttp_request|^curl/|\blibcurl|\bwget/|\bhttpie/"
        r"|powershell/|http[ -]?client",
    ),
    # Tools that fetch pages for a service: link previews, checkers, monitors, scanners.
    (
        "fetcher",
        r"fetch(?:er|ing)?\b|preview|link ?check|checker|monitor|uptime|scanner"
        r"|validator|archiver|synthetic",
    ),
    ("url", r"https?://|\+http|\bwww\.[a-z0-9-]+\.[a-z]{2,}|mailto:"),
)

_MISSING_UA = ("", "-")

# A few ordinary browser strings, only used to pick which three letters of each pattern to
# screen for (the rarest in real browsers). They do not affect any verdict.
_BROWSER_REFERENCE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/134.0.0.0 Safari/537.36 Edg/134.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.3.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.3.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/134.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/133.0.0.0 Safari/537.36 OPR/117.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) CriOS/134.0.6998.99 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "GSA/363.0.743255906 Mobile/15E148 Safari/604.1",
)

# ---------------------------------------------------------------------------------------
# The matcher: exact trigram screen + real regular expressions
# ---------------------------------------------------------------------------------------


class _Matcher(NamedTuple):
    regexes: tuple[re.Pattern[str], ...]  # list patterns first, then fallback tokens
    n_list: int
    list_patterns: tuple[str, ...]
    fallback_names: tuple[str, ...]
    table: np.ndarray  # bool[2**24]: is this trigram screened for
    gram_codes: np.ndarray  # sorted trigram codes in the table
    gram_ptr: np.ndarray  # CSR pointers into gram_ids
    gram_ids: np.ndarray  # pattern ids per trigram
    always: np.ndarray  # pattern ids without a usable trigram (checked on every agent)
    allow: dict[int, tuple[tuple[str, re.Pattern[str]], ...]]  # pattern id -> entries


def _literal_runs(items: Iterable, flags: int) -> list[str]:
    """Fixed texts that every match of a parsed (sub)pattern contains."""
    runs: list[str] = []
    current: list[str] = []
    for op, av in items:
        ch = chr(av) if op is _sre_constants.LITERAL else None
        if ch is not None and not (flags & re.IGNORECASE and not ch.isascii()):
            current.append(ch)
            continue
        if current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _required_literals(pattern: str, flags: int) -> list[list[bytes]] | None:
    """For each top-level alternative, the lower-cased fixed texts a match must contain.

    Returns None when some alternative has no fixed text of three bytes or more, or the
    pattern cannot be parsed: such a pattern is then checked on every agent.
    """
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # pragma: no cover - the list is parsed by `re` anyway
        return None
    items = list(parsed)
    if len(items) == 1 and items[0][0] is _sre_constants.BRANCH:
        alternatives = [list(alt) for alt in items[0][1][1]]
    else:
        alternatives = [items]
    out = []
    for alt in alternatives:
        runs = [r.encode("utf-8", "surrogatepass").lower() for r in _literal_runs(alt, flags)]
        runs = [r for r in runs if len(r) >= 3]
        if not runs:
            return None
        out.append(runs)
    return out


def _trigram_code(b: bytes) -> int:
    return (b[0] << 16) | (b[1] << 8) | b[2]


def _trigrams(b: bytes) -> set[bytes]:
    return {b[i : i + 3] for i in range(len(b) - 2)}


@functools.lru_cache(maxsize=1)
def _list_entries() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Patterns of the public list, and all its example agents."""
    import crawleruseragents

    data = crawleruseragents.CRAWLER_USER_AGENTS_DATA
    patterns = tuple(d["pattern"] for d in data)
    instances = tuple(i for d in data for i in d.get("instances", ()))
    return patterns, instances


@functools.lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    patterns, instances = _list_entries()
    fb_flags = re.IGNORECASE | re.ASCII
    specs = [(p, 0) for p in patterns] + [(rx, fb_flags) for _, rx in FALLBACK_TOKENS]
    regexes = tuple(re.compile(p, f) for p, f in specs)

    browser_df: Counter[bytes] = Counter()
    for ua in _BROWSER_REFERENCE:
        browser_df.update(_trigrams(ua.encode().lower()))
    bot_df: Counter[bytes] = Counter()
    for ua in instances:
        bot_df.update(_trigrams(ua.encode("utf-8", "surrogatepass").lower()))
    assigned: Counter[bytes] = Counter()

    pairs: list[tuple[int, int]] = []
    always: list[int] = []
    for pid, (pattern, flags) in enumerate(specs):
        alternatives = _required_literals(pattern, flags)
        if alternatives is None:
            always.append(pid)
            continue
        for runs in alternatives:
            grams = {g for run in runs for g in _trigrams(run)}
            best = min(
                sorted(grams),
                key=lambda g: 1000 * browser_df[g] + bot_df[g] + 10 * assigned[g],
            )
            assigned[best] += 1
            pairs.append((_trigram_code(best), pid))

    pairs.sort()
    codes = np.array([c for c, _ in pairs], dtype=np.int64)
    ids = np.array([p for _, p in pairs], dtype=np.int64)
    gram_codes, starts = np.unique(codes, return_index=True)
    gram_ptr = np.append(starts, len(codes)).astype(np.int64)
    table = np.zeros(1 << 24, dtype=bool)
    table[gram_codes] = True

    pid_of = {p: i for i, p in enumerate(patterns)}
    allow: dict[int, list[tuple[str, re.Pattern[str]]]] = {}
    for entry in ALLOW_LIST:
        if entry.pattern not in pid_of:  # the list dropped it in a newer release
            continue
        allow.setdefault(pid_of[entry.pattern], []).append((entry.name, re.compile(entry.regex)))
    return _Matcher(
        regexes=regexes,
        n_list=len(patterns),
        list_patterns=patterns,
        fallback_names=tuple(name for name, _ in FALLBACK_TOKENS),
        table=table,
        gram_codes=gram_codes,
        gram_ptr=gram_ptr,
        gram_ids=ids,
        always=np.array(always, dtype=np.int64),
        allow={k: tuple(v) for k, v in allow.items()},
    )


_CHUNK = 1 << 22  # bytes screened per NumPy pass (~16 MB of int32 trigram codes)


def _screen(agents: list[str], m: _Matcher) -> tuple[np.ndarray, np.ndarray]:
    """(agent index, pattern id) pairs worth a real regex check: exact, vectorised."""
    n = len(agents)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    joined = "\x00".join(agents)
    buffer = joined.encode("utf-8", "surrogatepass")
    if len(buffer) == len(joined):  # all ASCII: byte offsets equal character offsets
        lengths = np.fromiter(map(len, agents), dtype=np.int64, count=n)
    else:
        encoded = [a.encode("utf-8", "surrogatepass") for a in agents]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
        buffer = b"\x00".join(encoded)
    data = np.frombuffer(buffer.lower(), dtype=np.uint8)  # bytes.lower(): ASCII only
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])

    hit_pos: list[np.ndarray] = []
    hit_code: list[np.ndarray] = []
    for lo in range(0, max(len(data) - 2, 0), _CHUNK):
        window = data[lo : lo + _CHUNK + 2].astype(np.int32)
        code = (window[:-2] << 16) | (window[1:-1] << 8) | window[2:]
        found = np.flatnonzero(m.table[code])
        if found.size:
            hit_pos.append(found + lo)
            hit_code.append(code[found])
    if hit_pos:
        pos = np.concatenate(hit_pos)
        code = np.concatenate(hit_code).astype(np.int64)
        rows = np.searchsorted(starts, pos, side="right") - 1
        key = np.unique(rows * (1 << 24) + code)
        rows, code = key >> 24, key & ((1 << 24) - 1)
        g = np.searchsorted(m.gram_codes, code)
        counts = m.gram_ptr[g + 1] - m.gram_ptr[g]
        first = np.repeat(m.gram_ptr[g], counts)
        offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        pair_rows = np.repeat(rows, counts)
        pair_ids = m.gram_ids[first + offset]
    else:
        pair_rows = pair_ids = np.zeros(0, dtype=np.int64)
    if m.always.size:
        pair_rows = np.concatenate([pair_rows, np.repeat(np.arange(n), m.always.size)])
        pair_ids = np.concatenate([pair_ids, np.tile(m.always, n)])
    key = np.unique(pair_rows * len(m.regexes) + pair_ids)
    return key // len(m.regexes), key % len(m.regexes)


class _AgentVerdicts(NamedTuple):
    list_pid: np.ndarray  # first list pattern that matched and was not excused, or -1
    allowed_by: np.ndarray  # object: allow-list entries that excused a match, or ""
    fallback_tid: np.ndarray  # first fallback token that matched, or -1


def _classify(agents: list[str]) -> _AgentVerdicts:
    """Match distinct, non-missing agents against the list, allow-list and fallback."""
    m = _matcher()
    n = len(agents)
    rows, pids = _screen(agents, m)
    regexes = m.regexes
    matched = np.fromiter(
        (
            regexes[p].search(agents[r]) is not None
            for r, p in zip(rows.tolist(), pids.tolist(), strict=True)
        ),
        dtype=bool,
        count=len(rows),
    )
    rows, pids = rows[matched], pids[matched]

    allowed_by = np.full(n, "", dtype=object)
    is_list = pids < m.n_list
    excusable = is_list & np.isin(pids, np.fromiter(m.allow, dtype=np.int64, count=len(m.allow)))
    if excusable.any():
        for i in np.flatnonzero(excusable):
            r = int(rows[i])
            for name, rx in m.allow[int(pids[i])]:
                if rx.search(agents[r]):
                    is_list[i] = False
                    allowed_by[r] = f"{allowed_by[r]}, {name}" if allowed_by[r] else name
                    break

    list_pid = np.full(n, -1, dtype=np.int64)
    lr, lp = rows[is_list], pids[is_list]
    if lr.size:  # rows/pids are sorted by row then id: the first per row is the smallest id
        first = np.unique(lr, return_index=True)[1]
        list_pid[lr[first]] = lp[first]
    fallback_tid = np.full(n, -1, dtype=np.int64)
    fb = pids >= m.n_list
    fr, fp = rows[fb], pids[fb] - m.n_list
    if fr.size:
        first = np.unique(fr, return_index=True)[1]
        fallback_tid[fr[first]] = fp[first]
    return _AgentVerdicts(list_pid, allowed_by, fallback_tid)


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
    try:
        return pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (ValueError, TypeError):
        coerced = pd.to_numeric(values, errors="coerce")
        bad = values[coerced.isna() & values.notna()]
        examples = ", ".join(f"row {_plain(i)!r}: {v!r}" for i, v in bad.head(3).items())
        raise ValueError(
            f"{func}(): column {column!r} must hold numbers ({unit}); {len(bad)} row(s) do "
            f"not, e.g. {examples}. Fix the export or convert with pd.to_numeric(...)."
        ) from None


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
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
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
    if not keys:
        raise KeyError(
            f"{func}(): rule 'schedule' needs one of the columns "
            f"{', '.join(map(repr, rules.schedule_keys))} to tell clients apart; sessions "
            f"has none. It has: {_columns_text(sessions)}. Rename a column, pass "
            f"BotRules(schedule_keys=('your_column',)), or switch the rule off with "
            f"rules=BotRules({_SWITCH_OFF['schedule']})."
        )
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
        on_beat = (beat > 0) & (np.abs(gaps - beat) <= rules.schedule_tolerance * beat)
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


def _behaviour(func: str, sessions: pd.DataFrame, rules: BotRules) -> dict[str, np.ndarray]:
    enabled = rules.enabled
    for rule, cols in (
        ("too_fast", ["duration_s", "pageviews"]),
        ("pages_per_minute", ["duration_s", "pageviews"]),
        ("fast_form", ["form_seconds"]),
    ):
        if rule in enabled:
            _need(func, sessions, rule, cols)
    out: dict[str, np.ndarray] = {}
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
        out["schedule"] = _schedule(func, sessions, rules)
    if "fast_form" in enabled:
        form = _numbers(func, sessions, "form_seconds", "seconds; empty when no form")
        out["fast_form"] = form < rules.fast_form_seconds
    return out


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _ua_reasons(
    values: list[str], missing: np.ndarray, *, fallback: bool, missing_ua: bool
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
        spider, scrape, a URL, an HTTP library, a headless browser).

    Returns
    -------
    DataFrame
        A copy of ``sessions`` with ``is_bot`` (bool), ``bot_reason`` (str, "" for humans,
        the first reason in :data:`REASONS` order) and ``bot_reasons`` (str, every reason
        that fired, joined by "; ").

    Raises
    ------
    KeyError
        When ``ua_column`` or a column an enabled rule needs is missing.
    TypeError
        When the user-agent column holds values that are not text.

    Examples
    --------
    >>> import pandas as pd
    >>> sessions = pd.DataFrame({
    ...     "user_agent": ["brewlark-price-scraper/0.3", "Mozilla/5.0 (X11; Linux x86_64; "
    ...                    "rv:128.0) Gecko/20100101 Firefox/128.0", None],
    ...     "duration_s": [0.0, 0.4, 95.0],
    ...     "pageviews": [1, 6, 4],
    ... })
    >>> rules = BotRules(schedule_min_sessions=None, fast_form_seconds=None)
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
    codes, values, missing = _agent_codes(func, sessions, ua_column)
    behaviour = _behaviour(func, sessions, rules)

    # Reason of each distinct agent; the missing value (code -1) goes last.
    agent_reason, _, _ = _ua_reasons(
        values, missing, fallback=fallback, missing_ua=rules.missing_ua
    )
    agent_reason = np.append(agent_reason, "ua:missing" if rules.missing_ua else "")
    vocab, agent_vocab = np.unique(agent_reason.astype(str), return_inverse=True)
    ua_code = agent_vocab[codes]  # code -1 picks the appended last entry

    bits = np.zeros(len(sessions), dtype=np.int64)
    for b, name in enumerate(_BEHAVIOUR):
        if name in behaviour:
            bits |= behaviour[name].astype(np.int64) << b
    combined = ua_code.astype(np.int64) * 16 + bits
    first_table = np.empty(len(vocab) * 16, dtype=object)
    all_table = np.empty(len(vocab) * 16, dtype=object)
    for v, ua_reason in enumerate(vocab):
        for mask in range(16):
            fired = [ua_reason] if ua_reason else []
            fired += [f"behaviour:{name}" for b, name in enumerate(_BEHAVIOUR) if mask >> b & 1]
            first_table[v * 16 + mask] = fired[0] if fired else ""
            all_table[v * 16 + mask] = "; ".join(fired)
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

    Returns
    -------
    DataFrame
        One row per distinct agent, most frequent first: ``user_agent`` (missing shown
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
    0         2  ua:list        ^curl                          http-client
    1         1                         meta_in_app_browser
    2         1  ua:list      bingbot                                  bot
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
    reason, details, _ = _ua_reasons(values, missing, fallback=fallback, missing_ua=missing_ua)
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
    return out.sort_values(
        ["sessions", "user_agent"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


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
            f"Label the sessions with bots.label(sessions)."
        )
    return frame


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
    is_bot = frame["is_bot"].to_numpy(dtype=bool)
    return frame[~is_bot].copy(), frame[is_bot].copy()


def filter(
    sessions: pd.DataFrame,
    rules: BotRules = BotRules(),
    *,
    ua_column: str = "user_agent",
    fallback: bool = True,
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
    labelled = label(sessions, rules, ua_column=ua_column, fallback=fallback)
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
        :data:`REASONS` order, then ``"total"``. Columns ``sessions`` and ``share``
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
    reason = frame["bot_reason"].astype("str").where(frame["is_bot"].to_numpy(), "")
    counts = reason.value_counts(sort=False)
    order = {r.split("<")[0]: i for i, r in enumerate(REASONS)}

    def rank(r: str) -> tuple[int, str]:
        if r == "":
            return (-1, r)
        hits = [i for prefix, i in order.items() if r.startswith(prefix)]
        return (min(hits) if hits else len(REASONS), r)

    index = sorted(counts.index, key=rank)
    table = pd.DataFrame(
        {"sessions": [int(counts[r]) for r in index]},
        index=pd.Index(["human" if r == "" else r for r in index], name="reason", dtype="str"),
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
        return pd.Series(
            truth["segment"].astype("str").eq("bot").to_numpy(),
            index=pd.Index(truth["session_id"].astype("str"), name="session_id"),
        )
    if isinstance(truth, pd.Series):
        if truth.isna().any():
            raise ValueError(
                f"{func}(): truth has {int(truth.isna().sum())} missing value(s); every "
                f"session needs True (bot) or False (human)."
            )
        if not pd.api.types.is_bool_dtype(truth):
            raise TypeError(
                f"{func}(): truth must be True/False per session_id; it is {truth.dtype}. "
                f"From the answer key use key.set_index('session_id')['segment'] == 'bot'."
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
    if "session_id" not in frame.columns:
        raise KeyError(
            f"{func}(): labelled has no column 'session_id' to match against the truth. "
            f"It has: {_columns_text(frame)}."
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
    actual = key.reindex(ids).to_numpy(dtype=bool)
    flagged = frame["is_bot"].to_numpy(dtype=bool)
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

