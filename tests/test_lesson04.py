"""Lesson 04's helpers: the catalogue editor (explorers), its charts (plots), its exercises.

The editor's logic is a plain function, :func:`helpers.conversions.catalogue_counts`, tested here
on hand-made frames (counts checked by hand) and on the kit's data, where it must agree with
``conversions.count``. The explorer is driven programmatically like a learner would, and every
exercise is answered right and wrong, to check that each usual mistake gets its own hint.
"""

from __future__ import annotations

import functools

import ipywidgets as w
import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers import bots, check, conversions, data, explorers, plots, traffic

T = pd.Timestamp("2025-03-03 10:00", tz="UTC")
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/134.0.0.0 Safari/537.36"
)
CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


# --------------------------------------------------------------------------- small data


def small_events() -> pd.DataFrame:
    """a: lead who buys; b: lead who sends two forms; c: comments, never a lead."""
    rows = [
        ("a", "newsletter_signup"), ("a", "add_to_cart"), ("a", "purchase"), ("a", "page_view"),
        ("b", "contact_form"), ("b", "contact_form"), ("b", "begin_checkout"),
        ("c", "blog_comment"), ("c", "social_follow"),
    ]
    return pd.DataFrame({"visitor_id": [r[0] for r in rows], "event_name": [r[1] for r in rows]})


def small_leads() -> pd.DataFrame:
    return pd.DataFrame({"visitor_id": ["a", "b", None]})


def test_catalogue_from_choices_changes_removes_and_keeps_defaults():
    cat = conversions.catalogue_from_choices(
        {"contact_form": "macro", "blog_comment": "not a conversion", "begin_checkout": "micro"}
    )
    assert cat["contact_form"] == "macro"
    assert "blog_comment" not in cat
    assert cat["begin_checkout"] == "micro"
    assert cat["purchase"] == "macro" and cat["guide_download"] == "micro"
    assert conversions.CATALOGUE["contact_form"] == "micro"  # the default is untouched
    assert conversions.catalogue_from_choices(None) == conversions.CATALOGUE
    assert "purchase" not in conversions.catalogue_from_choices({"purchase": None})


def test_catalogue_from_choices_rejects_an_unknown_choice():
    with pytest.raises(ValueError, match=r"catalogue_from_choices\(\).*'goal'.*'micro'"):
        conversions.catalogue_from_choices({"purchase": "goal"})


def test_catalogue_counts_only_counts_leads_by_hand():
    result = conversions.catalogue_counts(small_events(), small_leads())
    # a: signup + cart (micro), purchase (macro); b: two forms (micro); c is not a lead.
    assert (result.micro, result.macro) == (4, 1)
    assert result.leads == 2
    assert (result.leads_with_micro, result.leads_with_macro) == (2, 1)
    table = result.by_event
    assert table.index.tolist()[: len(conversions.CATALOGUE)] == list(conversions.CATALOGUE)
    assert "page_view" not in table.index
    assert table.loc["begin_checkout"].tolist() == ["not a conversion", 1, 1]
    assert table.loc["contact_form", "events"] == 2 and table.loc["contact_form", "leads"] == 1
    assert table.loc["blog_comment", "events"] == 0  # c's comment is not a lead's
    assert "4 micro and 1 macro" in repr(result)


def test_catalogue_counts_follows_the_choices():
    events, people = small_events(), small_leads()
    wholesale = conversions.catalogue_counts(events, people, {"contact_form": "macro"})
    assert (wholesale.micro, wholesale.macro, wholesale.leads_with_macro) == (2, 3, 2)
    assert wholesale.by_event.loc["contact_form", "kind"] == "macro"
    checkout = conversions.catalogue_counts(events, people, {"begin_checkout": "micro"})
    assert checkout.micro == 5 and checkout.by_event.loc["begin_checkout", "kind"] == "micro"
    no_goal = conversions.catalogue_counts(events, people, {"purchase": "not a conversion"})
    assert no_goal.macro == 0 and no_goal.leads_with_macro == 0
    assert no_goal.by_event.loc["purchase", "events"] == 1  # still shown, in grey
    totals = wholesale.totals()
    assert totals.loc["macro"].tolist() == [3, 2]


def test_catalogue_counts_does_not_change_its_inputs():
    events, people = small_events(), small_leads()
    before_e, before_l = events.copy(), people.copy()
    conversions.catalogue_counts(events, people, {"contact_form": "macro"})
    pd.testing.assert_frame_equal(events, before_e)
    pd.testing.assert_frame_equal(people, before_l)


def test_catalogue_counts_names_a_missing_column():
    with pytest.raises(KeyError, match=r"catalogue_counts\(\): events has no column 'visitor_id'"):
        conversions.catalogue_counts(small_events().rename(columns={"visitor_id": "v"}), small_leads())


def test_catalogue_summary_is_the_key_text():
    text = conversions.catalogue_counts(small_events(), small_leads(), {"contact_form": "macro"}).headline
    assert text == (
        "From leads: 2 micro and 3 macro conversions; 2 of 2 leads have a macro conversion"
    )


def test_human_events_and_leads_drops_bots_and_the_leads_they_made():
    sessions = pd.DataFrame({
        "session_id": ["s1", "s2", "s3", "s4", "s5"],
        "visitor_id": ["v1", "v2", "v2", "v3", "v4"],
        "user_agent": [BROWSER, BROWSER, CRAWLER, CRAWLER, BROWSER],
    })
    events = pd.DataFrame({
        "session_id": ["s1", "s2", "s3", "s4", "s5"],
        "visitor_id": ["v1", "v2", "v2", "v3", "v4"],
        "timestamp": [T + pd.Timedelta(minutes=m) for m in range(5)],
        "event_name": ["newsletter_signup", "blog_comment", "contact_form", "contact_form",
                       "page_view"],
    })
    crm = pd.DataFrame({
        "lead_id": ["L1", "L2", "L3", "L4"],
        "visitor_id": ["v1", "v2", "v3", None],
        "created_at": [T, T, T, T],
        "lead_source": ["newsletter_signup", "contact_form", "contact_form", "trade_show"],
    })
    human_events, human_leads = traffic.human_events_and_leads(
        sessions, events, crm, bots.BotRules.ua_only()
    )
    assert human_events["session_id"].tolist() == ["s1", "s2", "s5"]
    # v3 was only ever a bot: its CRM lead goes. v2 was also seen as a human: it stays.
    assert sorted(human_leads["lead_id"].tolist()) == ["L1", "L2", "L4"]
    counted = conversions.count(human_events, leads=human_leads)
    assert counted["conversions"].to_dict() == {"v1": 1, "v2": 1}


# --------------------------------------------------------------------------- the explorer


def test_explorer_has_one_dropdown_per_event_and_recounts():
    box = explorers.catalogue_editor(small_events(), small_leads())
    assert list(box.controls)[: len(conversions.CATALOGUE)] == list(conversions.CATALOGUE)
    assert "page_view" not in box.controls
    for name, control in box.controls.items():
        assert isinstance(control, w.Dropdown)
        assert list(control.options) == list(conversions.CATALOGUE_CHOICES)
        assert control.value == conversions.CATALOGUE.get(name, "not a conversion")
    assert box.result.leads_with_macro == 1
    assert 'data-value="1"' in box.key.value
    box.controls["contact_form"].value = "macro"
    expected = conversions.catalogue_counts(small_events(), small_leads(), {"contact_form": "macro"}).headline
    assert box.error is None and box.result.summary == expected
    assert 'class="kit-explorer-result"' in box.key.value and 'data-value="2"' in box.key.value
    assert "image/png" in box.output.outputs[0]["data"]
    assert any(isinstance(c, w.HBox) and c.layout.flex_flow == "row wrap" for c in box.children)


@functools.cache
def kit() -> tuple[pd.DataFrame, pd.DataFrame]:
    ds = data.load_all()
    return traffic.human_events_and_leads(ds.sessions, ds.events, ds.leads)


def test_on_the_kit_data_the_editor_agrees_with_conversions_count():
    human_events, human_leads = kit()
    default = conversions.catalogue_counts(human_events, human_leads)
    counted = conversions.count(human_events, leads=human_leads)
    assert default.micro == counted["micro"].sum() and default.macro == counted["macro"].sum()
    assert default.leads_with_macro == (counted["macro"] > 0).sum()
    assert default.micro > default.macro > 0  # micro conversions are the common ones
    wholesale = conversions.catalogue_counts(human_events, human_leads, {"contact_form": "macro"})
    assert wholesale.macro == default.macro + default.by_event.loc["contact_form", "events"]
    assert wholesale.leads_with_macro > default.leads_with_macro
    assert wholesale.micro + wholesale.macro == default.micro + default.macro


def test_on_the_kit_data_bots_and_non_leads_are_left_out():
    ds = data.load_all()
    human_events, human_leads = kit()
    everything = conversions.count(ds.events)
    mine = conversions.count(human_events, leads=human_leads)
    assert mine["conversions"].sum() < everything["conversions"].sum()
    labelled = bots.label(ds.sessions)
    bot_visitors = set(labelled.loc[labelled["is_bot"], "visitor_id"]) - set(
        labelled.loc[~labelled["is_bot"], "visitor_id"]
    )
    assert not set(human_leads["visitor_id"].dropna()) & bot_visitors


def test_explorer_on_the_kit_data_shows_what_the_pure_function_gives():
    human_events, human_leads = kit()
    box = explorers.catalogue_editor(human_events, human_leads)
    first = next(iter(box.controls))
    assert first == "newsletter_signup"
    box.controls[first].value = "macro"
    assert box.result.summary == conversions.catalogue_counts(
        human_events, human_leads, {"newsletter_signup": "macro"}
    ).headline


# --------------------------------------------------------------------------- the charts


def test_conversions_by_event_colours_by_kind():
    table = pd.DataFrame(
        {"kind": ["micro", "macro", "not a conversion"], "events": [80, 10, 5]},
        index=["newsletter_signup", "purchase", "begin_checkout"],
    )
    ax = plots.conversions_by_event(table)
    colours = [to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours == [plots.color("micro"), plots.color("macro"), "#999999"]
    assert ax.get_title() == "Micro conversions outnumber macro 8.0 to 1"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "micro", "macro", "not a conversion"]
    assert ax.get_xlabel() == "conversion events"
    no_macro = plots.conversions_by_event(table.assign(kind=["micro", "micro", "micro"]))
    assert "No macro conversion" in no_macro.get_title()


def test_conversion_sources_stacks_with_fixed_colours():
    table = pd.DataFrame({"lead": [60, 30], "not a lead": [20, 0], "bot": [20, 0]},
                         index=["newsletter_signup", "purchase"])
    ax = plots.conversion_sources(table)
    colours = {to_hex(p.get_facecolor()).upper() for p in ax.patches}
    assert plots.color("bot") in colours and "#999999" in colours
    assert ax.get_title() == "Only 69% of conversion events come from leads"
    everyone = plots.conversion_sources(table[["lead"]])
    assert everyone.get_title() == "All conversion events come from leads"


def test_lesson_charts_need_a_frame():
    with pytest.raises(TypeError, match="conversions_by_event"):
        plots.conversions_by_event([1, 2])
    with pytest.raises(KeyError, match="'kind'"):
        plots.conversions_by_event(pd.DataFrame({"events": [1]}))
    with pytest.raises(TypeError, match="conversion_sources"):
        plots.conversion_sources(pd.Series([1]))


def test_lesson_charts_keep_matplotlib_interactive_mode():
    """The inline backend turns interactive mode on at the first figure: keep it on."""
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(True)
        plots.conversions_by_event(pd.DataFrame({"kind": ["macro"], "events": [1]}, index=["x"]))
        plots.conversion_sources(pd.DataFrame({"lead": [1]}, index=["x"]))
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)


# --------------------------------------------------------------------------- the exercises


def hint(exercise_id: str, answer) -> str:
    result = check.exercise(exercise_id, answer, show=False)
    assert not result.correct, f"{exercise_id}: {answer!r} should be wrong"
    return result.message


def test_exercise_4_1_micro_actions():
    right = {"newsletter_signup", "blog_comment", "guide_download", "social_follow",
             "contact_form"}
    assert check.exercise("4.1", right, show=False).correct
    assert check.exercise("4.1", sorted(right), show=False).correct
    assert "other side" in hint("4.1", {"purchase"})
    assert "page view" in hint("4.1", right | {"page_view"})
    assert "begin_checkout" in hint("4.1", right | {"begin_checkout"})
    assert "every conversion" in hint("4.1", right | {"purchase"})
    assert "comment and a follow" in hint("4.1", right - {"social_follow"})
    assert "four types" in hint("4.1", right - {"contact_form"})


def test_exercise_4_2_micro_conversions_from_leads():
    human_events, human_leads = kit()
    ds = data.load_all()
    counted = conversions.count(human_events, leads=human_leads)
    assert check.exercise("4.2", counted["micro"].sum(), show=False).correct
    assert "every micro conversion event" in hint("4.2", conversions.count(ds.events)["micro"].sum())
    assert "Bots are left in" in hint(
        "4.2", conversions.count(ds.events, leads=ds.leads)["micro"].sum())
    assert "not leads" in hint("4.2", conversions.count(human_events)["micro"].sum())
    assert "people" in hint("4.2", (counted["micro"] > 0).sum())
    assert "macro" in hint("4.2", counted["macro"].sum())


def test_exercise_4_3_ratio():
    human_events, human_leads = kit()
    counted = conversions.count(human_events, leads=human_leads)
    micro, macro = counted["micro"].sum(), counted["macro"].sum()
    assert check.exercise("4.3", micro / macro, show=False).correct
    assert check.exercise("4.3", round(micro / macro, 1), show=False).correct
    assert "Upside down" in hint("4.3", macro / micro)
    assert "share of micro" in hint("4.3", micro / (micro + macro))
    assert "people" in hint("4.3", (counted["micro"] > 0).sum() / (counted["macro"] > 0).sum())
    assert "not leads" in hint("4.3", conversions.count(human_events)["micro"].sum() / macro)
    assert "times 100" in hint("4.3", 100 * micro / macro)


def test_exercise_4_4_wholesale_leads_with_a_macro():
    human_events, human_leads = kit()
    ds = data.load_all()
    wholesale = conversions.catalogue(contact_form="macro")
    counted = conversions.count(human_events, wholesale, leads=human_leads)
    assert check.exercise("4.4", (counted["macro"] > 0).sum(), show=False).correct
    default = conversions.count(human_events, leads=human_leads)
    assert "default catalogue" in hint("4.4", (default["macro"] > 0).sum())
    assert "counts macro conversions (events)" in hint("4.4", counted["macro"].sum())
    bots_in = (conversions.count(ds.events, wholesale, leads=ds.leads)["macro"] > 0).sum()
    assert "Bots are left in" in hint("4.4", bots_in)
    # with no filter at all, actions from before someone became a lead count too
    no_filter = (conversions.count(ds.events, wholesale)["macro"] > 0).sum()
    assert no_filter > bots_in
    assert "No filter at all" in hint("4.4", no_filter)
    only_forms = conversions.count(human_events, conversions.catalogue(
        contact_form="macro", purchase=None), leads=human_leads)
    assert "only the leads who sent the contact form" in hint(
        "4.4", (only_forms["macro"] > 0).sum())
