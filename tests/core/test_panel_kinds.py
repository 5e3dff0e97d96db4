"""The standing panels (core/panel_kinds.py, ADR 0062): the policy's declarations and the pure
decisions on them — CMARAC's three criteria, the risk matrix, the close rule and the agenda —
each at its edges, with the reasons rendered in English and through a translation."""

from __future__ import annotations

from datetime import date

import pytest

from casereview.core.errors import PolicyError
from casereview.core.panel_kinds import (
    AgendaCandidate,
    HotspotFact,
    ReferralFacts,
    build_agenda,
    close_check,
    next_meeting_on,
    referral_criteria_check,
)
from casereview.core.policy import load_policy, policy_from_toml
from casereview.core.reasons import PANEL_REASON_CODES, REASON_CODES, Words, render, render_all

ISLINGTON = load_policy("islington")
CMARAC = ISLINGTON.panel_kind("cmarac")

WELSH_MARKED = Words(
    gettext=lambda text: "«" + text + "»",
    ngettext=lambda one, many, n: "«" + (one if n == 1 else many) + "»",
    language="cy",
)


def test_islington_declares_the_five_panels_of_seed_003():
    assert [kind.code for kind in ISLINGTON.panel_kinds] == [
        "cmarac",
        "cuckooing",
        "repeat-callers",
        "street-users",
        "enhanced-partnership-response",
    ]
    assert CMARAC.referral_criteria == ("vulnerability", "risk", "asb")
    assert CMARAC.display_name("cy") == "MARAC Cymunedol"
    assert ISLINGTON.address_tracker_panel.code == "cuckooing"
    assert load_policy("statutory").panel_kinds == ()
    assert load_policy("statutory").address_tracker_panel is None


def test_membership_is_by_agency_kind_or_role():
    cuckooing = ISLINGTON.panel_kind("cuckooing")
    assert cuckooing.is_member(agency_kind="police")
    assert not cuckooing.is_member(agency_kind="other")
    assert cuckooing.is_member(agency_kind=None, roles=["community_safety_manager"])
    assert not cuckooing.is_member(agency_kind=None, roles=["analyst"])


# --- CMARAC's three criteria -------------------------------------------------------------------


def test_all_three_criteria_met():
    result = referral_criteria_check(
        CMARAC, ReferralFacts(vulnerabilities=("mental_health",), risk_level="medium", asb_reports=1)
    )
    assert result.met and result.unmet == ()
    assert [code for code, _ in result.reasons] == [
        "referral_vulnerability_met",
        "referral_risk_met",
        "referral_asb_met",
        "referral_criteria_met",
    ]
    assert render_all(result.reasons)[0] == "Vulnerability: met — the referral records mental health."


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        (ReferralFacts(vulnerabilities=(), risk_level="high", asb_reports=5), ("vulnerability",)),
        (ReferralFacts(vulnerabilities=("age",), risk_level="low", asb_reports=5), ("risk",)),
        (ReferralFacts(vulnerabilities=("age",), risk_level=None, asb_reports=5), ("risk",)),
        (ReferralFacts(vulnerabilities=("age",), risk_level="high", asb_reports=0), ("asb",)),
        (ReferralFacts(), ("vulnerability", "risk", "asb")),
    ],
)
def test_one_criterion_short_is_not_met_and_says_which(facts, unmet):
    result = referral_criteria_check(CMARAC, facts)
    assert not result.met
    assert result.unmet == unmet
    assert result.reasons[-1] == ("referral_criteria_not_met", {"panel": "cmarac", "unmet": list(unmet)})
    for criterion in unmet:
        assert (f"referral_{criterion}_not_met") in [code for code, _ in result.reasons]


def test_the_risk_and_asb_criteria_at_their_edges():
    # medium is the least risk that meets CMARAC's criterion; 1 report the least ASB.
    edge = ReferralFacts(vulnerabilities=("age",), risk_level="medium", asb_reports=1)
    assert referral_criteria_check(CMARAC, edge).met
    # The Enhanced Partnership Response hears an address that is a current hotspot: more than 6
    # reports in the window (the policy's [hotspots] rule).
    epr = ISLINGTON.panel_kind("enhanced-partnership-response")
    window = {
        "location": "1 Example Road",
        "more_than": 6,
        "first": date(2026, 5, 1),
        "last": date(2026, 5, 14),
    }
    assert not referral_criteria_check(
        epr, ReferralFacts(subject="address", hotspot=HotspotFact(reports=6, **window))
    ).met
    assert referral_criteria_check(
        epr, ReferralFacts(subject="address", hotspot=HotspotFact(reports=7, **window))
    ).met


def test_a_panel_without_criteria_takes_every_referral():
    result = referral_criteria_check(ISLINGTON.panel_kind("street-users"), ReferralFacts())
    assert result.met and result.reasons == (("referral_criteria_met", {"panel": "street-users"}),)


def test_the_reasons_render_in_english_and_through_the_translation():
    result = referral_criteria_check(
        CMARAC, ReferralFacts(vulnerabilities=("mental_health", "social_isolation"), risk_level="low")
    )
    english = render_all(result.reasons)
    assert english == [
        "Vulnerability: met — the referral records mental health and social isolation.",
        "Risk: not met — the risk is low; the panel hears cases at medium risk or above.",
        "Anti-social behaviour: not met — 0 reports recorded; the panel needs at least 1 report.",
        "The referral does not meet 2 of the panel's criteria; it can be heard once it does.",
    ]
    welsh = render_all(result.reasons, WELSH_MARKED)
    assert welsh[0] == "«Vulnerability: met — the referral records ««mental health» and «social isolation»».»"
    assert all(sentence.startswith("«") for sentence in welsh)


def test_a_household_or_an_address_says_whose_vulnerability_and_the_person_reasons_are_unchanged():
    person = referral_criteria_check(CMARAC, ReferralFacts(vulnerabilities=("age",)))
    assert person.reasons[0] == ("referral_vulnerability_met", {"panel": "cmarac", "factors": ["age"]})
    household = referral_criteria_check(CMARAC, ReferralFacts(vulnerabilities=("age",), subject="household"))
    assert render(household.reasons[0]) == "Vulnerability: met — the referral records age in the household."
    address = referral_criteria_check(CMARAC, ReferralFacts(subject="address"))
    assert render(address.reasons[0]).startswith(
        "Vulnerability: not met — vulnerability is a person's, and the referral records none."
    )
    assert render(address.reasons[0], WELSH_MARKED).startswith("«Vulnerability: not met")
    with pytest.raises(ValueError, match="unknown subject 'street'"):
        ReferralFacts(subject="street")


def test_the_hotspot_criterion_is_met_only_by_an_address_over_the_rules_bar():
    epr = ISLINGTON.panel_kind("enhanced-partnership-response")
    assert epr.referral_criteria == ("hotspot",) and epr.referred_from == ("hotspot",)
    spot = HotspotFact(
        location="UPRN 1", reports=9, more_than=6, first=date(2026, 5, 1), last=date(2026, 5, 14)
    )
    met = referral_criteria_check(epr, ReferralFacts(subject="address", hotspot=spot))
    assert met.met
    assert render(met.reasons[0]) == (
        "Hotspot: met — 9 reports at UPRN 1 from 1 May 2026 to 14 May 2026; a hotspot has more than 6."
    )
    household = referral_criteria_check(epr, ReferralFacts(subject="household", hotspot=spot))
    assert household.unmet == ("hotspot",)
    assert "Refer the address." in render(household.reasons[0])
    no_rule = referral_criteria_check(epr, ReferralFacts(subject="address"))
    assert "no hotspot rule" in render(no_rule.reasons[0])
    assert ISLINGTON.panel_kind("repeat-callers").referred_from == ("repeat_caller_triage",)


def test_unknown_facts_are_errors_not_silence():
    with pytest.raises(ValueError, match="unknown vulnerability 'sad'"):
        ReferralFacts(vulnerabilities=("sad",))
    with pytest.raises(ValueError, match="unknown risk level 'severe'"):
        ReferralFacts(risk_level="severe")
    with pytest.raises(ValueError, match="negative"):
        ReferralFacts(asb_reports=-1)


# --- The risk tool -----------------------------------------------------------------------------


def test_the_risk_matrix_at_its_thresholds():
    tool = CMARAC.risk_tool  # medium from 4, high from 8; weights 3, 3, 2, 1, 1
    assert tool.assess({}).level == "low"
    assert tool.assess({"harm_to_self": True}).level == "low"  # 3
    assert tool.assess({"harm_to_self": True, "tenancy_at_risk": True}).level == "medium"  # 4
    seven = {"harm_to_self": True, "harm_from_others": True, "tenancy_at_risk": True}
    assert tool.assess(seven).score == 7 and tool.assess(seven).level == "medium"
    eight = {**seven, "no_support": True}
    assessment = tool.assess(eight)
    assert (assessment.score, assessment.level) == (8, "high")
    assert assessment.reasons[0][0] == "risk_scored"
    assert render(assessment.reasons[0]) == (
        "Community MARAC risk matrix: a score of 8, so the risk is high (medium from 4, high from 8)."
    )
    assert render(assessment.reasons[1]) == (
        "Answered yes: Is there a risk of serious harm to the person (self-neglect, self-harm)? (adds 3)."
    )
    assert "A oes risg" in render(assessment.reasons[1], WELSH_MARKED)


def test_each_yes_is_stored_as_a_reason_code_naming_its_question():
    """The assessment is stored as reason codes: each factor names the question answered yes by
    its code (what the panel's record keeps), with both labels and its weight."""
    assessment = CMARAC.risk_tool.assess({"harm_to_self": True, "tenancy_at_risk": True})
    assert assessment.reasons[1:] == (
        (
            "risk_factor",
            {
                "question": "harm_to_self",
                "label": "Is there a risk of serious harm to the person (self-neglect, self-harm)?",
                "label_cy": "A oes risg o niwed difrifol i'r person (hunan-esgeulustod, hunan-niweidio)?",
                "weight": 3,
            },
        ),
        (
            "risk_factor",
            {
                "question": "tenancy_at_risk",
                "label": CMARAC.risk_tool.question("tenancy_at_risk").label,
                "label_cy": CMARAC.risk_tool.question("tenancy_at_risk").label_cy,
                "weight": 1,
            },
        ),
    )


def test_a_no_answer_scores_nothing_and_an_unknown_question_is_an_error():
    tool = CMARAC.risk_tool
    assert tool.assess({"harm_to_self": False}).score == 0
    with pytest.raises(ValueError, match="unknown risk question 'stale_question'"):
        tool.assess({"stale_question": True})


# --- Closing -----------------------------------------------------------------------------------


def test_a_case_closes_only_with_a_reason_and_the_panels_agreement():
    assert close_check(CMARAC, reason="risk_reduced", panel_agreed=True).allowed
    no_reason = close_check(CMARAC, reason=None, panel_agreed=True)
    assert not no_reason.allowed and [c for c, _ in no_reason.reasons] == ["close_needs_reason"]
    neither = close_check(CMARAC, reason="", panel_agreed=False)
    assert [c for c, _ in neither.reasons] == ["close_needs_reason", "close_needs_panel_agreement"]
    assert render(neither.reasons[1]).startswith("The panel must agree")
    # Street Users only needs a reason.
    assert close_check(ISLINGTON.panel_kind("street-users"), reason="moved_away", panel_agreed=False).allowed
    with pytest.raises(ValueError, match="unknown close reason"):
        close_check(CMARAC, reason="bored", panel_agreed=True)


def test_a_close_rule_can_refuse_while_risk_is_high():
    text = ISLINGTON_TEXT.replace(
        'close_requires = ["reason", "panel_agreement"]          # the issue',
        'close_requires = ["reason", "panel_agreement", "risk_not_high"]  # the issue',
        1,
    )
    kind = policy_from_toml(text).panel_kind("cmarac")
    refused = close_check(kind, reason="risk_reduced", panel_agreed=True, risk_level="high")
    assert [c for c, _ in refused.reasons] == ["close_risk_still_high"]
    assert close_check(kind, reason="risk_reduced", panel_agreed=True, risk_level="medium").allowed


# --- The agenda --------------------------------------------------------------------------------


def test_the_agenda_holds_new_referrals_then_reviews_due_on_or_before_the_meeting():
    meeting = date(2026, 3, 10)
    agenda = build_agenda(
        meeting,
        [
            AgendaCandidate("C-late-referral", "referred", referred_on=date(2026, 3, 11)),
            AgendaCandidate("C-referral-day", "referred", referred_on=date(2026, 3, 10)),
            AgendaCandidate("C-old-referral", "referred", referred_on=date(2026, 2, 1)),
            AgendaCandidate("C-due-today", "open", next_review_on=date(2026, 3, 10)),
            AgendaCandidate("C-due-tomorrow", "open", next_review_on=date(2026, 3, 11)),
            AgendaCandidate("C-overdue", "open", next_review_on=date(2026, 1, 5)),
            AgendaCandidate("C-no-date", "open"),
            AgendaCandidate("C-closed", "closed", next_review_on=date(2026, 1, 1)),
        ],
    )
    assert [(item.ref, item.why) for item in agenda] == [
        ("C-old-referral", "new_referral"),
        ("C-referral-day", "new_referral"),
        ("C-overdue", "review_due"),
        ("C-due-today", "review_due"),
        ("C-no-date", "review_date_missing"),
    ]
    assert build_agenda(meeting, []) == ()
    with pytest.raises(ValueError, match="unknown case status"):
        build_agenda(meeting, [AgendaCandidate("C", "archived")])


def test_the_next_meeting_follows_the_declared_frequency():
    assert next_meeting_on(CMARAC, date(2026, 1, 31)) == date(2026, 2, 28)
    epr = ISLINGTON.panel_kind("enhanced-partnership-response")
    assert next_meeting_on(epr, date(2026, 1, 31)) == date(2026, 2, 7)


# --- The policy's validation -------------------------------------------------------------------

ISLINGTON_TEXT = (
    __import__("importlib.resources", fromlist=["files"])
    .files("casereview.core.presets")
    .joinpath("islington.toml")
    .read_text("utf-8")
)


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('code = "cmarac"', 'code = "cuckooing"', "panel_kinds[1].code", "used by an earlier panel kind"),
        ('name_cy = "MARAC Cymunedol"\n', "", "panel_kinds[0].name_cy", "required but missing"),
        (
            'referral_criteria = ["vulnerability", "risk", "asb"]',
            'referral_criteria = ["vulnerability", "danger"]',
            "panel_kinds[0].referral_criteria[1]",
            "unknown value 'danger'",
        ),
        ('meets_every = "1 month"  ', 'meets_every = "monthly"  ', "panel_kinds[0].meets_every", "monthly"),
        ("medium_from = 4", "medium_from = 10", "panel_kinds[0].risk_tool.medium_from", "add up to 10"),
        ("high_from = 8", "high_from = 4", "panel_kinds[0].risk_tool.high_from", "more than medium_from"),
        ('min_risk = "medium"', 'min_risk = "severe"', "panel_kinds[0].min_risk", "unknown value"),
        (
            'referred_from = ["hotspot"]',
            'referred_from = ["hotspots"]',
            "panel_kinds[4].referred_from[0]",
            "unknown value 'hotspots'",
        ),
        (
            'member_agency_kinds = ["council", "police", "housing"]\n'
            'member_roles = ["community_safety_manager"]\nmeets_every = "1 week"',
            'member_agency_kinds = []\nmember_roles = ["community_safety_manager"]\nmeets_every = "1 week"',
            "panel_kinds[4].member_agency_kinds",
            "at least one kind of agency",
        ),
        (
            "weight = 3\n",
            "wieght = 3\n",
            "panel_kinds[0].risk_tool.questions[0].wieght",
            "did you mean 'weight'",
        ),
    ],
)
def test_a_mistake_in_a_panel_kind_names_the_key(old, new, key, message):
    assert old in ISLINGTON_TEXT
    with pytest.raises(PolicyError) as error:
        policy_from_toml(ISLINGTON_TEXT.replace(old, new, 1))
    assert error.value.key == key
    assert message in str(error.value)


def test_risk_as_a_criterion_needs_a_risk_tool_and_only_one_panel_keeps_the_tracker():
    cut = ISLINGTON_TEXT.index(
        "[panel_kinds.risk_tool]                                 # (product example) a simple"
    )
    end = ISLINGTON_TEXT.index('[[panel_kinds]]\ncode = "cuckooing"')
    with pytest.raises(PolicyError) as error:
        policy_from_toml(ISLINGTON_TEXT[:cut] + ISLINGTON_TEXT[end:])
    assert error.value.key == "panel_kinds[0].risk_tool"
    twice = ISLINGTON_TEXT.replace(
        'close_requires = ["reason"]\n', 'close_requires = ["reason"]\nkeeps_address_tracker = true\n', 1
    )
    with pytest.raises(PolicyError, match="only one panel kind may keep the address tracker"):
        policy_from_toml(twice)


def test_the_panel_codes_are_their_own_vocabulary():
    assert not set(PANEL_REASON_CODES) & set(REASON_CODES)
    with pytest.raises(ValueError, match="unknown reason code"):
        render(("referral_maybe", {}))


def test_the_agenda_orders_by_date_not_by_reference_and_keeps_each_items_date():
    """New referrals oldest first and reviews most overdue first, whatever their references; each
    item keeps the date it is on the agenda for; undated reviews last, by reference."""
    meeting = date(2026, 3, 10)
    agenda = build_agenda(
        meeting,
        [
            AgendaCandidate("Z-undated", "open"),
            AgendaCandidate("B-newer-referral", "referred", referred_on=date(2026, 3, 1)),
            AgendaCandidate("A-undated", "open"),
            AgendaCandidate("Z-older-referral", "referred", referred_on=date(2026, 2, 1)),
            AgendaCandidate("A-due", "open", next_review_on=date(2026, 3, 9)),
            AgendaCandidate("Z-more-overdue", "open", next_review_on=date(2026, 1, 9)),
            AgendaCandidate("M-undated", "open"),
        ],
    )
    assert [(item.ref, item.why, item.since) for item in agenda] == [
        ("Z-older-referral", "new_referral", date(2026, 2, 1)),
        ("B-newer-referral", "new_referral", date(2026, 3, 1)),
        ("Z-more-overdue", "review_due", date(2026, 1, 9)),
        ("A-due", "review_due", date(2026, 3, 9)),
        ("A-undated", "review_date_missing", None),
        ("M-undated", "review_date_missing", None),
        ("Z-undated", "review_date_missing", None),
    ]


def test_an_unknown_risk_question_names_every_known_one():
    tool = next(kind.risk_tool for kind in ISLINGTON.panel_kinds if kind.risk_tool is not None)
    codes = [question.code for question in tool.questions]
    with pytest.raises(ValueError) as refused:
        tool.question("no_such_question")
    assert str(refused.value) == f"unknown risk question 'no_such_question' (known: {', '.join(codes)})"


def test_a_close_check_gives_its_reasons_whole():
    from dataclasses import replace

    from casereview.core.panel_kinds import CLOSE_REASONS

    assert close_check(CMARAC, reason="risk_reduced", panel_agreed=True).reasons == (
        ("close_allowed", {"panel": "cmarac", "reason": "risk_reduced"}),
    )
    refused = close_check(CMARAC, reason=None, panel_agreed=False)
    assert (refused.allowed, refused.reasons) == (
        False,
        (("close_needs_reason", {"panel": "cmarac"}), ("close_needs_panel_agreement", {"panel": "cmarac"})),
    )
    strict = replace(CMARAC, close_requires=("risk_not_high",))
    assert close_check(strict, reason=None, panel_agreed=True, risk_level="high").reasons == (
        ("close_risk_still_high", {"panel": "cmarac"}),
    )
    with pytest.raises(ValueError) as refused_reason:
        close_check(CMARAC, reason="bored", panel_agreed=True)
    assert str(refused_reason.value) == f"unknown close reason 'bored' (known: {', '.join(CLOSE_REASONS)})"


def test_a_panel_is_named_in_the_readers_language():
    assert CMARAC.display_name() == CMARAC.name and CMARAC.display_name("en") == CMARAC.name
    assert CMARAC.display_name("cy") == CMARAC.name_cy != CMARAC.name


def test_wrong_referral_facts_are_refused_word_for_word():
    from casereview.core.panel_kinds import RISK_LEVELS, VULNERABILITY_FACTORS

    with pytest.raises(ValueError) as wrong:
        ReferralFacts(vulnerabilities=("luck",))
    assert str(wrong.value) == f"unknown vulnerability 'luck' (known: {', '.join(VULNERABILITY_FACTORS)})"
    with pytest.raises(ValueError) as wrong:
        ReferralFacts(risk_level="extreme")
    assert str(wrong.value) == f"unknown risk level 'extreme' (known: {', '.join(RISK_LEVELS)})"
    with pytest.raises(ValueError) as wrong:
        ReferralFacts(asb_reports=-1)
    assert str(wrong.value) == "asb_reports cannot be negative"


def test_an_unknown_subject_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError) as raised:
        ReferralFacts(subject="street")
    assert str(raised.value) == "unknown subject 'street' (known: person, household, address)"
