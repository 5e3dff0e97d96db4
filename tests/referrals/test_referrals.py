"""Referrals to the standing panels (issue 16): a housing officer refers a tenant to Community
MARAC; the three criteria are checked by the core and explained; consent or the lawful basis is
recorded; a referral short of a criterion stores nothing (ADR 0062)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from casereview.audit.models import AccessEvent
from casereview.referrals import selectors, services
from casereview.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmarac(demo):
    return demo.partnership("islington").policy.panel_kind("cmarac")


def _data(**changes):
    data = {
        "summary": "Tenant targeted by neighbours; self-neglect; door kicked in twice.",
        "consent": "given",
        "person_name": "Jo Bloggs",
        "vulnerabilities": ["mental_health"],
        "risk_answers": {"harm_to_self": True, "harm_from_others": True},
        "asb_reports": 4,
        **changes,
    }
    return services.ReferralData(**data)


def test_a_housing_officer_refers_a_tenant_who_meets_all_three_criteria(demo, cmarac):
    housing = demo.user("is-housing")
    referral = services.referral_make(
        partnership=demo.partnership("islington"), kind=cmarac, data=_data(), actor=housing
    )
    assert (referral.risk_score, referral.risk_level) == (6, "medium")
    assert referral.lawful_basis == "ukgdpr_6_1_a" and referral.agency == housing.agency
    assert [code for code, _ in referral.reason_codes][:4] == [
        "referral_vulnerability_met",
        "referral_risk_met",
        "referral_asb_met",
        "referral_criteria_met",
    ]
    assert referral.policy_digest == demo.partnership("islington").policy.digest
    event = AccessEvent.objects.get(
        object_type="referrals.referral", action="create", summary__endswith="to cmarac made"
    )
    assert event.lawful_basis == "ukgdpr_6_1_a"


def test_short_of_a_criterion_nothing_is_stored_and_the_reasons_say_why(demo, cmarac, unchanged_rows):
    with unchanged_rows(), pytest.raises(services.CriteriaNotMet) as refused:
        services.referral_make(
            partnership=demo.partnership("islington"),
            kind=cmarac,
            data=_data(risk_answers={"tenancy_at_risk": True}),
            actor=demo.user("is-housing"),
        )
    assert refused.value.result.unmet == ("risk",)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent": "refused", "lawful_basis": ""}, "lawful_basis"),
        ({"consent": "not_sought", "lawful_basis": "cda1998_s115", "consent_notes": ""}, "consent_notes"),
        ({"summary": " "}, "summary"),
        ({"person_name": ""}, "person_name"),
        ({"person_profile": 999999, "person_name": ""}, "person_profile"),
    ],
)
def test_consent_or_a_lawful_basis_is_required(demo, cmarac, unchanged_rows, changes, field):
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        services.referral_make(
            partnership=demo.partnership("islington"),
            kind=cmarac,
            data=_data(**changes),
            actor=demo.user("is-housing"),
        )
    assert field in error.value.message_dict


def test_without_consent_under_section_115(demo, cmarac):
    referral = services.referral_make(
        partnership=demo.partnership("islington"),
        kind=cmarac,
        data=_data(consent="refused", lawful_basis="cda1998_s115", consent_notes="Risk of serious harm."),
        actor=demo.user("is-housing"),
    )
    assert referral.lawful_basis == "cda1998_s115"


def test_who_refers_and_who_sees(demo, cmarac, client):
    referral = services.referral_make(
        partnership=demo.partnership("islington"), kind=cmarac, data=_data(), actor=demo.user("is-housing")
    )
    assert selectors.may_refer(demo.user("is-housing"), cmarac)
    assert not selectors.may_refer(demo.user("wn-housing"), demo.partnership().policy.panel_kind("cmarac"))
    # The community safety team (a member role) and the referring agency see it; the police do not.
    assert referral in selectors.referrals_visible_to(demo.user("is-csm"))
    assert referral not in selectors.referrals_visible_to(demo.user("is-police"))
    client.force_login(demo.user("is-police"))
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    client.force_login(demo.user("is-csm"))
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Vulnerability: met — the referral records mental health." in page
    client.force_login(demo.user("wn-housing"))
    assert client.get("/referrals/cmarac/new/").status_code == 404


def test_the_form_explains_a_referral_short_of_the_criteria(demo, client):
    client.force_login(demo.user("is-housing"))
    page = client.post(
        "/referrals/cmarac/new/",
        {"person_name": "Jo Bloggs", "asb_reports": "0", "summary": "Worried.", "consent": "given"},
    ).content.decode()
    assert "The referral does not meet the panel's criteria" in page
    assert "Vulnerability: not met" in page and "Risk: not met — the risk is low" in page
    assert not Referral.objects.exists()
    made = client.post(
        "/referrals/cmarac/new/",
        {
            "person_name": "Jo Bloggs",
            "vulnerabilities": ["mental_health"],
            "risk_answers": ["harm_to_self", "escalating"],
            "asb_reports": "2",
            "summary": "Worried.",
            "consent": "given",
        },
    )
    referral = Referral.objects.get()
    assert made.url == f"/referrals/{referral.pk}/" and referral.risk_level == "medium"
