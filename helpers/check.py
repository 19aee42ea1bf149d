"""Exercise self-checks: tell learners whether an answer is right, and if not, what kind of wrong.

Learners call one function, right after their answer::

    bot_share = ...   # your answer: the share of sessions flagged as bots, between 0 and 1
    check.exercise("2.1", bot_share)

It prints "not answered yet" for ``...``, a specific hint for a recognised mistake (a
percentage where a share is asked, bots left in, events counted instead of people, a value
rounded too far, ...), and a confirmation for a right answer. It never raises at the learner,
and an answer it does not recognise gets no hint of its own: the learner climbs the hint
ladder on purpose, ``hint("2.1")`` (stronger each time), then ``solution("2.1")``.
``progress()`` lists the exercises answered right, kept in ``.kit-progress.json`` in the
notebooks' folder (``KIT_PROGRESS`` names another file, or "off").

The solution cells start with the cell magic ``%%solution 2.1`` (registered when this module
is imported in IPython): the solution stays hidden, even under Run All, until the learner asks
for it, and then runs on a copy of the learner's variables. In strict mode (``KIT_STRICT=1``,
set by the tests, or ``KIT_SOLUTIONS=strict``) the cell runs normally and its
``check.exercise(..., strict=True)`` raises ``AssertionError`` on anything but a right answer,
so the notebook tests fail when a solution or a check is wrong. ``prose(condition, message)``
is the lesson authors' check that the text still matches the kit's data: it raises only in
strict mode on the kit's own data, never in a learner's kernel.

Lesson authors register exercises in ``helpers/exercises/lessonNN.py`` (one module per lesson,
imported the first time one of its ids is checked)::

    from helpers.check import register, equals, complement, bots_left_in
    from helpers.exercises import frame

    def _bot_share():
        labelled = bots.label(frame("sessions"))
        return labelled["is_bot"].mean()

    register(
        "2.1",
        expected=_bot_share,                  # computed from the data, never hard-coded
        kind="share",                         # share | percent | count | number | set | choice | frame
        diagnoses=[complement(), equals(_flagged_count, "That is a count; divide by all sessions.")],
        hint="Label the sessions with bots.label(), then take the mean of is_bot.",
        success="Bots are {expected:.0%} of sessions.",
    )

A diagnosis is a function ``(answer, context) -> str | None`` that returns a hint when it
recognises the answer; the builders below make the usual ones.

Examples
--------
>>> _ = register("99.1", expected=lambda: 0.25, kind="share", diagnoses=[complement()])
>>> exercise("99.1", 0.25, show=False).correct
True
>>> print(exercise("99.1", 25, show=False).message)
Exercise 99.1: not quite. This looks like a percentage (25); the question asks for a share between 0 and 1. Divide by 100. For more help: `check.hint("99.1")`.
>>> exercise("99.1", ..., show=False).status
'unanswered'
>>> unregister("99.1")
"""

from __future__ import annotations

import html
import importlib
import json
import math
import numbers
import os
import pkgutil
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KINDS",
    "CheckResult",
    "Context",
    "Diagnosis",
    "Exercise",
    "UnknownExercise",
    "averaged_rates",
    "bots_left_in",
    "complement",
    "equals",
    "events_not_people",
    "data_note",
    "exercise",
    "get",
    "hint",
    "inverted",
    "load_all_lessons",
    "not_one_of",
    "percent_not_share",
    "progress",
    "prose",
    "register",
    "registered_ids",
    "rounded",
    "said",
    "share_not_percent",
    "solution",
    "strict_mode",
    "unregister",
    "when",
    "wrong_denominator",
]

#: The kinds of answer an exercise can ask for, and what the learner is told to give.
KINDS: dict[str, str] = {
    "share": "a number between 0 and 1 (a share, e.g. 0.18)",
    "percent": "a number between 0 and 100 (a percentage, e.g. 18.2)",
    "count": "a whole number (a count)",
    "number": "a number",
    "set": "a collection of values (a list, a set, or a pandas Series or Index)",
    "choice": "one of the options named in the exercise",
    "frame": "a pandas DataFrame or Series",
}

#: Default absolute tolerance per kind (``None`` means exact or kind-specific comparison).
DEFAULT_TOLERANCE: dict[str, float | None] = {
    "share": 0.005,  # half a percentage point: 0.18 for 0.1823 is right
    "percent": 0.5,
    "count": 0.0,
    "number": None,  # relative 1e-3, see _numbers_close
    "set": None,
    "choice": None,
    "frame": 1e-6,
}

_ID_PATTERN = re.compile(r"^(\d{1,2}|[Pp])\.(\d{1,2})$")
_EXERCISE_PACKAGE = "helpers.exercises"


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Context:
    """What a diagnosis may look at besides the answer.

    Attributes
    ----------
    exercise : Exercise
        The exercise being checked.
    expected : Any
        The right answer, already computed.
    """

    exercise: Exercise
    expected: Any

    def close(self, a: Any, b: Any, scale: float = 1.0) -> bool:
        """Whether ``a`` and ``b`` are the same answer under this exercise's tolerance.

        ``scale`` widens the tolerance, for comparisons on a scaled value (x 100).
        """
        return _same(self.exercise, a, b, scale=scale)


@dataclass(frozen=True)
class Diagnosis:
    """A recognisable wrong answer and the hint that goes with it.

    Attributes
    ----------
    name : str
        Short name, for reading registrations and test reports.
    test : callable
        ``test(answer, context) -> str | None``: the hint when the answer matches, else None.
    """

    name: str
    test: Callable[[Any, Context], str | None]

    def __call__(self, answer: Any, context: Context) -> str | None:
        return self.test(answer, context)


@dataclass(frozen=True)
class Exercise:
    """One registered exercise. Create with :func:`register`, not directly."""

    id: str
    expected: Callable[[], Any]
    kind: str = "number"
    tolerance: float | None = None
    diagnoses: tuple[Callable[[Any, Context], str | None], ...] = ()
    hint: str | None = None
    success: str | None = None
    frame_options: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckResult:
    """What :func:`exercise` found. Shows itself as a coloured box in Jupyter, text elsewhere.

    Attributes
    ----------
    exercise_id : str
    status : str
        ``"correct"``, ``"wrong"``, ``"unanswered"`` or ``"error"`` (the check itself failed).
    message : str
        The full text shown to the learner.
    hint : str or None
        The specific hint, when a mistake was recognised or the exercise has a general hint.
    """

    exercise_id: str
    status: str
    message: str
    hint: str | None = None
    _shown_at: Any = field(default=None, repr=False, compare=False)

    @property
    def correct(self) -> bool:
        """True when the answer is right."""
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return f"{_ICONS[self.status]} {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        body = _inline_code(html.escape(self.message))
        return (
            f'<div class="kit-check kit-check-{self.status}" style="border-left: 4px solid '
            f"{colour}; padding: 0.4em 0.8em; margin: 0.3em 0; background: {colour}14; "
            f'color: inherit; font-family: inherit;">'
            f"<strong>{_ICONS[self.status]}</strong> {body}</div>"
        )

    def _repr_markdown_(self) -> str:
        return f"{_ICONS[self.status]} {self.message}"

    def _ipython_display_(self) -> None:
        # Shown once per cell execution: exercise() displays it at once (so it appears even
        # when the call is not the last line), and the display hook then finds it shown.
        from IPython import get_ipython
        from IPython.display import publish_display_data

        shell = get_ipython()
        count = getattr(shell, "execution_count", None)
        if count is not None and self._shown_at == count:
            return
        self._shown_at = count
        publish_display_data(
            {
                "text/plain": str(self),
                "text/html": self._repr_html_(),
                "text/markdown": self._repr_markdown_(),
            }
        )


_ICONS = {"correct": "✅", "wrong": "❌", "unanswered": "✏️", "error": "⚠️"}
_COLOURS = {"correct": "#009E73", "wrong": "#D55E00", "unanswered": "#56B4E9", "error": "#E69F00"}


def _inline_code(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


# --------------------------------------------------------------------------- the registry

_REGISTRY: dict[str, Exercise] = {}


class UnknownExercise(LookupError, ValueError):
    """No exercise is registered under this id (or the id is malformed)."""


def _normalise_id(exercise_id: Any) -> str:
    text = str(exercise_id).strip()
    match = _ID_PATTERN.match(text)
    if not match:
        raise UnknownExercise(
            f"the exercise id {exercise_id!r} is not of the form 'N.M' (lesson.exercise), "
            "e.g. '2.1', or 'P.M' for the pandas primer."
        )
    lesson = match.group(1)
    lesson = "P" if lesson in ("P", "p") else str(int(lesson))
    return f"{lesson}.{int(match.group(2))}"


def register(
    exercise_id: str,
    expected: Callable[[], Any] | None = None,
    *,
    kind: str = "number",
    tolerance: float | None = None,
    diagnoses: Iterable[Callable[[Any, Context], str | None]] = (),
    hint: str | None = None,
    success: str | None = None,
    default_diagnoses: bool = True,
    replace: bool = False,
    aliases: dict[str, Any] | None = None,
    **frame_options: Any,
) -> Any:
    """Register an exercise so that ``check.exercise(exercise_id, answer)`` can grade it.

    Parameters
    ----------
    exercise_id : str
        ``"N.M"``: lesson number, exercise number (``"2.1"``). Goes in ``lessonNN.py``.
    expected : callable, optional
        No-argument function returning the right answer, computed from the kit's data with
        the helpers (never a hard-coded number), called only when the exercise is checked.
        Leave it out to use ``register`` as a decorator on that function.
    kind : str, default "number"
        One of :data:`KINDS`: "share", "percent", "count", "number", "set", "choice", "frame".
    tolerance : float, optional
        Absolute tolerance; defaults per kind (:data:`DEFAULT_TOLERANCE`). For "number",
        the default is relative, 1e-3.
    diagnoses : iterable of callables
        Recognised wrong answers, tried in order; see :func:`equals`, :func:`complement`...
    hint : str, optional
        General hint shown for a wrong answer that no diagnosis recognises.
    success : str, optional
        Shown for a right answer; ``{expected}`` is replaced, e.g. ``"Bots are {expected:.0%}."``.
    default_diagnoses : bool, default True
        Add the kind's usual diagnoses (a percentage for a share, and the reverse).
    replace : bool, default False
        Allow replacing an exercise already registered under this id.
    aliases : dict, optional
        For kind "choice": other ways to write an option, mapped to the option
        (``{"cannot tell": "can't tell"}``); case, spaces and curly apostrophes never matter.
    **frame_options
        For kind "frame": ``check_like`` (ignore row/column order, default True),
        ``check_dtype`` (default False), ``check_names`` (default False).

    Returns
    -------
    Exercise or decorator
    """
    if expected is None:

        def decorator(function: Callable[[], Any]) -> Callable[[], Any]:
            register(
                exercise_id,
                function,
                kind=kind,
                tolerance=tolerance,
                diagnoses=diagnoses,
                hint=hint,
                success=success,
                default_diagnoses=default_diagnoses,
                replace=replace,
                aliases=aliases,
                **frame_options,
            )
            return function

        return decorator

    key = _normalise_id(exercise_id)
    if kind not in KINDS:
        raise ValueError(
            f"register(): kind {kind!r} for exercise {key} is not one of: {', '.join(KINDS)}."
        )
    if not callable(expected):
        raise TypeError(
            f"register(): expected for exercise {key} must be a function that computes the "
            f"answer from the data (got {type(expected).__name__}); wrap it: lambda: ..."
        )
    if key in _REGISTRY and not replace:
        raise ValueError(
            f"register(): exercise {key} is already registered; pick another id or pass "
            "replace=True."
        )
    found = list(diagnoses)
    for item in found:
        if not callable(item):
            raise TypeError(f"register(): diagnosis {item!r} for exercise {key} is not callable.")
    if default_diagnoses:
        found = _DEFAULTS.get(kind, []) + found + _DEFAULTS_LAST.get(kind, [])
    entry = Exercise(
        id=key,
        expected=expected,
        kind=kind,
        tolerance=DEFAULT_TOLERANCE[kind] if tolerance is None else float(tolerance),
        diagnoses=tuple(found),
        hint=hint,
        success=success,
        frame_options=dict(frame_options),
        aliases={_normalise_choice(k): v for k, v in (aliases or {}).items()},
    )
    _REGISTRY[key] = entry
    return entry


def unregister(exercise_id: str) -> None:
    """Remove an exercise from the registry (for tests); unknown ids are ignored."""
    _REGISTRY.pop(_normalise_id(exercise_id), None)


def _lesson_module(exercise_id: str) -> str:
    lesson = exercise_id.split(".")[0]
    if lesson == "P":
        return f"{_EXERCISE_PACKAGE}.primer"
    return f"{_EXERCISE_PACKAGE}.lesson{int(lesson):02d}"


def get(exercise_id: str) -> Exercise:
    """The registered exercise, importing its lesson module on first use.

    Raises
    ------
    UnknownExercise
        When no lesson module registers that id (a ``LookupError``).
    """
    key = _normalise_id(exercise_id)
    if key not in _REGISTRY:
        module = _lesson_module(key)
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
    if key not in _REGISTRY:
        raise UnknownExercise(
            f"there is no exercise {key}. Is the id right? Exercises are registered in "
            f"{_lesson_module(key).replace('.', '/')}.py."
        )
    return _REGISTRY[key]


def load_all_lessons() -> list[str]:
    """Import every ``helpers/exercises/lessonNN.py`` (and the primer's ``primer.py``) and
    return all registered ids, sorted."""
    package = importlib.import_module(_EXERCISE_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        if re.fullmatch(r"lesson\d\d|primer", info.name):
            importlib.import_module(f"{_EXERCISE_PACKAGE}.{info.name}")
    return registered_ids()


def registered_ids() -> list[str]:
    """The ids registered so far, in lesson order."""
    return sorted(_REGISTRY, key=_sort_key)


# --------------------------------------------------------------------------- comparing


def _as_number(value: Any) -> float | None:
    """A plain float for numbers (numpy scalars, 0-d arrays) or None for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Number):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return _as_number(value.item())
    return None


def _numbers_close(exercise: Exercise, a: float, b: float, scale: float = 1.0) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    if exercise.kind == "number" and exercise.tolerance is None:
        return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9 * scale)
    tolerance = (exercise.tolerance or 0.0) * scale
    return abs(a - b) <= tolerance + 1e-9 * max(1.0, abs(b))


def _as_set(value: Any) -> set[Any] | None:
    if isinstance(value, pd.DataFrame) or isinstance(value, (str, bytes)):
        return None
    if isinstance(value, dict):
        return None
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        items = list(value.tolist() if hasattr(value, "tolist") else value)
        try:
            return {_plain(item) for item in items}
        except TypeError:
            return None
    return None


def _plain(item: Any) -> Any:
    if isinstance(item, np.generic):
        return item.item()
    return item


def _normalise_choice(value: Any) -> Any:
    """Case, surrounding spaces, repeated spaces, a final full stop and curly quotes never
    matter in a choice: "Can’t  tell." is "can't tell". A list or tuple is an order of
    choices, compared item by item."""
    if isinstance(value, str):
        text = value.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
        return " ".join(text.lower().split()).rstrip(".").strip()
    if isinstance(value, list | tuple):  # an order: ["c", "a", "b"] is ("c", "a", "b")
        return tuple(_normalise_choice(item) for item in value)
    return _plain(value)


def _same(exercise: Exercise, answer: Any, expected: Any, scale: float = 1.0) -> bool:
    """Whether ``answer`` equals ``expected`` for this exercise (never raises)."""
    try:
        kind = exercise.kind
        if kind in ("share", "percent", "count", "number"):
            a, b = _as_number(answer), _as_number(expected)
            return a is not None and b is not None and _numbers_close(exercise, a, b, scale)
        if kind == "set":
            a_set, b_set = _as_set(answer), _as_set(expected)
            return a_set is not None and a_set == b_set
        if kind == "choice":
            given = _normalise_choice(answer)
            if isinstance(given, str):
                given = _normalise_choice(exercise.aliases.get(given, given))
            wanted = _normalise_choice(expected)
            if isinstance(given, tuple) or isinstance(wanted, tuple):  # an order
                return isinstance(given, tuple) and given == wanted
            return bool(given == wanted)
        if kind == "frame":
            return _frames_equal(exercise, answer, expected)
    except Exception:  # a comparison must never break a check
        return False
    return False


def _frames_equal(exercise: Exercise, answer: Any, expected: Any) -> bool:
    if not isinstance(answer, (pd.DataFrame, pd.Series)) or type(answer) is not type(expected):
        return False
    options = {"check_like": True, "check_dtype": False, "check_names": False}
    options.update(exercise.frame_options)
    tolerance = exercise.tolerance or 0.0
    try:
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(
                answer, expected, atol=tolerance, rtol=0, check_exact=False, **options
            )
        else:
            if options.pop("check_like"):
                answer, expected = answer.sort_index(), expected.sort_index()
            pd.testing.assert_series_equal(
                answer,
                expected,
                atol=tolerance,
                rtol=0,
                check_exact=False,
                **options,
            )
    except (AssertionError, TypeError, ValueError):
        return False
    return True


# --------------------------------------------------------------------------- diagnoses


def _value(function: Callable[[], Any] | Any) -> Any:
    return function() if callable(function) else function


def equals(value: Callable[[], Any] | Any, hint: str, *, name: str = "equals") -> Diagnosis:
    """Recognise an answer equal to a known wrong value, and give ``hint``.

    Parameters
    ----------
    value : callable or value
        The wrong answer, usually a no-argument function computing it from the data the
        wrong way (bots left in, events instead of people...), called only when needed.
    hint : str
        What to tell the learner. Say what kind of wrong it is and how to fix it.

    Examples
    --------
    >>> _ = register("99.2", expected=lambda: 0.2, kind="share",
    ...              diagnoses=[equals(lambda: 0.3, "You left the bots in.")])
    >>> print(exercise("99.2", 0.3, show=False).hint)
    You left the bots in.
    >>> unregister("99.2")
    """

    def test(answer: Any, context: Context) -> str | None:
        wrong = _value(value)
        if context.close(wrong, context.expected):
            return None  # the mistake makes no difference on this data
        return hint if context.close(answer, wrong) else None

    return Diagnosis(name, test)


def said(answer: Any, *words: str) -> bool:
    """Whether a choice answer is one of ``words``, as :func:`exercise` compares choices (case,
    spaces, a final full stop and curly quotes do not matter). For diagnoses.

    >>> said("  The Same.", "the same", "equal")
    True
    """
    return isinstance(answer, str) and _normalise_choice(answer) in {
        _normalise_choice(w) for w in words}


def not_one_of(*options: str, also: tuple[str, ...] = ()) -> Diagnosis:
    """Recognise a text answer that is none of a choice's ``options`` (nor ``also``, the other
    ways to write them) and say which to give.

    >>> _ = register("99.5", expected=lambda: "b", kind="choice",
    ...              diagnoses=[not_one_of("a", "b")])
    >>> print(exercise("99.5", "c", show=False).hint)
    Answer with one of the options, as text: "a" or "b".
    >>> unregister("99.5")
    """
    shown = ", ".join(f'"{o}"' for o in options[:-1]) + f' or "{options[-1]}"' if len(
        options) > 1 else f'"{options[0]}"'

    def test(answer: Any, context: Context) -> str | None:
        if isinstance(answer, str) and not said(answer, *options, *also):
            return f"Answer with one of the options, as text: {shown}."
        return None

    return Diagnosis("not_an_option", test)


def when(predicate: Callable[[Any, Any], bool], hint: str, *, name: str = "when") -> Diagnosis:
    """Recognise any answer for which ``predicate(answer, expected)`` is true."""

    def test(answer: Any, context: Context) -> str | None:
        return hint if predicate(answer, context.expected) else None

    return Diagnosis(name, test)


def percent_not_share(hint: str | None = None) -> Diagnosis:
    """A percentage given where a share (0-1) is asked: answer == 100 x expected."""

    def test(answer: Any, context: Context) -> str | None:
        a, b = _as_number(answer), _as_number(context.expected)
        if a is None or b is None or b == 0:
            return None
        if context.close(a, 100 * b, scale=100):
            return hint or (
                f"This looks like a percentage ({a:g}); the question asks for a share between "
                "0 and 1. Divide by 100."
            )
        return None

    return Diagnosis("percent_not_share", test)


def share_not_percent(hint: str | None = None) -> Diagnosis:
    """A share (0-1) given where a percentage is asked: answer == expected / 100."""

    def test(answer: Any, context: Context) -> str | None:
        a, b = _as_number(answer), _as_number(context.expected)
        if a is None or b is None or b == 0:
            return None
        if math.isclose(a, b / 100, rel_tol=0.01, abs_tol=context.exercise.tolerance / 100 or 0):
            return hint or (
                f"This looks like a share ({a:g}); the question asks for a percentage. "
                "Multiply by 100."
            )
        return None

    return Diagnosis("share_not_percent", test)


def complement(hint: str | None = None, *, total: Callable[[], Any] | None = None) -> Diagnosis:
    """The other side: 1 - x for a share, 100 - x for a percentage, total - x for a count.

    Parameters
    ----------
    hint : str, optional
        Replaces the default hint (say which side the question asks for).
    total : callable, optional
        For counts: the total the two sides add up to.
    """

    def test(answer: Any, context: Context) -> str | None:
        b = _as_number(context.expected)
        if b is None:
            return None
        kind = context.exercise.kind
        if total is not None:
            whole = _as_number(_value(total))
        else:
            whole = {"share": 1.0, "percent": 100.0}.get(kind)
        if whole is None or context.close(whole - b, b):
            return None
        if context.close(answer, whole - b):
            return hint or (
                "You found the other side: this is the complement of what is asked "
                "(the rest, not the part). Re-read which group the question is about."
            )
        return None

    return Diagnosis("complement", test)


def inverted(hint: str | None = None) -> Diagnosis:
    """Numerator and denominator swapped: answer == 1 / expected."""

    def test(answer: Any, context: Context) -> str | None:
        a, b = _as_number(answer), _as_number(context.expected)
        if a is None or b is None or b == 0 or a == 0:
            return None
        if math.isclose(a, 1 / b, rel_tol=0.01):
            return hint or (
                "The division is upside down: divide the part by the whole "
                "(conversions ÷ leads), not the whole by the part."
            )
        return None

    return Diagnosis("inverted", test)


def bots_left_in(value: Callable[[], Any], hint: str | None = None) -> Diagnosis:
    """The answer computed on unfiltered data: ``value`` computes it with bots left in."""
    return equals(
        value,
        hint
        or "That is the value with the bots still in the data. Filter them out first "
        "(bots.filter or bots.label + split), then compute again.",
        name="bots_left_in",
    )


def events_not_people(value: Callable[[], Any], hint: str | None = None) -> Diagnosis:
    """Events (or sessions) counted where people are asked: ``value`` counts the events."""
    return equals(
        value,
        hint
        or "That counts events, not people: someone who did it twice is counted twice. "
        "Count unique visitors or leads (.nunique() on the id column).",
        name="events_not_people",
    )


def averaged_rates(value: Callable[[], Any], hint: str | None = None) -> Diagnosis:
    """The mean of per-group rates instead of total conversions ÷ total denominator."""
    return equals(
        value,
        hint
        or "That is the average of the groups' rates, which gives a small group as much "
        "weight as a big one. Add up the conversions and the denominators, then divide.",
        name="averaged_rates",
    )


def wrong_denominator(
    value: Callable[[], Any], hint: str | None = None, *, denominator: str | None = None
) -> Diagnosis:
    """The right numerator over the wrong denominator (sessions instead of leads...)."""
    what = f" The question divides by {denominator}." if denominator else ""
    return equals(
        value,
        hint or "The numerator looks right, but you divided by the wrong total." + what,
        name="wrong_denominator",
    )


def _decimals_needed(tolerance: float) -> int:
    """How many decimals a rounded answer needs to be within ``tolerance`` of the truth."""
    return max(0, math.ceil(math.log10(0.5 / tolerance) - 1e-9)) if tolerance > 0 else 6


def rounded(hint: str | None = None) -> Diagnosis:
    """The right value rounded to fewer decimals than the tolerance allows.

    The default hint says how many decimals the check needs.

    Examples
    --------
    >>> _ = register("99.3", expected=lambda: 0.1874, kind="share", tolerance=0.0005)
    >>> print(exercise("99.3", 0.19, show=False).hint)
    You rounded to 2 decimals (0.19); this exercise checks to within 0.0005, so give at least 3 decimals, or better the unrounded value.
    >>> unregister("99.3")
    """

    def test(answer: Any, context: Context) -> str | None:
        a, b = _as_number(answer), _as_number(context.expected)
        tolerance = context.exercise.tolerance
        if a is None or b is None or not tolerance or not math.isfinite(a):
            return None
        for places in range(1, 7):
            if round(b, places) == round(a, 10) and not context.close(a, b):
                need = _decimals_needed(tolerance)
                return hint or (
                    f"You rounded to {places} decimal{'s' if places > 1 else ''} ({a:g}); "
                    f"this exercise checks to within {tolerance:g}, so give at least {need} "
                    "decimals, or better the unrounded value."
                )
        return None

    return Diagnosis("rounded", test)


_DEFAULTS: dict[str, list[Callable[[Any, Context], str | None]]] = {
    "share": [percent_not_share()],
    "percent": [share_not_percent()],
}

#: Tried after the exercise's own diagnoses (which may say more about a rounded answer).
_DEFAULTS_LAST: dict[str, list[Callable[[Any, Context], str | None]]] = {
    "share": [rounded()],
    "percent": [rounded()],
    "number": [rounded()],
}


# --------------------------------------------------------------------------- type problems


def _describe(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame ({value.shape[0]} rows × {value.shape[1]} columns)"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value)} values"
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, so a huge answer is never echoed back."""
    try:
        text = repr(value) if not isinstance(value, str) else repr(value[: limit + 1])
    except Exception:  # a broken __repr__ must not break a check
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unwrap(answer: Any) -> tuple[Any, str | None]:
    """A one-value Series/array/DataFrame becomes its value, with a tip."""
    tip = "Tip: you gave a one-value {what}; `.item()` turns it into the bare value."
    if isinstance(answer, pd.DataFrame) and answer.shape == (1, 1):
        return answer.iloc[0, 0], tip.format(what="table")
    if isinstance(answer, (pd.Series, pd.Index)) and len(answer) == 1:
        return answer[0] if isinstance(answer, pd.Index) else answer.iloc[0], tip.format(
            what="Series"
        )
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        return answer.item(), None
    if isinstance(answer, np.ndarray) and answer.size == 1:
        return answer.reshape(-1)[0], tip.format(what="array")
    return answer, None


def _type_problem(exercise: Exercise, answer: Any) -> str | None:
    """A hint when the answer is not even the right kind of thing; None when it is."""
    kind = exercise.kind
    wanted = KINDS[kind]
    if answer is None:
        return (
            "Your answer is None. Did the last line of your cell print() the value instead "
            f"of assigning it, or call a method that returns nothing? Give {wanted}."
        )
    if kind in ("share", "percent", "count", "number"):
        if isinstance(answer, (bool, np.bool_)):
            return f"You gave {answer}, a yes/no value; the question asks for {wanted}."
        if isinstance(answer, str):
            text = answer.strip()
            extra = ""
            if text.endswith("%"):
                extra = " A percentage sign makes it text: give the number itself."
            return (
                f"Your answer is text ({_short(answer)}), not a number; remove the quotes.{extra} "
                f"The question asks for {wanted}."
            )
        if isinstance(answer, pd.DataFrame):
            return (
                f"Your answer is {_describe(answer)}; the question asks for {wanted}. "
                "Pick the single number out of it (a column, then .sum(), .mean() or .iloc[...])."
            )
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, dict, set)) and not len(
            answer
        ):
            return (
                "Your answer is empty (no values at all): the selection before it kept no "
                f"rows. Check the filter; the question asks for {wanted}."
            )
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, dict, set)):
            return (
                f"Your answer is {_describe(answer)}; the question asks for {wanted}. "
                "Reduce it to one number (.sum(), .mean(), len(...), or pick one value)."
            )
        if isinstance(answer, tuple):
            if kind == "count" and len(answer) == 2:
                return (
                    "That is a shape, (rows, columns); the number of rows is its first "
                    "value: `len(frame)` or `frame.shape[0]`."
                )
            return f"Your answer is a tuple; the question asks for {wanted}."
        number = _as_number(answer)
        if number is None:
            return f"Your answer is {_describe(answer)}; the question asks for {wanted}."
        if math.isnan(number):
            return (
                "Your answer is NaN (not a number): often a division by zero, an empty "
                "selection, or a mean over no rows. Check the filter before the division."
            )
        if math.isinf(number):
            return (
                f"Your answer is infinite ({number:g}): a division by zero. The denominator "
                "is 0, so the selection before the division is probably empty: check it."
            )
        return None
    if kind == "set":
        if isinstance(answer, pd.DataFrame):
            return (
                f"Your answer is {_describe(answer)}; give the values of one column "
                "(frame['column']) or the index."
            )
        if _as_set(answer) is None:
            return f"Your answer is {_describe(answer)}; the question asks for {wanted}."
        return None
    if kind == "frame":
        if not isinstance(answer, (pd.DataFrame, pd.Series)):
            return f"Your answer is {_describe(answer)}; the question asks for {wanted}."
        return None
    return None


def _frame_problem(answer: Any, expected: Any) -> str | None:
    """Say how a table differs without giving the answer away."""
    if type(answer) is not type(expected):
        return (
            f"You gave a {type(answer).__name__}; a {type(expected).__name__} is expected "
            "(a DataFrame has columns; a Series is one column)."
        )
    if isinstance(expected, pd.DataFrame):
        missing = [c for c in expected.columns if c not in answer.columns]
        extra = [c for c in answer.columns if c not in expected.columns]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing column(s): {', '.join(map(str, missing))}")
            if extra:
                parts.append(f"unexpected column(s): {', '.join(map(str, extra))}")
            return "The columns differ: " + "; ".join(parts) + "."
    if len(answer) != len(expected):
        return f"Your table has {len(answer)} rows; {len(expected)} are expected."
    if set(map(str, answer.index)) != set(map(str, expected.index)):
        return "The rows (index labels) differ from the expected ones; check the group-by keys."
    return "The rows and columns are right but some values differ."


def _set_problem(answer: Any, expected: Any) -> str | None:
    a_set, b_set = _as_set(answer), _as_set(expected)
    if a_set is None or b_set is None:
        return None
    missing, extra = len(b_set - a_set), len(a_set - b_set)
    if isinstance(answer, (list, tuple, pd.Series, np.ndarray)) and len(answer) != len(a_set):
        dup = " (yours also has duplicates: .unique() or set() removes them)"
    else:
        dup = ""
    parts = []
    if missing:
        parts.append(f"{missing} expected value(s) are missing")
    if extra:
        parts.append(f"{extra} value(s) should not be there")
    return "Not the same values: " + " and ".join(parts) + dup + "." if parts else None


def _range_problem(exercise: Exercise, answer: Any) -> str | None:
    number = _as_number(answer)
    if number is None:
        return None
    if exercise.kind == "share" and not 0 <= number <= 1:
        return f"A share is between 0 and 1; {number:g} is not. Divide the part by the whole."
    if exercise.kind == "percent" and not 0 <= number <= 100:
        return f"A percentage is between 0 and 100; {number:g} is not."
    if exercise.kind == "count":
        if number < 0:
            return "A count cannot be negative."
        if number != int(number):
            return f"A count is a whole number; {number:g} is not. Did you take a mean?"
    return None


def _near_miss(exercise: Exercise, answer: Any, expected: Any) -> str | None:
    a, b = _as_number(answer), _as_number(expected)
    if a is None or b is None or b == 0 or exercise.kind == "count":
        return None
    if math.isclose(a, b, rel_tol=0.05):
        return (
            "Close, but not within the tolerance: a small difference in method (another "
            "formula or interval method, a filter, a small group of rows left out or in). "
            "Follow the method the question names, and give the value unrounded."
        )
    return None


# --------------------------------------------------------------------------- checking


def _show(result: CheckResult) -> None:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is a dependency of the kit
        shell = None
    if shell is not None:
        from IPython.display import display

        display(result)
    else:
        print(result)


def _format_success(exercise: Exercise, expected: Any) -> str:
    if not exercise.success:
        return ""
    try:
        return " " + exercise.success.format(expected=expected)
    except Exception:  # a bad template must not break a right answer
        return ""


def _grade(exercise_id: Any, answer: Any) -> CheckResult:
    """Grade an answer; may raise when the exercise or its data is broken."""
    key = _normalise_id(exercise_id)
    if answer is Ellipsis:
        return CheckResult(
            key,
            "unanswered",
            f"Exercise {key}: not answered yet. Replace the `...` with your answer and run "
            "the cell again.",
        )
    entry = get(key)
    expected = entry.expected()
    label = f"Exercise {key}"

    value, tip = _unwrap(answer) if entry.kind not in ("set", "frame") else (answer, None)
    problem = _type_problem(entry, value)
    if problem is not None:
        return CheckResult(key, "wrong", f"{label}: not quite. {problem}", problem)

    if _same(entry, value, expected):
        text = f"{label}: correct!{_format_success(entry, expected)}"
        if tip:
            text += f" {tip}"
        return CheckResult(key, "correct", text)

    context = Context(entry, expected)
    hint = None
    for diagnosis in entry.diagnoses:
        try:
            hint = diagnosis(value, context)
        except Exception:  # a broken diagnosis is skipped, not shown
            hint = None
        if hint:
            break
    if not hint:
        if entry.kind == "frame":
            hint = _frame_problem(value, expected)
        elif entry.kind == "set":
            hint = _set_problem(value, expected)
        else:
            hint = _range_problem(entry, value) or _near_miss(entry, value, expected)
    text = f"{label}: not quite."
    if hint:
        text += f" {hint} For more help: `check.hint(\"{key}\")`."
    else:
        # An unrecognised answer gets no hint of its own: the general hint and the solution
        # are on the hint ladder, for a learner who asks (check.hint, then check.solution).
        text += (
            " This is not one of the usual mistakes the check knows, so re-read the question "
            f"and check each step. Stuck? `check.hint(\"{key}\")` gives a hint (ask again for "
            "a stronger one)."
        )
    return CheckResult(key, "wrong", text, hint)


def exercise(
    exercise_id: str, answer: Any, *, strict: bool = False, show: bool = True
) -> CheckResult:
    """Check an answer to an exercise and say whether it is right, and if not, why.

    Parameters
    ----------
    exercise_id : str
        The exercise's id as printed in its heading, e.g. ``"2.1"``.
    answer : Any
        Your answer. Leave it as ``...`` until you have one.
    strict : bool, default False
        Raise ``AssertionError`` unless the answer is right (solution cells and tests use
        it). When False, nothing is ever raised: problems are shown as messages.
    show : bool, default True
        Display the result (in Jupyter as a coloured box, else printed).

    Returns
    -------
    CheckResult
        ``.correct`` (bool), ``.status``, ``.message``, ``.hint``.
    """
    try:
        result = _grade(exercise_id, answer)
    except UnknownExercise as err:
        if strict:
            raise AssertionError(f"check.exercise(): {err}") from err
        result = CheckResult(str(exercise_id), "error", f"Exercise {exercise_id}: {err}")
    except Exception as err:  # never raise at the learner
        if strict:
            raise AssertionError(
                f"check.exercise({exercise_id!r}) could not check the answer: "
                f"{type(err).__name__}: {err}"
            ) from err
        result = CheckResult(
            str(exercise_id),
            "error",
            f"Exercise {exercise_id}: the check itself ran into a problem, so it cannot say "
            f"whether your answer is right ({type(err).__name__}: {str(err)[:200]}). This is not your "
            "fault: carry on, and tell your trainer.",
        )
    if show:
        try:
            _show(result)
        except Exception:
            if not strict:
                print(result)
    if strict and not result.correct:
        raise AssertionError(result.message)
    if result.correct and not strict:
        _record_progress(result.exercise_id)
    return result


# --------------------------------------------------------------------------- modes (author / learner)

_TRUE = ("1", "true", "yes", "on", "strict")


def strict_mode() -> bool:
    """True in the test suite and for lesson authors: the environment variable ``KIT_STRICT``
    (or ``KIT_AUTHOR``) is set.

    In strict mode every solution cell runs (and a wrong solution raises) and the prose checks
    raise when the text no longer matches the kit's data. Learners never set it: for them
    solutions stay hidden until asked for, and prose checks are silent.
    """
    return any(
        os.environ.get(name, "").strip().lower() in _TRUE for name in ("KIT_STRICT", "KIT_AUTHOR")
    )


def _solutions_run() -> bool:
    """Solution cells run (strictly) in strict mode, or with ``KIT_SOLUTIONS=strict`` alone
    (a trainer checking every exercise on a cohort's data without the prose checks)."""
    return strict_mode() or os.environ.get("KIT_SOLUTIONS", "").strip().lower() == "strict"


def _default_data() -> bool:
    try:
        from helpers import data

        return data.is_default_data()
    except Exception:  # pragma: no cover - helpers.data is part of the kit
        return True


def prose(condition: Any, message: str = "update the text above") -> None:
    """An author's check that a number the lesson's text quotes still matches the data.

    Raises ``AssertionError(message)`` when ``condition`` is false, but only in strict mode
    (:func:`strict_mode`: the test suite, an author) and on the kit's own data, whose numbers
    the text quotes. In a learner's kernel, or on other data (``KIT_DATA``), it is silent.

    Examples
    --------
    >>> prose(1 + 1 == 2)
    >>> prose(False, "update the text above") if not strict_mode() else None
    """
    if not bool(condition) and strict_mode() and _default_data():
        raise AssertionError(message)


def data_note(extra: str = "") -> None:
    """Say once, at the top of a lesson, when the data is not the kit's own (``KIT_DATA``).

    Prints nothing with the kit's data. With another data set, prints where it comes from and
    that the numbers quoted in the text are the kit's; the code cells, the exercises and the
    explorers all use the data set you chose. ``extra`` adds a lesson's own remark.
    """
    if _default_data():
        return
    from helpers import data

    print(
        f"Note: this lesson runs on the data in {data.kit_data_dir()} (KIT_DATA). The numbers "
        "quoted in the text come from the kit's default data, so yours will differ; the code, "
        "the exercises (their answers are computed from your data) and the explorers use yours."
        + (f" {extra}" if extra else "")
    )


# --------------------------------------------------------------------------- progress

_PROGRESS_FILE = ".kit-progress.json"


def _progress_path() -> Path | None:
    """Where progress is kept: ``KIT_PROGRESS`` (a file, or "off"), else
    ``.kit-progress.json`` in the current folder (the notebooks' own folder in Jupyter)."""
    chosen = os.environ.get("KIT_PROGRESS", "").strip()
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    return Path(chosen).expanduser() if chosen else Path.cwd() / _PROGRESS_FILE


def _read_progress(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    correct = stored.get("correct", {}) if isinstance(stored, dict) else {}
    return {str(k): str(v) for k, v in correct.items()} if isinstance(correct, dict) else {}


def _record_progress(exercise_id: str) -> None:
    """Remember a right answer in the progress file (atomically; never raises)."""
    path = _progress_path()
    if path is None:
        return
    try:
        correct = _read_progress(path)
        if exercise_id in correct:
            return
        correct[exercise_id] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        payload = json.dumps({"version": 1, "correct": correct}, indent=1, sort_keys=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".kit-progress-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload + "\n")
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except Exception:  # progress is a convenience: it must never break a check
        return


def _lesson_number(key: str) -> float:
    """The lesson of an exercise id, as a number for ordering: the primer ("P") is 0.5."""
    lesson = key.split(".")[0]
    return 0.5 if lesson == "P" else float(lesson)


def _sort_key(key: str) -> tuple[float, int]:
    return (_lesson_number(key), int(key.split(".")[1]))


@dataclass(frozen=True)
class Progress:
    """Which exercises were answered right, per lesson and for the course."""

    done: tuple[str, ...]
    total: tuple[str, ...]
    lesson: int | str | None = None

    def _lessons(self) -> dict[float, list[str]]:
        by_lesson: dict[float, list[str]] = {}
        for key in self.total:
            by_lesson.setdefault(_lesson_number(key), []).append(key)
        return by_lesson

    def __str__(self) -> str:
        done = set(self.done)
        lines = []
        wanted = None if self.lesson is None else _lesson_number(f"{self.lesson}.0")
        for number, keys in sorted(self._lessons().items()):
            if wanted is not None and number != wanted:
                continue
            marks = " ".join(f"{'✓' if k in done else '·'} {k}" for k in keys)
            right = sum(k in done for k in keys)
            name = "Primer   " if number == 0.5 else f"Lesson {int(number):02d}"
            lines.append(f"{name}: {right} of {len(keys)} right   {marks}")
        right = sum(k in done for k in self.total)
        lines.append(f"Course: {right} of {len(self.total)} exercises answered right.")
        return "\n".join(lines)

    __repr__ = __str__


def progress(lesson: int | str | None = None) -> Progress:
    """The exercises you have answered right, for one lesson (``progress(5)``; the pandas
    primer is ``progress("P")``) or all.

    Kept between sessions in ``.kit-progress.json`` next to the notebooks (your folder only;
    it is never uploaded). A solution you revealed does not count: only your own answers.
    """
    total = tuple(load_all_lessons())
    known = set(total)
    done = tuple(sorted((k for k in _read_progress(_progress_path()) if k in known), key=_sort_key))
    return Progress(done, total, lesson)


# --------------------------------------------------------------------------- hints and solutions

_HINT_LEVEL: dict[str, int] = {}
_SOLUTIONS: dict[str, str] = {}
_REVEALED: set[str] = set()
_MAGIC_LINE = re.compile(r"^%%solution\s+(\S+)\s*$")


def _solution_source(key: str) -> str | None:
    """The solution cell's code: from the cell if it ran, else from the lesson notebook."""
    if key in _SOLUTIONS:
        return _SOLUTIONS[key]
    lesson = key.split(".")[0]
    pattern = "pandas_primer.ipynb" if lesson == "P" else f"{int(lesson):02d}_*.ipynb"
    # The lesson next to the kernel (a workshop handout has no solution cells: nothing found);
    # the kit's own notebooks/ only when the kernel's folder holds no copy of the lesson.
    here = sorted(Path.cwd().glob(pattern))
    paths = here or sorted((Path(__file__).resolve().parent.parent / "notebooks").glob(pattern))
    for path in paths:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            source = "".join(cell.get("source", []))
            first, _, body = source.partition("\n")
            match = _MAGIC_LINE.match(first.strip())
            if match and match.group(1) == key:
                return body
    return None


def _steps(source: str) -> list[str]:
    """The solution's code lines without comments and without the final check line."""
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    return [line for line in lines if not line.startswith("check.exercise(")]


def hint(exercise_id: str) -> None:
    """A hint for an exercise; each call gives a stronger one (the hint ladder).

    1. the exercise's hint (what to compute, in words);
    2. onwards: the solution's first step, then the first two steps, ...;
    last: where the full solution is (:func:`solution`), which you must ask for yourself.
    """
    try:
        key = _normalise_id(exercise_id)
        entry = get(key)
    except UnknownExercise as err:
        print(f"check.hint(): {err}")
        return
    rungs: list[str] = []
    if entry.hint:
        rungs.append(entry.hint)
    source = _solution_source(key)
    steps = _steps(source) if source else []
    for n in range(1, len(steps)):
        shown = "\n".join(steps[:n])
        rungs.append(f"The first step{'s' if n > 1 else ''} of one way to do it:\n\n{shown}")
    level = _HINT_LEVEL.get(key, 0)
    _HINT_LEVEL[key] = level + 1
    if level < len(rungs):
        print(f"Hint {level + 1} of {len(rungs)} for exercise {key}: {rungs[level]}")
    else:
        print(
            f"No stronger hint for exercise {key}: that was the last one. To see the whole "
            f'solution, run check.solution("{key}").'
        )


def solution(exercise_id: str, *, run: bool = False) -> None:
    """Show the solution of an exercise (only when you ask: try it yourself first).

    Prints the solution's code. With ``run=True`` it also runs it, in a *copy* of your
    notebook's variables, so your own variables keep their values. After this call, running
    the (hidden) solution cell under the exercise shows its output too, the same way.
    """
    try:
        key = _normalise_id(exercise_id)
        get(key)
    except UnknownExercise as err:
        print(f"check.solution(): {err}")
        return
    _REVEALED.add(key)
    source = _solution_source(key)
    if source is None:
        print(
            f"This copy of the lesson has no solution for exercise {key} (a workshop handout "
            "leaves them out): ask your trainer, or try check.hint."
        )
        return
    print(f"Solution {key} (it runs on a copy of your variables: yours stay as they are):\n")
    print(source.rstrip())
    if run:
        print()
        _run_copy(key, source)


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the kit
        return None
    return get_ipython()


def _run_copy(key: str, source: str) -> None:
    """Run a solution in a copy of the user's namespace; report, never raise."""
    shell = _shell()
    namespace = dict(shell.user_ns) if shell is not None else {}
    try:
        exec(compile(source, f"<solution {key}>", "exec"), namespace)
    except Exception as err:
        print(
            f"The solution of exercise {key} did not run here ({type(err).__name__}: "
            f"{str(err)[:200]}). Run the lesson's cells above it first (Run › Run All Above)."
        )


def _solution_magic(line: str, cell: str) -> None:
    """``%%solution N.M``: the cell magic of the solution cells.

    Hidden until the learner asks (:func:`solution`); then it runs on a copy of the variables.
    In strict mode (tests, authors) it runs as a normal cell and a wrong solution raises.
    """
    try:
        key = _normalise_id(line.strip().split()[0] if line.strip() else "")
    except UnknownExercise as err:
        print(f"%%solution: {err}")
        return
    _SOLUTIONS[key] = cell
    if _solutions_run():
        shell = _shell()
        exec(compile(cell, f"<solution {key}>", "exec"), shell.user_ns)
        return
    if key in _REVEALED:
        _run_copy(key, cell)
        return
    print(
        f"🔒 The solution of exercise {key} is hidden. Try the exercise first; "
        f'check.hint("{key}") gives a hint, check.solution("{key}") shows the solution.'
    )


def _register_magic() -> None:
    shell = _shell()
    if shell is None or not hasattr(shell, "register_magic_function"):
        return
    try:
        shell.register_magic_function(_solution_magic, magic_kind="cell", magic_name="solution")
    except Exception:  # pragma: no cover - never break the import
        return


_register_magic()
