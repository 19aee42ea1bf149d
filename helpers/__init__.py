"""Leads & Conversions Lab: the helpers the lessons import.

Modules
-------
data         loaders and validation for the kit's files and your own exports
synth        the synthetic data generator (``python -m helpers.synth``)
bots         find bots by user agent and by behaviour, and explain every verdict
personas     personas as observable signals; scoring, assigning, segments
leads        identifying, qualifying and scoring leads; pipeline stages
conversions  the conversion catalogue, rates with intervals, rate tables, funnels
plots        the kit's charts
widgets      the interactive explorers
check        exercise self-checks (exercises/ holds each lesson's registrations)
envcheck     the setup check lesson 00 runs first
classroom    for trainers: a learner copy without solutions (``make learner``)
"""

__version__ = "0.1.0"
