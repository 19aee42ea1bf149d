"""Power and the minimum detectable effect (helpers.experiments), and lesson 07's peeking explorer."""

from __future__ import annotations

import pytest

from helpers import experiments, explorers


@pytest.mark.parametrize("baseline, lift", [(0.10, 0.2), (0.023, 0.2), (0.05, 0.5), (0.3, -0.2)])
def test_mde_turns_the_sample_size_around(baseline, lift):
    n = experiments.sample_size_per_version(baseline, lift)
    mde = experiments.minimum_detectable_effect(baseline, n)
    # the size is rounded up, so the test detects a hair less than the lift it was sized for
    assert abs(lift) - 0.01 < mde <= abs(lift) + 1e-6 if lift > 0 else mde > 0
    if lift > 0:  # and back again, give or take the rounding up
        assert abs(experiments.sample_size_per_version(baseline, mde) - n) <= 1


def test_more_people_or_less_power_detect_smaller_changes():
    small, big = (experiments.minimum_detectable_effect(0.05, n) for n in (1_000, 10_000))
    assert big < small
    # ten times the people: about a third of the effect (the square root rule)
    assert 0.25 < big / small < 0.4
    assert experiments.minimum_detectable_effect(0.05, 1_000, power=0.5) < small


def test_mde_errors_name_the_argument_and_the_fix():
    with pytest.raises(ValueError, match="people_per_version must be a whole number"):
        experiments.minimum_detectable_effect(0.05, 1.5)
    with pytest.raises(ValueError, match="use 0.05 for 5%"):
        experiments.minimum_detectable_effect(5, 1000)
    with pytest.raises(ValueError, match="cannot detect any lift"):
        experiments.minimum_detectable_effect(0.9, 50)  # even 90% -> 100% needs 74


def test_peeking_explorer_shows_the_domain_headline_and_follows_its_controls():
    box = explorers.peeking(looks=10, people_per_look=500)
    assert box.result == experiments.peeking(10, 500, 0.05)
    box.controls["looks"].value = 11
    assert box.result.headline == experiments.peeking(11, 500).headline
    box.controls["people_per_look"].value = 1000
    assert box.result == experiments.peeking(11, 1000)
    box.controls["looks"].value = 1
    assert box.result.false_alarm_rate == box.result.single_look_rate
    assert box.error is None
