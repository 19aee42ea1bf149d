"""The lessons' explorers: ipywidgets controls wired to one domain function each.

``from helpers import explorers``, then call the lesson's explorer, e.g.
``explorers.visitor_mix(sessions, answer_key, leads)``. One file per lesson; an explorer
computes nothing: every change of a control calls one function of a domain module, which
returns a frozen result whose ``headline`` is the key figure shown and whose ``value`` is
the number behind it. :mod:`helpers.explorers.base` holds the one builder
(:func:`~helpers.explorers.base.explorer`). ipywidgets is imported nowhere else in the kit.

===========  =====================  ==============================================
lesson       explorer               domain function it calls
===========  =====================  ==============================================
01           ``traffic_mix``        :func:`helpers.traffic.traffic_mix`
01           ``visitor_mix``        :func:`helpers.traffic.visitor_mix`
02           ``bot_thresholds``     :func:`helpers.bot_thresholds.tradeoff`
03           ``persona_builder``    :func:`helpers.personas.match_persona`
04           ``catalogue_editor``   :func:`helpers.conversions.catalogue_counts`
05           ``rate_calculator``    :func:`helpers.experiments.rate_calculator`
05           ``channel_funnel``     :func:`helpers.pipeline.channel_funnel`
06           ``score_threshold``    :func:`helpers.leads.score_threshold`
07           ``capstone``           :func:`helpers.pipeline.focus`
07           ``peeking``            :func:`helpers.experiments.peeking`
===========  =====================  ==============================================
"""

from .base import Explorer, explorer
from .lesson01 import traffic_mix, visitor_mix
from .lesson02 import bot_thresholds
from .lesson03 import persona_builder
from .lesson04 import catalogue_editor
from .lesson05 import channel_funnel, rate_calculator
from .lesson06 import score_threshold
from .lesson07 import capstone, peeking

__all__ = [
    "Explorer",
    "bot_thresholds",
    "capstone",
    "catalogue_editor",
    "channel_funnel",
    "explorer",
    "peeking",
    "persona_builder",
    "rate_calculator",
    "score_threshold",
    "traffic_mix",
    "visitor_mix",
]
