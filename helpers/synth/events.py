"""What each visit does: planned conversions, its pages, dwell times and the events."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from helpers.data import CATEGORIES
from helpers.synth.behaviour import (
    _BEAN_PAGES,
    _BLOG_POSTS,
    _BROWSE,
    _CHANNEL_INDEX,
    _CHECKOUT_AFTER_CART,
    _EMAIL_LANDING,
    _EMAIL_LANDING_SHARE,
    _FORMS,
    _LANDING,
    _PAGE_INDEX,
    _PAID_LANDING_PRICING,
    _PRODUCT,
    HUMAN_GROUPS,
    PAGES,
    PRODUCTS,
    SEGMENTS,
    Group,
    _page_weights,
    _per_group,
)
from helpers.synth.config import Propensities
from helpers.synth.sessions import _draw_per_group, _Sessions


# -------------------------------------------------------------- what visits do
@dataclass(frozen=True)
class _Conversions:
    """What each session does: a form (-1 none, else index into ``_FORMS``), the shop."""

    form: np.ndarray
    social: np.ndarray
    cart: np.ndarray
    checkout: np.ndarray
    purchase: np.ndarray

    @property
    def funnel_pages(self) -> np.ndarray:
        """Shop pages at the end of each visit: product + cart (2), + checkout (3), or 0."""
        return np.where(self.checkout, 3, np.where(self.cart, 2, 0))


def _form_table(propensities: Propensities) -> dict[int, np.ndarray]:
    """Per group with forms: probabilities of no form, then of each of ``_FORMS``."""
    table = {}
    for group, rates in _per_group("forms").items():
        base = tuple(getattr(rates, name) for name in _FORMS)
        table[group] = np.array([1 - sum(base)] + [
            rate * getattr(propensities, name) for rate, name in zip(base, _FORMS, strict=True)])
        table[group][0] = max(1 - table[group][1:].sum(), 0.0)
    return table


def _plan_conversions(rng, group: np.ndarray, propensities: Propensities) -> _Conversions:
    """Draw each session's form, social follow and shop funnel from ``SEGMENTS``."""
    form = _draw_per_group(rng, group, _form_table(propensities)) - 1
    social = np.zeros(len(group), dtype=bool)
    cart = np.zeros(len(group), dtype=bool)
    social_draw, cart_draw, checkout_draw, purchase_draw = rng.random((4, len(group)))
    for segment in HUMAN_GROUPS:
        behaviour = SEGMENTS[segment]
        rows = group == segment
        social |= rows & (social_draw < behaviour.social_follow * propensities.social_follow)
        cart |= rows & (cart_draw < behaviour.add_to_cart * propensities.add_to_cart)
    checkout = cart & (checkout_draw < _CHECKOUT_AFTER_CART)
    buys = np.array([SEGMENTS[member].purchase_after_checkout for member in Group])
    purchase = checkout & (purchase_draw < np.minimum(buys[group] * propensities.purchase, 1.0))
    return _Conversions(form, social, cart, checkout, purchase)


def _pages_per_visit(rng, group: np.ndarray) -> np.ndarray:
    """Page views of each session, from each group's ``PagesPerVisit`` (max 120)."""
    size = len(group)
    uniform = rng.random(size)
    tail = rng.lognormal(0.0, 1.0, size)
    pages = np.ones(size, dtype=np.int64)
    for member in Group:
        model = SEGMENTS[member].pages_per_visit
        count = model.first + np.floor(model.tail_scale * tail ** model.tail_power)
        if model.geometric_p is not None:
            count = count + (uniform > model.geometric_above) * rng.geometric(
                model.geometric_p, size)
        count = count + (uniform < model.one_more_below)
        pages = np.where(group == member, count, pages)
    return np.minimum(pages, 120).astype(np.int64)


@dataclass(frozen=True)
class _Visits:
    """Page views: the session of each (``session``), the first and one-past-last view of
    each session (``first``, ``end``) and each view's page code."""

    session: np.ndarray
    first: np.ndarray
    end: np.ndarray
    page: np.ndarray


def _browse(rng, sessions: _Sessions, pageviews: np.ndarray) -> _Visits:
    """Landing and browsing pages by group; e-mail and paid-search visits land on campaigns."""
    first = np.cumsum(pageviews) - pageviews
    session = np.repeat(np.arange(len(pageviews)), pageviews)
    page = _draw_per_group(rng, sessions.group[session], _BROWSE)
    page[first] = _draw_per_group(rng, sessions.group, _LANDING)
    from_email = np.flatnonzero((sessions.channel == _CHANNEL_INDEX["email"])
                                & (rng.random(len(pageviews)) < _EMAIL_LANDING_SHARE))
    page[first[from_email]] = _draw_per_group(rng, sessions.group[from_email], {
        int(group): _page_weights(_EMAIL_LANDING) for group in HUMAN_GROUPS})
    paid = np.flatnonzero(sessions.channel == _CHANNEL_INDEX["paid_search"])
    page[first[paid]] = np.where(rng.random(len(paid)) < _PAID_LANDING_PRICING,
                                 _PAGE_INDEX["/pricing"], _PAGE_INDEX["/guide"])
    return _Visits(session, first, first + pageviews, page)


def _shop_pages(rng, visits: _Visits, group: np.ndarray, funnel: np.ndarray) -> None:
    """A visit that shops ends on a product, the cart and maybe the checkout (in place)."""
    shoppers = np.flatnonzero(funnel > 0)
    product_view = visits.end[shoppers] - funnel[shoppers]
    visits.page[product_view] = _draw_per_group(rng, group[shoppers], _PRODUCT)
    visits.page[product_view + 1] = _PAGE_INDEX["/cart"]
    buyers = np.flatnonzero(funnel == 3)
    visits.page[visits.end[buyers] - 1] = _PAGE_INDEX["/checkout"]


def _form_pages(rng, visits: _Visits, form_sessions: np.ndarray, form: np.ndarray,
                funnel: np.ndarray) -> np.ndarray:
    """Put each form on its page, just before any shop pages; returns the form's view."""
    view = visits.end[form_sessions] - 1 - funnel[form_sessions]
    blog_codes = np.array([_PAGE_INDEX[path] for path in _BLOG_POSTS])
    on_blog = np.isin(visits.page[view], blog_codes)
    any_post = blog_codes[rng.integers(0, len(blog_codes), size=len(form_sessions))]
    newsletter_page = np.where((rng.random(len(form_sessions)) < 0.55) | ~on_blog,
                               _PAGE_INDEX["/newsletter"], visits.page[view])
    visits.page[view] = np.select(
        [form == 0, form == 1, form == 2],
        [newsletter_page, np.full(len(form_sessions), _PAGE_INDEX["/guide"]),
         np.full(len(form_sessions), _PAGE_INDEX["/contact"])],
        np.where(on_blog, visits.page[view], any_post))  # blog comments stay on a post
    return view


@dataclass(frozen=True)
class _Timing:
    """Seconds: dwell on each page view, its offset in the session, visit durations, and
    how long each form took (``form_seconds``, for the form sessions)."""

    dwell: np.ndarray
    offset: np.ndarray
    duration: np.ndarray
    form_seconds: np.ndarray


def _dwell_times(rng, visits: _Visits, group: np.ndarray, form_view: np.ndarray,
                 form_group: np.ndarray, checkout_view: np.ndarray) -> _Timing:
    """Lognormal dwell per page by group; humans take 5-120 s on a form, spam under 3 s."""
    median = np.array([SEGMENTS[member].dwell_median_s for member in Group])
    sigma = np.array([SEGMENTS[member].dwell_sigma for member in Group])
    view_group = group[visits.session]
    dwell = np.minimum(median[view_group]
                       * np.exp(sigma[view_group] * rng.standard_normal(len(visits.page))),
                       1800.0)
    human_form = 4.0 + rng.lognormal(np.log(22.0), 0.6, len(form_view))
    spam_form = rng.uniform(0.3, 2.8, len(form_view))
    form_seconds = np.round(np.where(form_group == Group.FORM_SPAM, spam_form,
                                     np.minimum(human_form, 600.0)), 1)
    dwell[form_view] = np.maximum(dwell[form_view], form_seconds + 1.0)
    dwell[checkout_view] = np.maximum(dwell[checkout_view], 25.0)  # filling in the checkout
    before = np.cumsum(dwell) - dwell
    offset = before - before[visits.first][visits.session]
    duration = np.ceil(np.add.reduceat(dwell, visits.first) * 10) / 10
    return _Timing(dwell, offset, duration, form_seconds)


# ------------------------------------------------------------------------ events
_EVENT_NAMES = list(CATEGORIES["event_name"])
_ADD_ONS = np.array([12.5, 16.0, 13.5, 39.0])  # a bag of beans or a pour-over kit
_SHIPPING, _FREE_SHIPPING_FROM = 4.9, 40


def _order_values(rng, product: np.ndarray) -> np.ndarray:
    """Value of each order: price x quantity (beans: 1 + Poisson(0.7) bags), an add-on in
    30 % of orders, and shipping under 40 EUR."""
    price = np.array([PRODUCTS.get(path, 0.0) for path in PAGES])
    bean_codes = [_PAGE_INDEX[path] for path in _BEAN_PAGES]
    quantity = 1 + np.where(np.isin(product, bean_codes), rng.poisson(0.7, len(product)), 0)
    add_on = (rng.random(len(product)) < 0.3) * _ADD_ONS[
        rng.integers(0, len(_ADD_ONS), len(product))]
    goods = price[product] * quantity
    return np.round(goods + add_on + np.where(goods < _FREE_SHIPPING_FROM, _SHIPPING, 0), 2)


def _conversion_event_parts(rng, visits: _Visits, timing: _Timing, plan: _Conversions,
                            form_sessions: np.ndarray, form_view: np.ndarray) -> dict:
    """Conversion events by name, each ``(session, page view, offset s, event code, value)``:
    forms, social follows, add to cart, begin checkout, purchase (the order of the draws)."""
    funnel = plan.funnel_pages
    form_codes = np.array([_EVENT_NAMES.index(name) for name in _FORMS])
    blocks = {"forms": (form_sessions, form_view,
                        timing.offset[form_view] + timing.form_seconds,
                        form_codes[plan.form[form_sessions]],
                        np.full(len(form_sessions), np.nan))}
    followers = np.flatnonzero(plan.social)
    view = visits.first[followers] + (rng.random(len(followers))
                                      * (visits.end - visits.first)[followers]).astype(np.int64)
    moment = timing.dwell[view] * rng.uniform(0.2, 0.9, len(followers))
    blocks["social_follow"] = _event_block(followers, view, timing.offset[view] + moment,
                                           "social_follow")
    shoppers = np.flatnonzero(funnel > 0)
    view = visits.end[shoppers] - funnel[shoppers]
    blocks["add_to_cart"] = _event_block(shoppers, view,
                                         timing.offset[view] + 0.7 * timing.dwell[view],
                                         "add_to_cart")
    at_checkout = np.flatnonzero(funnel == 3)
    view = visits.end[at_checkout] - 1
    blocks["begin_checkout"] = _event_block(at_checkout, view,
                                            timing.offset[view] + 0.05 * timing.dwell[view],
                                            "begin_checkout")
    buyers = np.flatnonzero(plan.purchase)
    value = _order_values(rng, visits.page[visits.end[buyers] - 3])
    view = visits.end[buyers] - 1
    blocks["purchase"] = _event_block(buyers, view,
                                      timing.offset[view] + 0.95 * timing.dwell[view],
                                      "purchase", value)
    return blocks


def _event_block(sessions: np.ndarray, view: np.ndarray, offset: np.ndarray, name: str,
                 value: np.ndarray | None = None) -> tuple:
    """One event per session: ``(session, page view, offset, event code, value)``."""
    if value is None:
        value = np.full(len(sessions), np.nan)
    return sessions, view, offset, np.full(len(sessions), _EVENT_NAMES.index(name)), value


@dataclass(frozen=True)
class _Events:
    """The events table as arrays: session index, second, event code, page code, value,
    event number (duplicates share their number)."""

    session: np.ndarray
    second: np.ndarray
    name: np.ndarray
    page: np.ndarray
    value: np.ndarray
    number: np.ndarray


def _conversion_events(started: np.ndarray, visits: _Visits, timing: _Timing,
                       blocks) -> _Events:
    """Page views plus conversion events, in order of session, time and event code."""
    columns = [np.concatenate(parts) for parts in zip(*blocks.values(), strict=True)]
    session, view, offset, name, value = columns
    session = np.concatenate([visits.session, session])
    offset = np.concatenate([timing.offset, offset])
    name = np.concatenate([np.zeros(len(visits.page), dtype=np.int64), name.astype(np.int64)])
    page = np.concatenate([visits.page, visits.page[view]])
    value = np.concatenate([np.full(len(visits.page), np.nan), value])
    order = np.lexsort((name, offset, session))
    session, offset, name, page, value = (column[order] for column in
                                          (session, offset, name, page, value))
    second = started[session] + np.floor(offset).astype(np.int64)
    return _Events(session, second, name, page, value, np.arange(1, len(session) + 1))


def _duplicate_some(rng, events: _Events, how_many: int) -> _Events:
    """Record ``how_many`` purchase or newsletter events twice (identical rows, same id)."""
    candidates = np.flatnonzero(np.isin(events.name, [_EVENT_NAMES.index("purchase"),
                                                      _EVENT_NAMES.index("newsletter_signup")]))
    if not how_many or not len(candidates):
        return events
    twice = np.sort(rng.choice(candidates, size=min(how_many, len(candidates)), replace=False))
    keep = np.sort(np.concatenate([np.arange(len(events.session)), twice]), kind="stable")
    return _Events(**{item.name: getattr(events, item.name)[keep] for item in fields(events)})
