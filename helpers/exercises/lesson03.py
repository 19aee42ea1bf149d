"""Exercises of lesson 03 · Building personas.

Each expected answer is computed from the kit's data with ``helpers.bots`` and
``helpers.personas`` when it is checked, never hard-coded, so the checks follow the data, the
bot rules and the default personas when any of them changes. The answer key only grades, as
in the lesson.

The human visitors (bots filtered, signals built) and the silhouette sweep of exercise 3.3
take a moment, so they are kept for as long as the data files do not change on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from helpers import bots, personas, traffic
from helpers.check import (
    Diagnosis,
    bots_left_in,
    complement,
    equals,
    events_not_people,
    register,
    when,
    wrong_denominator,
)
from helpers.exercises import derived, frame

#: The signals exercise 3.3 clusters on (the lesson prints the same list).
SIGNALS: tuple[str, ...] = (
    "mobile_share",
    "evening_share",
    "office_hours_share",
    "reads_espresso",
    "reads_gear",
    "reads_office",
    "reads_cafe_business",
    "reads_wholesale",
    "reads_contact",
)
#: The features the lesson clusters on (section 9), for a diagnosis of exercise 3.3.
FEATURES: tuple[str, ...] = (
    "mobile_share",
    "desktop_share",
    "evening_share",
    "office_hours_share",
    "weekend_share",
    "topic_brewing",
    "topic_espresso",
    "topic_beans",
    "topic_office",
    "topic_cafe_business",
    "topic_wholesale",
    "topic_gear",
    "topic_shop",
    "topic_contact",
)
#: The k the lesson tries in section 9.
LESSON_KS: range = range(2, 8)
#: The k tried in exercise 3.3, and the silhouette's sample.
KS: range = range(2, 7)
SAMPLE: int = 2000
#: The min_score of exercise 3.2, and its persona.
STRICT_MIN_SCORE = 0.7
GRADED = "home_barista"

def _memo(name: str, compute: Callable[[], Any]) -> Any:
    """Kept in the exercises' one cache until the data files change."""
    return derived(("lesson03", name), compute)


def _persona(name: str) -> personas.Persona:
    return next(p for p in personas.DEFAULT_PERSONAS if p.name == name)


def _humans() -> pd.DataFrame:
    return _memo("humans", lambda: bots.filter(frame("sessions")))


def _events_of(sessions: pd.DataFrame) -> pd.DataFrame:
    events = frame("events")
    return events[events["session_id"].isin(sessions["session_id"]).to_numpy(dtype=bool)]


def _visitors() -> pd.DataFrame:
    """Human visitors and their signals, as the lesson builds them."""

    def compute() -> pd.DataFrame:
        humans = _humans()
        return personas.visitors(humans, _events_of(humans))

    return _memo("visitors", compute)


def _all_visitors() -> pd.DataFrame:
    """The same with the bots left in (the usual mistake)."""
    return _memo("all_visitors", lambda: personas.visitors(frame("sessions"), frame("events")))


def _assigned(min_score: float = 0.5, *, with_bots: bool = False) -> pd.DataFrame:
    source = _all_visitors if with_bots else _visitors
    key = f"assigned:{min_score}:{with_bots}"
    return _memo(key, lambda: personas.assign(source(), min_score=min_score))


def _graded(min_score: float = 0.5, *, with_bots: bool = False) -> pd.DataFrame:
    return personas.evaluate(_assigned(min_score, with_bots=with_bots), frame("answer_key"))


def _truth() -> pd.Series:
    """Each human visitor's segment in the answer key."""
    segment = _memo("segments", lambda: traffic.visitor_segments(frame("answer_key")))
    return segment.reindex(_visitors().index.astype(str)).fillna("unknown")


# --------------------------------------------------------------------------- 3.1


def _office_scores(visitors: pd.DataFrame) -> pd.Series:
    return personas.score(visitors, _persona("office_manager"))


def _office_matches() -> int:
    return int(_office_scores(_visitors()).ge(0.5).sum())


def _office_matches_with_bots() -> int:
    return int(_office_scores(_all_visitors()).ge(0.5).sum())


def _office_match_sessions() -> int:
    visitors = _visitors()
    matched = visitors.index[_office_scores(visitors).ge(0.5).to_numpy()]
    return int(_humans()["visitor_id"].isin(matched).sum())


def _true_office_managers() -> int:
    key = frame("answer_key")
    key = key[key["visitor_id"].isin(_visitors().index.astype(str)).to_numpy(dtype=bool)]
    return int(key.loc[key["persona"].eq("office_manager").fillna(False), "visitor_id"].nunique())


register(
    "3.1",
    expected=_office_matches,
    kind="count",
    diagnoses=[
        bots_left_in(
            _office_matches_with_bots,
            "That count has the bots in it. Scrapers that fetch /pricing and /wholesale from a "
            "desktop in office hours look just like office managers. Build the visitors from "
            "the human sessions only: humans = bots.filter(sessions), then "
            "personas.visitors(humans, events of those sessions).",
        ),
        events_not_people(
            _office_match_sessions,
            "That counts sessions (visits), not visitors: an office manager who came three "
            "times is counted three times. Score the visitors frame (one row per visitor) and "
            "count its rows with a score of at least 0.5.",
        ),
        equals(
            lambda: int(_assigned(0.5)["persona"].eq("office_manager").sum()),
            "That is how many visitors assign() labelled office_manager. assign() gives each "
            "visitor only their best persona, so it leaves out those who match office_manager "
            "but fit another persona even better. The question asks for everyone whose "
            "office_manager score is at least 0.5: personas.score(visitors, office_manager).",
        ),
        equals(
            _true_office_managers,
            "That is the number of real office managers in the answer key. The answer key only "
            "grades a persona; the question asks whom the persona finds: score the visitors.",
        ),
        equals(
            lambda: int(_office_scores(_visitors()).gt(0.5).sum()),
            "You kept only the scores strictly above 0.5; matching means a score of at least "
            "0.5 (>=).",
        ),
    ],
    hint="Score the human visitors with personas.score(visitors, office_manager) and count the "
    "scores >= 0.5: (scores >= 0.5).sum().",
    success="{expected:,} human visitors match office_manager at min_score 0.5.",
)


# --------------------------------------------------------------------------- 3.2


def _precision(min_score: float = STRICT_MIN_SCORE, **options: Any) -> float:
    return float(_graded(min_score, **options).at[GRADED, "precision"])


def _buyer_share_of_labelled() -> float:
    """Share of the visitors labelled home_barista who are potential buyers of any persona."""
    assigned = _assigned(STRICT_MIN_SCORE)
    labelled = assigned.index[assigned["persona"].eq(GRADED).to_numpy(dtype=bool)]
    return float(_truth().reindex(labelled.astype(str)).eq("potential_buyer").mean())


register(
    "3.2",
    expected=_precision,
    kind="share",
    diagnoses=[
        equals(
            lambda: float(_graded(STRICT_MIN_SCORE).at[GRADED, "recall"]),
            "That is the recall: of the real home baristas, the share the assignment found. "
            "Precision looks the other way: of the visitors labelled home_barista, the share "
            "who really are home baristas.",
        ),
        equals(
            lambda: _precision(0.5),
            "That is the precision at the default min_score of 0.5. Assign again with "
            "personas.assign(visitors, min_score=0.7).",
        ),
        equals(
            lambda: float(_graded(STRICT_MIN_SCORE).at["any persona", "precision"]),
            "That is the precision over all personas (the 'any persona' row). The question asks "
            "about the home_barista row.",
        ),
        bots_left_in(lambda: _precision(with_bots=True)),
        equals(
            _buyer_share_of_labelled,
            "That is the share of the labelled visitors who are potential buyers of any "
            "persona. A right label needs the right persona: use personas.evaluate(), or "
            "compare with the answer key's persona column.",
        ),
        equals(
            lambda: float(_graded(STRICT_MIN_SCORE).at[GRADED, "f1"]),
            "That is the F1 score, which mixes precision and recall. Give the precision.",
        ),
    ],
    hint="personas.evaluate(personas.assign(visitors, min_score=0.7), answer_key) has a "
    "precision column; read its home_barista row.",
    success="At min_score 0.7, {expected:.0%} of the visitors labelled home_barista really are "
    "home baristas.",
)


# --------------------------------------------------------------------------- 3.3


def _one_thread_sweep(features: tuple[str, ...], ks: range) -> pd.DataFrame:
    """silhouette_sweep on one thread: quickest for data this small, even on a busy machine.

    The libraries must be loaded before their threads can be limited.
    """
    try:
        import sklearn.cluster
        import sklearn.metrics  # noqa: F401
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        return personas.silhouette_sweep(_visitors(), list(features), ks=ks, sample_size=SAMPLE)
    with threadpool_limits(1):
        return personas.silhouette_sweep(_visitors(), list(features), ks=ks, sample_size=SAMPLE)


def _sweep() -> pd.DataFrame:
    return _memo("sweep", lambda: _one_thread_sweep(SIGNALS, KS))


def _lesson_best_k() -> int:
    def compute() -> int:
        sweep = _one_thread_sweep(FEATURES, LESSON_KS)
        return int(sweep.loc[sweep["silhouette"].idxmax(), "k"])

    return _memo("lesson_best_k", compute)


def _best_k() -> int:
    sweep = _sweep()
    return int(sweep.loc[sweep["silhouette"].idxmax(), "k"])


def _k_where(column: str, largest: bool) -> int:
    sweep = _sweep()
    row = sweep[column].idxmax() if largest else sweep[column].idxmin()
    return int(sweep.loc[row, "k"])


def _as_int(answer: Any) -> int | None:
    try:
        number = float(answer)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


def _diagnose_k(answer: Any, expected: Any) -> str | None:
    """The usual wrong k's, with the reason (several may coincide on some data)."""
    if isinstance(answer, str):
        text = answer.strip()
        if text.isdigit() and int(text) == expected:
            return "Right number, but as text: give k as a number, without quotes."
        return "Give k as a number (for example 4), not as text."
    k = _as_int(answer)
    if k is None:
        return None
    sweep = _sweep()
    row_of_best = int(sweep["silhouette"].idxmax())
    if k == row_of_best and k != expected and k not in set(sweep["k"]):
        return (
            "That is the row label that idxmax() returned, not k. Read the k column of that "
            "row: sweep.loc[sweep['silhouette'].idxmax(), 'k']."
        )
    said = []
    if k == _k_where("silhouette", largest=False):
        said.append(
            f"k = {k} has the lowest silhouette of all. A higher silhouette means better "
            "separated segments: take the highest (idxmax, not idxmin)."
        )
    if k == _k_where("inertia", largest=False):
        said.append(
            f"k = {k} has the lowest inertia, but inertia always falls as k grows (more "
            "segments always sit closer to their members), so it cannot choose k."
        )
    if k == len(personas.DEFAULT_PERSONAS) and k != expected:
        said.append(
            f"{k} is also the number of hand-made personas, but the silhouette knows nothing "
            "of them: read what the sweep says."
        )
    if said:
        return " ".join(said)
    if k == _lesson_best_k():
        return (
            f"k = {k} is the best for the lesson's FEATURES; this exercise clusters on the "
            "SIGNALS list. Run the sweep on those signals."
        )
    return None


register(
    "3.3",
    expected=_best_k,
    kind="choice",
    diagnoses=[
        Diagnosis("usual_wrong_k", lambda answer, context: _diagnose_k(answer, context.expected))
    ],
    hint="Run personas.silhouette_sweep(visitors, SIGNALS, ks=range(2, 7), sample_size=2000) "
    "and take the k of the row with the highest silhouette.",
    success="k = {expected} gives the best separated segments on these signals.",
)


# --------------------------------------------------------------------------- 3.4


def _found_share(*, sessions: bool = False) -> float:
    assigned = _assigned(0.5)
    truth = _truth()
    buyers = truth.eq("potential_buyer").to_numpy(dtype=bool)
    found = assigned["persona"].ne("none").to_numpy(dtype=bool)
    if not sessions:
        return float(found[buyers].mean())
    humans = _humans()
    key = frame("answer_key")[["session_id", "segment"]]
    seg = humans[["session_id", "visitor_id"]].merge(key, on="session_id", how="left")
    is_buyer = seg["segment"].eq("potential_buyer").fillna(False).to_numpy(dtype=bool)
    labelled = assigned.index[found].astype(str)
    hit = seg["visitor_id"].astype(str).isin(labelled).to_numpy(dtype=bool)
    return float(hit[is_buyer].mean())


def _found_count() -> int:
    found = _assigned(0.5)["persona"].ne("none").to_numpy(dtype=bool)
    return int((found & _truth().eq("potential_buyer").to_numpy(dtype=bool)).sum())


def _precision_of_found() -> float:
    found = _assigned(0.5)["persona"].ne("none").to_numpy(dtype=bool)
    return float(_truth().eq("potential_buyer").to_numpy(dtype=bool)[found].mean())


register(
    "3.4",
    expected=_found_share,
    kind="share",
    diagnoses=[
        complement(
            hint="That is the share of potential buyers the personas missed: the other side. "
            "The question asks for the share found (given any persona)."
        ),
        equals(
            lambda: float(_graded(0.5).at["any persona", "recall"]),
            "That is the recall of personas.evaluate(), which only counts potential buyers "
            "given their right persona. The question asks for those given any persona: "
            "found as potential buyers, whichever persona.",
        ),
        equals(
            _precision_of_found,
            "That divides the other way: of the visitors given a persona, the share who are "
            "potential buyers (a precision). The question starts from the potential buyers: "
            "of them, what share got a persona?",
        ),
        wrong_denominator(
            lambda: float(_assigned(0.5)["persona"].ne("none").mean()),
            "That is the share of all human visitors who got a persona. Divide by the "
            "potential buyers among the human visitors instead.",
        ),
        events_not_people(
            lambda: _found_share(sessions=True),
            "That counts sessions, not visitors. Work on the visitors frame: one row per "
            "visitor, with each visitor's segment from the answer key.",
        ),
        equals(
            _found_count,
            "That is the number of potential buyers found. Divide it by the number of "
            "potential buyers among the human visitors to get a share.",
        ),
    ],
    hint="Take each visitor's segment from the answer key (truth, from the lesson), keep the "
    "potential buyers, and take the mean of assigned['persona'] != 'none' over them.",
    success="The three personas find {expected:.0%} of the potential buyers among the human "
    "visitors.",
)


# --------------------------------------------------------------------------- 3.5 (order)

#: Finding the visitors who match a persona, in the lesson's order (sections 3 to 6):
#: c) remove the bots, d) one row per visitor, b) score each visitor, a) assign the best fit.
PERSONA_STEPS = ("c", "d", "b", "a")


def _is_order(answer: Any) -> bool:
    return isinstance(answer, list | tuple) and len(answer) == len(PERSONA_STEPS)


def _letters(answer: Any) -> tuple[str, ...]:
    return tuple(str(a).strip().lower() for a in answer)


register(
    "3.5",
    expected=lambda: PERSONA_STEPS,
    kind="choice",
    diagnoses=[
        when(
            lambda answer, expected: isinstance(answer, str),
            'Give the letters as a list, in order, e.g. ["a", "b", "c", "d"].',
            name="text",
        ),
        when(
            lambda answer, expected: _is_order(answer) and sorted(_letters(answer)) != sorted(expected),
            "Use each of the four letters a, b, c and d exactly once.",
            name="letters",
        ),
        when(
            lambda answer, expected: _is_order(answer) and _letters(answer)[0] != expected[0],
            "What comes first? A bot has no persona, and its visits would blur every "
            "visitor's signals: which step takes them out?",
            name="bots_first",
        ),
        when(
            lambda answer, expected: _is_order(answer) and _letters(answer)[:2] == expected[:2]
            and _letters(answer)[2:] != expected[2:],
            "Assigning picks the persona a visitor fits best. What does it need to compare?",
            name="score_before_assign",
        ),
        when(
            lambda answer, expected: _is_order(answer) and _letters(answer)[0] == expected[0]
            and _letters(answer)[1] != expected[1],
            "Scores are given to visitors, not to single visits: what must the sessions "
            "become before a visitor can be scored?",
            name="rows_before_score",
        ),
    ],
    hint="Follow the lesson's sections 3 to 6: what did each section start from, and what "
    "did it hand to the next?",
    success="Remove the bots, one row per visitor, score, then assign: each step needs the "
    "one before it.",
)
