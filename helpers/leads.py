"""Leads: who they are, whether they are any good, how warm they are, how far they got.

A *lead* is a person who gave you a way to contact them: a form, a newsletter
signup, a guide download (e-mail required), a purchase, or an offline channel
such as a trade show that only the CRM knows about. A visitor who never did
any of that is traffic, not a lead.

- :func:`identify` finds the leads in events (and the CRM export).
- :func:`qualify` labels each lead qualified or not with every reason that
  applies; it never drops a row. :func:`qualify_report` sums it up.
- :func:`score` gives transparent points for fit and engagement;
  :func:`explain` shows where one lead's points come from.
- :func:`pipeline` counts how many leads reached MQL, SQL and customer.

Examples
--------
>>> import pandas as pd
>>> from helpers import leads
>>> crm = pd.DataFrame({"lead_id": ["L1", "L2"], "name": ["Ada", ""],
...                     "email": ["ada@example.com", "x@tempmail.example"]})
>>> leads.qualify(crm)[["lead_id", "qualified", "reasons"]]
  lead_id  qualified                          reasons
0      L1       True
1      L2      False  disposable_email; missing_name
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from helpers.conversions import rate

from ._frames import blank as _blank
from ._frames import contains as _contains
from ._frames import need_columns as _need_columns
from ._frames import need_flags, need_numbers, need_rows, need_table
from ._frames import need_frame as _need_frame
from ._frames import need_unique as _need_unique
from ._frames import need_zone as _need_zone
from .formatting import percent
from .rules import Condition
from .vocabulary import COUNTRY_CODES

__all__ = [
    "bought_before",
    "by_form",
    "characteristics",
    "load_forms",
    "DEFAULT_WEIGHTS",
    "LEAD_EVENTS",
    "LEAKAGE_FIELDS",
    "REASONS",
    "STAGES",
    "QualifyRules",
    "ScoreCut",
    "ScoreRule",
    "engagement",
    "explain",
    "identify",
    "pipeline",
    "qualify",
    "qualify_report",
    "score",
    "score_threshold",
    "score_threshold_table",
    "score_thresholds",
]

LEAD_EVENTS: tuple[str, ...] = ("newsletter_signup", "guide_download", "contact_form", "purchase")
"""Web events in which a visitor gives contact information."""

KNOWN_EVENTS: frozenset[str] = frozenset(
    {
        "page_view", "newsletter_signup", "blog_comment", "social_follow", "guide_download",
        "contact_form", "add_to_cart", "begin_checkout", "purchase",
    }
)
"""Event names of the kit's events.csv (GA4-like)."""

STAGES: tuple[str, ...] = ("lead", "mql", "sql", "customer")
"""Pipeline stages in order. ``disqualified`` is an exit, not a stage."""

LEAKAGE_FIELDS: frozenset[str] = frozenset({"became_customer_at", "first_order_value", "stage"})
"""CRM fields only known after the outcome a lead score tries to predict."""

REASONS: tuple[str, ...] = (
    "missing_email",
    "invalid_email",
    "disposable_email",
    "junk_email",
    "missing_name",
    "junk_name",
    "outside_target_market",
    "created_by_bot",
    "no_past_purchase",
)
"""Every reason :func:`qualify` can give, in the order it lists them."""


# --------------------------------------------------------------------------- identify


def identify(
    events: pd.DataFrame,
    leads: pd.DataFrame | None = None,
    *,
    lead_events: Sequence[str] = LEAD_EVENTS,
    person: str = "visitor_id",
    time: str = "timestamp",
    event_column: str = "event_name",
) -> pd.DataFrame:
    """Find the leads: people who gave contact information, on the web or offline.

    Parameters
    ----------
    events : DataFrame
        One row per event, with ``person``, ``time`` and ``event_column``.
    leads : DataFrame, optional
        The CRM export (``lead_id``, ``visitor_id``, ``created_at``,
        ``lead_source``). Adds CRM leads that have no lead event in
        ``events``: offline leads (trade shows, no visitor id) and contacts
        older than the traffic window.
    lead_events : sequence of str
        Events in which a visitor leaves contact information.
    person, time, event_column : str
        Column names in ``events``.

    Returns
    -------
    DataFrame
        One row per lead, sorted by ``first_at``: ``visitor_id`` (missing for
        offline leads), ``lead_id`` (missing when not in the CRM; the earliest
        one when a visitor has several), ``first_event`` (first lead event on
        the web, missing for CRM-only leads), ``first_at`` (earliest of that
        event and the CRM ``created_at``), ``source`` (``first_event``, or the
        CRM ``lead_source`` for CRM-only leads), ``in_events``, ``in_crm``.
        Visitors who never gave contact information are not in it.

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["v1", "v1", "v2", "v3"],
    ...     "event_name": ["page_view", "guide_download", "page_view", "newsletter_signup"],
    ...     "timestamp": pd.to_datetime(["2024-03-01 10:00", "2024-03-01 10:03",
    ...                                  "2024-03-02 09:00", "2024-03-03 20:00"], utc=True)})
    >>> identify(ev)[["visitor_id", "first_event", "source"]]
      visitor_id        first_event             source
    0         v1     guide_download     guide_download
    1         v3  newsletter_signup  newsletter_signup
    >>> crm = pd.DataFrame({"lead_id": ["L1", "L2"], "visitor_id": ["v3", None],
    ...                     "created_at": pd.to_datetime(["2024-03-03 20:00", "2024-03-05 00:00"], utc=True),
    ...                     "lead_source": ["newsletter_signup", "trade_show"]})
    >>> identify(ev, crm)[["visitor_id", "lead_id", "source", "in_events", "in_crm"]]
      visitor_id lead_id             source  in_events  in_crm
    0         v1    <NA>     guide_download       True   False
    1         v3      L1  newsletter_signup       True    True
    2       <NA>      L2         trade_show      False    True
    """
    func = "identify"
    _need_frame(func, "events", events)
    if isinstance(lead_events, str):
        lead_events = (lead_events,)
    _need_columns(func, "events", events, [person, time, event_column],
                  "Rename it or pass person=..., time=..., event_column=....")
    is_lead_event = events[event_column].isin(list(lead_events)).to_numpy() & events[person].notna().to_numpy()
    web = events.loc[is_lead_event, [person, time, event_column]]
    web_time = _need_zone(func, "events", web[time], time)
    web = pd.DataFrame({
        "visitor_id": web[person].to_numpy(),
        "first_event": web[event_column].astype("string").to_numpy(),
        "web_at": web_time.to_numpy(),
    })
    web = web.sort_values(["web_at", "visitor_id"], kind="stable").drop_duplicates("visitor_id", keep="first")
    web["in_events"] = True
    if leads is None:
        out = web.rename(columns={"web_at": "first_at"})
        out["lead_id"] = pd.array([pd.NA] * len(out), dtype="string")
        out["source"] = out["first_event"]
        out["in_crm"] = False
    else:
        _need_frame(func, "leads", leads)
        _need_columns(func, "leads", leads, ["lead_id", "visitor_id", "created_at", "lead_source"])
        crm_at = _need_zone(func, "leads", leads["created_at"], "created_at")
        crm = pd.DataFrame({
            "lead_id": leads["lead_id"].astype("string").to_numpy(),
            "visitor_id": leads["visitor_id"].to_numpy(),
            "crm_at": crm_at.to_numpy(),
            "lead_source": leads["lead_source"].astype("string").to_numpy(),
        })
        online = crm[crm["visitor_id"].notna() & ~_blank(crm["visitor_id"])]
        offline = crm.drop(online.index)
        online = online.sort_values(["crm_at", "lead_id"], kind="stable").drop_duplicates("visitor_id")
        merged = web.merge(online, on="visitor_id", how="outer")
        merged["in_events"] = merged["in_events"].fillna(False).astype(bool)
        merged["in_crm"] = merged["lead_id"].notna()
        merged["first_at"] = merged[["web_at", "crm_at"]].min(axis=1)
        merged["source"] = merged["first_event"].fillna(merged["lead_source"])
        off = pd.DataFrame({
            "visitor_id": offline["visitor_id"].to_numpy(),
            "lead_id": offline["lead_id"].to_numpy(),
            "first_event": pd.array([pd.NA] * len(offline), dtype="string"),
            "first_at": offline["crm_at"].to_numpy(),
            "source": offline["lead_source"].to_numpy(),
            "in_events": False,
            "in_crm": True,
        })
        out = pd.concat([merged, off], ignore_index=True)
    cols = ["visitor_id", "lead_id", "first_event", "first_at", "source", "in_events", "in_crm"]
    out = out[cols].sort_values(["first_at", "lead_id"], kind="stable", na_position="last")
    out["visitor_id"] = out["visitor_id"].astype("string")
    out["lead_id"] = out["lead_id"].astype("string")
    out["first_event"] = out["first_event"].astype("string")
    out["source"] = out["source"].astype("string")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- qualify

_EMAIL = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"


@dataclass(frozen=True)
class QualifyRules:
    """Rules for :func:`qualify`, as data you can change.

    Make a changed copy with :func:`dataclasses.replace`, e.g.
    ``replace(QualifyRules(), target_countries=frozenset({"DE", "AT"}))``.

    Attributes
    ----------
    email_pattern : str
        Regular expression a valid e-mail matches (whole string).
    disposable_domains : frozenset of str
        Throw-away mail domains (lower case). Subdomains count too.
    junk_patterns : tuple of str
        Regular expressions, searched case-insensitively in the lower-cased
        e-mail local part and name, that mark them as junk: "test",
        keyboard mashing, spam offers ("SEO services").
    target_countries : frozenset of str or None
        ISO-2 codes the business serves; ``None`` accepts every country. A
        missing country is not held against a lead.
    require_email, require_name : bool
        Whether a missing e-mail / name disqualifies.
    require_past_purchase : bool
        Past purchase behaviour as a criterion (the Spanish article's): only leads who bought
        before ``qualify``'s ``as_of`` qualify, the others get ``no_past_purchase`` (a re-order
        campaign calls past buyers only). Off by default: a signal, not a condition.
    """

    email_pattern: str = _EMAIL
    disposable_domains: frozenset[str] = frozenset(
        {
            "tempmail.example",
            "throwaway.example",
            "trashbox.example",
            "minutemail.example",
            "mailinator.example",
            "10minutemail.example",
            "guerrillamail.example",
            "yopmail.example",
        }
    )
    junk_patterns: tuple[str, ...] = (
        r"^(test|tester|testing|asdf\w*|qwer\w*|foo|bar|xxx+|aaa+|abc|none|null|n/?a|fake|spam)\d*"
        r"( (test|tester|asdf\w*|qwer\w*|foo|bar))*$",
        r"^(.)\1{3,}$",
        r"\b(seo|crypto|casino|backlinks?|best offer|web design|viagra|loans?)\b",
    )
    target_countries: frozenset[str] | None = None
    require_email: bool = True
    require_name: bool = True
    require_past_purchase: bool = False

    def __post_init__(self) -> None:
        for name in ("email_pattern",):
            try:
                re.compile(getattr(self, name))
            except re.error as err:
                raise ValueError(f"QualifyRules(): {name} is not a valid regular expression ({err}).") from None
        for pat in self.junk_patterns:
            try:
                re.compile(pat)
            except re.error as err:
                raise ValueError(f"QualifyRules(): junk pattern {pat!r} is not a valid regular expression ({err}).") from None
        if isinstance(self.disposable_domains, str) or isinstance(self.junk_patterns, str):
            raise TypeError("QualifyRules(): disposable_domains and junk_patterns must be collections, not one string.")
        object.__setattr__(self, "disposable_domains", frozenset(d.lower() for d in self.disposable_domains))
        object.__setattr__(self, "junk_patterns", tuple(self.junk_patterns))
        if self.target_countries is not None:
            if isinstance(self.target_countries, str):
                raise TypeError("QualifyRules(): target_countries must be a set of ISO codes such as {'DE', 'FR'}, not one string.")
            object.__setattr__(self, "target_countries", frozenset(c.upper() for c in self.target_countries))


def _need_codes(func: str, country: pd.Series, targets: frozenset[str]) -> None:
    """Refuse country *names* judged against ISO *codes*: "India" is not "IN", and every
    such lead would be flagged outside the market without a word."""
    names = {k.upper(): v for k, v in COUNTRY_CODES.items()}
    given = pd.Series(country.dropna().astype("string").str.strip().unique(), dtype="string")
    named = [v for v in given if v.upper() in names and v.upper() not in targets]
    if named and any(len(t) == 2 for t in targets):
        codes = sorted({names[v.upper()] for v in named})
        raise ValueError(
            f"{func}(): leads' country holds country names ({', '.join(map(repr, named[:3]))}"
            f"{', ...' if len(named) > 3 else ''}) but target_countries holds ISO codes "
            f"({', '.join(sorted(targets))}), so every such lead would read as outside the "
            "market. Fix: load the file with data.load_leads(path, mapping={'country': "
            "'country_names'}) (codes such as "
            f"{', '.join(codes[:3])}), or give target_countries as the names the file uses."
        )


def qualify(
    leads: pd.DataFrame,
    rules: QualifyRules = QualifyRules(),
    *,
    bot_visitors: Iterable[str] | pd.Series | None = None,
    as_of=None,
) -> pd.DataFrame:
    """Label each lead qualified or not, with every reason that applies.

    Never drops a row: the result has as many rows as ``leads``, so
    kept + removed == total.

    Parameters
    ----------
    leads : DataFrame
        Needs ``email`` and ``name`` when the rules require them (the default;
        without the column and with ``require_email=False`` / ``require_name=False``
        its checks are skipped: a CRM export may have neither), ``country`` when
        ``rules.target_countries`` is set, and ``visitor_id`` when ``bot_visitors``
        is given.
    rules : QualifyRules
    bot_visitors : iterable of visitor ids, optional
        Visitors a bot filter flagged (e.g. from ``bots.label``); their leads
        get ``created_by_bot``.
    as_of : timestamp or str, optional
        "Now" for past purchases (zone-aware, e.g. the start of the period you measure). Adds
        ``bought_before`` (:func:`bought_before`: ``became_customer_at`` before ``as_of``), a
        signal a score rule can read; ``rules.require_past_purchase`` needs it.

    Returns
    -------
    DataFrame
        A copy of ``leads`` plus ``qualified`` (bool) and ``reasons`` (a str:
        the reasons joined by ``"; "`` in the order of :data:`REASONS`, empty
        when qualified), and ``bought_before`` (bool) when ``as_of`` is given.

    Examples
    --------
    >>> crm = pd.DataFrame({
    ...     "lead_id": ["L1", "L2", "L3", "L4"],
    ...     "visitor_id": ["v1", "v2", None, "v4"],
    ...     "name": ["Ada Byron", "asdf", "Lin Wu", None],
    ...     "email": ["ada@example.com", "test@example.org", "lin@example", None],
    ...     "country": ["DE", "DE", "US", "FR"]})
    >>> rules = QualifyRules(target_countries={"DE", "FR", "AT"})
    >>> qualify(crm, rules, bot_visitors={"v4"})[["lead_id", "qualified", "reasons"]]
      lead_id  qualified                                             reasons
    0      L1       True
    1      L2      False                               junk_email; junk_name
    2      L3      False                invalid_email; outside_target_market
    3      L4      False  missing_email; missing_name; created_by_bot

    Past buyers only (a re-order campaign), judged at the start of the period:
    >>> crm["became_customer_at"] = pd.to_datetime(["2024-05-01", None, None, "2025-03-01"], utc=True)
    >>> loyal = qualify(crm, QualifyRules(require_past_purchase=True), as_of="2025-02-03T00:00Z")
    >>> loyal[["lead_id", "bought_before", "reasons"]]
      lead_id  bought_before                                        reasons
    0      L1           True
    1      L2          False        junk_email; junk_name; no_past_purchase
    2      L3          False                invalid_email; no_past_purchase
    3      L4          False  missing_email; missing_name; no_past_purchase
    """
    func = "qualify"
    _need_frame(func, "leads", leads)
    if not isinstance(rules, QualifyRules):
        raise TypeError(f"{func}(): rules must be a QualifyRules, got {type(rules).__name__}.")
    contact = (["email"] if rules.require_email else []) + (["name"] if rules.require_name else [])
    _need_columns(func, "leads", leads, contact,
                  "Rename it, e.g. data.load_leads(path, rename={'E-Mail': 'email'}); a CRM "
                  "export without e-mail addresses or names is qualified without those checks "
                  "with QualifyRules(require_email=False, require_name=False).")
    if rules.target_countries is not None:
        _need_columns(func, "leads", leads, ["country"],
                      "Rename it, or leave the market out: QualifyRules(target_countries=None).")
    if bot_visitors is not None:
        _need_columns(func, "leads", leads, ["visitor_id"],
                      "Rename it, or leave out bot_visitors= when the CRM has no visitor ids.")
    if rules.require_past_purchase and as_of is None:
        raise ValueError(f"{func}(): rules.require_past_purchase needs as_of=, the moment before "
                         "which a purchase counts, e.g. as_of='2025-02-03T00:00Z' (the start of "
                         "the period you measure).")
    bought = None if as_of is None else _bought_before(func, leads, as_of, "as_of")
    n = len(leads)
    # Every check runs once per *distinct* value of a column (a CRM repeats names,
    # domains and countries; pyarrow factorizes in C), with Python's str methods and `re`,
    # then the answers are mapped back to the rows by their codes: no per-row Python.

    def per_value(column: str | pd.Series, check):  # -> one array per answer, by row
        codes, uniques = pd.factorize(leads[column] if isinstance(column, str) else column,
                                      use_na_sentinel=True)
        # a missing value is checked as None (code -1 picks that last answer); other
        # values as text, as astype("string") shows them
        values = [*uniques, None]
        answers = [check(None if v is None or pd.isna(v) else str(v)) for v in values]
        table = np.array(answers, dtype=object).reshape(len(answers), -1)
        return [table[:, i].astype(bool)[codes] for i in range(table.shape[1])]

    junk = [re.compile(p) for p in rules.junk_patterns]
    disposable_domains = tuple(rules.disposable_domains)

    def junk_in(texts: pd.Series) -> np.ndarray:
        """Whether a junk pattern is found in each lower-cased text (missing: False)."""
        found = np.zeros(len(texts), dtype=bool)
        for pat in rules.junk_patterns:  # a handful of patterns, each over the whole column
            found |= _contains(texts, pat)
        return found

    def lower(texts: pd.Series) -> pd.Series:
        """str.lower: in C when every text is ASCII (the same answer), else per distinct text."""
        ascii_only = texts.dropna().str.isascii().all()
        if ascii_only:
            return texts.str.lower()
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        lowered = pd.array([*(str(u).lower() for u in uniques), pd.NA], dtype="string")
        return pd.Series(lowered.take(codes), index=texts.index)

    # e-mail: strip, then the pattern; domain = after the last "@", local part = before
    # the first one (as str.rsplit / str.split do), both lower-cased
    email = (leads["email"].astype("string").str.strip() if "email" in leads.columns
             else pd.Series(pd.NA, index=leads.index, dtype="string"))  # checks skipped
    missing_email = (email.isna() | email.eq("")).to_numpy(dtype=bool, na_value=True)
    valid = email.str.fullmatch(rules.email_pattern).fillna(False).to_numpy(dtype=bool)
    domain = email.str.replace(r"(?s)^.*@", "", regex=True)

    def check_domain(value: str | None) -> tuple[bool]:
        text = "" if value is None else value.lower()
        return (any(text == d or text.endswith("." + d) for d in disposable_domains),)

    (disposable,) = per_value(domain, check_domain)
    junk_email = junk_in(lower(email.str.replace(r"(?s)@.*$", "", regex=True)))

    def check_name(value: str | None) -> tuple[bool, bool]:
        text = "" if value is None else value.strip().lower()
        return not text, bool(text) and any(rx.search(text) for rx in junk)

    flags: dict[str, np.ndarray] = {}
    flags["missing_email"] = missing_email if rules.require_email else np.zeros(n, bool)
    flags["invalid_email"] = ~missing_email & ~valid
    flags["disposable_email"] = ~missing_email & valid & disposable
    flags["junk_email"] = ~missing_email & junk_email
    if "name" in leads:
        missing_name, junk_name = per_value("name", check_name)
    else:
        missing_name, junk_name = np.zeros(n, bool), np.zeros(n, bool)
    flags["missing_name"] = missing_name if rules.require_name else np.zeros(n, bool)
    flags["junk_name"] = ~missing_name & junk_name
    if rules.target_countries is not None:
        targets = rules.target_countries
        _need_codes(func, leads["country"], targets)

        def check_country(value: str | None) -> tuple[bool]:
            text = "" if value is None else value.strip()
            return (bool(text) and text.upper() not in targets,)

        (flags["outside_target_market"],) = per_value("country", check_country)
    else:
        flags["outside_target_market"] = np.zeros(n, bool)
    if bot_visitors is not None:
        listed = bot_visitors if isinstance(bot_visitors, pd.Series) else pd.Series(list(bot_visitors), dtype=object)
        bots = listed.dropna().astype("string")
        ids = leads["visitor_id"].astype("string")
        try:  # one C hash table (pandas' isin on Arrow strings goes through Python objects)
            import pyarrow as pa
            import pyarrow.compute as pc

            value_set = pa.array(bots.array, from_pandas=True)
            if isinstance(value_set, pa.ChunkedArray):
                value_set = value_set.combine_chunks()
            found = pc.is_in(pa.array(ids.array, from_pandas=True), value_set=value_set, skip_nulls=True)
            flags["created_by_bot"] = found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        except ImportError:  # pragma: no cover - pyarrow comes with the kit
            flags["created_by_bot"] = ids.isin(pd.Index(bots.unique())).fillna(False).to_numpy(dtype=bool)
    else:
        flags["created_by_bot"] = np.zeros(n, bool)
    flags["no_past_purchase"] = ~bought.to_numpy(bool) if rules.require_past_purchase else np.zeros(n, bool)
    # the reasons text of each combination of flags, built once (2**8 at most)
    bits = np.zeros(n, dtype=np.int64)
    for b, reason in enumerate(REASONS):
        bits |= flags[reason].astype(np.int64) << b
    table = np.empty(1 << len(REASONS), dtype=object)
    for u in np.flatnonzero(np.bincount(bits, minlength=len(table))):
        table[u] = "; ".join(r for b, r in enumerate(REASONS) if int(u) >> b & 1)
    reasons = pd.Series(table[bits], index=leads.index, dtype="string")
    out = leads.copy()
    if bought is not None:
        out["bought_before"] = bought
    out["qualified"] = reasons.eq("").to_numpy(dtype=bool)
    out["reasons"] = reasons
    return out


def qualify_report(qualified: pd.DataFrame) -> pd.DataFrame:
    """How many leads each reason removed, and how the totals reconcile.

    Parameters
    ----------
    qualified : DataFrame
        The result of :func:`qualify`.

    Returns
    -------
    DataFrame
        One row per reason that occurred (``leads`` having it, ``only_reason``
        removed by it alone, ``share`` of all leads), then the rows
        ``removed (any reason)``, ``kept`` and ``total``; kept + removed ==
        total. A lead with two reasons is counted under both, so the reason
        rows can add up to more than ``removed``.

    Examples
    --------
    >>> crm = pd.DataFrame({"name": ["Ada", "", "Bo"],
    ...                     "email": ["ada@example.com", "bad", "bo@throwaway.example"]})
    >>> qualify_report(qualify(crm))
                          leads  only_reason     share
    reason
    invalid_email             1            0  0.333333
    disposable_email          1            1  0.333333
    missing_name              1            0  0.333333
    removed (any reason)      2            2  0.666667
    kept                      1            0  0.333333
    total                     3            0  1.000000
    """
    func = "qualify_report"
    _need_frame(func, "qualified", qualified)
    _need_columns(func, "qualified", qualified, ["qualified", "reasons"], "Pass the result of qualify(leads).")
    total = len(qualified)
    if total == 0:
        raise ValueError(f"{func}(): qualified is empty; there are no leads to report on. Pass qualify(leads) of a non-empty leads table.")
    if "lead_id" in qualified.columns:
        _need_unique(func, "qualified", qualified, "lead_id")
    kept_flags = need_flags(func, qualified, "qualified", "True for a lead kept by qualify",
                            "Pass the result of qualify(leads).")
    reasons_text = qualified["reasons"].astype("string").fillna("").reset_index(drop=True)  # pragma: no mutate (a missing reason splits into no reason either way)
    split = reasons_text.str.split("; ")
    exploded = split.explode()
    exploded = exploded[exploded.ne("")]
    n_reasons = split.str.len()  # read only for rows that have a reason
    counts = exploded.value_counts()
    only = exploded[n_reasons.reindex(exploded.index).eq(1).to_numpy()].value_counts()
    order = [r for r in REASONS if r in counts.index] + sorted(set(counts.index) - set(REASONS))
    table = pd.DataFrame({
        "leads": counts.reindex(order).astype("int64"),  # every reason in order occurs
        "only_reason": only.reindex(order).fillna(0).astype("int64"),
    })
    removed = int((~kept_flags).sum())
    extra = pd.DataFrame(
        {"leads": [removed, total - removed, total], "only_reason": [removed, 0, 0]},
        index=["removed (any reason)", "kept", "total"],
    )
    table = pd.concat([table, extra])
    table["share"] = table["leads"] / total
    table.index.name = "reason"
    return table


# --------------------------------------------------------------------------- score


@dataclass(frozen=True)
class ScoreRule:
    """Points a lead earns when one column meets a condition.

    The condition is ``column in values`` when ``values`` is given, else
    ``low <= column <= high`` (either bound may be ``None``), else "the column
    is filled in": a :class:`helpers.rules.Condition`, the same test as a persona's
    criterion.

    Attributes
    ----------
    name : str
        Shown in explanations, e.g. ``"visited pricing"``.
    column : str
        A column of the leads frame, or an engagement column that
        :func:`engagement` computes from events (``pricing_views``, ...).
    points : float
        Added when the condition holds (may be negative).
    values : tuple, optional
    low, high : float, optional
    component : {"fit", "engagement"}

    Examples
    --------
    >>> ScoreRule("mid-sized company", "company_size", 15, low=10, high=500)
    ScoreRule(name='mid-sized company', column='company_size', points=15, values=None, low=10, high=500, component='fit')
    """

    name: str
    column: str
    points: float
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    component: str = "fit"

    def __post_init__(self) -> None:
        if self.component not in ("fit", "engagement"):
            raise ValueError(f"ScoreRule(): component must be 'fit' or 'engagement', got {self.component!r}.")
        if isinstance(self.points, bool) or not isinstance(self.points, int | float) or not np.isfinite(self.points):
            raise ValueError(f"ScoreRule(): points for {self.name!r} must be a finite number, got {self.points!r}.")
        object.__setattr__(self, "values", self.condition.values)  # checked, as a tuple

    @property
    def condition(self) -> Condition:
        """The test itself, shared with persona criteria: :class:`helpers.rules.Condition`."""
        return Condition(self.column, self.values, self.low, self.high, owner="ScoreRule")


ENGAGEMENT_PAGES: Mapping[str, str] = {
    "pricing_views": r"^/pricing",
    "wholesale_views": r"^/wholesale",
    "contact_views": r"^/contact",
    "blog_views": r"^/blog",
    "shop_views": r"^/shop",
}


def engagement(
    events: pd.DataFrame,
    *,
    person: str = "visitor_id",
    pages: Mapping[str, str] = ENGAGEMENT_PAGES,
) -> pd.DataFrame:
    """Engagement counts per visitor from events.

    Returns one row per visitor (index ``visitor_id``) with ``sessions``
    (distinct ``session_id`` when present), ``page_views``, one column per
    entry of ``pages`` (page views whose path matches the regular
    expression), and one count column per non-page_view event name.

    Examples
    --------
    >>> ev = pd.DataFrame({"visitor_id": ["a", "a", "b"], "session_id": ["s1", "s2", "s3"],
    ...                    "event_name": ["page_view", "guide_download", "page_view"],
    ...                    "page": ["/pricing", "/guide", "/blog/x"]})
    >>> engagement(ev)[["sessions", "page_views", "pricing_views", "blog_views", "guide_download"]]
                sessions  page_views  pricing_views  blog_views  guide_download
    visitor_id
    a                  2           1              1           0               1
    b                  1           1              0           1               0
    """
    func = "engagement"
    _need_frame(func, "events", events)
    _need_columns(func, "events", events, [person, "event_name", "page"])
    if pd.api.types.is_numeric_dtype(events["page"].dtype) or pd.api.types.is_datetime64_any_dtype(
        events["page"].dtype
    ):
        raise TypeError(
            f"{func}(): column 'page' must hold page paths (text such as '/pricing'), got dtype "
            f"{events['page'].dtype}. Pass the events table (data.load_events())."
        )
    ev = events[events[person].notna()]
    key = ev[person]
    is_view = ev["event_name"].eq("page_view").to_numpy(dtype=bool)
    page = ev["page"].astype("string").fillna("")
    cols: dict[str, pd.Series] = {}
    if "session_id" in ev:
        cols["sessions"] = ev.groupby(key, sort=True)["session_id"].nunique()
    cols["page_views"] = pd.Series(is_view, index=ev.index).groupby(key, sort=True).sum()
    for name, pattern in pages.items():
        hit = is_view & _contains(page, pattern)
        cols[name] = pd.Series(hit, index=ev.index).groupby(key, sort=True).sum()
    out = pd.DataFrame(cols)
    others = ev.loc[~is_view, [person, "event_name"]]
    if len(others):
        counts = pd.crosstab(others[person], others["event_name"].astype("string"))
        counts.columns = [str(c) for c in counts.columns]
        out = out.join(counts, how="left")
    out = out.fillna(0).astype("int64")
    out.index.name = person
    return out


DEFAULT_WEIGHTS: tuple[ScoreRule, ...] = (
    ScoreRule("company of 10-500 people", "company_size", 15, low=10, high=500),
    ScoreRule("small business of 1-9 people", "company_size", 5, low=1, high=9),
    ScoreRule("office-coffee industry", "industry", 10, values=("software", "agency", "legal", "healthcare")),
    ScoreRule("hospitality (cafés)", "industry", 15, values=("hospitality",)),
    ScoreRule("gave a phone number", "phone", 5),
    ScoreRule("gave a company name", "company", 5),
    ScoreRule("visited pricing", "pricing_views", 15, low=1, component="engagement"),
    ScoreRule("visited wholesale", "wholesale_views", 10, low=1, component="engagement"),
    ScoreRule("sent the contact form", "contact_form", 20, low=1, component="engagement"),
    ScoreRule("came back 3+ times", "sessions", 10, low=3, component="engagement"),
)
"""Default lead-scoring rules: firmographic fit plus engagement on the site.

Newsletter signups and guide downloads are deliberately absent: on the kit's
data they come mostly from hobbyists and predict a sale *less* often than
average, so points for them would mislead.
"""


def _leakage_fields(func: str, leakage_fields: Any) -> frozenset[str]:
    """The after-the-fact fields the guard refuses: the kit's plus the analyst's own."""
    if leakage_fields is None:
        return LEAKAGE_FIELDS
    if isinstance(leakage_fields, str) or not all(isinstance(c, str) for c in leakage_fields):
        raise TypeError(
            f"{func}(): leakage_fields must be a list of column names, got {leakage_fields!r}. "
            "Pass e.g. leakage_fields=['Converted', 'Last Activity'] (the kit's own "
            "LEAKAGE_FIELDS are always added)."
        )
    return LEAKAGE_FIELDS | frozenset(leakage_fields)


def _check_weights(func: str, weights: Any, allow_leakage: bool,
                   leakage_fields: Any = None) -> tuple[ScoreRule, ...]:
    if isinstance(weights, ScoreRule):
        weights = (weights,)
    if isinstance(weights, Mapping) or not isinstance(weights, Sequence) or not weights:
        raise TypeError(
            f"{func}(): weights must be a non-empty list of ScoreRule, e.g. "
            "[ScoreRule('visited pricing', 'pricing_views', 15, low=1, component='engagement')]."
        )
    for w in weights:
        if not isinstance(w, ScoreRule):
            raise TypeError(f"{func}(): every weight must be a ScoreRule, got {type(w).__name__}.")
    leaky = sorted({w.column for w in weights} & _leakage_fields(func, leakage_fields))
    if leaky:
        msg = (
            f"{func}(): weights use {', '.join(map(repr, leaky))}, which the CRM only fills in after "
            "the outcome a lead score should predict (leakage): the score would look perfect on "
            "past leads and be useless on new ones."
        )
        if not allow_leakage:
            raise ValueError(msg + " Remove those rules, or pass allow_leakage=True to see the effect.")
        warnings.warn(msg, UserWarning, stacklevel=3)
    return tuple(weights)


def _rule_hits(frame: pd.DataFrame, rule: ScoreRule) -> np.ndarray:
    return rule.condition.met(frame)


def _with_engagement(func: str, leads: pd.DataFrame, weights: Sequence[ScoreRule], events: pd.DataFrame | None) -> pd.DataFrame:
    missing = [w.column for w in weights if w.column not in leads.columns]
    if not missing:
        return leads
    if events is None:
        rules = [w.name for w in weights if w.column == missing[0]]
        raise KeyError(
            f"{func}(): leads has no column {missing[0]!r} (rule {rules[0]!r}). If it is an "
            "engagement signal, pass events=events so it can be counted per visitor; otherwise "
            "rename the column, or score without the rule: weights=[w for w in "
            f"{'leads.DEFAULT_WEIGHTS' if weights is DEFAULT_WEIGHTS else 'your_rules'} if "
            f"w.column != {missing[0]!r}] (or your own list of ScoreRule)."
        )
    _need_columns(func, "leads", leads, ["visitor_id"], "score() joins engagement on visitor_id.")
    eng = engagement(events)
    eng.index = eng.index.astype("string")
    unknown = [c for c in missing if c not in eng.columns and c not in KNOWN_EVENTS]
    if unknown:
        raise KeyError(
            f"{func}(): {unknown[0]!r} is neither a column of leads nor an engagement count. "
            f"Engagement columns are: {', '.join(map(str, eng.columns))} (and any event name). "
            "Fix the rule's column."
        )
    # an event that never happened in these events is a count of 0
    table = eng.reindex(columns=missing).reindex(pd.Index(leads["visitor_id"].astype("string")))
    table.index = leads.index
    return leads.assign(**{c: table[c].fillna(0).astype("int64") for c in missing})


def _need_sizes(func: str, leads: pd.DataFrame) -> None:
    """A company has at least one person: a negative ``company_size`` is refused, not scored."""
    if "company_size" not in leads.columns:
        return
    size = leads["company_size"]
    if pd.api.types.is_numeric_dtype(size.dtype) and not pd.api.types.is_bool_dtype(size.dtype):
        negative = int((size.astype("float64") < 0).sum())
        if negative:
            raise ValueError(
                f"{func}(): leads has {negative} negative company_size value(s); a company has at "
                "least one person. Fix those rows or set them to missing."
            )


def score(
    leads: pd.DataFrame,
    weights: Sequence[ScoreRule] = DEFAULT_WEIGHTS,
    *,
    events: pd.DataFrame | None = None,
    allow_leakage: bool = False,
    leakage_fields: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Transparent lead score: points for fit (firmographics) and engagement.

    Parameters
    ----------
    leads : DataFrame
        One row per lead.
    weights : sequence of ScoreRule, default DEFAULT_WEIGHTS
        The rules. A rule on a column that ``leads`` lacks is computed from
        ``events`` with :func:`engagement` (joined on ``visitor_id``; offline
        leads get 0).
    events : DataFrame, optional
        Needed when a rule uses an engagement column.
    allow_leakage : bool, default False
        Rules on :data:`LEAKAGE_FIELDS` (``stage``, ``became_customer_at``,
        ``first_order_value``) raise unless this is True, which warns instead.
    leakage_fields : list of str, optional
        Your CRM's own after-the-fact fields (filled in only once the outcome is known,
        e.g. a ``Converted`` flag, a "last activity" or a sales note), guarded like
        :data:`LEAKAGE_FIELDS` (which always stay guarded).

    Returns
    -------
    DataFrame
        A copy of ``leads`` plus ``fit_points``, ``engagement_points``,
        ``score`` (their sum) and ``score_reasons`` (the rules that gave points,
        e.g. ``"+15 company of 10-500 people; +15 visited pricing"``).

    Examples
    --------
    >>> crm = pd.DataFrame({"lead_id": ["L1", "L2"], "visitor_id": ["a", None],
    ...                     "company_size": [40, None], "industry": ["legal", None]})
    >>> ev = pd.DataFrame({"visitor_id": ["a", "a"], "event_name": ["page_view", "contact_form"],
    ...                    "page": ["/pricing", "/contact"]})
    >>> rules = [ScoreRule("10-500 people", "company_size", 15, low=10, high=500),
    ...          ScoreRule("visited pricing", "pricing_views", 15, low=1, component="engagement")]
    >>> scored = score(crm, rules, events=ev)
    >>> scored[["lead_id", "fit_points", "engagement_points", "score"]]
      lead_id  fit_points  engagement_points  score
    0      L1        15.0               15.0   30.0
    1      L2         0.0                0.0    0.0
    >>> scored["score_reasons"].tolist()
    ['+15 10-500 people; +15 visited pricing', '']
    >>> score(crm, [ScoreRule("is customer", "stage", 50, values=("customer",))])
    Traceback (most recent call last):
    ...
    ValueError: score(): weights use 'stage', which the CRM only fills in after the outcome a lead score should predict (leakage): the score would look perfect on past leads and be useless on new ones. Remove those rules, or pass allow_leakage=True to see the effect.
    >>> score(crm.assign(Converted=[1, 0]), [ScoreRule("won", "Converted", 50, values=(1,))],
    ...       leakage_fields=["Converted"])
    Traceback (most recent call last):
    ...
    ValueError: score(): weights use 'Converted', which the CRM only fills in after the outcome a lead score should predict (leakage): the score would look perfect on past leads and be useless on new ones. Remove those rules, or pass allow_leakage=True to see the effect.
    """
    func = "score"
    _need_frame(func, "leads", leads)
    _need_sizes(func, leads)
    rules = _check_weights(func, weights, allow_leakage, leakage_fields)
    frame = _with_engagement(func, leads, rules, events)
    n = len(leads)
    fit = np.zeros(n)
    eng = np.zeros(n)
    text = np.full(n, "", dtype=object)
    for rule in rules:  # loop over rules (a dozen), each vectorised over leads
        hit = _rule_hits(frame, rule)
        if rule.component == "fit":
            fit = fit + np.where(hit, rule.points, 0.0)
        else:
            eng = eng + np.where(hit, rule.points, 0.0)
        text = np.where(hit, text + f"{rule.points:+g} {rule.name}; ", text)
    out = leads.copy()
    out["fit_points"] = fit
    out["engagement_points"] = eng
    out["score"] = fit + eng
    out["score_reasons"] = pd.Series(text, index=leads.index, dtype="string").str.removesuffix("; ")
    return out


def explain(
    leads: pd.DataFrame,
    lead_id: str,
    weights: Sequence[ScoreRule] = DEFAULT_WEIGHTS,
    *,
    events: pd.DataFrame | None = None,
    allow_leakage: bool = False,
    leakage_fields: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Where one lead's score comes from: every rule, its value and its points.

    ``weights``, ``events``, ``allow_leakage`` and ``leakage_fields`` as in :func:`score`.

    Examples
    --------
    >>> crm = pd.DataFrame({"lead_id": ["L1"], "company_size": [40], "industry": ["legal"]})
    >>> rules = [ScoreRule("10-500 people", "company_size", 15, low=10, high=500),
    ...          ScoreRule("hospitality", "industry", 15, values=("hospitality",))]
    >>> explain(crm, "L1", rules)
                rule        column  value  met  points component
    0  10-500 people  company_size     40  True    15.0       fit
    1    hospitality      industry  legal  False     0.0       fit
    """
    func = "explain"
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, ["lead_id"])
    row = leads[leads["lead_id"].astype("string").eq(str(lead_id)).fillna(False).to_numpy(dtype=bool)]
    if row.empty:
        raise KeyError(f"{func}(): no lead with lead_id {lead_id!r}; check the id (they look like {leads['lead_id'].iloc[0]!r}).")
    _need_sizes(func, leads)
    rules = _check_weights(func, weights, allow_leakage, leakage_fields)
    frame = _with_engagement(func, row.head(1), rules, events)
    records = []
    for rule in rules:
        hit = bool(_rule_hits(frame, rule)[0])
        records.append({
            "rule": rule.name,
            "column": rule.column,
            "value": frame[rule.column].iloc[0],
            "met": hit,
            "points": float(rule.points) if hit else 0.0,
            "component": rule.component,
        })
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- pipeline


_PLURAL = {"visitor": "visitors", "lead": "leads", "mql": "MQLs", "sql": "SQLs", "customer": "customers"}


#: The stages at which sales has judged a lead worth pursuing (lesson 06's funnel).
QUALIFIED_STAGES: tuple[str, ...] = ("mql", "sql", "customer")


def characteristics(leads: pd.DataFrame, rules: QualifyRules = QualifyRules()) -> pd.DataFrame:
    """The three characteristics of a lead (the Spanish article's), read off the CRM's fields.

    - ``contact``: contact information to reach the person: an e-mail that :func:`qualify`
      finds neither missing nor invalid (``rules.email_pattern``), or a phone number;
    - ``interest``: interest shown through a door: a ``lead_source`` is recorded (a form, a
      sign-up, a download, a purchase, a business card at a trade show);
    - ``qualification``: how far sales has judged the lead: ``"qualified"`` (its ``stage``
      is one of :data:`QUALIFIED_STAGES`), ``"disqualified"``, or ``"not yet"`` (still
      ``lead``, ``unknown`` or missing).

    Parameters
    ----------
    leads : DataFrame
        Needs ``email``, ``lead_source`` and ``stage``; ``phone`` is used when present.
    rules : QualifyRules
        Whose ``email_pattern`` decides a valid e-mail (the one definition, in :func:`qualify`).

    Returns
    -------
    DataFrame
        ``contact`` (bool), ``interest`` (bool), ``qualification`` (str), one row per lead,
        same index and order; nothing is dropped.

    Examples
    --------
    >>> crm = pd.DataFrame({"email": ["ada@example.com", "not-an-email", None],
    ...                     "phone": [None, "+49 30 1234567", None],
    ...                     "lead_source": ["newsletter_signup", "trade_show", None],
    ...                     "stage": ["mql", "disqualified", "lead"]})
    >>> characteristics(crm)
       contact  interest qualification
    0     True      True     qualified
    1     True      True  disqualified
    2    False     False       not yet
    """
    func = "characteristics"
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, ["email", "lead_source", "stage"],
                  "Pass the CRM leads (data.load_leads()), or rename= your columns onto these.")
    checked = qualify(leads[["email"]], replace(rules, require_name=False))
    reasons = checked["reasons"].astype("string").fillna("")
    email_ok = ~reasons.str.contains(r"\b(?:missing_email|invalid_email)\b", regex=True).to_numpy(dtype=bool)
    if "phone" in leads.columns:
        phone = leads["phone"].astype("string").str.strip()
        has_phone = (phone.notna() & phone.ne("")).to_numpy(dtype=bool)
    else:
        has_phone = np.zeros(len(leads), dtype=bool)
    source = leads["lead_source"].astype("string").str.strip()
    stage = leads["stage"].astype("string").str.strip().str.lower()
    verdict = np.where(stage.isin(QUALIFIED_STAGES).fillna(False).to_numpy(dtype=bool), "qualified",
                       np.where(stage.eq("disqualified").fillna(False).to_numpy(dtype=bool),
                                "disqualified", "not yet"))
    return pd.DataFrame({
        "contact": email_ok | has_phone,
        "interest": (source.notna() & source.ne("")).to_numpy(dtype=bool),
        "qualification": verdict,
    }, index=leads.index).astype({"qualification": "str"})


def load_forms(path=None) -> pd.DataFrame:
    """Read the site's forms (default: the kit's ``forms.csv``): ``lead_source``, ``form``,
    ``page``, ``fields`` (int), ``asks``.

    Examples
    --------
    >>> int(load_forms().set_index("lead_source").at["newsletter_signup", "fields"])
    1
    """
    from ._csv import data_file
    from .data import kit_data_dir

    func = "load_forms"
    with data_file(func, path, kit_data_dir() / "forms.csv",
                   "a CSV with columns lead_source, form and fields (one row per form)") as where:
        table = pd.read_csv(where, dtype={"lead_source": str, "form": str, "page": str,
                                          "asks": str})
    _need_columns(func, "forms", table, ["lead_source", "form", "fields"],
                  "One row per form: lead_source, form and fields.")
    return table.astype({"fields": "int64"})


def by_form(
    leads: pd.DataFrame,
    forms: pd.DataFrame,
    start,
    end,
    *,
    within_days: float = 28,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each form's leads and how many of them bought, beside the form's length.

    The Spanish article's diagnosis: a page with many leads but few conversions, look at its
    form. A form's length decides who fills it in. This sets, per door (``lead_source``), the
    leads created between ``start`` and ``end`` beside the form's number of ``fields``, and the
    share of them who became customers within ``within_days`` of becoming a lead (the same
    fixed window for every lead: lesson 05's fix for conversion lag). Leads created by a
    purchase are left out (:func:`helpers.lag.bought_at_creation`: customers from their first
    moment, whatever the checkout asks).

    Parameters
    ----------
    leads : DataFrame
        The CRM (``lead_source``, ``created_at``, ``became_customer_at``).
    forms : DataFrame
        The site's forms (``lead_source``, ``form``, ``fields``; the kit's ``forms.csv``).
    start, end : timestamp or str
        The window the leads were created in (zone-aware, as every time in the kit).

    Returns
    -------
    DataFrame
        One row per form with leads (index ``form``): ``lead_source``, ``fields``, ``leads``,
        ``customers``, ``rate``, ``low``, ``high``; ordered by ``fields``.
    """
    from .lag import bought_at_creation

    func = "by_form"
    _need_frame(func, "leads", leads)
    _need_frame(func, "forms", forms)
    _need_columns(func, "leads", leads, ["lead_source", "created_at", "became_customer_at"],
                  "Pass the CRM leads (data.load_leads()).")
    _need_columns(func, "forms", forms, ["lead_source", "form", "fields"],
                  "Pass the site's forms (the kit's forms.csv), one row per form.")
    _need_unique(func, "forms", forms, "lead_source")
    if "lead_id" in leads.columns:
        _need_unique(func, "leads", leads, "lead_id")
    fields = pd.to_numeric(forms["fields"], errors="coerce")
    if fields.isna().any() or (fields < 1).any():
        raise ValueError(f"{func}(): forms['fields'] must be whole numbers of 1 or more, got "
                         f"{forms.loc[(fields.isna() | (fields < 1)).to_numpy(), 'fields'].tolist()[:3]}. "
                         "Fix: count the fields each form asks for.")
    if not np.isfinite(within_days) or within_days <= 0:
        raise ValueError(f"{func}(): within_days must be a positive number of days, got {within_days!r}.")
    made = _need_zone(func, "leads", leads["created_at"], "created_at")
    bought = _need_zone(func, "leads", leads["became_customer_at"], "became_customer_at")
    begin, finish = pd.Timestamp(start), pd.Timestamp(end)
    if begin.tzinfo is None or finish.tzinfo is None:
        raise ValueError(f"{func}(): start and end need a time zone, e.g. '2025-02-03T00:00Z'.")
    keep = ((made >= begin) & (made <= finish)).to_numpy(dtype=bool) & ~bought_at_creation(
        leads).to_numpy(dtype=bool)
    source = leads["lead_source"].astype("string").to_numpy(dtype=object)
    days = ((bought - made).dt.total_seconds() / 86_400).to_numpy(dtype=float)
    rows = []
    for door, name, n_fields in zip(forms["lead_source"].astype(str), forms["form"].astype(str),
                                    fields.astype(int), strict=True):
        mine = keep & (source == door)
        if not mine.any():
            continue
        r = rate(int((mine & (days <= within_days)).sum()), int(mine.sum()),
                 confidence=confidence, unit="leads")
        rows.append({"form": name, "lead_source": door, "fields": n_fields, "leads": r.denominator,
                     "customers": r.conversions, "rate": r.value, "low": r.low, "high": r.high})
    need_rows(func, "leads", pd.DataFrame(rows), "Pass leads created in the window through "
              "the forms listed in forms (their lead_source).")
    return pd.DataFrame(rows).sort_values("fields", kind="stable").set_index("form")


def bought_before(leads: pd.DataFrame, at) -> pd.Series:
    """Whether each lead had already bought before ``at``: past purchase behaviour.

    The Spanish article names past purchase behaviour among the usual criteria that qualify a
    lead (with demographics and interactions with the company). The CRM says so in
    ``became_customer_at``: a lead bought before ``at`` when that time is earlier. A lead
    with no ``became_customer_at`` has no purchase on record (False: not known to have
    bought, which is not the same as known not to have).

    Parameters
    ----------
    leads : DataFrame
        Needs ``became_customer_at`` (zone-aware times; missing where the lead never bought).
    at : timestamp or str
        The moment that counts as "now", e.g. the start of the period you measure, with
        its time zone (a time without one is refused, as everywhere in the kit).

    Returns
    -------
    Series of bool
        Same index and order as ``leads``; nothing is dropped. ``qualify(..., as_of=)`` adds
        it as a column (a condition with ``require_past_purchase``) that a score rule can read.

    Examples
    --------
    >>> crm = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "became_customer_at": pd.to_datetime(
    ...     ["2024-05-01", None, "2025-02-10"], utc=True)})
    >>> bought_before(crm, "2025-02-03T00:00Z").tolist()
    [True, False, False]
    """
    return _bought_before("bought_before", leads, at)


def _bought_before(func: str, leads: pd.DataFrame, at, arg: str = "at") -> pd.Series:
    """:func:`bought_before`, its errors naming the function and argument the caller used."""
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, ["became_customer_at"],
                  "Pass the CRM leads with the date each became a customer (missing when never).")
    when = _need_zone(func, "leads", leads["became_customer_at"], "became_customer_at")
    try:
        moment = pd.Timestamp(at)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{func}(): {arg}={at!r} is not a time. Pass e.g. '2025-02-03' or a "
                         "Timestamp (the start of the period you measure).") from err
    if moment is pd.NaT:
        raise ValueError(f"{func}(): {arg} is missing. Pass the start of the period you measure.")
    if moment.tzinfo is None:
        raise ValueError(f"{func}(): {arg}={at!r} has no time zone; say which, e.g. "
                         f"'{moment:%Y-%m-%d}T00:00Z' or pd.Timestamp('{moment:%Y-%m-%d}', tz='UTC').")
    return pd.Series((when < moment).fillna(False).to_numpy(dtype=bool), index=leads.index,
                     name="bought_before")


def pipeline(
    leads: pd.DataFrame,
    *,
    stage: str = "stage",
    visitors: int | None = None,
    disqualified: str = "count_as_lead",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How many leads reached each stage, and the conversion rate between stages.

    Reach is cumulative: a customer also passed MQL and SQL, so it counts at
    every stage up to customer. The CRM keeps only the *current* stage, so a
    ``disqualified`` lead is known to have been a lead but not how far it got
    before it was disqualified.

    Parameters
    ----------
    leads : DataFrame
        One row per lead with a ``stage`` column: lead, mql, sql, customer or
        disqualified (case-insensitive).
    stage : str, default "stage"
    visitors : int, optional
        Number of (human) visitors; adds a first ``visitor`` row so the table
        is the whole visitor -> lead -> MQL -> SQL -> customer funnel.
    disqualified : {"count_as_lead", "exclude"}, default "count_as_lead"
        ``"count_as_lead"``: disqualified leads count as reaching ``lead``
        only (every lead is in the denominator). ``"exclude"``: leave them
        out of every count (rates among leads that were not disqualified).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        ``stage``, ``reached``, ``now_at`` (leads whose current stage is this
        one), ``rate`` (a :class:`~helpers.conversions.Rate` from the previous
        stage; ``None`` on the first row), ``rate_value``, ``low``, ``high``,
        ``overall`` (share of the first row). The ``lead`` row's
        ``disqualified`` column says how many disqualified leads it holds.

        A CRM file that records only whether a lead converted (loaded with
        ``data.converted_flag``) gives the other leads the stage ``unknown``: they were
        leads and did not become customers, but whether they passed MQL or SQL is not in
        the file. Then the table gets an ``unknown`` column (how many such leads the
        ``lead`` row holds), the MQL and SQL rows' ``reached`` is missing (``<NA>``) and
        their rates are undefined, and the customer row's rate is measured from the lead
        row (its ``rate`` says "of N leads"): nothing is invented.

    Examples
    --------
    >>> crm = pd.DataFrame({"stage": ["lead"] * 5 + ["mql"] * 3 + ["sql", "customer", "disqualified"]})
    >>> pipeline(crm)[["stage", "reached", "now_at", "disqualified", "rate_value", "overall"]].round(3)
          stage  reached  now_at  disqualified  rate_value  overall
    0      lead       11       5             1         NaN    1.000
    1       mql        5       3             0       0.455    0.455
    2       sql        2       1             0       0.400    0.182
    3  customer        1       1             0       0.500    0.091
    >>> print(pipeline(crm)["rate"][3])
    50.0% (1 of 2 SQLs, 95% CI 9.5%-90.5%)
    >>> flag_only = pd.DataFrame({"stage": ["customer"] * 2 + ["unknown"] * 8})
    >>> pipeline(flag_only)[["stage", "reached", "unknown", "rate_value"]]
          stage  reached  unknown  rate_value
    0      lead       10        8         NaN
    1       mql     <NA>        0         NaN
    2       sql     <NA>        0         NaN
    3  customer        2        0         0.2
    """
    func = "pipeline"
    _need_frame(func, "leads", leads)
    _need_columns(func, "leads", leads, [stage], "Rename it or pass stage='your_column'.")
    if "lead_id" in leads.columns:
        _need_unique(func, "leads", leads, "lead_id")
    if disqualified not in ("count_as_lead", "exclude"):
        raise ValueError(f"{func}(): disqualified must be 'count_as_lead' or 'exclude', got {disqualified!r}.")
    values = leads[stage].astype("string").str.strip().str.lower()
    allowed = [*STAGES, "disqualified", "unknown"]
    bad = values[~values.isin(allowed).to_numpy()]  # isin on text dtype: bool, never missing
    if len(bad):
        raise ValueError(
            f"{func}(): column {stage!r} has values that are not stages: "
            f"{', '.join(map(repr, bad.drop_duplicates().head(5).tolist()))}. "
            f"Expected one of: {', '.join(allowed)}; map your CRM's stage names to these first."
        )
    counts = values.value_counts()
    n_dq = int(counts.get("disqualified", 0))
    n_unknown = int(counts.get("unknown", 0))
    now = [int(counts.get(s, 0)) for s in STAGES]
    reached: list[Any] = [sum(now[i:]) for i in range(len(STAGES))]
    reached[0] += n_unknown  # a lead whose later stages the file does not record
    if disqualified == "count_as_lead":
        reached[0] += n_dq
    if n_unknown:
        # whether those leads passed MQL or SQL is not in the file: said, not invented
        reached[1] = reached[2] = pd.NA  # pragma: no mutate (None would read the same: pd.isna and the Int64 column below take both as missing)
    if reached[0] == 0:
        raise ValueError(
            f"{func}(): leads has no lead to follow (after disqualified={disqualified!r}); pass a "
            "non-empty leads table, or disqualified='count_as_lead' to keep the disqualified ones."
        )
    names = list(STAGES)
    now_at = list(now)
    dq = [n_dq if disqualified == "count_as_lead" else 0, 0, 0, 0]
    if visitors is not None:
        if isinstance(visitors, bool) or not isinstance(visitors, int | np.integer) or visitors < reached[0]:
            raise ValueError(
                f"{func}(): visitors must be a whole number at least the number of leads ({reached[0]}), "
                f"got {visitors!r}. Pass the count of human visitors, e.g. sessions.visitor_id.nunique()."
            )
        names = ["visitor", *names]
        reached = [int(visitors), *reached]
        now_at = [int(visitors) - reached[1], *now_at]
        dq = [0, *dq]
    # A stage nobody reached leaves the next step with no denominator: its rate is undefined
    # (None, NaN in the numeric columns), not an error, so a small segment still gets a table.
    rates: list[Any] = [None]
    for i in range(1, len(names)):
        if pd.isna(reached[i]):
            rates.append(None)
            continue
        # measured from the nearest earlier stage whose reach is known
        back = max(j for j in range(i) if pd.notna(reached[j]))
        if reached[back] == 0:
            rates.append(None)
        else:
            rates.append(rate(reached[i], reached[back], confidence, unit=_PLURAL[names[back]]))

    def _field(name: str) -> list[float]:
        return [np.nan if r is None else getattr(r, name) for r in rates]

    columns: dict[str, Any] = {
        "stage": names,
        "reached": pd.Series(reached, dtype="Int64") if n_unknown else reached,
        "now_at": now_at,
        "disqualified": dq,
    }
    if n_unknown:
        columns["unknown"] = [n_unknown if name == "lead" else 0 for name in names]
    out = pd.DataFrame({
        **columns,
        "rate": rates,
        "rate_value": _field("value"),
        "low": _field("low"),
        "high": _field("high"),
    })
    out["overall"] = [np.nan if pd.isna(r) else r / reached[0] for r in reached]  # share of the first row
    return out


# --------------------------------------------------------------------------- score threshold
# Lesson 06's trade-off: the higher the score a lead needs before sales calls, the fewer
# leads to call, the fewer customers among them, and the higher their customer rate.


def _threshold_inputs(func: str, scored: Any, score: str, customer: str) -> tuple[np.ndarray, np.ndarray]:
    """The score as floats and the customer flag as bools, checked at the door."""
    need_table(func, "scored", scored, (score, customer))
    need_rows(func, "scored", scored, "Pass leads.score(leads) of a non-empty leads table.")
    if "lead_id" in scored.columns:
        _need_unique(func, "scored", scored, "lead_id")
    values = need_numbers(
        func, scored, score, "score every lead first, e.g. with leads.score (it gives 0, never missing)."
    )
    is_customer = need_flags(
        func, scored, customer, "True for a lead that became a customer",
        "Build it with leads_frame['stage'].eq('customer').",
    )
    return values, is_customer


@dataclass(frozen=True)
class ScoreCut(Mapping):
    """What a lead-score threshold keeps: leads, customers, and the customer rate of the kept.

    Built by :func:`score_threshold`. Also a read-only mapping of its fields
    (``cut["leads_kept"]``), so a list of cuts makes a DataFrame.

    Attributes
    ----------
    threshold : float
        Leads scoring at or above it are kept.
    leads, leads_kept, customers, customers_kept : int
    leads_share : float
        Kept leads / all leads.
    customers_share : float
        Kept customers / all customers.
    rate_all, rate_kept : float
        Customer rate of all leads; of the kept leads (NaN when none is kept).
    """

    threshold: float
    leads: int
    leads_kept: int
    leads_share: float
    customers: int
    customers_kept: int
    customers_share: float
    rate_all: float
    rate_kept: float

    def __getitem__(self, name: str) -> Any:
        if name not in self.__dataclass_fields__:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dataclass_fields__)

    def __len__(self) -> int:
        return len(self.__dataclass_fields__)

    @property
    def headline(self) -> str:
        """The key figure as text (see :func:`score_threshold`)."""
        t = f"{self.threshold:g}"
        if self.leads_kept == 0:
            return f"Score ≥ {t}: no lead scores this high (0 of {self.leads:,} leads kept)"
        return (
            f"Score ≥ {t}: {self.leads_kept:,} of {self.leads:,} leads kept "
            f"({percent(self.leads_share, 0)}), {self.customers_kept:,} of {self.customers:,} "
            f"customers ({percent(self.customers_share, 0)}); customer rate "
            f"{percent(self.rate_kept)} (all leads: {percent(self.rate_all)})"
        )

    @property
    def value(self) -> float | str:
        """The customer rate of the kept leads, rounded to 6 decimals ("" when none is kept)."""
        return "" if np.isnan(self.rate_kept) else round(float(self.rate_kept), 6)

    def __repr__(self) -> str:
        return f"ScoreCut({self.headline})"


def _cut(values: np.ndarray, is_customer: np.ndarray, threshold: float) -> ScoreCut:
    keep = values >= threshold
    n, kept = len(values), int(keep.sum())
    customers, customers_kept = int(is_customer.sum()), int((keep & is_customer).sum())
    return ScoreCut(
        threshold=threshold,
        leads=n,
        leads_kept=kept,
        leads_share=kept / n if n else np.nan,
        customers=customers,
        customers_kept=customers_kept,
        customers_share=customers_kept / customers if customers else np.nan,
        rate_all=customers / n if n else np.nan,
        rate_kept=customers_kept / kept if kept else np.nan,
    )


def _steps(func: str, values: np.ndarray, step: float) -> np.ndarray:
    if not step > 0:
        raise ValueError(f"{func}(): step must be positive, got {step!r}.")
    top = float(np.nanmax(values)) if len(values) else 0.0
    return np.arange(0, np.ceil(max(top, 0.0) / step) * step + step / 2, step)


def score_thresholds(
    scored: pd.DataFrame, step: float = 5, *, score: str = "score", customer: str = "is_customer"
) -> np.ndarray:
    """The thresholds worth trying: 0, ``step``, 2 × ``step``... up to the highest score.

    >>> score_thresholds(pd.DataFrame({"score": [0, 12], "is_customer": [False, True]}))
    array([ 0.,  5., 10., 15.])
    """
    values, _ = _threshold_inputs("score_thresholds", scored, score, customer)
    return _steps("score_thresholds", values, step)


def score_threshold(
    scored: pd.DataFrame,
    threshold: float,
    *,
    score: str = "score",
    customer: str = "is_customer",
) -> ScoreCut:
    """What a lead-score threshold keeps: leads, customers, and the customer rate of the kept.

    A lead is kept when its score is **at or above** the threshold (the leads sales would
    call).

    Parameters
    ----------
    scored : DataFrame
        One row per lead, with a numeric ``score`` column (e.g. from :func:`score`) and a
        boolean ``customer`` column (True for a lead that became a customer).
    threshold : float
        Keep leads whose score is >= this.
    score, customer : str
        Column names.

    Returns
    -------
    ScoreCut
        Shares and rates are between 0 and 1; ``headline`` says it in one sentence.

    Examples
    --------
    >>> scored = pd.DataFrame({"score": [0, 10, 30, 30, 60],
    ...                        "is_customer": [False, True, False, True, True]})
    >>> cut = score_threshold(scored, 30)
    >>> cut["leads_kept"], cut["customers_kept"], round(cut["rate_kept"], 3)
    (3, 2, 0.667)
    >>> cut.headline
    'Score ≥ 30: 3 of 5 leads kept (60%), 2 of 3 customers (67%); customer rate 66.7% (all leads: 60.0%)'
    >>> score_threshold(scored, 70).headline
    'Score ≥ 70: no lead scores this high (0 of 5 leads kept)'
    """
    values, is_customer = _threshold_inputs("score_threshold", scored, score, customer)
    return _cut(values, is_customer, threshold)


def score_threshold_table(
    scored: pd.DataFrame,
    thresholds: Iterable[float] | None = None,
    *,
    step: float = 5,
    score: str = "score",
    customer: str = "is_customer",
) -> pd.DataFrame:
    """:func:`score_threshold` for many thresholds at once, one row each.

    Parameters
    ----------
    scored : DataFrame
        As for :func:`score_threshold`.
    thresholds : sequence of float, optional
        By default 0, ``step``, 2 × ``step``... up to the highest score (rounded up).
    step : float, default 5
        Spacing of the default thresholds (the default lead-score rules give multiples of 5).
    score, customer : str
        Column names.

    Returns
    -------
    DataFrame
        The fields of :class:`ScoreCut`, one row per threshold, in increasing order.

    Examples
    --------
    >>> scored = pd.DataFrame({"score": [0, 10, 30, 30, 60],
    ...                        "is_customer": [False, True, False, True, True]})
    >>> score_threshold_table(scored, step=30)[["threshold", "leads_kept", "customers_kept"]]
       threshold  leads_kept  customers_kept
    0        0.0           5               3
    1       30.0           3               2
    2       60.0           1               1
    """
    func = "score_threshold_table"
    values, is_customer = _threshold_inputs(func, scored, score, customer)
    if thresholds is None:
        thresholds = _steps(func, values, step)
    return pd.DataFrame([dict(_cut(values, is_customer, float(t))) for t in sorted(thresholds)])
