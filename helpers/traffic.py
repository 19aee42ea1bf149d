"""The traffic: its window, who is human, who came first from where, and who is behind it.

The definitions every lesson shares, each in one function:

- :func:`window`: the traffic window, from the first session to the last one;
- :func:`bot_visitors`: a **bot visitor** is a visitor only ever seen in sessions
  :func:`helpers.bots.label` flags (someone with one flagged visit and other, human, visits
  is a person whose visit was misread, not a bot);
- :func:`human_events`: the events of the sessions labelled human;
- :func:`human_events_and_leads`: those events, and the leads that are people (found by
  :func:`helpers.leads.identify`, minus the bot visitors' leads);
- :func:`first_touch`: one row per visitor with the channel of their first session
  (first-touch attribution);
- :func:`visitor_mix` / :func:`traffic_mix`: how sessions, visitors or leads split into the
  answer key's segments (bot, loyal customer, stumbled, potential buyer), and
  :func:`visitor_segments`: each visitor's segment. The answer key only ever grades;
- GA4's words on your own data: :func:`key_event_rates` (the session and the user key event
  rate, key events counted once per event and once per session) and :func:`engaged_sessions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import bots
from . import leads as lead_tools
from ._frames import need_flags, need_numbers, need_rows, need_table, need_unique, need_zone
from .formatting import percent

__all__ = [
    "ENGAGED_PAGEVIEWS",
    "ENGAGED_SECONDS",
    "MIX_COUNTS",
    "SEGMENTS",
    "KeyEventRates",
    "VisitorMix",
    "Window",
    "bot_visitors",
    "channels",
    "deduplicate_events",
    "engaged_sessions",
    "first_touch",
    "human_events",
    "human_events_and_leads",
    "key_event_rates",
    "micro_conventions",
    "traffic_mix",
    "visitor_mix",
    "visitor_segments",
    "window",
    "window_leads",
]

#: The visitor segments of the answer key, in the order the kit shows them.
SEGMENTS: tuple[str, ...] = ("bot", "loyal_customer", "stumbled", "potential_buyer")

#: What :func:`visitor_mix` can count: visits, the people behind them, or those people who
#: are leads.
MIX_COUNTS: tuple[str, ...] = ("sessions", "visitors", "leads")


# --------------------------------------------------------------------------- the window


@dataclass(frozen=True)
class Window:
    """The traffic window: from the first session's start to the last one's.

    Leads created before ``start`` were settled before the traffic began: counting them as
    new leads of the traffic is a classic mistake.
    """

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def days(self) -> int:
        """Length of the window in whole days (a window within one day is 1 day)."""
        return int((self.end - self.start) / pd.Timedelta(days=1)) + 1

    def since_start(self, times: pd.Series) -> pd.Series:
        """True where a time is at or after the window's start (missing: False)."""
        return times.ge(self.start).fillna(False).astype(bool)

    def __repr__(self) -> str:
        return f"Window({self.start:%d %b %Y} – {self.end:%d %b %Y}, {self.days} days)"


def window(sessions: pd.DataFrame) -> Window:
    """The traffic window of ``sessions``: its first and last ``started_at``, bots included.

    Examples
    --------
    >>> s = pd.DataFrame({"started_at": pd.to_datetime(["2025-02-03 09:00", "2025-03-02 23:00"],
    ...                                               utc=True)})
    >>> window(s)
    Window(03 Feb 2025 – 02 Mar 2025, 28 days)
    """
    need_table("window", "sessions", sessions, ("started_at",))
    if not len(sessions):
        raise ValueError("window(): sessions is empty; a traffic window needs one session. Pass the sessions table, bots included.")
    started = need_zone("window", "sessions", sessions["started_at"], "started_at")
    if started.isna().any():
        raise ValueError(f"window(): sessions has {int(started.isna().sum())} session(s) without "
                         "started_at; drop or fill them first (the window is the first and last visit).")
    return Window(started.min(), started.max())


def channels(frame: pd.DataFrame, column: str = "channel") -> list[str]:
    """The channels of ``frame``, the most frequent first (what a channel picker offers).

    >>> channels(pd.DataFrame({"channel": ["email", "social", "social", None]}))
    ['social', 'email']
    """
    need_table("channels", "frame", frame, (column,))
    return frame[column].dropna().astype(str).value_counts().index.tolist()


# --------------------------------------------------------------------------- humans and bots


def bot_visitors(labelled: pd.DataFrame) -> pd.Series:
    """The visitors only ever seen in bot sessions: the kit's one definition of a bot visitor.

    A visitor with one flagged session and other sessions labelled human is a person (the
    filter misread one visit), so their leads stay leads. Pass the result to
    ``leads.qualify(..., bot_visitors=...)``.

    Parameters
    ----------
    labelled : DataFrame
        :func:`helpers.bots.label`'s output (``is_bot``) with ``visitor_id``.

    Returns
    -------
    Series
        Distinct visitor ids, in order of their first session, named ``visitor_id``.

    Examples
    --------
    >>> labelled = pd.DataFrame({"visitor_id": ["a", "a", "b", "c"],
    ...                          "is_bot": [True, False, True, False]})
    >>> bot_visitors(labelled).tolist()
    ['b']
    """
    need_table("bot_visitors", "labelled", labelled, ("visitor_id", "is_bot"),
               "Label the sessions first: bots.label(sessions).")
    is_bot = need_flags("bot_visitors", labelled, "is_bot", "True for a bot session", "Pass the result of bots.label(sessions).")
    ids = labelled["visitor_id"]
    only = ids[is_bot & ~ids.isin(ids[~is_bot]).to_numpy(dtype=bool)]
    return only.dropna().drop_duplicates().reset_index(drop=True).rename("visitor_id")


def human_events(events: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """The events of the sessions labelled human (same columns, original order).

    Examples
    --------
    >>> labelled = pd.DataFrame({"session_id": ["s1", "s2"], "is_bot": [True, False]})
    >>> ev = pd.DataFrame({"session_id": ["s1", "s2", "s2"], "event_name": ["a", "b", "c"]})
    >>> human_events(ev, labelled)["event_name"].tolist()
    ['b', 'c']
    """
    need_table("human_events", "events", events, ("session_id",))
    need_table("human_events", "labelled", labelled, ("session_id", "is_bot"),
               "Label the sessions first: bots.label(sessions).")
    humans = labelled.loc[~need_flags("human_events", labelled, "is_bot", "True for a bot session", "Pass the result of bots.label(sessions)."), "session_id"]
    if len(events) and len(labelled) and not events["session_id"].isin(labelled["session_id"]).any():
        raise ValueError(
            "human_events(): no event's session_id is in labelled (e.g. "
            f"{str(events['session_id'].iloc[0])!r}); pass the events and the labelled sessions of "
            "the same data."
        )
    return events[events["session_id"].isin(humans).to_numpy(dtype=bool)]


def deduplicate_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events with exact repeated rows removed: the one definition of a duplicate event.

    Analytics exports record some events twice (the same row, event id and all); counted
    twice, one conversion becomes two. Remove them once, before any count. The number removed
    is in ``attrs["duplicates"]`` (nothing is dropped silently).

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["e1", "e1", "e2"], "event_name": ["purchase"] * 3})
    >>> kept = deduplicate_events(ev)
    >>> len(kept), kept.attrs["duplicates"]
    (2, 1)
    """
    need_table("deduplicate_events", "events", events, ())
    repeated = events.duplicated(keep="first").to_numpy(dtype=bool)
    kept = events[~repeated]
    kept.attrs["duplicates"] = int(repeated.sum())
    return kept


def human_events_and_leads(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    crm: pd.DataFrame | None = None,
    rules: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events of human sessions, and the leads that are people: lesson 04's two inputs.

    The steps lesson 04 shows cell by cell, in one call:

    1. remove the duplicate events (:func:`deduplicate_events`), label the sessions with
       :func:`helpers.bots.label` and keep the events of human sessions (:func:`human_events`);
    2. find the leads in those events and the CRM with :func:`helpers.leads.identify`;
    3. drop the leads of :func:`bot_visitors`: bots that filled in a form got into the CRM,
       but they are not people.

    Parameters
    ----------
    sessions : DataFrame
        One row per visit (``session_id``, ``visitor_id`` and what ``bots.label`` needs).
    events : DataFrame
        One row per event, with ``session_id``, ``visitor_id``, ``timestamp``, ``event_name``.
    crm : DataFrame, optional
        The CRM export (``lead_id``, ``visitor_id``, ``created_at``, ``lead_source``).
    rules : helpers.bots.BotRules, optional
        Bot thresholds; the default rules when left out.

    Returns
    -------
    (human_events, human_leads) : tuple of DataFrames
        ``human_events`` has the columns of ``events``; ``human_leads`` those of
        ``leads.identify``.
    """
    func = "human_events_and_leads"
    need_table(func, "sessions", sessions, ("session_id", "visitor_id"))
    need_table(func, "events", events, ("session_id", "visitor_id", "event_name"))
    if "started_at" in sessions.columns:
        need_zone(func, "sessions", sessions["started_at"], "started_at")
    need_rows(func, "sessions", sessions, "Pass the sessions table, bots included (data.load_sessions()).")
    labelled = bots.label(sessions) if rules is None else bots.label(sessions, rules)
    kept = human_events(deduplicate_events(events), labelled)
    lead_table = lead_tools.identify(kept, crm)
    people = ~lead_table["visitor_id"].isin(bot_visitors(labelled)).to_numpy(dtype=bool)
    return kept, lead_table[people].reset_index(drop=True)


def window_leads(crm: pd.DataFrame, sessions: pd.DataFrame,
                 labelled: pd.DataFrame | None = None) -> pd.DataFrame:
    """The leads created in the traffic window, marked with what a lead rate must leave out.

    The kit's definitions, in one place:

    - **lead created in the window**: ``created_at`` at or after the window's start
      (:func:`window`); older leads were settled before the traffic began;
    - **spam lead** (``spam``): created by a bot visitor (:func:`bot_visitors`): a bot that
      filled in a form got into the CRM, but it is not a person and stays out of every lead
      denominator;
    - **created by a purchase** (``bought_at_creation``, :func:`helpers.lag.bought_at_creation`):
      a customer from its first moment; reported on its own line, never in a lead -> customer
      rate (it did not *go on* to buy).

    Rows are kept (nothing is dropped silently): filter with
    ``leads[~leads["spam"]]`` and ``~leads["bought_at_creation"]``.

    Parameters
    ----------
    crm : DataFrame
        ``created_at``, ``visitor_id``, ``became_customer_at``.
    sessions : DataFrame
        All sessions (bots included): they set the window, and label the bot visitors.
    labelled : DataFrame, optional
        ``bots.label(sessions)`` if you have it already.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2"], "visitor_id": ["a", "bot"],
    ...     "started_at": pd.to_datetime(["2025-02-03", "2025-02-04"], utc=True),
    ...     "is_bot": [False, True]})
    >>> crm = pd.DataFrame({"visitor_id": ["a", "bot", "a", None],
    ...     "created_at": pd.to_datetime(["2025-02-03", "2025-02-04", "2024-01-01", "2025-02-05"], utc=True),
    ...     "became_customer_at": pd.to_datetime([None, None, "2024-03-01", "2025-02-05"], utc=True)})
    >>> window_leads(crm, s, labelled=s)[["visitor_id", "spam", "bought_at_creation"]].values.tolist()
    [['a', False, False], ['bot', True, False], [nan, False, True]]
    """
    from . import lag

    func = "window_leads"
    need_table(func, "crm", crm, ("created_at", "visitor_id", "became_customer_at"))
    created = need_zone(func, "crm", crm["created_at"], "created_at")
    if "started_at" in sessions:
        need_zone(func, "sessions", sessions["started_at"], "started_at")
    labelled = labelled if labelled is not None else bots.label(sessions)
    in_window = window(sessions).since_start(created).to_numpy(dtype=bool)
    out = crm[in_window].copy()
    out["spam"] = out["visitor_id"].isin(bot_visitors(labelled)).to_numpy(dtype=bool)
    out["bought_at_creation"] = lag.bought_at_creation(out).to_numpy(dtype=bool)
    return out


def first_touch(sessions: pd.DataFrame, columns: tuple[str, ...] = ("channel",)) -> pd.DataFrame:
    """One row per visitor: ``columns`` of their first session (first-touch attribution).

    Sessions are ordered by ``started_at`` (then ``session_id`` when there is one, so ties
    are settled the same way every time).

    Parameters
    ----------
    sessions : DataFrame
        With ``visitor_id``, ``started_at`` and ``columns``; filter the bots out first.
    columns : tuple of str, default ("channel",)
        What to keep of the first session, e.g. ``("channel", "landing_page")``.

    Returns
    -------
    DataFrame
        ``visitor_id`` and ``columns``, one row per visitor, in order of first visit.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3"], "visitor_id": ["a", "a", "b"],
    ...     "channel": ["email", "social", "direct"],
    ...     "started_at": pd.to_datetime(["2025-02-04", "2025-02-03", "2025-02-05"], utc=True)})
    >>> first_touch(s)
      visitor_id channel
    0          a  social
    1          b  direct
    """
    need_table("first_touch", "sessions", sessions, ("visitor_id", "started_at", *columns))
    if sessions["started_at"].isna().any():
        raise ValueError(
            f"first_touch(): sessions has {int(sessions['started_at'].isna().sum())} session(s) "
            "without started_at, so their visitor's first visit is unknown; drop or fill them first."
        )
    order = ["started_at", "session_id"] if "session_id" in sessions.columns else ["started_at"]
    first = sessions.sort_values(order, kind="stable").drop_duplicates("visitor_id")
    return first[["visitor_id", *columns]].reset_index(drop=True)


# --------------------------------------------------------------------------- segments


def visitor_segments(answer_key: pd.DataFrame | pd.Series) -> pd.Series:
    """Each visitor's true segment, from the answer key (which has one row per session).

    The answer key grades a persona; it never builds one. A visitor whose sessions disagree
    gets their most frequent segment (ties: alphabetical first).

    Parameters
    ----------
    answer_key : DataFrame or Series
        ``visitor_id`` and ``segment`` columns; a Series (already one segment per visitor)
        is returned as it is.

    Returns
    -------
    Series
        Segment per visitor, indexed by ``visitor_id``, named ``segment``.

    Examples
    --------
    >>> key = pd.DataFrame({"visitor_id": ["a", "a", "b"],
    ...                     "segment": ["potential_buyer", "potential_buyer", "stumbled"]})
    >>> visitor_segments(key).to_dict()
    {'a': 'potential_buyer', 'b': 'stumbled'}
    """
    if isinstance(answer_key, pd.Series):
        return answer_key.rename("segment")
    need_table("visitor_segments", "answer_key", answer_key, ("visitor_id", "segment"))
    if pd.api.types.is_numeric_dtype(answer_key["segment"].dtype) or pd.api.types.is_datetime64_any_dtype(
        answer_key["segment"].dtype
    ):
        raise TypeError(
            "visitor_segments(): column 'segment' must hold segment names such as "
            f"{', '.join(SEGMENTS)}; got dtype {answer_key['segment'].dtype}. Pass the answer key "
            "(data.load_answer_key())."
        )
    pairs = pd.DataFrame(
        {
            "visitor_id": answer_key["visitor_id"].astype("string").to_numpy(),
            "segment": answer_key["segment"].astype("string").to_numpy(),
        }
    ).dropna()
    sizes = pairs.groupby(["visitor_id", "segment"], sort=True).size().rename("n").reset_index()
    sizes = sizes.sort_values(
        ["visitor_id", "n", "segment"], ascending=[True, False, True], kind="stable"
    )
    best = sizes.drop_duplicates("visitor_id")
    return pd.Series(
        best["segment"].to_numpy(),
        index=pd.Index(best["visitor_id"].to_numpy(), name="visitor_id"),
        name="segment",
        dtype="string",
    )


def _mix_what(channel: str, count: str) -> str:
    if count == "leads":
        return "all web leads" if channel == "all" else f"leads among {channel} visitors"
    return f"all {count}" if channel == "all" else f"{channel} {count}"


@dataclass(frozen=True)
class VisitorMix:
    """How the sessions, visitors or leads of a channel split into the answer key's segments.

    Built by :func:`visitor_mix` and :func:`traffic_mix`.

    Attributes
    ----------
    table : DataFrame
        Index ``segment`` (:data:`SEGMENTS`, then any other, and "unknown" for sessions
        missing from the answer key); columns ``<count>`` (how many) and ``share`` (summing
        to 1).
    channel : str
        The channel, or "all".
    count : str
        "sessions", "visitors" or "leads".
    """

    table: pd.DataFrame
    channel: str
    count: str

    @property
    def what(self) -> str:
        """What was counted, in words: "all sessions", "email visitors"..."""
        return _mix_what(self.channel, self.count)

    @property
    def bot_share(self) -> float:
        """The share of bots."""
        return float(self.table.at["bot", "share"])

    @property
    def headline(self) -> str:
        """The key figure as text: ``'Bots: 22.0% of all sessions'``."""
        return f"Bots: {percent(self.bot_share)} of {self.what}"

    @property
    def value(self) -> float:
        """The bot share, rounded to 6 decimals."""
        return round(self.bot_share, 6)

    def __repr__(self) -> str:
        return f"VisitorMix({self.headline})"

    def _repr_html_(self) -> str:
        return self.table._repr_html_()


def _channel_rows(func: str, sessions: pd.DataFrame, channel: str, columns: list[str]) -> pd.DataFrame:
    if channel == "all":
        return sessions[columns]
    mask = sessions["channel"].astype("string").eq(channel).fillna(False)
    if not mask.any():
        known = ", ".join(sorted(sessions["channel"].dropna().astype(str).unique()))
        raise ValueError(
            f"{func}(): no sessions have channel {channel!r}. Channels: {known}, or 'all'."
        )
    return sessions.loc[mask, columns]


def visitor_mix(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    channel: str = "all",
    count: str = "sessions",
    leads: pd.DataFrame | None = None,
) -> VisitorMix:
    """How sessions, visitors or leads (of one channel, or all) split into visitor segments.

    The same traffic gives different mixes depending on what is counted: a loyal customer
    who comes back five times is five sessions but one visitor, and most visitors never
    become leads.

    Parameters
    ----------
    sessions : DataFrame
        One row per session, with ``session_id``, ``channel`` and (unless counting
        sessions) ``visitor_id``.
    answer_key : DataFrame
        The generator's truth, with ``session_id`` and ``segment``.
    channel : str, default "all"
        A channel, or "all" for every session.
    count : {"sessions", "visitors", "leads"}, default "sessions"
        ``"sessions"``: every visit. ``"visitors"``: each ``visitor_id`` once (a visitor
        with sessions in several channels counts in each of them; their segment is the
        one of their first session in the table). ``"leads"``: those visitors whose
        ``visitor_id`` is in ``leads`` (web leads; offline leads have no visitor id).
    leads : DataFrame, optional
        The CRM export, with ``visitor_id``; needed for ``count="leads"``.

    Returns
    -------
    VisitorMix
        ``.table`` (segments x ``<count>``, ``share``), ``.headline`` and ``.value`` (the
        share of bots).

    Raises
    ------
    ValueError
        For an unknown ``count`` or channel, or ``count="leads"`` without ``leads``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "visitor_id": ["v1", "v1", "v2", "v3"],
    ...                   "channel": ["email", "email", "direct", "direct"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "segment": ["loyal_customer", "loyal_customer", "bot", "stumbled"]})
    >>> mix = visitor_mix(s, k, count="visitors")
    >>> mix
    VisitorMix(Bots: 33.3% of all visitors)
    >>> mix.table
                     visitors     share
    segment
    bot                     1  0.333333
    loyal_customer          1  0.333333
    stumbled                1  0.333333
    potential_buyer         0  0.000000
    >>> crm = pd.DataFrame({"visitor_id": ["v1", None]})
    >>> visitor_mix(s, k, count="leads", leads=crm).table["leads"].tolist()
    [0, 1, 0, 0]
    """
    return _mix("visitor_mix", sessions, answer_key, channel, count, leads)


def _mix(
    func: str,
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    channel: str,
    count: str,
    leads: pd.DataFrame | None,
) -> VisitorMix:
    if count not in MIX_COUNTS:
        raise ValueError(
            f"{func}(): count must be one of {', '.join(MIX_COUNTS)}, got {count!r}."
        )
    ids = ["session_id"] if count == "sessions" else ["session_id", "visitor_id"]
    need_table(func, "sessions", sessions, (*ids, "channel"))
    need_table(func, "answer_key", answer_key, ("session_id", "segment"))
    need_rows(func, "sessions", sessions, "Pass the sessions table (data.load_sessions()).")
    need_unique(func, "sessions", sessions, "session_id")
    if sessions["session_id"].isna().any():
        raise ValueError(f"{func}(): sessions has {int(sessions['session_id'].isna().sum())} row(s) "
                         "without a session_id, which the answer key cannot match; drop them first.")
    if count == "leads":
        if leads is None:
            raise ValueError(
                f"{func}(): count='leads' needs the CRM export: pass leads=... (with a "
                "visitor_id column), e.g. data.load_leads()."
            )
        need_table(func, "leads", leads, ("visitor_id",))
    chosen = _channel_rows(func, sessions, channel, ids)
    truth = answer_key[["session_id", "segment"]].drop_duplicates("session_id")
    rows = chosen.merge(truth, on="session_id", how="left")
    if count != "sessions":
        rows = rows.dropna(subset=["visitor_id"]).drop_duplicates("visitor_id")
    if count == "leads":
        lead_ids = leads["visitor_id"].astype("string").str.strip()
        known = lead_ids[lead_ids.notna() & lead_ids.ne("")].unique()
        rows = rows[rows["visitor_id"].astype("string").isin(known)]
    counts = rows["segment"].astype("string").fillna("unknown").value_counts()
    order = list(SEGMENTS) + sorted(set(counts.index) - set(SEGMENTS))
    counts = counts.reindex(order, fill_value=0).astype("int64")
    table = pd.DataFrame({count: counts, "share": counts / max(int(counts.sum()), 1)})
    table.index = pd.Index(order, name="segment")
    return VisitorMix(table, channel, count)


def traffic_mix(
    sessions: pd.DataFrame, answer_key: pd.DataFrame, channel: str = "all"
) -> VisitorMix:
    """How the sessions of one channel (or all) split into visitor segments.

    :func:`visitor_mix` counting sessions: ``sessions`` needs only ``session_id`` and
    ``channel``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "channel": ["email", "email", "social", "email"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "segment": ["bot", "stumbled", "bot", "bot"]})
    >>> traffic_mix(s, k, "email").headline
    'Bots: 66.7% of email sessions'
    """
    return _mix("traffic_mix", sessions, answer_key, channel, "sessions", None)


# --------------------------------------------------------------------------- GA4's words

#: GA4's engaged session: longer than this many seconds, *or* a key event, *or* at least
#: :data:`ENGAGED_PAGEVIEWS` page views (support.google.com/analytics/answer/12798876).
ENGAGED_SECONDS = 10.0
#: The page views that make a session engaged on their own.
ENGAGED_PAGEVIEWS = 2


def _key_event_names(func: str, key_events: Any) -> tuple[str, ...]:
    names = (key_events,) if isinstance(key_events, str) else tuple(key_events)
    if not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError(
            f"{func}(): key_events must be an event name or a list of them, e.g. "
            f"'purchase' or ['purchase', 'contact_form'], got {key_events!r}."
        )
    return names


def engaged_sessions(
    sessions: pd.DataFrame, events: pd.DataFrame, key_events: Any = ("purchase",)
) -> pd.Series:
    """GA4's **engaged session**, per session: longer than 10 s, a key event, or 2+ page views.

    The kit's ``duration_s`` is the time from the first to the last page of the visit; GA4
    measures engagement time while the page is in the foreground, which the kit's data does
    not record, so this is the closest the kit's columns get (a tab left open counts here).

    Parameters
    ----------
    sessions : DataFrame
        ``session_id``, ``duration_s`` and ``pageviews``.
    events : DataFrame
        ``session_id`` and ``event_name`` (remove duplicate rows first:
        :func:`deduplicate_events`).
    key_events : str or list of str, default ("purchase",)
        The events marked as key events.

    Returns
    -------
    Series
        True/False, one per row of ``sessions`` (same index), named ``engaged``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c", "d"], "duration_s": [3.0, 12.0, 2.0, 4.0],
    ...                   "pageviews": [1, 1, 2, 1]})
    >>> ev = pd.DataFrame({"session_id": ["d"], "event_name": ["purchase"]})
    >>> engaged_sessions(s, ev).tolist()
    [False, True, True, True]
    """
    return _engaged("engaged_sessions", sessions, events, key_events)


def _engaged(func: str, sessions: pd.DataFrame, events: pd.DataFrame, key_events: Any) -> pd.Series:
    """:func:`engaged_sessions`, with its input checks naming ``func``."""
    need_table(func, "sessions", sessions, ("session_id", "duration_s", "pageviews"))
    need_table(func, "events", events, ("session_id", "event_name"))
    names = _key_event_names(func, key_events)
    need_unique(func, "sessions", sessions, "session_id",
                "Pass one row per session (sessions.drop_duplicates('session_id')).")
    values = {}
    for column in ("duration_s", "pageviews"):
        values[column] = need_numbers(func, sessions, column,
                                      "Fill or drop the sessions without it first.")
        if (values[column] < 0).any():
            raise ValueError(
                f"{func}(): column {column!r} has negative values "
                f"({int((values[column] < 0).sum())} rows); a session cannot last or show less "
                "than nothing. Fix the export, or drop those rows and say so."
            )
    with_key = events.loc[events["event_name"].isin(names).to_numpy(dtype=bool), "session_id"]
    engaged = (values["duration_s"] > ENGAGED_SECONDS) | (values["pageviews"] >= ENGAGED_PAGEVIEWS)
    return pd.Series(engaged | sessions["session_id"].isin(with_key).to_numpy(dtype=bool),
                     index=sessions.index, name="engaged")


@dataclass(frozen=True)
class KeyEventRates:
    """GA4's rates and counts of key events on your own data. Build it with :func:`key_event_rates`.

    Attributes
    ----------
    key_events : tuple of str
        The events counted as key events.
    session_rate : Rate
        GA4's **session key event rate**: sessions with at least one key event ÷ sessions.
    user_rate : Rate
        GA4's **user key event rate**: users (distinct ``visitor_id``) with at least one key
        event ÷ users.
    once_per_event : int
        Key events counted *once per event* (GA4's default): every occurrence.
    once_per_session : int
        Key events counted *once per session*: at most one per session and event name.
    engaged : int
        GA4's engaged sessions (:func:`engaged_sessions`).
    sessions, users : int
        The denominators.
    """

    key_events: tuple[str, ...]
    session_rate: Any
    user_rate: Any
    once_per_event: int
    once_per_session: int
    engaged: int
    sessions: int
    users: int

    @property
    def engagement_rate(self) -> float:
        """Engaged sessions ÷ sessions (GA4's engagement rate)."""
        return self.engaged / self.sessions if self.sessions else float("nan")

    @property
    def headline(self) -> str:
        """The two rates in one sentence, each with its denominator."""
        return (
            f"Session key event rate {percent(self.session_rate.value)} of {self.sessions:,} "
            f"sessions; user key event rate {percent(self.user_rate.value)} of {self.users:,} users."
        )

    @property
    def value(self) -> float:
        """The user key event rate, as a share."""
        return self.user_rate.value

    def __repr__(self) -> str:
        return f"KeyEventRates({self.headline})"


def key_event_rates(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    key_events: Any = ("purchase",),
    *,
    confidence: float = 0.95,
) -> KeyEventRates:
    """GA4's session and user key event rates, both counts of key events, and engaged sessions.

    GA4 calls the events you mark as goals **key events** (they were "conversions" until
    March 2024). It reports the same key events over two denominators: the **session key
    event rate** (the share of sessions with one) and the **user key event rate** (the share
    of users with one; GA4's "users" are browsers, the kit's visitors). A key event is counted
    *once per event* (every occurrence, GA4's default) or *once per session*. Only the events
    of ``sessions`` count: pass human sessions (and their events) for the human rates.

    Parameters
    ----------
    sessions : DataFrame
        ``session_id``, ``visitor_id``, ``duration_s``, ``pageviews``.
    events : DataFrame
        ``session_id``, ``event_name``; duplicate rows removed (:func:`deduplicate_events`).
    key_events : str or list of str, default ("purchase",)
    confidence : float, default 0.95
        For the rates' intervals (:func:`helpers.conversions.rate`).

    Returns
    -------
    KeyEventRates

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c"], "visitor_id": ["v1", "v1", "v2"],
    ...                   "duration_s": [30.0, 5.0, 2.0], "pageviews": [3, 1, 1]})
    >>> ev = pd.DataFrame({"session_id": ["a", "a", "b"], "event_name": ["purchase"] * 3})
    >>> r = key_event_rates(s, ev)
    >>> r.session_rate.conversions, r.user_rate.conversions, r.once_per_event, r.once_per_session
    (2, 1, 3, 2)
    >>> print(r.headline)
    Session key event rate 66.7% of 3 sessions; user key event rate 50.0% of 2 users.
    """
    from .conversions import rate

    func = "key_event_rates"
    need_table(func, "sessions", sessions, ("session_id", "visitor_id", "duration_s", "pageviews"))
    need_table(func, "events", events, ("session_id", "event_name"))
    names = _key_event_names(func, key_events)
    need_rows(func, "sessions", sessions, "Pass the sessions you measure, e.g. bots.filter(labelled).")
    engaged = _engaged(func, sessions, events, names)
    keys = events.loc[events["event_name"].isin(names).to_numpy(dtype=bool)
                      & events["session_id"].isin(sessions["session_id"]).to_numpy(dtype=bool),
                      ["session_id", "event_name"]]
    hit = sessions["session_id"].isin(keys["session_id"]).to_numpy(dtype=bool)
    visitors = sessions["visitor_id"]
    n_users = int(visitors.nunique())
    users_with = int(visitors[hit].nunique())
    return KeyEventRates(
        key_events=names,
        session_rate=rate(int(hit.sum()), len(sessions), confidence, unit="sessions"),
        user_rate=rate(users_with, n_users, confidence, unit="users"),
        once_per_event=len(keys),
        once_per_session=int(len(keys.drop_duplicates())),
        engaged=int(engaged.sum()),
        sessions=len(sessions),
        users=n_users,
    )


def micro_conventions(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    leads: pd.DataFrame,
    catalogue: Any = None,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each micro conversion measured both ways: over all visitors, and over leads.

    The source articles disagree on whose actions count. Analytics tools (GA4, and
    Kaushik's writing on micro conversions) count every visitor's: the **visitor rate** is
    the share of visitors (GA4's users) with at least one such event, GA4's user key event
    rate (:func:`key_event_rates`). A CRM counts its leads': the **lead rate** is the share of
    leads who made one *after* becoming a lead (:func:`helpers.conversions.count`, the
    kit's convention since lesson 04). Same events, two questions: how many of the site's
    visitors take this step, and how engaged are the leads.

    Parameters
    ----------
    sessions, events : DataFrame
        Human sessions and their events (bots out, duplicates removed).
    leads : DataFrame
        The human leads (:func:`human_events_and_leads`), with ``visitor_id`` and the time
        each became a lead.
    catalogue : helpers.conversions.Catalogue, optional
        Default :data:`helpers.conversions.CATALOGUE`; its micro conversions are measured.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per micro conversion (index ``event``): ``visitors_with``, ``visitors``,
        ``visitor_rate``, ``visitor_low``, ``visitor_high``, ``leads_with``, ``leads``,
        ``lead_rate``, ``lead_low``, ``lead_high``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c"], "visitor_id": ["v1", "v2", "v3"],
    ...                   "duration_s": [30.0, 5.0, 2.0], "pageviews": [3, 1, 1]})
    >>> ev = pd.DataFrame({"event_id": ["e1", "e2"], "session_id": ["a", "b"],
    ...                    "visitor_id": ["v1", "v2"], "event_name": ["blog_comment"] * 2,
    ...                    "timestamp": pd.to_datetime(["2025-02-03 10:00", "2025-02-03 11:00"], utc=True)})
    >>> ld = pd.DataFrame({"lead_id": ["L1"], "visitor_id": ["v1"],
    ...                    "first_at": pd.to_datetime(["2025-02-01"], utc=True)})
    >>> t = micro_conventions(s, ev, ld)
    >>> t.loc["blog_comment", ["visitors_with", "visitors", "leads_with", "leads"]].tolist()
    [2, 3, 1, 1]
    """
    from .conversions import CATALOGUE, Catalogue, count, rate

    func = "micro_conventions"
    chosen = CATALOGUE if catalogue is None else catalogue
    if not isinstance(chosen, Catalogue):
        raise TypeError(f"{func}(): catalogue must be a conversions.Catalogue, got "
                        f"{type(chosen).__name__}. Pass e.g. conversions.CATALOGUE.")
    need_table(func, "leads", leads, ("visitor_id",))
    per_lead = count(events, chosen, leads=leads, by_event=True)
    rows = []
    for event in chosen.micro:
        by_visitor = key_event_rates(sessions, events, event, confidence=confidence).user_rate
        done = int((per_lead[event] > 0).sum()) if event in per_lead.columns else 0
        by_lead = rate(done, len(per_lead), confidence=confidence)
        rows.append({
            "event": event,
            "visitors_with": by_visitor.conversions, "visitors": by_visitor.denominator,
            "visitor_rate": by_visitor.value, "visitor_low": by_visitor.low,
            "visitor_high": by_visitor.high,
            "leads_with": by_lead.conversions, "leads": by_lead.denominator,
            "lead_rate": by_lead.value, "lead_low": by_lead.low, "lead_high": by_lead.high,
        })
    return pd.DataFrame(rows).set_index("event")
