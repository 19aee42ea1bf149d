"""Leads & Conversions Lab: the helpers the lessons import.

One concept, one module. Import what you need: ``from helpers import bots, traffic, leads``.

Modules, from the ground up (a module imports only modules listed above it; see
CONTRIBUTING.md, "The layers", and tests/test_structure.py):

Foundations
    _frames      the one vocabulary of input checks (need_table, need_flags, ...)
    formatting   how numbers read in sentences: percent, points, interval, p-value, labels
    metrics      precision, recall and F1 with one rule for 0 / 0
    rules        one condition on one column ("in values", "between low and high")
Data
    data         loaders and validation for the kit's files and your own exports
    synth        the synthetic data generator (``python -m helpers.synth``)
    envcheck     the setup check lesson 00 runs first
    classroom    for trainers: a learner copy without solutions (``make learner``)
Concepts
    bots         find bots by user agent and by behaviour, explain every verdict, grade a
                 filter
    bot_thresholds  what two bot thresholds remove, how well, and the rate they leave
    conversions  the micro/macro catalogue and its editor's counts, rates with intervals,
                 rate tables, funnels, comparisons, the rate calculator, test sizes
    leads        identifying, qualifying and scoring leads; pipeline stages; score thresholds
    traffic      the traffic window, bot visitors, human events and leads, first-touch
                 visitors, the segment mix of sessions, visitors and leads
    personas     personas as observable signals; scoring, assigning, segments; the builder
Composition
    pipeline     the whole pipeline end to end (lesson 07, the README), one channel's
                 funnel, lesson 06's scored leads, lesson 07's new month
    report       the manager's report, every sentence computed
Presentation and teaching
    plots        the kit's charts
    check        exercise self-checks (``exercises/`` holds each lesson's registrations)
    exercises/   one module per lesson: expected answers computed through the modules above
    explorers/   the ipywidgets explorers, one file per lesson; each calls one function above
"""

__version__ = "0.1.0"
