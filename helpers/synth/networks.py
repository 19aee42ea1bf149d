"""``networks``: the address plan of the kit's data (``networks.csv``), for the network rule.

Every address the generator writes comes from the documentation blocks (RFC 5737 and
RFC 3849), so the networks below are invented; the plan mirrors how real traffic spreads
over real networks (see :mod:`helpers.networks` for the columns):

- **consumer**: each /24 is a home-broadband provider's range: people browse from it, and
  so do form spammers behind residential proxies (192.0.2.230-236) and the monitor that
  runs from an office line (198.51.100.77). An IP rule cannot tell them from people.
- **mobile**: 2001:db8::/32, a mobile carrier: the IPv6 visitors (people only).
- **datacenter**: three small ranges inside those /24s (the longest range wins): a cloud
  provider (203.0.113.192/26) where the price scrapers and part of the form spam run, and
  where a few people's VPN or cloud-desktop addresses also land (hosts 192-199: the rule's
  false positives); a hosting provider (198.51.100.224/27) with the headless browsers and
  more form spam; a monitoring service (192.0.2.248/29) with two uptime monitors.
- **crawler**: the ranges the search engines and social networks publish for their
  crawlers (192.0.2.10-14 for the first crawler, 20-24 for the second, ...), the addresses
  :mod:`helpers.synth.sessions` gives each crawler. A few people's addresses fall in them
  too (hosts are drawn from 1-199 on every block), which is why the rule does not flag
  crawler ranges: the crawlers say who they are in their user agent.

The table depends on no seed: every data set the generator makes uses this plan.
"""

from __future__ import annotations

import csv
import ipaddress
import re
from pathlib import Path

import pandas as pd

from helpers.synth.behaviour import CRAWLER_PATTERNS

#: (cidr, kind, network) rows; order: the /24s, their nested ranges, then IPv6.
_PLAN: tuple[tuple[str, str, str], ...] = (
    ("192.0.2.0/24", "consumer", "Example Broadband (documentation range)"),
    ("198.51.100.0/24", "consumer", "Example Telecom (documentation range)"),
    ("203.0.113.0/24", "consumer", "Example Fibre (documentation range)"),
    ("203.0.113.192/26", "datacenter", "Example Cloud (documentation range)"),
    ("198.51.100.224/27", "datacenter", "Example Hosting (documentation range)"),
    ("192.0.2.248/29", "datacenter", "Example Monitoring (documentation range)"),
    ("2001:db8::/32", "mobile", "Example Mobile (documentation range)"),
)


#: Readable names of the crawler-user-agents patterns the generator's crawlers use.
_CRAWLER_NAMES = {
    "Googlebot\\/": "Googlebot", "Googlebot-Mobile": "Googlebot (mobile)", "bingbot": "Bingbot",
    "Ahrefs(Bot|SiteAudit)": "AhrefsBot", "S[eE][mM]rushBot": "SemrushBot",
    "yandex\\.com\\/bots": "YandexBot", "facebookexternalhit": "Facebook's link preview",
}


def _crawler_ranges() -> list[tuple[str, str, str]]:
    """The published ranges of each crawler: the addresses sessions.py draws for it."""
    rows = []
    for number, pattern in enumerate(CRAWLER_PATTERNS):
        first = ipaddress.ip_address(f"192.0.2.{10 + 10 * number}")
        last = ipaddress.ip_address(f"192.0.2.{14 + 10 * number}")
        name = _CRAWLER_NAMES.get(pattern, re.sub(r"[^A-Za-z-]", "", pattern))
        for net in ipaddress.summarize_address_range(first, last):
            rows.append((str(net), "crawler", f"{name} crawlers (documentation range)"))
    return rows


def networks() -> pd.DataFrame:
    """The address plan as a table: ``cidr``, ``kind``, ``network`` (no draws, no seed)."""
    rows = list(_PLAN[:6]) + _crawler_ranges() + list(_PLAN[6:])
    return pd.DataFrame(rows, columns=["cidr", "kind", "network"])


def write_networks(table: pd.DataFrame, folder: str | Path) -> Path:
    """Write the plan as ``networks.csv`` (stable bytes)."""
    path = Path(folder) / "networks.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cidr", "kind", "network"])
        writer.writerows(table[["cidr", "kind", "network"]].astype(str).itertuples(index=False))
    return path
