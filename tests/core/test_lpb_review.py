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
    with pytest.raises(KeyError):
        lpb_review.render("nonsense", {})


@pytest.mark.parametrize(
    "given, key",
    [
        ({"appeal_first": "yes", "time_limit": "28 days"}, "appeal_first"),
        ({"appeal_first": True, "time_limit": "soon"}, "time_limit"),
        ({"appeal_first": True, "time_limit": "28 days", "extra": 1}, "extra"),
    ],
)
def test_bad_settings_name_the_setting(given, key):
    reg = register(**{k: v for k, v in given.items() if k in ("appeal_first", "time_limit")})
    if "extra" in given:
        reg = register(extra=1)
    with pytest.raises(PolicyError) as error:
        lpb_review.rules_from(reg)
    assert key in str(error.value)


def test_the_toml_preset_settings_table_must_be_a_table():
    from casereview.core.commencement import register_from_toml

    with pytest.raises(PolicyError) as error:
        register_from_toml('[provisions."x"]\ntitle = "t"\nsource = "s"\nsettings = 3\n')
    assert "provisions.x.settings" in str(error.value)
