"""The law's rules for the enforcement ladder, tested at every edge (ADR 0057): the day before and
the day of each commencement, the ages either side of each limit, the 21 days to appeal, and the
closure notice's 24 and 48 hours exactly."""

from datetime import date, datetime, timedelta

import pytest

from casereview.core import enforcement_reasons
from casereview.core.commencement import default_register
from casereview.core.enforcement import (
    DEFAULT_LADDER,
    RULES,
    STEP_KINDS,
    PriorStep,
    ProposedStep,
    age_on,
    closure_hearing,
    closure_notice_ends,
    cpn_appeal,
    judge,
    next_rung,
)
from casereview.core.reasons import Words

REGISTER = default_register()
ON = date(2026, 3, 2)
CPW = PriorStep("cpw", served_on=date(2026, 2, 1), comply_by=date(2026, 2, 28))


def dob_for(age: int, on: date = ON) -> date:
    """A date of birth that makes the person exactly ``age`` on ``on`` (their birthday)."""
    return on.replace(year=on.year - age)


def codes(judgement) -> list[str]:
    return [f.code for f in judgement.refusals]


def cpn(**kw) -> ProposedStep:
    values = {"kind": "cpn", "on": ON, "date_of_birth": dob_for(30), "prior": (CPW,)}
    values.update(kw)
    return ProposedStep(**values)


# --- Age ---------------------------------------------------------------------------------------


def test_age_on_a_birthday_and_the_day_before():
    assert age_on(date(2010, 3, 2), date(2026, 3, 2)) == 16
    assert age_on(date(2010, 3, 2), date(2026, 3, 1)) == 15
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


# --- CPN: the warning first, and time to comply --------------------------------------------------


def test_a_cpn_with_a_warning_and_the_time_passed_is_allowed():
    judgement = judge(cpn(), REGISTER)
    assert judgement.allowed, codes(judgement)
    assert judgement.facts["appeal_last_day"] == "2026-03-22"


def test_a_cpn_without_a_warning_is_refused_naming_the_rule_and_its_date():
    judgement = judge(cpn(prior=()), REGISTER)
    assert not judgement.allowed
    [finding] = judgement.refusals
    assert finding.code == "cpn_needs_warning"
    assert finding.rule == "cpn.warning_first"
    assert finding.source.endswith("s.43(5)(a)")
    assert finding.in_force_from == date(2014, 10, 20)
    assert finding.next_step == "record_step:cpw"


def test_a_warning_letter_is_not_a_written_warning_under_the_act():
    prior = (PriorStep("warning_letter", served_on=date(2026, 1, 1)),)
    assert codes(judge(cpn(prior=prior), REGISTER)) == ["cpn_needs_warning"]


def test_a_discharged_warning_does_not_count_and_a_warning_the_same_day_does_not_either():
    discharged = PriorStep(
        "cpw", served_on=date(2026, 1, 1), comply_by=date(2026, 1, 15), outcome="discharged"
    )
    assert codes(judge(cpn(prior=(discharged,)), REGISTER)) == ["cpn_needs_warning"]
    same_day = PriorStep("cpw", served_on=ON, comply_by=ON)
    assert codes(judge(cpn(prior=(same_day,)), REGISTER)) == ["cpn_needs_warning"]


@pytest.mark.parametrize(
    ("on", "allowed"),
    [(date(2026, 2, 27), False), (date(2026, 2, 28), False), (date(2026, 3, 1), True)],
)
def test_the_time_to_comply_edge(on, allowed):
    judgement = judge(cpn(on=on, date_of_birth=date(1990, 1, 1)), REGISTER)
    assert judgement.allowed is allowed
    if not allowed:
        [finding] = judgement.refusals
        assert finding.code == "cpn_too_soon"
        assert finding.params["earliest"] == "2026-03-01"
        assert finding.next_step == "wait_until:2026-03-01"


def test_a_warning_without_a_comply_by_date_cannot_lead_to_a_notice():
    prior = (PriorStep("cpw", served_on=date(2026, 2, 1)),)
    assert codes(judge(cpn(prior=prior), REGISTER)) == ["cpw_without_time"]


@pytest.mark.parametrize(
    ("comply_by", "allowed"), [(None, False), (ON, False), (ON + timedelta(days=1), True)]
)
def test_a_cpw_must_give_time_after_its_own_day(comply_by, allowed):
    assert judge(ProposedStep("cpw", on=ON, comply_by=comply_by), REGISTER).allowed is allowed


# --- CPN: the age rule and its reform ------------------------------------------------------------


@pytest.mark.parametrize(("age", "allowed"), [(15, False), (16, True), (17, True)])
def test_the_2014_age_rule_16(age, allowed):
    judgement = judge(cpn(date_of_birth=dob_for(age)), REGISTER)
    assert judgement.allowed is allowed
    if not allowed:
        [finding] = judgement.refusals
        assert (finding.code, finding.rule, finding.params["minimum"], finding.params["age"]) == (
            "too_young",
            "cpn.age_16",
            16,
            15,
        )


def test_the_age_is_taken_on_the_steps_own_date():
    # 15 the day before the 16th birthday, 16 on it.
    birthday = date(2010, 3, 2)
    assert not judge(cpn(on=date(2026, 3, 1), date_of_birth=birthday), REGISTER).allowed
    assert judge(cpn(on=date(2026, 3, 2), date_of_birth=birthday), REGISTER).allowed


def test_an_unknown_age_is_refused_asking_for_the_date_of_birth():
    judgement = judge(cpn(date_of_birth=None), REGISTER)
    assert codes(judgement) == ["age_unknown"]
    assert judgement.refusals[0].next_step == "record_date_of_birth"
    # An officer's recorded age will do.
    assert judge(cpn(date_of_birth=None, age=40), REGISTER).allowed


LOWERED = date(2026, 6, 29)
REFORMED = REGISTER.with_dates([("reform.cpn_age_10", "england", LOWERED, "test")])


@pytest.mark.parametrize(
    ("age", "youth_services", "expected"),
    [
        (9, True, ["too_young"]),
        (10, False, ["cpn_youth_services"]),
        (10, True, []),
        (12, False, ["cpn_youth_services"]),
        (12, True, []),
        (15, True, []),
        (17, False, ["cpn_youth_services"]),
        (18, False, []),
    ],
)
def test_the_lowered_age_with_youth_services_engaged(age, youth_services, expected):
    on = LOWERED + timedelta(days=40)
    duties = frozenset({"youth_services_engaged"}) if youth_services else frozenset()
    prior = (PriorStep("cpw", served_on=LOWERED, comply_by=LOWERED + timedelta(days=14)),)
    judgement = judge(cpn(on=on, prior=prior, date_of_birth=dob_for(age, on), duties=duties), REFORMED)
    assert codes(judgement) == expected
    for finding in judgement.refusals:
        assert finding.rule == "cpn.age_10"
        assert finding.in_force_from == LOWERED


def test_the_reforms_commencement_day_and_the_day_before():
    prior = (PriorStep("cpw", served_on=date(2026, 5, 1), comply_by=date(2026, 5, 15)),)
    twelve_before = dob_for(12, LOWERED - timedelta(days=1))
    before = judge(
        cpn(
            on=LOWERED - timedelta(days=1),
            prior=prior,
            date_of_birth=twelve_before,
            duties={"youth_services_engaged"},
        ),
        REFORMED,
    )
    assert codes(before) == ["too_young"] and before.refusals[0].rule == "cpn.age_16"
    on_the_day = judge(
        cpn(on=LOWERED, prior=prior, date_of_birth=dob_for(12, LOWERED), duties={"youth_services_engaged"}),
        REFORMED,
    )
    assert on_the_day.allowed
    # Wales keeps the 2014 rule: the reform was recorded for England only.
    wales = judge(
        cpn(
            on=LOWERED,
            nation="wales",
            prior=prior,
            date_of_birth=dob_for(12, LOWERED),
            duties={"youth_services_engaged"},
        ),
        REFORMED,
    )
    assert codes(wales) == ["too_young"]


def test_before_the_2014_act_commenced_there_was_no_cpn():
    judgement = judge(cpn(on=date(2014, 10, 19), prior=()), REGISTER)
    assert codes(judgement) == ["power_not_in_force"]
    assert judge(ProposedStep("cpw", on=date(2014, 10, 20), comply_by=date(2014, 11, 1)), REGISTER).allowed


# --- CPN: the appeal window ----------------------------------------------------------------------


@pytest.mark.parametrize(("days", "in_time"), [(0, True), (20, True), (21, False), (22, False)])
def test_the_21_days_to_appeal_begin_with_the_day_of_issue(days, in_time):
    issued = date(2026, 3, 2)
    appeal = cpn_appeal(issued)
    assert appeal.last_day == date(2026, 3, 22)
    assert appeal.in_time(issued + timedelta(days=days)) is in_time


# --- Fixed penalty: £100, then £500 from the 2026 Act's commencement -----------------------------

FPN_DAY = date(2026, 6, 29)
FPN_REGISTER = REGISTER.with_dates([("cpa2026.cpn_fpn_500", "england", FPN_DAY, "test")])
BREACHED = PriorStep("cpn", served_on=date(2026, 1, 1), outcome="breached")


@pytest.mark.parametrize(("on", "maximum"), [(FPN_DAY - timedelta(days=1), 100), (FPN_DAY, 500)])
def test_the_fixed_penalty_maximum_changes_on_commencement(on, maximum):
    judgement = judge(ProposedStep("fpn", on=on, prior=(BREACHED,)), FPN_REGISTER)
    assert judgement.allowed
    assert judgement.facts["fpn_maximum"] == maximum


def test_a_fixed_penalty_needs_a_breached_notice():
    complied = PriorStep("cpn", served_on=date(2026, 1, 1), outcome="complied")
    assert codes(judge(ProposedStep("fpn", on=ON, prior=(complied,)), REGISTER)) == ["fpn_needs_breached_cpn"]


# --- Which agency may use which power ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "agency", "allowed"),
    [
        ("dispersal_direction", "police", True),
        ("dispersal_direction", "council", False),
        ("pspo", "council", True),
        ("pspo", "police", False),
        ("cpw", "housing", True),
        ("cpw", "health", False),
        ("cpw", "other", False),
        ("warning_letter", "health", True),
        ("housing_injunction", "council", False),
    ],
)
def test_which_agency_may_use_which_power(kind, agency, allowed):
    step = ProposedStep(
        kind,
        on=ON,
        agency_kind=agency,
        subject="area" if kind in {"pspo", "dispersal_direction"} else "person",
        comply_by=ON + timedelta(days=7),
        duration_hours=24,
    )
    register = REGISTER.with_dates([("cpa2026.housing_injunctions", "england", date(2026, 1, 1), "t")])
    judgement = judge(step, register)
    assert ("agency_may_not" not in codes(judgement)) is allowed


# --- Injunctions, Respect Orders, CBOs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "yot", "expected"),
    [
        (9, True, ["too_young"]),
        (10, False, ["yot_not_consulted"]),
        (10, True, []),
        (17, False, ["yot_not_consulted"]),
        (18, False, []),
    ],
)
def test_a_civil_injunction_age_10_and_the_youth_offending_team_under_18(age, yot, expected):
    duties = frozenset({"yot_consulted"}) if yot else frozenset()
    assert (
        codes(
            judge(
                ProposedStep("civil_injunction", on=ON, date_of_birth=dob_for(age), duties=duties), REGISTER
            )
        )
        == expected
    )


RESPECT_DAY = date(2026, 9, 1)
RESPECT = REGISTER.with_dates([("cpa2026.respect_orders", "england", RESPECT_DAY, "test")])


def test_respect_orders_from_their_commencement_day_not_the_day_before():
    before = judge(
        ProposedStep("respect_order", on=RESPECT_DAY - timedelta(days=1), date_of_birth=date(1990, 1, 1)),
        RESPECT,
    )
    assert codes(before) == ["power_not_in_force"]
    assert judge(
        ProposedStep("respect_order", on=RESPECT_DAY, date_of_birth=date(1990, 1, 1)), RESPECT
    ).allowed


def test_a_housing_providers_respect_order_needs_its_assessment():
    step = ProposedStep(
        "respect_order", on=RESPECT_DAY, agency_kind="housing", date_of_birth=date(1990, 1, 1)
    )
    judgement = judge(step, RESPECT)
    assert codes(judgement) == ["respect_order_needs_assessment"]
    assert judgement.refusals[0].in_force_from == RESPECT_DAY
    assessed = ProposedStep(
        "respect_order",
        on=RESPECT_DAY,
        agency_kind="housing",
        date_of_birth=date(1990, 1, 1),
        duties=frozenset({"vulnerability_risk_assessment"}),
    )
    assert judge(assessed, RESPECT).allowed


@pytest.mark.parametrize(("age", "expected"), [(17, ["respect_order_adults_only"]), (18, [])])
def test_a_respect_order_is_for_adults(age, expected):
    on = RESPECT_DAY + timedelta(days=10)
    assert (
        codes(judge(ProposedStep("respect_order", on=on, date_of_birth=dob_for(age, on)), RESPECT))
        == expected
    )


def test_the_civil_injunction_for_an_adult_gives_way_to_the_respect_order_on_its_day():
    adult = date(1990, 1, 1)
    before = judge(
        ProposedStep("civil_injunction", on=RESPECT_DAY - timedelta(days=1), date_of_birth=adult), RESPECT
    )
    assert before.allowed
    on_the_day = judge(ProposedStep("civil_injunction", on=RESPECT_DAY, date_of_birth=adult), RESPECT)
    assert codes(on_the_day) == ["injunction_replaced"]
    assert on_the_day.refusals[0].next_step == "record_step:respect_order"


def test_a_cbo_needs_a_conviction_and_the_yots_views_under_18():
    assert codes(
        judge(ProposedStep("cbo", on=ON, agency_kind="police", date_of_birth=dob_for(30)), REGISTER)
    ) == ["cbo_needs_conviction"]
    young = ProposedStep(
        "cbo", on=ON, agency_kind="police", date_of_birth=dob_for(17), duties=frozenset({"convicted"})
    )
    assert codes(judge(young, REGISTER)) == ["yot_not_consulted"]


# --- Closure notices and orders ------------------------------------------------------------------

DUTIES = frozenset({"occupants_informed", "appropriate_consulted"})


def closure(**kw) -> ProposedStep:
    values = {
        "kind": "closure_notice",
        "on": ON,
        "subject": "premises",
        "agency_kind": "council",
        "duties": DUTIES,
        "duration_hours": 24,
    }
    values.update(kw)
    return ProposedStep(**values)


def test_a_closure_notice_for_24_hours_with_the_duties_done_is_allowed():
    assert judge(closure(), REGISTER).allowed


def test_a_closure_notice_without_the_occupants_informed_is_refused():
    judgement = judge(closure(duties=frozenset({"appropriate_consulted"})), REGISTER)
    assert codes(judgement) == ["closure_occupants_not_informed"]
    assert judgement.refusals[0].next_step == "record_duty:occupants_informed"
    assert codes(judge(closure(duties=frozenset({"occupants_informed"})), REGISTER)) == [
        "closure_not_consulted"
    ]


@pytest.mark.parametrize(
    ("hours", "authorisations", "expected"),
    [
        (24, set(), []),
        (25, set(), ["closure_over_24_needs_senior"]),
        (48, set(), ["closure_over_24_needs_senior"]),
        (48, {"council_chief_executive_designate"}, []),
        (49, {"council_chief_executive_designate"}, ["closure_over_48"]),
        (48, {"police_superintendent"}, ["closure_over_24_needs_senior"]),
    ],
)
def test_a_council_closure_notices_24_and_48_hours(hours, authorisations, expected):
    assert (
        codes(judge(closure(duration_hours=hours, authorisations=frozenset(authorisations)), REGISTER))
        == expected
    )


@pytest.mark.parametrize(
    ("hours", "authorisations", "expected"),
    [
        (24, {"police_inspector"}, []),
        (24, set(), ["closure_needs_inspector"]),
        (48, {"police_inspector"}, ["closure_over_24_needs_senior"]),
        (48, {"police_inspector", "police_superintendent"}, []),
        (48, {"police_superintendent"}, []),
    ],
)
def test_a_police_closure_notice_needs_an_inspector_and_a_superintendent_beyond_24_hours(
    hours, authorisations, expected
):
    step = closure(agency_kind="police", duration_hours=hours, authorisations=frozenset(authorisations))
    assert codes(judge(step, REGISTER)) == expected


def test_a_closure_notice_is_about_premises_and_needs_a_length():
    assert codes(judge(closure(subject="person"), REGISTER)) == ["premises_only"]
    assert codes(judge(closure(duration_hours=None), REGISTER)) == ["closure_duration_missing"]


def test_a_closure_order_follows_a_notice():
    alone = ProposedStep("closure_order", on=ON, subject="premises")
    assert codes(judge(alone, REGISTER)) == ["closure_order_needs_notice"]
    after = ProposedStep(
        "closure_order", on=ON, subject="premises", prior=(PriorStep("closure_notice", served_on=ON),)
    )
    assert judge(after, REGISTER).allowed


HEARING_REFORM = date(2026, 6, 29)
HEARING_REGISTER = REGISTER.with_dates([("reform.closure_hearing_72h", "england", HEARING_REFORM, "test")])


@pytest.mark.parametrize(
    ("served", "hours"), [(datetime(2026, 6, 28, 23, 59), 48), (datetime(2026, 6, 29, 0, 0), 72)]
)
def test_the_hearing_within_48_hours_or_72_from_the_reforms_day(served, hours):
    hearing = closure_hearing(served, nation="england", register=HEARING_REGISTER)
    assert hearing.hours == hours
    assert hearing.deadline == served + timedelta(hours=hours)
    assert closure_hearing(served, nation="wales", register=HEARING_REGISTER).hours == 48


def test_the_hearing_warning_as_the_deadline_nears():
    served = datetime(2026, 3, 2, 10, 0)
    hearing = closure_hearing(served, nation="england", register=REGISTER)
    assert hearing.deadline == datetime(2026, 3, 4, 10, 0)
    assert hearing.status(datetime(2026, 3, 3, 21, 59)) == "pending"
    assert hearing.status(datetime(2026, 3, 3, 22, 0)) == "due_soon"
    assert hearing.status(datetime(2026, 3, 4, 10, 0)) == "due_soon"
    assert hearing.status(datetime(2026, 3, 4, 10, 1)) == "overdue"
    assert hearing.status(datetime(2026, 3, 4, 10, 1), heard=True) == "heard"


# --- Dispersal -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "expected"), [(48, []), (49, ["dispersal_too_long"])])
def test_a_dispersal_direction_lasts_48_hours(hours, expected):
    step = ProposedStep(
        "dispersal_direction", on=ON, agency_kind="police", subject="area", duration_hours=hours
    )
    assert codes(judge(step, REGISTER)) == expected


# --- Local rules add, never remove ---------------------------------------------------------------


def test_a_local_rule_adds_a_duty_and_the_statutory_rules_still_run():
    step = cpn(prior=(), local_duties={"cpn": ("appropriate_consulted",)})
    assert codes(judge(step, REGISTER)) == ["cpn_needs_warning", "local_duty_missing"]


# --- The ladder and the words --------------------------------------------------------------------


def test_the_next_rung():
    assert next_rung(DEFAULT_LADDER, []) == "warning_letter"
    assert next_rung(DEFAULT_LADDER, ["warning_letter", "cpw"]) == "cpn"
    assert next_rung(DEFAULT_LADDER, ["cbo"]) is None


def test_every_rule_names_a_register_key_that_exists():
    for rule in RULES.values():
        if rule.provision:
            REGISTER.provision(rule.provision)


def test_every_refusal_renders_with_its_rule_and_date_in_english_and_through_gettext():
    judgement = judge(cpn(date_of_birth=dob_for(15), prior=()), REGISTER)
    text = [enforcement_reasons.render(f.reason()) for f in judgement.refusals]
    assert text == [
        "A Community Protection Notice can only follow a written warning: give a Community Protection "
        "Warning first, with time to comply. (Anti-social Behaviour, Crime and Policing Act 2014, "
        "s.43(5)(a), in force from 20 October 2014)",
        "A Community Protection Notice can only be used for someone aged 16 or over; this person is 15. "
        "(Anti-social Behaviour, Crime and Policing Act 2014, s.43(1), in force from 20 October 2014)",
    ]
    seen = []
    welsh = Words(gettext=lambda s: seen.append(s) or s, language="cy")
    assert "20 Hydref 2014" in enforcement_reasons.render(judgement.refusals[0].reason(), welsh)
    assert seen


def test_every_code_renders_for_a_sample_of_steps():
    steps = [ProposedStep(kind, on=ON, agency_kind="other", subject="area") for kind in STEP_KINDS]
    for step in steps:
        for finding in judge(step, REGISTER).refusals:
            assert enforcement_reasons.render(finding.reason())
    assert set(enforcement_reasons.ENFORCEMENT_CODES) >= {"cpn_needs_warning", "too_young", "closure_over_48"}


def test_a_policy_declares_its_ladder_and_local_duties():
    from pathlib import Path

    import casereview.core
    from casereview.core.errors import PolicyError
    from casereview.core.policy import load_policy, policy_from_toml

    base = (Path(casereview.core.__file__).parent / "presets" / "statutory.toml").read_text("utf-8")
    assert load_policy("statutory").interventions_ladder == DEFAULT_LADDER
    policy = policy_from_toml(
        base + '\n[interventions]\nladder = ["warning_letter", "abc", "cpw", "cpn"]\n'
        '[interventions.local_duties]\ncpw = ["appropriate_consulted"]\n'
    )
    assert policy.interventions_ladder == ("warning_letter", "abc", "cpw", "cpn")
    assert dict(policy.interventions_local_duties) == {"cpw": ("appropriate_consulted",)}
    step = ProposedStep(
        "cpw", on=ON, comply_by=ON + timedelta(days=7), local_duties=dict(policy.interventions_local_duties)
    )
    assert codes(judge(step, REGISTER)) == ["local_duty_missing"]
    with pytest.raises(PolicyError) as caught:
        policy_from_toml(base + '\n[interventions]\nladder = ["warning_letter", "asbo"]\n')
    assert caught.value.key == "interventions.ladder[1]"


def test_every_rule_cites_its_source_and_provision_word_for_word():
    """The rules' table as a person reads it, word for word (tests/core/enforcement_rules.json):
    the key a finding names, the statute it cites and the register entry that dates it. The table
    is built once, at import, so mutmut's mutants of `_rules` never run (docs/testing.md): this test
    is what notices a changed citation, a lost rule or a rule dated by the wrong provision."""
    import json
    from pathlib import Path

    expected = json.loads((Path(__file__).parent / "enforcement_rules.json").read_text(encoding="utf-8"))
    assert [[key, rule.source, rule.provision] for key, rule in RULES.items()] == expected
    assert all(rule.key == key for key, rule in RULES.items())


def test_the_next_rung_at_the_ends_of_the_ladder():
    assert next_rung(DEFAULT_LADDER, [DEFAULT_LADDER[-2]]) == DEFAULT_LADDER[-1]  # the top is still a rung
    assert next_rung(DEFAULT_LADDER, [DEFAULT_LADDER[-1]]) is None
    assert next_rung(DEFAULT_LADDER, ["a_step_off_the_ladder"]) == DEFAULT_LADDER[0]
    assert next_rung([], []) is None  # a partnership with no ladder: no rung, not an error


def test_a_closure_notice_ends_its_hours_after_it_was_served():
    """What the closure notice letter and the step's page print as the notice's end (s.77 ASBCPA 2014)."""
    served_at = datetime(2026, 3, 28, 21, 30)
    assert closure_notice_ends(served_at, 24) == datetime(2026, 3, 29, 21, 30)
    assert closure_notice_ends(served_at, 48) == datetime(2026, 3, 30, 21, 30)
