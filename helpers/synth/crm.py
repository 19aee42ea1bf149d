"""The CRM export: web leads, form spam, loyal customers' old leads, the trade show,
stages, customers and contact details."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.synth.behaviour import (
    _BUSINESS_GROUPS,
    _CAFE_SUFFIXES,
    _COMPANY_ADJECTIVES,
    _COMPANY_NOUNS,
    _COUNTRIES,
    _COUNTRY_HUMAN,
    _CUSTOMER,
    _FIRST_NAMES,
    _FORMS,
    _LAST_NAMES,
    _LOYAL,
    _LOYAL_FIRST_SOURCE,
    _NEW_CONTACT_GROUPS,
    _OFFICE_INDUSTRIES,
    _SPAM,
    _SPAM_NAMES,
    _STAGE_CLASS,
    _STAGES,
    _TRADE_SHOW,
    _TRADE_SHOW_MIX,
    _WEB,
    DISPOSABLE_DOMAINS,
    STAGE_MIX,
    Group,
)
from helpers.synth.config import SynthConfig
from helpers.synth.sessions import _draw_per_group, _Sessions


@dataclass(frozen=True)
class _LeadEvents:
    """The web events that can make a lead: forms (with their second) and purchases."""

    form_session: np.ndarray
    form_type: np.ndarray
    form_second: np.ndarray
    purchase_session: np.ndarray
    purchase_value: np.ndarray


@dataclass(frozen=True)
class _LeadRows:
    """The CRM rows before contact details: origin, group, creation second, lead source,
    visitor number (-1 none) and country code."""

    origin: np.ndarray
    group: np.ndarray
    created: np.ndarray
    source: np.ndarray
    visitor: np.ndarray
    country: np.ndarray

    @property
    def business(self) -> np.ndarray:
        return np.isin(self.group, _BUSINESS_GROUPS)


def _web_leads(sessions: _Sessions, visitor: np.ndarray, events: _LeadEvents):
    """Each new human contact's first lead-making event (blog comments make no lead).

    Returns ``(session, second, source)`` arrays, one row per visitor.
    """
    lead_form = events.form_type < 3
    session = np.concatenate([events.form_session[lead_form], events.purchase_session])
    second = np.concatenate([events.form_second[lead_form],
                             sessions.started[events.purchase_session] + 60])
    source = np.concatenate([np.array(_FORMS[:3], dtype=object)[events.form_type[lead_form]],
                             np.full(len(events.purchase_session), "purchase", dtype=object)])
    human = np.isin(sessions.group[session], _NEW_CONTACT_GROUPS)
    session, second, source = session[human], second[human], source[human]
    order = np.lexsort((second, visitor[session]))
    session, second, source = session[order], second[order], source[order]
    _, first = np.unique(visitor[session], return_index=True)
    return session[first], second[first], source[first]


def _first_purchases(sessions: _Sessions, visitor: np.ndarray, events: _LeadEvents):
    """Each new human contact's first purchase: ``(visitor, second, value)`` by visitor."""
    bought = events.purchase_session
    session = bought[np.isin(sessions.group[bought], _NEW_CONTACT_GROUPS)]
    session = session[np.lexsort((sessions.started[session], visitor[session]))]
    buyers, first = np.unique(visitor[session], return_index=True)
    value_of_session = np.full(len(sessions.group), np.nan)
    value_of_session[bought] = events.purchase_value
    return (buyers, sessions.started[session[first]] + 60,
            value_of_session[session[first]])


def _spam_leads(sessions: _Sessions, events: _LeadEvents):
    """Every newsletter or contact form sent by form spam: ``(session, second, source)``."""
    spam = (events.form_type < 3) & (sessions.group[events.form_session] == Group.FORM_SPAM)
    source = np.where(events.form_type[spam] == 0, "newsletter_signup",
                      "contact_form").astype(object)
    return events.form_session[spam], events.form_second[spam], source


def _loyal_leads(rng, loyal_visitors: np.ndarray, start_second: int):
    """Loyal customers' old leads: created 30-900 days before the window, a customer some
    time after. Returns ``(created, became customer, source)``."""
    count = len(loyal_visitors)
    created = (start_second - rng.integers(30, 900, count) * 86400
               - rng.integers(0, 86400, count))
    became = created + ((start_second - created) * rng.uniform(0, 0.6, count)).astype(np.int64)
    source = np.array(list(_LOYAL_FIRST_SOURCE), dtype=object)[
        rng.choice(len(_LOYAL_FIRST_SOURCE), count, p=list(_LOYAL_FIRST_SOURCE.values()))]
    return created, became, source


def _trade_show_leads(rng, config: SynthConfig, start_second: int):
    """Offline leads from a two-day trade show in the second week, in office hours.

    Returns ``(created, group)``; the default count is 120 per 12,000 visitors.
    """
    count = (config.trade_show_leads if config.trade_show_leads is not None
             else round(120 * config.visitors / 12_000))
    show_day = min(9, config.days - 1)
    created = (start_second + (show_day + rng.integers(0, 2, count)) * 86400
               + rng.integers(8 * 3600, 17 * 3600, count))
    group = rng.choice(np.array([int(member) for member in _TRADE_SHOW_MIX]), count,
                       p=list(_TRADE_SHOW_MIX.values()))
    return created, group


def _lead_rows(rng, config: SynthConfig, start: pd.Timestamp, sessions: _Sessions,
               visitor: np.ndarray, events: _LeadEvents):
    """Every CRM row (web, spam, loyal, trade show) before stages and contact details.

    Returns the rows and the loyal customers' ``became customer`` seconds.
    """
    start_second = int(start.timestamp())
    web_session, web_second, web_source = _web_leads(sessions, visitor, events)
    spam_session, spam_second, spam_source = _spam_leads(sessions, events)
    loyal_visitors = np.unique(visitor[sessions.group == Group.LOYAL])
    loyal_created, loyal_became, loyal_source = _loyal_leads(rng, loyal_visitors, start_second)
    trade_created, trade_group = _trade_show_leads(rng, config, start_second)
    counts = (len(web_session), len(spam_session), len(loyal_visitors), len(trade_created))
    rows = _LeadRows(
        origin=np.concatenate([np.full(count, origin) for origin, count in
                               zip((_WEB, _SPAM, _LOYAL, _TRADE_SHOW), counts, strict=True)]
                              ).astype(np.int64),
        group=np.concatenate([sessions.group[web_session],
                              np.full(counts[1], int(Group.FORM_SPAM)),
                              np.full(counts[2], int(Group.LOYAL)), trade_group]),
        created=np.concatenate([web_second, spam_second, loyal_created, trade_created]
                               ).astype(np.int64),
        source=np.concatenate([web_source, spam_source, loyal_source,
                               np.full(counts[3], "trade_show", dtype=object)]),
        visitor=np.concatenate([visitor[web_session], visitor[spam_session], loyal_visitors,
                                np.full(counts[3], -1)]),
        country=np.concatenate([
            sessions.country[web_session], sessions.country[spam_session],
            rng.choice(len(_COUNTRIES), counts[2], p=_COUNTRY_HUMAN),
            rng.choice(len(_COUNTRIES), counts[3], p=_COUNTRY_HUMAN)]))
    return rows, loyal_became


def _stages(rng, rows: _LeadRows) -> np.ndarray:
    """Each lead's stage code, drawn from ``STAGE_MIX`` for its kind of lead."""
    business = rows.business
    kind = np.select(
        [rows.origin == _SPAM, rows.origin == _LOYAL, rows.origin == _TRADE_SHOW,
         rows.group == Group.STUMBLED, business & (rows.source == "contact_form"), business],
        [_STAGE_CLASS["form_spam"], _STAGE_CLASS["loyal_customer"], _STAGE_CLASS["trade_show"],
         _STAGE_CLASS["stumbled"], _STAGE_CLASS["business_contact_form"],
         _STAGE_CLASS["business_newsletter_or_guide"]],
        _STAGE_CLASS["home_barista_web"])
    return _draw_per_group(rng, kind, {number: np.array(mix) for number, mix in
                                       enumerate(STAGE_MIX.values())})


def _customers(rng, rows: _LeadRows, stage: np.ndarray, purchases, loyal_became: np.ndarray):
    """When each customer became one and its first order value (web buyers from their first
    purchase, businesses from an offline sale 2-45 days later, loyal customers from before).

    Returns ``(stage, became customer second or -1, first order value or NaN)``.
    """
    buyers, bought_at, bought_value = purchases
    stage = stage.copy()
    became = np.full(len(stage), -1, dtype=np.int64)
    value = np.full(len(stage), np.nan)
    web = np.flatnonzero(rows.origin == _WEB)
    at = np.minimum(np.searchsorted(buyers, rows.visitor[web]), max(len(buyers) - 1, 0))
    bought = (buyers[at] == rows.visitor[web]) if len(buyers) else np.zeros(len(web), bool)
    web_buyers = web[bought]
    stage[web_buyers] = _CUSTOMER
    became[web_buyers] = np.maximum(bought_at[at[bought]], rows.created[web_buyers])
    value[web_buyers] = bought_value[at[bought]]
    offline = np.flatnonzero((stage == _CUSTOMER) & (became < 0) & (rows.origin != _LOYAL))
    became[offline] = (rows.created[offline] + rng.integers(2, 45, len(offline)) * 86400
                       + rng.integers(0, 86400, len(offline)))
    office = rows.group[offline] == Group.OFFICE_MANAGER
    value[offline] = np.round(np.where(office, rng.lognormal(np.log(900), 0.6, len(offline)),
                                       rng.lognormal(np.log(1500), 0.6, len(offline))), 2)
    loyal = np.flatnonzero(rows.origin == _LOYAL)
    became[loyal] = loyal_became
    value[loyal] = np.round(rng.lognormal(np.log(32), 0.5, len(loyal)), 2)
    return stage, became, value


def _pick_from(rng, options: tuple, size: int) -> np.ndarray:
    """``size`` options drawn uniformly, as an object array."""
    return np.array(options, dtype=object)[rng.integers(0, len(options), size)]


def _lead_names(rng, size: int):
    """First and last names from two short lists: ``(first, last)``."""
    return _pick_from(rng, _FIRST_NAMES, size), _pick_from(rng, _LAST_NAMES, size)


def _lead_companies(rng, rows: _LeadRows):
    """Company, industry and size for business leads (90 % give a company; some fields
    empty). Returns ``(company, industry, size, has_company, slug)``; ``slug`` names the
    company's e-mail domain."""
    size = len(rows.group)
    office = rows.group == Group.OFFICE_MANAGER
    adjective = rng.integers(0, len(_COMPANY_ADJECTIVES), size)
    noun = rng.integers(0, len(_COMPANY_NOUNS), size)
    industry_number = rng.choice(len(_OFFICE_INDUSTRIES), size,
                                 p=[share for _, _, share in _OFFICE_INDUSTRIES])
    cafe_suffix = _pick_from(rng, _CAFE_SUFFIXES, size)
    name = (np.array(_COMPANY_ADJECTIVES, dtype=object)[adjective] + " "
            + np.array(_COMPANY_NOUNS, dtype=object)[noun])
    office_suffix = np.array([suffix for _, suffix, _ in _OFFICE_INDUSTRIES], dtype=object)
    company = np.where(office, name + " " + office_suffix[industry_number],
                       name + " " + cafe_suffix)
    industry = np.where(office, np.array([industry for industry, _, _ in _OFFICE_INDUSTRIES],
                                         dtype=object)[industry_number], "hospitality")
    employees = np.where(office, np.clip(np.round(rng.lognormal(np.log(45), 0.9, size)), 10, 500),
                         np.clip(np.round(rng.lognormal(np.log(8), 0.7, size)), 1, 50))
    has_company = rows.business & (rng.random(size) < 0.9)
    company = np.where(has_company, company, None)
    industry = np.where(has_company & (rng.random(size) < 0.93), industry, None)
    employees = np.where(has_company & (rng.random(size) < 0.85), employees, np.nan)
    slug = (np.array([word.lower() for word in _COMPANY_ADJECTIVES], dtype=object)[adjective]
            + np.array([word.lower() for word in _COMPANY_NOUNS], dtype=object)[noun])
    return company, industry, employees, has_company, slug


def _lead_emails(rng, rows: _LeadRows, first: np.ndarray, last: np.ndarray,
                 has_company: np.ndarray, slug: np.ndarray):
    """E-mail addresses, all on reserved domains, with real CRMs' mess: about 3 % invalid
    (no @, a doubled @, a space), 2 % empty, 2.5 % of consumers on a disposable domain.

    Returns ``(email, disposable domain of each row)``.
    """
    size = len(rows.group)
    generic = np.array(["example.com", "example.org", "example.net"], dtype=object)[
        rng.choice(3, size, p=[0.6, 0.25, 0.15])]
    domain = np.where(has_company & (rng.random(size) < 0.85), slug + ".example", generic)
    disposable = _pick_from(rng, DISPOSABLE_DOMAINS, size)
    domain = np.where(~rows.business & (rng.random(size) < 0.025), disposable, domain)
    first_lower, last_lower = (np.array([name.lower() for name in names], dtype=object)
                               for names in (first, last))
    style = rng.integers(0, 3, size)
    local = np.select(
        [style == 0, style == 1],
        [first_lower + "." + last_lower,
         np.array([name[0] for name in first_lower], dtype=object) + last_lower],
        first_lower + last_lower + rng.integers(1, 99, size).astype(str).astype(object))
    email = local + "@" + domain
    invalid = rng.random(size)
    email = np.where(invalid < 0.010, local + "." + domain, email)
    email = np.where((invalid >= 0.010) & (invalid < 0.020), local + "@@" + domain, email)
    email = np.where((invalid >= 0.020) & (invalid < 0.030),
                     first.astype(str).astype(object) + " " + last_lower + "@" + domain, email)
    return np.where(rng.random(size) < 0.02, None, email), disposable


def _lead_phones(rng, rows: _LeadRows) -> np.ndarray:
    """Phone numbers in Ofcom's drama range: 60 % of businesses and 12 % of consumers give
    one, written +44 20 7946 0xxx, or 020 7946 0xxx one time in five.

    The last three digits are zero-padded (0 gives 000), so every number has the same length;
    the random draws are the same as before the padding, so only this column changed.
    """
    size = len(rows.group)
    gives = rng.random(size) < np.where(rows.business, 0.6, 0.12)
    phone = np.where(gives, "+44 20 7946 0" + _three_digits(rng.integers(0, 1000, size)), None)
    national = rng.random(size) < 0.2
    return np.where(phone == None, None, np.where(  # noqa: E711
        national, "020 7946 0" + _three_digits(rng.integers(0, 1000, size)),
        phone))


def _three_digits(numbers: np.ndarray) -> np.ndarray:
    """0-999 as zero-padded text objects: 7 -> '007'."""
    return np.char.zfill(numbers.astype(str), 3).astype(object)


def _spam_contacts(rng, count: int, disposable: np.ndarray):
    """Form spam's junk names and throwaway addresses: ``(name, email)``."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"), dtype=object)
    junk = letters[rng.integers(0, len(letters), (count, 8))].sum(axis=1)
    return _pick_from(rng, _SPAM_NAMES, count), junk + "@" + disposable


def _crm_leads(rng, config: SynthConfig, start: pd.Timestamp, sessions: _Sessions,
               visitor: np.ndarray, events: _LeadEvents) -> dict[str, np.ndarray]:
    """One CRM row per contact: web leads, loyal customers' old leads, trade show, spam.

    Returns the leads' columns as arrays, in order of creation.
    """
    rows, loyal_became = _lead_rows(rng, config, start, sessions, visitor, events)
    stage, became, first_order = _customers(rng, rows, _stages(rng, rows),
                                            _first_purchases(sessions, visitor, events),
                                            loyal_became)
    first, last = _lead_names(rng, len(rows.group))
    name = first + " " + last
    company, industry, employees, has_company, slug = _lead_companies(rng, rows)
    email, disposable = _lead_emails(rng, rows, first, last, has_company, slug)
    phone = _lead_phones(rng, rows)
    spam = np.flatnonzero(rows.origin == _SPAM)
    name[spam], email[spam] = _spam_contacts(rng, len(spam), disposable[spam])
    phone[spam] = None
    country = np.array(_COUNTRIES, dtype=object)[rows.country]
    country[rng.random(len(rows.group)) < 0.06] = None
    order = np.lexsort((rows.visitor, rows.created))
    columns = {"created": rows.created, "vnum": rows.visitor, "source": rows.source,
               "name": name, "email": email, "phone": phone, "company": company,
               "company_size": employees, "industry": industry, "country": country,
               "stage": np.array(_STAGES, dtype=object)[stage], "became": became,
               "value": first_order}
    return {column: values[order] for column, values in columns.items()}
