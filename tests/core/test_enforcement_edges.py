"""The enforcement rules at the edges the seeded corpus never reaches (docs/testing.md, the mutation
run of 7 December 2026): the law as it will be once the 2026 Act and the reforms commence — the
lowered CPN age, Respect Orders, youth injunctions, 72-hour dispersal and hearings — each on the
day before and the day of its commencement, at the ages either side of each limit, with each
finding given whole (its code, parameters, rule, date in force and next step: what the page says
and links to)."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from casereview.core.commencement import default_register
from casereview.core.enforcement import (
    RULES,
    Finding,
    Judgement,
    PriorStep,
    ProposedStep,
    closure_hearing,
    judge,
)

REGISTER = default_register()
#: Each not yet commenced provision given a commencement day in England (Wales keeps the law now).
COMMENCED = date(2027, 1, 4)
FUTURE = REGISTER.with_dates(
    [
        (key, "england", COMMENCED, "test")
        for key in (
            "reform.cpn_age_10",
            "reform.closure_hearing_72h",
            "reform.dispersal_72h",
            "cpa2026.respect_orders",
            "cpa2026.youth_injunctions",
        )
    ]
)
ON = COMMENCED + timedelta(days=30)


def dob_for(age: int, on: date = ON) -> date:
    """A date of birth that makes the person exactly ``age`` on ``on`` (their birthday)."""
    return on.replace(year=on.year - age)


def refusals(judgement) -> list[tuple]:
    """Each refusal whole: code, parameters, rule, date in force, next step."""
    return [(f.code, f.params, f.rule, f.in_force_from, f.next_step) for f in judgement.refusals]


# --- Refusing what cannot be judged ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (ProposedStep("asbo", on=ON), "unknown step kind 'asbo'"),
        (ProposedStep("cpw", on=ON, agency_kind="landlord"), "unknown agency kind 'landlord'"),
        (ProposedStep("cpw", on=ON, subject="vehicle"), "unknown subject 'vehicle'"),
    ],
)
def test_a_step_of_an_unknown_kind_agency_or_subject_is_an_error_naming_it(step, message):
    with pytest.raises(ValueError) as caught:
        judge(step, REGISTER)
    assert str(caught.value) == message


def test_what_a_recorded_step_stores_holds_its_warnings_as_reason_codes():
    """No rule warns today, but a judgement's warnings are stored as its refusals are."""
    warning = Finding(
        "closure_over_24_needs_senior", {"hours": 30}, "closure.duration", "s.77", COMMENCED, "x"
    )
    stored = Judgement(True, (), (warning,)).codes()
    assert stored["warnings"] == [
        [
            "closure_over_24_needs_senior",
            {
                "hours": 30,
                "_rule": "closure.duration",
                "_source": "s.77",
                "_in_force_from": "2027-01-04",
                "_next_step": "x",
            },
        ]
    ]


# --- The CPN: the latest warning, the lowered age -------------------------------------------------


def test_a_cpn_counts_from_the_latest_warning_whatever_order_they_are_recorded_in():
    older = PriorStep("cpw", served_on=date(2026, 1, 5), comply_by=date(2026, 1, 19))
    newer = PriorStep("cpw", served_on=date(2026, 3, 2), comply_by=date(2026, 3, 16))
    for prior in ((older, newer), (newer, older)):
        on_the_last_day = judge(
            ProposedStep("cpn", on=date(2026, 3, 16), date_of_birth=date(1990, 1, 1), prior=prior), REGISTER
        )
        assert refusals(on_the_last_day) == [
            (
                "cpn_too_soon",
                {"warned_on": "2026-03-02", "comply_by": "2026-03-16", "earliest": "2026-03-17"},
                "cpn.time_to_comply",
                date(2014, 10, 20),
                "wait_until:2026-03-17",
            )
        ]
        the_day_after = ProposedStep("cpn", on=date(2026, 3, 17), date_of_birth=date(1990, 1, 1), prior=prior)
        assert judge(the_day_after, REGISTER).allowed


def cpn_under(register, on, **kw) -> ProposedStep:
    warned = PriorStep("cpw", served_on=on - timedelta(days=30), comply_by=on - timedelta(days=10))
    return ProposedStep("cpn", on=on, prior=(warned,), **kw)


def test_an_unknown_age_names_the_age_rule_in_force_that_day():
    before = judge(cpn_under(FUTURE, COMMENCED - timedelta(days=1)), FUTURE)
    assert refusals(before) == [("age_unknown", {}, "cpn.age_16", date(2014, 10, 20), "record_date_of_birth")]
    on_the_day = judge(cpn_under(FUTURE, COMMENCED), FUTURE)
    assert refusals(on_the_day) == [("age_unknown", {}, "cpn.age_10", COMMENCED, "record_date_of_birth")]


@pytest.mark.parametrize(
    ("age", "youth_services", "expected"),
    [
        (
            9,
            True,
            [("too_young", {"kind": "cpn", "age": 9, "minimum": 10}, "cpn.age_10", COMMENCED, "choose_step")],
        ),
        (
            10,
            False,
            [("cpn_youth_services", {"age": 10}, "cpn.age_10", COMMENCED, "record_referral:youth_services")],
        ),
        (10, True, []),
        (
            17,
            False,
            [("cpn_youth_services", {"age": 17}, "cpn.age_10", COMMENCED, "record_referral:youth_services")],
        ),
        (18, False, []),
    ],
)
def test_the_lowered_cpn_age_each_finding_whole(age, youth_services, expected):
    duties = frozenset({"youth_services_engaged"}) if youth_services else frozenset()
    step = cpn_under(FUTURE, COMMENCED, date_of_birth=dob_for(age, COMMENCED), duties=duties)
    assert refusals(judge(step, FUTURE)) == expected


def test_the_age_16_limit_applies_only_while_its_provision_is_in_force():
    """An administrator who records the 2014 age limit as not in force (a nation's date left out)
    has no age limit applied: the rule follows the register, not the code."""
    without = REGISTER.with_dates([("asbcpa2014.s43.cpn_age_16", "england", None, "test")])
    step = cpn_under(without, date(2026, 3, 2), date_of_birth=dob_for(12, date(2026, 3, 2)))
    assert judge(step, without).allowed
    assert refusals(judge(step, REGISTER)) == [
        (
            "too_young",
            {"kind": "cpn", "age": 12, "minimum": 16},
            "cpn.age_16",
            date(2014, 10, 20),
            "choose_step",
        )
    ]


# --- Civil injunctions, youth injunctions, Respect Orders -----------------------------------------


YOT = frozenset({"yot_consulted"})


@pytest.mark.parametrize(
    ("on", "age", "expected"),
    [
        (COMMENCED - timedelta(days=1), 18, []),
        (COMMENCED, 17, []),
        (
            COMMENCED,
            18,
            [
                (
                    "injunction_replaced",
                    {"age": 18},
                    "injunction.replaced_for_adults",
                    COMMENCED,
                    "record_step:respect_order",
                )
            ],
        ),
    ],
)
def test_a_civil_injunction_gives_way_to_the_respect_order_from_the_18th_birthday(on, age, expected):
    step = ProposedStep("civil_injunction", on=on, date_of_birth=dob_for(age, on), duties=YOT)
    assert refusals(judge(step, FUTURE)) == expected


@pytest.mark.parametrize(
    ("age", "duties", "expected"),
    [
        (17, YOT, []),
        (
            17,
            frozenset(),
            [
                (
                    "yot_not_consulted",
                    {"kind": "youth_injunction", "age": 17},
                    "injunction.yot",
                    date(2015, 3, 23),
                    "record_duty:yot_consulted",
                )
            ],
        ),
        (
            18,
            YOT,
            [
                (
                    "youth_injunction_adult",
                    {"age": 18},
                    "youth_injunction.age",
                    COMMENCED,
                    "record_step:respect_order",
                )
            ],
        ),
    ],
)
def test_a_youth_injunction_is_for_under_18s(age, duties, expected):
    step = ProposedStep("youth_injunction", on=ON, date_of_birth=dob_for(age), duties=duties)
    assert refusals(judge(step, FUTURE)) == expected


def test_a_youth_injunction_before_its_commencement_day_is_not_a_power():
    step = ProposedStep("youth_injunction", on=COMMENCED - timedelta(days=1), age=15, duties=YOT)
    assert [f.code for f in judge(step, FUTURE).refusals] == ["power_not_in_force"]
    assert judge(ProposedStep("youth_injunction", on=COMMENCED, age=15, duties=YOT), FUTURE).allowed


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (None, [("age_unknown", {}, "respect_order.adults", COMMENCED, "record_date_of_birth")]),
        (17, [("respect_order_adults_only", {"age": 17}, "respect_order.adults", COMMENCED, "choose_step")]),
        (18, []),
    ],
)
def test_a_respect_order_needs_an_adult_of_known_age(age, expected):
    step = ProposedStep("respect_order", on=COMMENCED, date_of_birth=dob_for(age, COMMENCED) if age else None)
    assert refusals(judge(step, FUTURE)) == expected


def test_a_housing_providers_respect_order_asks_for_its_assessment():
    step = ProposedStep("respect_order", on=COMMENCED, agency_kind="housing", age=30)
    assert refusals(judge(step, FUTURE)) == [
        (
            "respect_order_needs_assessment",
            {},
            "respect_order.assessment",
            COMMENCED,
            "record_duty:vulnerability_risk_assessment",
        )
    ]


# --- Closure notices, hearings and dispersal: the shortest and the longest -----------------------


def test_a_closure_notice_of_one_hour_is_a_length():
    step = ProposedStep(
        "closure_notice",
        on=ON,
        subject="premises",
        duties=frozenset({"occupants_informed", "appropriate_consulted"}),
        duration_hours=1,
    )
    assert judge(step, REGISTER).allowed
    assert refusals(judge(replace(step, duration_hours=0), REGISTER)) == [
        ("closure_duration_missing", {}, "closure.duration", date(2014, 10, 20), "record_duration")
    ]


def dispersal(on, hours) -> ProposedStep:
    return ProposedStep(
        "dispersal_direction", on=on, agency_kind="police", subject="area", duration_hours=hours
    )


@pytest.mark.parametrize(
    ("on", "hours", "expected"),
    [
        (COMMENCED, 1, []),
        (COMMENCED, 72, []),
        (
            COMMENCED,
            73,
            [
                (
                    "dispersal_too_long",
                    {"hours": 73, "limit": 72},
                    "dispersal.duration_72h",
                    COMMENCED,
                    "record_duration",
                )
            ],
        ),
        (
            COMMENCED - timedelta(days=1),
            49,
            [
                (
                    "dispersal_too_long",
                    {"hours": 49, "limit": 48},
                    "dispersal.duration",
                    date(2014, 10, 20),
                    "record_duration",
                )
            ],
        ),
        (
            COMMENCED,
            0,
            [("dispersal_duration_missing", {}, "dispersal.duration_72h", COMMENCED, "record_duration")],
        ),
    ],
)
def test_a_dispersal_direction_up_to_72_hours_from_the_reforms_day(on, hours, expected):
    assert refusals(judge(dispersal(on, hours), FUTURE)) == expected


@pytest.mark.parametrize(
    ("served", "hours", "rule", "since"),
    [
        (datetime(2027, 1, 3, 23, 59), 48, "closure.hearing_48h", date(2014, 10, 20)),
        (datetime(2027, 1, 4, 0, 0), 72, "closure.hearing_72h", COMMENCED),
    ],
)
def test_the_closure_hearing_names_its_rule_source_and_date_in_force(served, hours, rule, since):
    hearing = closure_hearing(served, nation="england", register=FUTURE)
    assert (hearing.served_at, hearing.hours, hearing.deadline) == (
        served,
        hours,
        served + timedelta(hours=hours),
    )
    assert (hearing.rule, hearing.source, hearing.in_force_from) == (rule, RULES[rule].source, since)
    assert RULES[rule].source.startswith("Anti-social Behaviour, Crime and Policing Act 2014, s.80")


def test_a_local_duty_missing_is_refused_whole_naming_the_duty_to_record():
    step = ProposedStep(
        "cpw",
        on=ON,
        comply_by=ON + timedelta(days=14),
        duties=frozenset({"appropriate_consulted"}),
        local_duties={"cpw": ("appropriate_consulted", "occupants_informed"), "cpn": ("convicted",)},
    )
    assert refusals(judge(step, REGISTER)) == [
        (
            "local_duty_missing",
            {"kind": "cpw", "duty": "occupants_informed"},
            "local.duty",
            None,
            "record_duty:occupants_informed",
        )
    ]
