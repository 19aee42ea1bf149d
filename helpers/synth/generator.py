"""``generate``: every step in order, then the typed, validated frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.data import (
    CATEGORIES,
    SCHEMAS,
    Dataset,
    validate_answer_key,
    validate_events,
    validate_leads,
    validate_sessions,
)
from helpers.synth.behaviour import (
    _BOT_KIND_OF,
    _COUNTRIES,
    _MISSING_COUNTRY,
    _PERSONA_OF,
    _SEGMENT_OF,
    PAGES,
    Group,
)
from helpers.synth.config import SynthConfig
from helpers.synth.crm import _crm_leads, _LeadEvents
from helpers.synth.events import (
    _browse,
    _conversion_event_parts,
    _conversion_events,
    _duplicate_some,
    _dwell_times,
    _Events,
    _form_pages,
    _pages_per_visit,
    _plan_conversions,
    _shop_pages,
)
from helpers.synth.sessions import _draw_sessions, _Sessions


# -------------------------------------------------------------------- generation
def _in_time_order(rng, sessions: _Sessions) -> _Sessions:
    """Sessions sorted by start time (ties in random order)."""
    return sessions.reordered(np.lexsort((rng.random(len(sessions.group)), sessions.started)))


def _visitor_numbers(sessions: _Sessions) -> tuple[np.ndarray, np.ndarray]:
    """Visitor numbers in order of first visit, and whether each session is a return."""
    _, first_visit, inverse = np.unique(sessions.visitor, return_index=True,
                                        return_inverse=True)
    rank = np.empty(len(first_visit), dtype=np.int64)
    rank[np.argsort(first_visit, kind="stable")] = np.arange(len(first_visit))
    is_first = np.zeros(len(sessions.group), dtype=bool)
    is_first[first_visit] = True
    return rank[inverse], ~is_first | (sessions.group == Group.LOYAL)


def generate(config: SynthConfig | None = None) -> Dataset:
    """Generate sessions, events, leads and the answer key for one configuration.

    Parameters
    ----------
    config : SynthConfig, optional
        The knobs; default ``SynthConfig()`` (the committed data).

    Returns
    -------
    Dataset
        Typed frames, exactly as ``helpers.data.load_all`` returns them.

    Examples
    --------
    >>> ds = generate(SynthConfig(visitors=200, days=7, seed=1))
    >>> ds.sessions.columns[:3].tolist()
    ['session_id', 'visitor_id', 'started_at']
    """
    config = config or SynthConfig()
    rng = np.random.default_rng(config.seed)
    start = pd.Timestamp(config.start, tz="UTC").normalize()
    sessions = _in_time_order(rng, _draw_sessions(rng, config, start))
    visitor, is_returning = _visitor_numbers(sessions)
    plan = _plan_conversions(rng, sessions.group, config.propensities)
    funnel = plan.funnel_pages
    pageviews = np.maximum(_pages_per_visit(rng, sessions.group), funnel + (plan.form >= 0))
    visits = _browse(rng, sessions, pageviews)
    _shop_pages(rng, visits, sessions.group, funnel)
    form_sessions = np.flatnonzero(plan.form >= 0)
    form_view = _form_pages(rng, visits, form_sessions, plan.form[form_sessions], funnel)
    timing = _dwell_times(rng, visits, sessions.group, form_view, sessions.group[form_sessions],
                          visits.end[np.flatnonzero(funnel == 3)] - 1)
    blocks = _conversion_event_parts(rng, visits, timing, plan, form_sessions, form_view)
    events = _duplicate_some(rng, _conversion_events(sessions.started, visits, timing, blocks),
                             config.duplicate_events)
    lead_events = _LeadEvents(
        form_session=form_sessions, form_type=plan.form[form_sessions],
        form_second=sessions.started[form_sessions] + np.floor(
            timing.offset[form_view] + timing.form_seconds),
        purchase_session=blocks["purchase"][0], purchase_value=blocks["purchase"][4])
    leads = _crm_leads(rng, config, start, sessions, visitor, lead_events)
    form_seconds = np.full(len(pageviews), np.nan)
    form_seconds[form_sessions] = timing.form_seconds
    facts = _SessionFacts(visitor=visitor, is_returning=is_returning,
                          landing_page=visits.page[visits.first], duration=timing.duration,
                          pageviews=pageviews, form_seconds=form_seconds)
    return _frames(rng, sessions, facts, events, leads)




# ---------------------------------------------------------------------- frames
_LOOKUP = {"landing_page": PAGES, "page": PAGES, "country": _COUNTRIES}


def _typed(frame: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Build a frame with the loaders' dtypes from numpy arrays.

    Timestamps come as integer seconds since the epoch (negative = missing); category
    columns as codes into ``CATEGORIES`` or as strings; ``page``, ``landing_page`` and
    ``country`` as codes into ``PAGES`` / the country list (-1 = missing).
    """
    out = {}
    for column in SCHEMAS[frame]:
        value = values[column.name]
        if column.name in _LOOKUP and np.issubdtype(np.asarray(value).dtype, np.integer):
            lookup = np.array((*_LOOKUP[column.name], None), dtype=object)
            value = lookup[np.where(value < 0, len(lookup) - 1, value)]
        if column.kind in ("id", "str"):
            out[column.name] = pd.array(np.asarray(value, dtype=object), dtype="str")
        elif column.kind == "timestamp":
            value = np.asarray(value, dtype=np.int64)
            moments = np.where(value < 0, np.datetime64("NaT"), value.astype("datetime64[s]"))
            out[column.name] = pd.Series(moments.astype("datetime64[us]")).dt.tz_localize("UTC")
        elif column.kind == "category":
            categories = list(CATEGORIES[column.name])
            if np.issubdtype(np.asarray(value).dtype, np.integer):
                out[column.name] = pd.Categorical.from_codes(value, categories=categories)
            else:
                out[column.name] = pd.Categorical(value, categories=categories)
        else:
            out[column.name] = pd.array(value, dtype=column.dtype)
    return pd.DataFrame(out)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded numbers, e.g. ``s0000001``."""
    if len(numbers) == 0:
        return np.zeros(0, dtype=object)
    digits = np.strings.zfill(np.asarray(numbers, dtype=np.int64).astype(f"U{width}"), width)
    return np.strings.add(prefix, digits).astype(object)


def _width(count: int, minimum: int) -> int:
    """Digits of an id: at least ``minimum``, more when ``count`` needs them."""
    return max(minimum, len(str(count)))


@dataclass(frozen=True)
class _SessionFacts:
    """What the visits did, per session in time order: visitor number, return visit,
    landing page code, duration, page views and form seconds (NaN without a form)."""

    visitor: np.ndarray
    is_returning: np.ndarray
    landing_page: np.ndarray
    duration: np.ndarray
    pageviews: np.ndarray
    form_seconds: np.ndarray


def _frames(rng, sessions: _Sessions, facts: _SessionFacts, events: _Events,
            leads: dict[str, np.ndarray]) -> Dataset:
    """The four typed, validated frames; 2.5 % of sessions lose their country here."""
    visitor, pageviews = facts.visitor, facts.pageviews
    session_id = _ids("s", np.arange(1, len(pageviews) + 1), _width(len(pageviews), 7))
    visitor_width = _width(int(visitor.max()) + 1, 6)
    visitor_id = _ids("v", visitor + 1, visitor_width)
    country = sessions.country.copy()
    country[rng.random(len(pageviews)) < _MISSING_COUNTRY] = -1
    session_frame = _typed("sessions", {
        "session_id": session_id, "visitor_id": visitor_id, "started_at": sessions.started,
        "channel": sessions.channel, "source": sessions.source,
        "landing_page": facts.landing_page, "device": sessions.device,
        "country": country, "user_agent": sessions.user_agent, "ip": sessions.ip,
        "duration_s": facts.duration, "pageviews": pageviews,
        "is_returning": facts.is_returning, "form_seconds": facts.form_seconds,
    })
    event_frame = _typed("events", {
        "event_id": _ids("e", events.number, _width(int(events.number.max()), 8)),
        "session_id": session_id[events.session], "visitor_id": visitor_id[events.session],
        "timestamp": events.second, "event_name": events.name, "page": events.page,
        "value": events.value,
    })
    lead_count = len(leads["created"])
    lead_frame = _typed("leads", {
        "lead_id": _ids("L", np.arange(1, lead_count + 1), _width(lead_count, 6)),
        "visitor_id": np.where(leads["vnum"] >= 0, _ids(
            "v", np.maximum(leads["vnum"], 0) + 1, visitor_width), None),
        "created_at": leads["created"], "lead_source": leads["source"],
        "name": leads["name"], "email": leads["email"], "phone": leads["phone"],
        "company": leads["company"], "company_size": leads["company_size"],
        "industry": leads["industry"], "country": leads["country"], "stage": leads["stage"],
        "became_customer_at": leads["became"], "first_order_value": leads["value"],
    })
    answer_key = _typed("answer_key", {
        "session_id": session_id, "visitor_id": visitor_id,
        "segment": _SEGMENT_OF[sessions.group], "bot_kind": _BOT_KIND_OF[sessions.group],
        "persona": _PERSONA_OF[sessions.group],
    })
    validate_sessions(session_frame)
    validate_events(event_frame, session_frame)
    validate_leads(lead_frame)
    validate_answer_key(answer_key, session_frame)
    return Dataset(session_frame, event_frame, lead_frame, answer_key)
