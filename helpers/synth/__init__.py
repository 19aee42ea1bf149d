"""Synthetic web traffic, events and CRM leads for Brewlark Coffee Co.

``generate(SynthConfig())`` builds the kit's data set in memory; ``write`` saves it as
CSV; ``python -m helpers.synth --out data`` does both (``make data``). Everything is
drawn from ``numpy.random.default_rng(seed)`` with vectorised operations (no Python loop
over sessions or events), so ``--scale 1000000`` makes a million sessions in seconds.

User agents are real strings only: browsers from the data file shipped with
``fake-useragent`` (pinned), bots from ``crawler-user-agents`` (pinned). See
``data/README.md`` for every column, the knobs and the realism bounds.

How the generator works
-----------------------
Ten groups make the traffic (``Group``): five human segments (stumbled, loyal customer and
the three potential-buyer personas) and five kinds of bot. ``SEGMENTS`` in
``helpers/synth/behaviour.py`` holds one frozen ``SegmentBehaviour`` per group: when it
visits, through which channels, on which devices and pages, how long it stays, how many
pages it views and how often it converts. **To change one segment's behaviour, edit its
entry in ``SEGMENTS``**; the same file holds the few settings that are not per group
(``RETURN_VISITS``, ``BOT_MIX``, ``STAGE_MIX``, sources, countries, word lists).
``generate`` (``generator.py``) runs these steps, one small function each:

1. ``sessions.py`` (``_draw_sessions``): ``_human_visitors`` (segment, return visits,
   device, country, browser, IP per visitor); ``_bot_session_count``,
   ``_monitor_schedule``, ``_bot_groups``, ``_bot_channels``; ``_start_times``;
   ``_sources``; one function per bot kind for user agents and addresses
   (``_crawler_agents``, ``_scraper_agents``, ``_headless_agents``, ``_monitor_agents``,
   ``_form_spam_agents``); ``_in_app_agents``. The strings come from ``agents.py``.
2. ``events.py``: ``_plan_conversions`` (form, social follow, cart, checkout, purchase),
   ``_pages_per_visit``, the pages (``_browse``, ``_shop_pages``, ``_form_pages``),
   ``_dwell_times``, ``_conversion_event_parts`` (``_order_values`` prices the
   purchases), ``_conversion_events``, ``_duplicate_some``.
3. ``crm.py`` (``_crm_leads``): ``_lead_rows`` (``_web_leads``, ``_spam_leads``,
   ``_loyal_leads``, ``_trade_show_leads``), ``_stages``, ``_customers``, then contact
   details: ``_lead_names``, ``_lead_companies``, ``_lead_emails``, ``_lead_phones``,
   ``_spam_contacts``.
4. ``generator.py``: ``_frames`` builds the typed frames, which ``helpers.data``
   validates; ``writer.py``: ``write`` formats the CSV files; ``spend.py``: ``spend``, the
   campaign spend per channel and day (its own random stream; ``write_spend`` writes
   ``spend.csv``); ``networks.py``: ``networks``, the address plan of the data (which
   ranges are datacenters, consumer lines, a mobile carrier, crawlers; no draws;
   ``write_networks`` writes ``networks.csv``); ``nurture.py``: ``nurture``, the e-mail
   sequence sent to new leads and its hold-out (its own random stream; ``write_nurture``
   writes ``nurture.csv``); ``forms.py``: ``forms``, the site's forms and their length (no
   draws; ``write_forms`` writes ``forms.csv``); ``cli.py``: ``main``.

All draws come from one ``numpy.random.Generator`` in a fixed order, so a seed always gives
the same bytes. Any change to a table, to the order of the draws or to which rows draw
changes the files: run ``make data`` and commit the CSV files with the code
(``tests/test_synth.py`` compares a fresh run with ``data/`` byte for byte).

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

# The underscored names are for the kit's own tests and benchmarks.
from helpers.synth.agents import (
    _browser_rows,  # noqa: F401
    _crawler_regex,  # noqa: F401
    crawler_ua_pool,
    human_ua_pool,
    in_app_ua_pool,
)
from helpers.synth.behaviour import (
    _FIRST,  # noqa: F401
    _LAST,  # noqa: F401
    BLOG,
    BOT_GROUPS,
    BOT_MIX,
    CORE,
    CRAWLER_PATTERNS,
    DISPOSABLE_DOMAINS,
    HUMAN_GROUPS,
    PAGES,
    PRODUCTS,
    RETURN_VISITS,
    SEGMENTS,
    STAGE_MIX,
    BotMix,
    FormRates,
    Group,
    PagesPerVisit,
    ReturnVisits,
    SegmentBehaviour,
)
from helpers.synth.cli import _visitors_for, main  # noqa: F401
from helpers.synth.config import Propensities, SynthConfig
from helpers.synth.forms import forms, write_forms
from helpers.synth.generator import generate
from helpers.synth.networks import networks, write_networks
from helpers.synth.nurture import nurture, write_nurture
from helpers.synth.spend import spend
from helpers.synth.writer import write, write_spend

__all__ = [
    "BLOG",
    "BOT_GROUPS",
    "BOT_MIX",
    "CORE",
    "CRAWLER_PATTERNS",
    "DISPOSABLE_DOMAINS",
    "HUMAN_GROUPS",
    "PAGES",
    "PRODUCTS",
    "RETURN_VISITS",
    "SEGMENTS",
    "STAGE_MIX",
    "BotMix",
    "FormRates",
    "Group",
    "PagesPerVisit",
    "Propensities",
    "ReturnVisits",
    "SegmentBehaviour",
    "SynthConfig",
    "crawler_ua_pool",
    "forms",
    "generate",
    "human_ua_pool",
    "in_app_ua_pool",
    "main",
    "networks",
    "nurture",
    "spend",
    "write",
    "write_forms",
    "write_networks",
    "write_nurture",
    "write_spend",
]
