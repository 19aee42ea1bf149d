"""User-agent knowledge: the public bot list, the allow-list, the fallback, the screen.

:mod:`helpers.bots` judges sessions; this module holds what it knows about user-agent
strings and how it matches them fast:

- the public list (the ``crawler-user-agents`` package's patterns), matched as written on
  mixed-case agents and case-insensitively on agents written in one case;
- :data:`ALLOW_LIST`: known false positives of the list, each excused only when the agent
  has a real browser's shape;
- :data:`FALLBACK_TOKENS`: self-declared automation words the list does not hold;
- :data:`BROWSER_SHAPE`: what a real browser's agent looks like (the opt-in ``ua:shape``
  rule of :class:`helpers.bots.BotRules`);
- :func:`_classify`: every distinct agent judged once, behind a literal-trigram screen that
  skips only pattern/agent pairs that cannot match.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

try:  # Python >= 3.11
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["ALLOW_LIST", "BROWSER_SHAPE", "FALLBACK_TOKENS", "AllowEntry"]

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
        regex=r"^Mozilla/5\.0 \(Linux; (?:U; )?Android [\d.]+;(?: [a-z]{2,3}[-_][a-z0-9]{2,4};)? "
        r"[^;)]+ Build/AP3A\.240617\.008[;)]",
        reason="An Android 15 build number shared by many phones (the list's example is "
        "Instagram's in-app browser on an OPPO), in both spellings of the Android agent: "
        "'Linux; Android 15; <model>' and 'Linux; U; Android 15; en-us; <model>' (UC, Quark, "
        "QQ and HeyTap browsers); 80legs' real agent says '008/0.83'.",
    ),
    AllowEntry(
        name="sogou_browser",
        pattern="Sogou",
        regex=r"^Mozilla/5\.0 \([^)]*\) AppleWebKit/[\d.]+ .*(?:SogouMobileBrowser/[\d.]+"
        r"|SE \d\.X MetaSr \d\.\d|SogouMSE|SogouSearch|SGInfo/)",
        reason="Sogou's web browser (mobile 'SogouMobileBrowser', desktop 'SE 2.X MetaSr 1.0') "
        "and search app ('SogouSearch', 'SGInfo'): a person browsing; Sogou's crawlers say 'Sogou web spider' or 'Sogou inst spider' "
        "and have no browser shape.",
    ),
    AllowEntry(
        name="viber_in_app_browser",
        pattern="Viber",
        regex=r"^Mozilla/5\.0 \([^)]*\) AppleWebKit/[\d.]+ .* Viber/[\d.]+$",
        reason="Viber's in-app browser (a WebView ending 'Viber/<version>'): a person who tapped "
        "a link in a chat; Viber's link-preview fetcher says 'Viber Url Downloader'.",
    ),
    AllowEntry(
        name="slack_desktop",
        pattern="Sonic",
        regex=r"^Mozilla/5\.0 \([^)]*\) AppleWebKit/[\d.]+ \(KHTML, like Gecko\) Slack/[\d.]+ "
        r".* Sonic Slack_SSB/[\d.]+$",
        reason="Slack's desktop app (Electron) ends its agent 'Sonic Slack_SSB/<version>': a "
        "person opening a link in Slack, not the Sonic crawler ('Sonic' pattern); Slack's "
        "link-preview fetcher says 'Slackbot'.",
    ),
    AllowEntry(
        name="blackboard_app",
        pattern="Blackboard",
        regex=r"^Mozilla/5\.0 \([^)]*\) AppleWebKit/[\d.]+ .* Blackboard/[\d.]+$",
        reason="Blackboard's learning app, a WebView ending 'Blackboard/<version>': a "
        "student reading a course page.",
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
#:
#: Measured (crawler-user-agents 1.67.0) on 201,510 distinct real browser strings
#: (CrawlerDetect's devices.txt, Matomo device-detector's device fixtures and
#: fake_useragent's browsers.jsonl) and 4,691 distinct real bot strings (CrawlerDetect's
#: crawlers.txt and Matomo's bots.yml); "browsers flagged" counts the browser strings the
#: token matches, "precision" is bots / (bots + browsers) among the strings it matches:
#:
#: ==============  ==============  ================  =========
#: token           bots matched    browsers flagged  precision
#: ==============  ==============  ================  =========
#: garbage         6               0 (*)             100%
#: bot             1,542           0                 100%
#: crawl           361             0                 100%
#: spider          132             0                 100%
#: scrape          39              0                 100%
#: headless        15              4                 79%
#: scanner         74              0                 100%
#: http-client     185             18                91%
#: tool            227             1                 99.6%
#: google-service  100             1                 99.0%
#: fetcher         227             5                 97.8%
#: url             808             34                96.0%
#: ==============  ==============  ================  =========
#:
#: (*) CrawlerDetect's devices.txt also holds 80 strings that are not browsers either
#: (74 bare numbers, two Shellshock and two script-injection payloads); garbage flags
#: them all. Every token stays on by default: together they flag 0.05% to 0.09% of each
#: browser collection (see :func:`label`).
FALLBACK_TOKENS: tuple[tuple[str, str], ...] = (
    # Injection payloads and garbage: no browser sends code, SQL or a string without a
    # single letter. First, so that an attack that also names a tool is reported as one.
    (
        "garbage",
        r"\$\{|jndi:|javascript:|<script|<\?php|\bunion(?:\s|/\*.*?\*/|\+)+(?:all\s+)?select\b"
        r"|\bselect\b.{1,80}\bfrom\b|\bsleep\(\s*\d|\bwaitfor\s+delay\b|\bbenchmark\(\d"
        r"|'\s*(?:or|and)\s+'?\w+'?\s*=\s*'?\w|\bor\s+1\s*=\s*1\b|\bdrop\s+table\b"
        r"|\.\./\.\./|/etc/passwd|\bcmd\.exe\b|\(\)\s*\{\s*:\s*;\s*\}|%00"
        r"|^[^a-z]*$",
    ),
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
    # Security scanners and internet-wide surveys.
    (
        "scanner",
        r"\bnmap\b|nikto|sqlmap|masscan|zgrab|\bnuclei\b|wpscan|acunetix|netsparker"
        r"|openvas|nessus|\bw3af\b|wfuzz|gobuster|dirbuster|\bdirb\b|whatweb|\bzmeu\b"
        r"|\bburp|arachni|skipfish|fuzz faster u fool|\bffuf\b|feroxbuster|\bl9(?:scan|explore|tcpid)"
        r"|leakix|censys|shodan|expanse|internetmeasurement|netsystemsresearch|\bqualys"
        r"|detectify|\bjorgee\b|morfeus|libwhisker|hello,? world|\bscan(?:ner|ning)?\b|[a-z]scan/"
        r"|security\.txt|testssl|paloalto|\bcortex/|\bxpanse\b|\bnetlab360\b|\bcorax\b",
    ),
    (
        "http-client",
        r"python-requests|python-urllib|python-httpx|\bhttpx/|aiohttp|\burllib|pycurl"
        r"|go-http-client|\bgo http package|\bgo [\d.]+ package http|okhttp|\baxios/"
        r"|node-fetch|\bundici\b|\bgot \(|\bgot/\d|\bjava/\d|apache-httpclient|jakarta commons"
        r"|libwww-perl|\blwp::|\blwp-|\bscrapy\b|guzzle|\bruby\b|faraday|\breqwest/|\bdart/\d"
        r"|restsharp|postmanruntime|insomnia/|winhttp|\bhttp_request|^curl\b|\blibcurl|\bwget/"
        r"|\bhttpie/|powershell/|http[ -]?client|\bhttp-kit/|\bhackney/|\bhttp\.rb/|http-tiny"
        r"|\bmechanize\b|\bnode-superagent|\bphp/\d|\bpython/\d|\bpip/\d|\bboto|\bhttplib"
        r"|\bureq/|\bfasthttp|\bnghttp2|\bcpp-httplib|\baria2/|\bmget/|\bcurb\b|indy library"
        r"|\bzend[_\\]http|\bunirest|\bscalaj-http|\bakka-http|\bspray-can|reactornetty"
        r"|vert\.x-webclient|\bjersey/|\bwww-mechanize|typhoeus|\bdispatch/|\bgsoap/"
        r"|\bhttpcomponents|\bgrequests|\bkhttp/|\bmojolicious|\bsymfony|\bcakephp\b"
        r"|\brequest\.js|\bahc/|\brest-client/|\blua-resty-http|\bpoe-component"
        r"|asynchttp|\bhttprequest\b|request-promise|boost\.beast|xmlrpc|\bnethttp\b"
        r"|\bnode/v?\d|\bnpm/\d|\bpnpm/|\bdeno/|\bbun/\d|\bwebclient\b|\blibhttp",
    ),
    # Monitoring, load-testing and infrastructure tools: product tokens no browser sends.
    (
        "tool",
        r"apachebench|\bab/\d|collectd|kube-probe|\bk6/|jmeter|prometheus|datadog|nagios"
        r"|check_http|zabbix|icinga|\bmunin|telegraf|blackbox[-_]exporter|elb-healthchecker"
        r"|googlehc|health[-_ ]?check|\bsiege/|\bwrk\b|locust|gatling|vegeta|artillery"
        r"|\bhey/|bombardier|httperf|loader\.io|newrelic|new relic|pingdom|statuscake"
        r"|site24x7|nodeping|consul health|envoy/|traefik|\bhaproxy|kubernetes|\bistio"
        r"|cloudwatch|stackdriver|lighthouse|pagespeed|gtmetrix|webpagetest|\bptst\b|dareboost"
        r"|debugbear|sitespeed|catchpoint|dynatrace|\bruxit|appdynamics|solarwinds|\bprtg\b"
        r"|panopta|updown\.io|uptime-kuma|\bhttping\b|keycdn-tools|w3c[-_]|validator\.nu"
        r"|\bjigsaw/|link sleuth|\bcron\b|cron-job|easycron|\bcronless|\bsite ?monitor"
        r"|\bhostTracker|\bwatchmouse|\bmonitis|\bvigil/|worldping|\bscouturl|\bserver density"
        r"|\bdowntime|\bwebsitepulse|\bpingability|\bpingometer|\bpingadmin|\bmxtoolbox"
        r"|\bsentinel-|\bsentry|\bhoneybadger|\brackspace monitoring|\bnewrelicpinger"
        r"|\byottaa|\blinktiger|\blinkwalker|\bhappyapps|\bcheckhost|\bappbeat|\bohdear"
        r"|\bpulsetic|\burlcheckr|amazon-route53|\bcloudflare[- ]|\bbetter uptime|\bplaywright"
        r"|\bgrafana/|\banturis|site_analyzer|\bsortsite|\bcsscheck|\bheadmaster",
    ),
    # Google's service agents: fetchers that are not Googlebot and carry no bot word.
    (
        "google-service",
        r"google-read-aloud|apis-google|adsbot-google|mediapartners-google|google-inspectiontool"
        r"|feedfetcher-google|googleother|google-extended|google-site-verification"
        r"|google favicon|googleproducer|google-adwords|storebot-google|google-safety"
        r"|google web preview|google-structured-data|google-apps-script|google-http-java-client"
        r"|google-cloudvertexbot|google-pagerenderer|duplexweb-google|google-youtube-links"
        r"|googleassociationservice|google-firebase|google page speed|googlecloudmonitoring"
        r"|googlestackdrivermonitoring|appengine-google|google-test|google-xrawler"
        r"|google-speakr|google-notebooklm|google-cws|google-lens|google-agent|googledocs"
        r"|googleimageproxy|google-amphtml|google_analytics_snippet_validator|\bgoogle-[a-z]+/\d"
        r"|\(compatible; google-|^google-?[a-z]+(?:[-/ ]|$)|^googlesites",
    ),
    # Tools that fetch pages for a service: link previews, checkers, monitors, scanners.
    (
        "fetcher",
        r"fetch(?:er|ing)?\b|preview|link ?check|checker|monitor|uptime|scanner"
        r"|validator|archiver|synthetic|resolver|\bcacher\b|thumbnail|analy[sz]er|\btester\b"
        r"|lookup|verification|indexer|internetsearch",
    ),
    ("url", r"https?://|\+http|\bwww\.[a-z0-9-]+\.[a-z]{2,}|mailto:"),
)

_MISSING_UA = ("", "-")

#: What a browser's agent looks like: ``Mozilla/<version> (<platform>) ...`` (or the old
#: ``Opera/<version> (...)``) naming a rendering engine or a browser. Used only by the
#: opt-in ``shape`` rule (``ua:shape``).
BROWSER_SHAPE = (
    r"^(?:mozilla/\d[\d.]* ?\(|opera/\d[\d.]* \()"
    r".*(?:applewebkit|gecko|trident|presto|khtml|msie|edge?/|chrome|safari|firefox|opera)"
)

#: The public list is matched as written on agents in mixed case (a real browser's
#: spelling: "Panasonic" must not match the pattern "Sonic", nor "Lightning/" the pattern
#: "NING/"), and case-insensitively on agents written in one case, so a pipeline that
#: lower-cases (or upper-cases) agents keeps its verdicts. The fallback is always
#: case-insensitive.
_LIST_FLAGS = 0

# The device-model slot of an Android agent: "(Linux; [U; ]Android 15; [en-us; ]<MODEL>
# Build/...)" or "... <MODEL>)" / "<MODEL>; wv)". A model is a phone's name, never the
# name of a client ("B BOT 50", "HTC Butterfly", "IDbot553"), so it is masked before
# any pattern runs. Product tokens before the slot or after it are still read.
_ANDROID_MODEL = re.compile(
    r"(\bAndroid[ ;/]?[\d.]*[^;)(]*?;(?:\s*[a-z]{2,3}(?:[-_][a-z0-9]{2,4})?;)?\s*)"
    r"([^;)(]+?(?:\([^;)(]*\))?)(?=\s+Build/|\s*;|\s*\))",
    re.IGNORECASE,
)


def _mask_device_models(agents: list[str]) -> list[str]:
    """Agents with the device model of Android agents replaced by ``model``."""
    return [
        _ANDROID_MODEL.sub(r"\1model", a, count=1) if "ndroid" in a or "NDROID" in a else a
        for a in agents
    ]


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
    folded: tuple[re.Pattern[str], ...]  # list patterns, case-insensitive (one-case agents)
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
    specs = [(p, _LIST_FLAGS) for p in patterns] + [(rx, fb_flags) for _, rx in FALLBACK_TOKENS]
    regexes = tuple(re.compile(p, f) for p, f in specs)
    folded = tuple(re.compile(p, re.IGNORECASE) for p in patterns)

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
        allow.setdefault(pid_of[entry.pattern], []).append(
            (entry.name, re.compile(entry.regex, re.IGNORECASE))
        )
    return _Matcher(
        regexes=regexes,
        folded=folded,
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


@functools.lru_cache(maxsize=1)
def _browser_shape() -> re.Pattern[str]:
    return re.compile(BROWSER_SHAPE, re.IGNORECASE)


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
    agents = _mask_device_models(agents)
    rows, pids = _screen(agents, m)
    # agents written in one case are matched case-insensitively (see _LIST_FLAGS)
    one_case = [a == a.lower() or a == a.upper() for a in agents]
    regexes, folded, n_list = m.regexes, m.folded, m.n_list
    matched = np.fromiter(
        (
            (folded[p] if p < n_list and one_case[r] else regexes[p]).search(agents[r]) is not None
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
