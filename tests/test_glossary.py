"""The glossary, the contents page and the jargon the lessons use.

Convention (CONTRIBUTING.md, "Words"): a lesson writes a term in **bold** where it first
explains it. Every bold phrase in a lesson is therefore either a glossary term or plain
emphasis listed in :data:`EMPHASIS` below; a new bold term that is in neither fails here, so
the glossary grows with the lessons.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ROW = re.compile(r'^\| <a id="([a-z0-9-]+)"></a>\*\*(.+?)\*\* \| (.+?) \| (.+?) \| (.+?) \|$')
BOLD = re.compile(r"\*\*([^*]+?)\*\*")

#: Bold phrases that are emphasis, labels or names, not jargon (compared after normalising).
EMPHASIS = {
    "a", "b", "a real difference.", "after", "all channels together", "and", "answers",
    "answer key grades; it never decides", "before", "before this:", "blog", "by a purchase",
    "current", "direct", "down", "english article", "europe only", "every",
    "every notebook stands alone.", "exercises.", "exercises:", "explore.", "funnel explorer.",
    "fewer than half its customers", "form", "gave contact details", "gave us their details",
    "grade", "highest", "home brewing guide", "home_barista", "instructor:", "k", "labels",
    "measuring", "micro", "mistake 1: averaging rates.", "mistake 2: bots in the denominator.",
    "mistake 3: events counted instead of people.", "mistake 4: mismatched time windows.",
    "mit licence", "more", "most", "new", "nobody hands you this list in real life.", "noise.",
    "not leads", "objectives", "one", "one row of `events` is one thing a visitor did",
    "one row of `leads` is one contact in the crm", "one row of `sessions` is one visit.",
    "online shop", "people", "people who stumbled on the site", "per campaign", "predicting",
    "prerequisites", "prerequisites:", "questions", "reached", "restarting.", "running cells.",
    "scope first", "shift+enter", "solutions.", "spanish article", "teaching:",
    "the two source articles disagree here.", "throwaway e-mails allowed", "trade show", "up",
    "upper bound of the 95% interval", "weight", "contact details in exchange for something of value",
    "leads created during those four weeks", "personalised content", "free trials or discounts",
    "potential buyers we found", "share of human visitors", "twice as many leads", "quality",
    "fit", "interest", "qualified", "crawler-user-agents", "download", "sale", "subscription",
    "visit", "bots", "human", "bot sessions", "human visitor", "exact duplicate rows",
    "micro conversions are there for each macro conversion", "engagement",
    "hints and solutions.", "progress.",
}


def glossary() -> dict[str, tuple[str, str, str]]:
    nb = json.loads((NOTEBOOKS / "glossary.ipynb").read_text(encoding="utf-8"))
    table = "".join(nb["cells"][1]["source"])
    rows = [ROW.match(line) for line in table.splitlines()[2:]]
    assert all(rows), "every glossary row is | <a id=...></a>**term** | es | definition | es |"
    return {m.group(2): (m.group(3), m.group(4), m.group(5)) for m in rows}


def normalise(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower())


IRREGULAR = {"criteria": "criterion", "calls to action": "call to action"}


def singular(phrase: str) -> str:
    return IRREGULAR.get(phrase) or re.sub(r"(?<=[a-z])s$", "", phrase)


def markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_every_entry_has_both_languages_and_both_definitions():
    entries = glossary()
    assert len(entries) >= 60
    for term, (es, definition, definicion) in entries.items():
        assert es.strip() and definition.strip() and definicion.strip(), term
        assert definition != definicion, f"{term}: the Spanish definition is a copy"
        assert len(definition) <= 160, f"{term}: a glossary definition is one line"
    names = list(entries)
    assert names == sorted(names, key=str.lower), "the glossary is in alphabetical order"


def test_glossary_has_the_words_trainers_asked_for():
    entries = {normalise(t) for t in glossary()}
    for word in ("crm", "channel", "threshold", "user agent", "precision", "recall", "segment",
                 "confidence interval", "funnel", "key event", "engaged session", "user"):
        assert word in entries, word


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_bold_term_in_a_lesson_is_in_the_glossary(path):
    terms = {normalise(t) for t in glossary()}
    terms |= {singular(t) for t in terms}
    missing = set()
    for text in markdown(path):
        for phrase in BOLD.findall(text):
            word = normalise(phrase)
            if re.search(r"\d", word) or word in EMPHASIS or singular(word) in EMPHASIS:
                continue
            if word in terms or singular(word) in terms:
                continue
            missing.add(phrase.strip())
    assert not missing, (
        f"{path.name} writes these in bold but the glossary (notebooks/glossary.ipynb) does not "
        f"define them: {sorted(missing)}. Add each to the glossary, or, if it is only emphasis, "
        "to EMPHASIS in tests/test_glossary.py."
    )


def test_the_jargon_check_fails_on_an_undefined_term(tmp_path):
    lesson = tmp_path / "99_demo.ipynb"
    lesson.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {},
                                             "source": ["A **retargeting pixel** follows you."]}]}))
    with pytest.raises(AssertionError, match="retargeting pixel"):
        test_every_bold_term_in_a_lesson_is_in_the_glossary(lesson)


def test_contents_links_every_lesson_with_its_minutes():
    nb = json.loads((NOTEBOOKS / "contents.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    for path in LESSONS:
        kit = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kit"]
        row = next((line for line in text.splitlines() if f"]({path.name})" in line), None)
        assert row is not None, f"contents.ipynb does not link {path.name}"
        assert f"| {kit['teaching']} + {kit['exercises']} |" in row, f"{path.name}: minutes differ"
    for target in ("glossary.ipynb", "cheatsheet.ipynb", "../data/README.md",
                   "../docs/instructor_guide.md"):
        assert f"]({target})" in text, target
        assert (NOTEBOOKS / target).resolve().exists(), f"contents.ipynb links {target}, missing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_instructor_notes_point_to_the_guide(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    notes = ["".join(c["source"]) for c in nb["cells"]
             if "instructor" in c.get("metadata", {}).get("tags", [])]
    assert any("](../docs/instructor_guide.md" in note for note in notes), (
        f"{path.name}: link the instructor guide from an instructor note")


def test_instructor_guide_has_what_a_trainer_needs():
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    for heading in ("## Before the day", "## A one-day agenda", "## Two half days",
                    "## When you run late", "## During the day", "## After the day"):
        assert heading in guide, heading
    assert "python -m helpers.envcheck" in guide, "the setup e-mail names the setup check"
    for path in LESSONS:
        assert f"**{path.stem[:2]} · " in guide or path.stem.startswith("00"), path.name
