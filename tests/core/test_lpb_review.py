"""The local policing body review route's rules: in force from its own day per nation, the appeal
first where the register says so, and the time limit's last day (core/lpb_review.py)."""

from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest

from casereview.core import lpb_review
from casereview.core.commencement import default_register
from casereview.core.errors import PolicyError

ENGLAND_FROM = date(2027, 1, 4)
WALES_FROM = date(2027, 4, 1)


def register(*, appeal_first=True, time_limit="28 days", **more):
    base = default_register().with_dates(
        [
            (lpb_review.PROVISION, "england", ENGLAND_FROM, "SI 2026/1"),
            (lpb_review.PROVISION, "wales", WALES_FROM, "SI 2026/2 (W. 1)"),
        ]
    )
    provision = base.provision(lpb_review.PROVISION)
    settings = {"appeal_first": appeal_first, "time_limit": time_limit, **more}
    provisions = dict(base.provisions)
    provisions[lpb_review.PROVISION] = replace(provision, settings=MappingProxyType(settings))
    return type(base)(provisions)


def check(reg, *, on, nation="england", **kwargs):
    args = {
        "declined_not_met": True,
        "decision_letter_on": date(2027, 3, 1),
        "appeal": lpb_review.APPEAL_DECIDED,
        "appeal_letter_on": date(2027, 3, 1),
    }
    args.update(kwargs)
    return lpb_review.may_request(register=reg, nation=nation, on=on, **args)


def codes(result):
    return [code for code, _ in result.refusals]


def test_the_preset_has_no_date_so_the_route_is_closed_on_any_day():
    result = lpb_review.may_request(
        register=default_register(),
        nation="england",
        on=date(2099, 1, 1),
        declined_not_met=True,
        decision_letter_on=date(2098, 12, 31),
    )
    assert codes(result) == ["not_in_force"]
    assert result.allowed is False
    assert "no date has been set" in lpb_review.render(*result.refusals[0])


def test_the_preset_settings_are_valid():
    rules = lpb_review.rules_from(default_register())
    assert rules.appeal_first is True
    assert str(rules.time_limit) == "28 days"


def test_refused_the_day_before_commencement_naming_the_date_and_allowed_on_the_day():
    reg = register(appeal_first=False)
    day_before = check(reg, on=date(2027, 1, 3), decision_letter_on=date(2027, 1, 2), appeal="none")
    assert codes(day_before) == ["not_in_force"]
    assert day_before.refusals[0][1] == {"nation": "england", "from": "2027-01-04"}
    assert "4 January 2027" in lpb_review.render(*day_before.refusals[0])
    on_the_day = check(reg, on=date(2027, 1, 4), decision_letter_on=date(2027, 1, 2), appeal="none")
    assert on_the_day.allowed, on_the_day.refusals


def test_england_and_wales_have_their_own_days():
    reg = register(appeal_first=False)
    assert lpb_review.in_force(reg, nation="england", on=date(2027, 1, 4))
    assert not lpb_review.in_force(reg, nation="wales", on=date(2027, 3, 31))
    assert lpb_review.in_force(reg, nation="wales", on=date(2027, 4, 1))
    kwargs = {"decision_letter_on": date(2027, 3, 20), "appeal": "none"}
    assert codes(check(reg, on=date(2027, 3, 31), nation="wales", **kwargs)) == ["not_in_force"]
    assert check(reg, on=date(2027, 4, 1), nation="wales", **kwargs).allowed


def test_the_time_limits_last_day_is_allowed_and_the_next_refused():
    reg = register(appeal_first=False)
    letter = date(2027, 3, 1)
    last = check(reg, on=date(2027, 3, 29), decision_letter_on=letter, appeal="none")
    assert last.allowed and last.ends_on == date(2027, 3, 29) and last.runs_from == letter
    late = check(reg, on=date(2027, 3, 30), decision_letter_on=letter, appeal="none")
    assert codes(late) == ["out_of_time"]
    assert late.refusals[0][1] == {"ends_on": "2027-03-29", "time_limit": "28 days"}
    assert "29 March 2027" in lpb_review.render(*late.refusals[0])


def test_a_month_limit_from_31_january_ends_on_the_last_day_of_february():
    reg = register(appeal_first=False, time_limit="1 month")
    result = check(reg, on=date(2027, 2, 28), decision_letter_on=date(2027, 1, 31), appeal="none")
    assert result.allowed and result.ends_on == date(2027, 2, 28)
    assert codes(check(reg, on=date(2027, 3, 1), decision_letter_on=date(2027, 1, 31), appeal="none")) == [
        "out_of_time"
    ]


def test_with_appeal_first_the_appeal_must_be_decided_and_the_time_runs_from_its_letter():
    reg = register(appeal_first=True)
    assert codes(check(reg, on=date(2027, 3, 5), appeal="none")) == ["appeal_first"]
    assert codes(check(reg, on=date(2027, 3, 5), appeal="open")) == ["appeal_waiting"]
    result = check(
        reg, on=date(2027, 4, 12), decision_letter_on=date(2027, 2, 1), appeal_letter_on=date(2027, 3, 15)
    )
    assert result.allowed and result.ends_on == date(2027, 4, 12)
    later = check(
        reg, on=date(2027, 4, 13), decision_letter_on=date(2027, 2, 1), appeal_letter_on=date(2027, 3, 15)
    )
    assert codes(later) == ["out_of_time"]


def test_without_appeal_first_an_open_appeal_still_waits():
    reg = register(appeal_first=False)
    assert codes(check(reg, on=date(2027, 3, 5), appeal="open")) == ["appeal_waiting"]
    assert check(reg, on=date(2027, 3, 5), appeal="none").allowed


def test_only_a_standing_not_met_decision_can_be_reviewed_once():
    reg = register(appeal_first=False)
    assert codes(check(reg, on=date(2027, 3, 5), declined_not_met=False, appeal="none")) == [
        "not_a_not_met_decision"
    ]
    assert codes(check(reg, on=date(2027, 3, 5), already_requested=True, appeal="none")) == [
        "already_requested"
    ]
    assert codes(check(reg, on=date(2027, 3, 5), decision_letter_on=None, appeal="none")) == ["no_letter_yet"]


def test_every_code_renders():
    for code, params in [
        ("not_in_force", {"from": "2027-01-04"}),
        ("not_in_force", {"from": None}),
        ("already_requested", {}),
        ("not_a_not_met_decision", {}),
        ("appeal_first", {}),
        ("appeal_waiting", {}),
        ("no_letter_yet", {}),
        ("out_of_time", {"ends_on": "2027-03-29"}),
    ]:
        assert lpb_review.render(code, params).endswith(".")
    with pytest.raises(KeyError) as raised:
        lpb_review.render("nonsense", {})
    assert raised.value.args == ("unknown reason code 'nonsense'",)


@pytest.mark.parametrize(
    "given, key, problem",
    [
        ({"appeal_first": "yes", "time_limit": "28 days"}, "appeal_first", "true or false"),
        (
            {"appeal_first": True, "time_limit": "soon"},
            "time_limit",
            'not a period: \'soon\' (expected "N days", "N working days", "N weeks" or "N months")',
        ),
        ({"appeal_first": True, "time_limit": "28 days", "extra": 1}, "extra", "unknown key"),
    ],
)
def test_bad_settings_name_the_setting(given, key, problem):
    reg = register(**{k: v for k, v in given.items() if k in ("appeal_first", "time_limit")})
    if "extra" in given:
        reg = register(extra=1)
    with pytest.raises(PolicyError) as error:
        lpb_review.rules_from(reg)
    assert (error.value.key, error.value.problem) == (
        f"provisions.cpa2026.lpb_review.settings.{key}",
        problem,
    )


def test_the_toml_preset_settings_table_must_be_a_table():
    from casereview.core.commencement import register_from_toml

    with pytest.raises(PolicyError) as error:
        register_from_toml('[provisions."x"]\ntitle = "t"\nsource = "s"\nsettings = 3\n')
    assert "provisions.x.settings" in str(error.value)


# Each refusal word for word, in English and through gettext (marked «…», as the pages render
# Welsh: a sentence that did not go through gettext, or an English date, shows).
WORDS = {
    ("not_in_force", "2027-01-04"): (
        "The local policing body can review a decision only from {date}, when the Crime and Policing Act "
        "2026 brings the route into force here."
    ),
    ("not_in_force", None): (
        "The Crime and Policing Act 2026's route to ask the local policing body for a review is not yet in "
        "force here: no date has been set."
    ),
    (
        "already_requested",
        None,
    ): "A review of this decision by the local policing body has already been asked for.",
    ("not_a_not_met_decision", None): (
        "The local policing body reviews only a decision that the threshold for an ASB Case Review was not "
        "met, and this case has no such decision standing."
    ),
    ("appeal_first", None): (
        "First appeal to the council's partnership against the decision: the local policing body reviews it "
        "once that appeal has been decided."
    ),
    ("appeal_waiting", None): (
        "Your appeal to the partnership is still waiting for a decision: you can ask the local policing body "
        "once it has been decided."
    ),
    ("no_letter_yet", None): "The decision letter has not been sent yet: you can ask once you have it.",
    ("out_of_time", "2027-03-29"): "The time to ask the local policing body for a review ended on {date}.",
}
DATES = {"2027-01-04": ("4 January 2027", "4 Ionawr 2027"), "2027-03-29": ("29 March 2027", "29 Mawrth 2027")}


@pytest.mark.parametrize("code, day", list(WORDS))
def test_each_refusal_word_for_word_in_english_and_through_gettext(code, day):
    from casereview.core.reasons import Words

    params = {"not_in_force": {"from": day}, "out_of_time": {"ends_on": day}}.get(code, {})
    english, welsh = DATES.get(day, ("", ""))
    assert lpb_review.render(code, params) == WORDS[code, day].format(date=english)
    marked = Words(gettext=lambda text: "«" + text + "»", ngettext=lambda one, many, n: one, language="cy")
    msgid = WORDS[code, day].replace("{date}", "%(date)s")
    expected = "«" + msgid + "»"
    assert lpb_review.render(code, params, marked) == (expected % {"date": welsh} if day else expected)


def test_the_check_carries_the_rules_it_applied():
    """The request page and the office's form print the time limit from the check's rules."""
    from casereview.core.periods import Duration

    result = check(register(appeal_first=False, time_limit="3 months"), on=date(2027, 3, 5))
    assert result.allowed is True
    assert result.rules == lpb_review.LpbRules(appeal_first=False, time_limit=Duration(3, "months"))


def test_while_the_appeal_waits_no_time_runs_whatever_letter_date_is_given():
    for appeal in (lpb_review.APPEAL_NONE, lpb_review.APPEAL_OPEN):
        result = check(register(), on=date(2027, 3, 5), appeal=appeal, appeal_letter_on=date(2027, 3, 1))
        assert (result.allowed, result.runs_from, result.ends_on) == (False, None, None)


def _register_with_settings(settings):
    base = register()
    provisions = dict(base.provisions)
    provisions[lpb_review.PROVISION] = replace(
        provisions[lpb_review.PROVISION], settings=MappingProxyType(settings)
    )
    return type(base)(provisions)


def test_appeal_first_left_out_is_false():
    from casereview.core.periods import Duration

    rules = lpb_review.rules_from(_register_with_settings({"time_limit": "28 days"}))
    assert rules == lpb_review.LpbRules(appeal_first=False, time_limit=Duration(28, "days"))


def test_a_time_limit_left_out_is_an_error_naming_it():
    with pytest.raises(PolicyError) as error:
        lpb_review.rules_from(_register_with_settings({"appeal_first": True}))
    assert (error.value.key, error.value.problem) == (
        "provisions.cpa2026.lpb_review.settings.time_limit",
        'not a period: \'\' (expected "N days", "N working days", "N weeks" or "N months")',
    )
