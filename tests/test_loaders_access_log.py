"""Web server logs: data.from_access_log (combined format) and exports.to_access_log."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import data, exports

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"


def _line(ip, when, target, status=200, referer="-", agent=UA, method="GET"):
    return (f'{ip} - - [{when} +0000] "{method} {target} HTTP/1.1" {status} 512 '
            f'"{referer}" "{agent}"')


def _load(tmp_path, lines):
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data.from_access_log(path)


def test_static_assets_are_not_page_views(tmp_path):
    lines = [_line("192.0.2.1", "03/Feb/2025:10:00:00", "/blog/post?x=1")]
    for asset in ("/img/a.PNG", "/static/site.css", "/app.js", "/fonts/f.woff2",
                  "/favicon.ico", "/pic.jpeg", "/logo.svg"):
        lines.append(_line("192.0.2.1", "03/Feb/2025:10:00:01", asset))
    lines.append(_line("192.0.2.1", "03/Feb/2025:10:00:09", "/shop"))
    lines.append(_line("192.0.2.1", "03/Feb/2025:10:00:10", "/missing", status=404))
    lines.append(_line("192.0.2.1", "03/Feb/2025:10:00:11", "/form", method="POST"))
    log = _load(tmp_path, lines)
    assert log.sessions["pageviews"].tolist() == [2]
    assert log.events["page"].tolist() == ["/blog/post", "/shop"]
    assert log.sessions["duration_s"].tolist() == [11.0]  # every request counts for time
    assert log.sessions["robots_txt"].tolist() == [False]


def test_robots_txt_is_a_session_flag(tmp_path):
    bot = "Googlebot/2.1 (+http://www.google.com/bot.html)"
    log = _load(tmp_path, [
        _line("198.51.100.7", "03/Feb/2025:10:00:00", "/robots.txt", agent=bot),
        _line("198.51.100.7", "03/Feb/2025:10:00:02", "/", agent=bot),
        _line("198.51.100.8", "03/Feb/2025:10:00:03", "/robots.txt", agent=bot),
        _line("192.0.2.1", "03/Feb/2025:10:00:03", "/"),
    ])
    s = log.sessions.set_index("ip")
    assert s.loc["198.51.100.7", "robots_txt"] and s.loc["198.51.100.7", "pageviews"] == 1
    # a client that fetched only robots.txt is a session with 0 page views, not dropped
    assert s.loc["198.51.100.8", "robots_txt"] and s.loc["198.51.100.8", "pageviews"] == 0
    assert pd.isna(s.loc["198.51.100.8", "landing_page"])
    assert not s.loc["192.0.2.1", "robots_txt"]
    assert log.sessions["robots_txt"].dtype == bool


@pytest.mark.parametrize("second,sessions", [("10:30:00", 1), ("10:30:01", 2)])
def test_thirty_minutes_of_inactivity_at_the_boundary(tmp_path, second, sessions):
    log = _load(tmp_path, [_line("192.0.2.1", "03/Feb/2025:10:00:00", "/"),
                           _line("192.0.2.1", f"03/Feb/2025:{second}", "/blog")])
    assert len(log.sessions) == sessions
    assert log.sessions["visitor_id"].nunique() == 1  # one client
    assert log.sessions["is_returning"].tolist() == [False, True][:sessions]


def test_client_is_ip_plus_user_agent(tmp_path):
    log = _load(tmp_path, [_line("192.0.2.1", "03/Feb/2025:10:00:00", "/"),
                           _line("192.0.2.1", "03/Feb/2025:10:00:05", "/", agent="Other/1.0"),
                           _line("192.0.2.2", "03/Feb/2025:10:00:06", "/")])
    assert len(log.sessions) == 3 and log.sessions["visitor_id"].nunique() == 3


def test_channel_from_referrer_and_utm(tmp_path):
    log = _load(tmp_path, [
        _line("192.0.2.1", "03/Feb/2025:10:00:00", "/", referer="https://www.google.com/"),
        _line("192.0.2.2", "03/Feb/2025:10:00:00", "/", referer="https://www.facebook.com/"),
        _line("192.0.2.3", "03/Feb/2025:10:00:00", "/", referer="https://partner.example/x"),
        _line("192.0.2.4", "03/Feb/2025:10:00:00", "/"),
        _line("192.0.2.5", "03/Feb/2025:10:00:00", "/?utm_medium=cpc",
              referer="https://www.google.com/"),
    ])
    got = log.sessions.set_index("ip")["channel"].astype(str).to_dict()
    assert got == {"192.0.2.1": "organic_search", "192.0.2.2": "social",
                   "192.0.2.3": "referral", "192.0.2.4": "direct",
                   "192.0.2.5": "paid_search"}


def test_lines_that_are_not_combined_format_are_an_error(tmp_path):
    path = tmp_path / "access.log"
    path.write_text(_line("192.0.2.1", "03/Feb/2025:10:00:00", "/") + "\nnot a log line\n")
    with pytest.raises(ValueError, match=r"from_access_log\(\): 1 of 2 lines are not in the "
                                         r"combined log format, e.g. line 2"):
        data.from_access_log(path)
    with pytest.raises(IsADirectoryError, match="is a folder"):
        data.from_access_log(tmp_path)


def test_round_trip_of_the_kit_traffic(tmp_path):
    kit = data.load_all()
    path = exports.to_access_log(kit, tmp_path / "access.log")
    log = data.from_access_log(path)
    # every page view comes back, no static asset is counted
    assert log.sessions["pageviews"].sum() == kit.sessions["pageviews"].sum()
    assert len(log.events) == (kit.events["event_name"] == "page_view").sum()
    # crawler sessions asked for robots.txt
    crawl = kit.answer_key.loc[kit.answer_key["bot_kind"] == "crawler", "session_id"]
    assert log.sessions["robots_txt"].sum() >= 1
    # a client (IP + agent) with a single session in the kit comes back as that session
    s = kit.sessions[kit.sessions["user_agent"].notna()]
    alone = s[~s.duplicated(["ip", "user_agent"], keep=False)]
    back = log.sessions[~log.sessions.duplicated(["ip", "user_agent"], keep=False)]
    m = alone.merge(back, on=["ip", "user_agent"], suffixes=("", "_log"),
                    validate="one_to_one")
    assert len(m) == len(alone) > 1000
    assert (m["started_at"] == m["started_at_log"]).all()
    assert (m["pageviews"] == m["pageviews_log"]).all()
    assert (m["landing_page"] == m["landing_page_log"]).all()
    assert (m["channel"].astype(str) == m["channel_log"].astype(str)).all()
    assert m.loc[m["session_id"].isin(crawl), "robots_txt"].all()
    assert not m.loc[~m["session_id"].isin(crawl), "robots_txt"].any()
