"""The case kernel (ADR 0048): kinds with their tables, the one status change, parties in roles,
and the one access selector over every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from casereview.applications import services as s
from casereview.applications.kinds import UnknownCaseKind, case_kind, register_case_kind, unregister_case_kind
from casereview.applications.models import (
    AllegedPerpetrator,
    Application,
    Case,
    CaseEvent,
    CaseParty,
    PartyRole,
    Person,
    Status,
)
from casereview.applications.selectors import (
    application_get_for_user,
    applications_visible_to,
    case_get_for_user,
    case_parties,
    cases_visible_to,
)
from casereview.core.case_kinds import CaseKindTable
from casereview.web.concurrency import StaleRecord
from tests.factories import make_application

pytestmark = pytest.mark.django_db

CHECK_IN = CaseKindTable(
    kind="test_check_in",
    label="Check-in",
    statuses={"open": "Open", "watching": "Watching", "closed": "Closed"},
    open_statuses=frozenset({"open", "watching"}),
    transitions={"open": frozenset({"watching", "closed"}), "watching": frozenset({"closed"})},
    initial_status="open",
)


@pytest.fixture
def check_in_kind():
    """A kind of case a later app would register in its AppConfig.ready()."""
    register_case_kind(CHECK_IN)
    yield CHECK_IN
    unregister_case_kind(CHECK_IN.kind)


@pytest.fixture
def check_in(demo, check_in_kind):
    return s.case_open(
        partnership=demo.partnership(),
        kind=CHECK_IN.kind,
        received_on=dt.date(2025, 5, 1),
        actor=demo.user("wn-csm"),
        subject=Person(full_name="Ola Checkin"),
    )


def test_the_review_is_registered_and_an_unknown_kind_is_named():
    assert case_kind("case_review").label == "ASB Case Review"
    with pytest.raises(UnknownCaseKind, match="test_nowhere"):
        case_kind("test_nowhere")


def test_a_different_table_under_a_taken_kind_is_refused(check_in_kind):
    register_case_kind(CHECK_IN)  # the same again: harmless
    with pytest.raises(ValueError, match="already registered"):
        register_case_kind(CaseKindTable(**{**CHECK_IN.__dict__, "label": "Another"}))


def test_the_review_is_a_case_and_its_proxy_sees_only_reviews(demo, check_in):
    application = make_application(demo.partnership())
    assert isinstance(application, Application) and application.kind == "case_review"
    assert Case.objects.get(pk=application.pk).reference == application.reference
    assert set(Case.objects.values_list("kind", flat=True)) == {"case_review", CHECK_IN.kind}
    assert list(Application.objects.values_list("pk", flat=True)) == [application.pk]
    # A relation from another table gives the kernel's Case, with the same methods.
    event = CaseEvent.objects.filter(application=application).first()
    assert type(event.application) is Case and event.application.is_open


def test_a_case_of_another_kind_opens_in_its_initial_status_with_its_subject(check_in, demo):
    assert check_in.status == "open" and check_in.is_open and check_in.status_label == "Open"
    assert check_in.reference.startswith("WN-2025-")
    (party,) = case_parties(check_in)
    assert party.role == PartyRole.SUBJECT and party.person.full_name == "Ola Checkin"
    assert check_in.events.get().kind == "opened"


def test_the_status_change_follows_the_kinds_table_and_records_the_event(check_in, demo):
    csm = demo.user("wn-csm")
    s.case_status_change(case=check_in, to="watching", actor=csm, version=check_in.version, reason="Weekly")
    check_in.refresh_from_db()
    assert check_in.status == "watching" and check_in.is_open
    event = check_in.events.get(kind="watching")
    assert event.data == {"from": "open", "to": "watching", "reason": "Weekly"}
    assert event.actor == csm and "“Open” to “Watching”" in event.summary


def test_a_move_the_table_forbids_is_refused_naming_the_allowed_ones(check_in, unchanged_rows):
    s.case_status_change(case=check_in, to="watching", actor=None)
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        s.case_status_change(case=check_in, to="open", actor=None)
    assert refused.value.code == "transition_not_allowed"
    assert refused.value.messages == [
        "A case that is “Watching” cannot become “Open”. From there it may become “Closed”."
    ]
    # A review's status is not one of this kind's statuses.
    with (
        unchanged_rows(),
        pytest.raises(ValidationError, match=r"not a status of this kind of case \(Check-in\)"),
    ):
        s.case_status_change(case=check_in, to=Status.ACCEPTED, actor=None)


def test_a_final_status_says_nothing_may_follow(demo, unchanged_rows):
    application = make_application(demo.partnership())
    s.application_withdraw(
        application=application, actor=None, reason="Asked to", withdrawn_on=dt.date(2025, 4, 20)
    )
    with unchanged_rows(), pytest.raises(ValidationError, match="It is final: nothing may follow it."):
        s.case_status_change(case=application, to=Status.ACKNOWLEDGED, actor=None)


def test_a_status_change_from_a_stale_page_is_refused(check_in, unchanged_rows):
    read_at = check_in.version
    s.case_status_change(case=check_in, to="watching", actor=None, version=read_at)
    with unchanged_rows(), pytest.raises(StaleRecord):
        s.case_status_change(case=check_in, to="closed", actor=None, version=read_at)
    assert Case.objects.get(pk=check_in.pk).status == "watching"


def test_the_review_status_service_delegates_to_the_kernel(demo):
    application = make_application(demo.partnership())
    s.application_set_status(
        application=application, to=Status.ACKNOWLEDGED, actor=None, summary="Acknowledged."
    )
    assert Application.objects.get(pk=application.pk).status == Status.ACKNOWLEDGED
    assert application.events.get(kind="acknowledged").data == {"from": "received", "to": "acknowledged"}


def test_the_services_that_set_the_reviews_people_write_their_parties(demo):
    application = make_application(
        demo.partnership(), applicant=Person(full_name="Cllr Third Party"), victim_consent=True
    )
    assert sorted((p.role, p.person.full_name) for p in case_parties(application)) == [
        ("applicant", "Cllr Third Party"),
        ("victim", "Jo Bloggs"),
    ]
    assert all(p.since == application.received_on for p in case_parties(application))
    perpetrator = s.perpetrator_save(
        application=application, actor=None, data=s.PerpetratorData(name="Ray Harm", description="")
    )
    s.perpetrator_save(
        application=application,
        actor=None,
        perpetrator=perpetrator,
        read_version=perpetrator.version,
        data=s.PerpetratorData(name="Ray Harmer", description=""),
    )
    party = CaseParty.objects.get(case=application, role=PartyRole.ALLEGED_PERPETRATOR)
    assert party.perpetrator == perpetrator and party.person is None  # one row, not one per save
    AllegedPerpetrator.objects.filter(pk=perpetrator.pk).delete()
    assert not CaseParty.objects.filter(case=application, role=PartyRole.ALLEGED_PERPETRATOR).exists()


def test_a_party_is_a_person_or_an_alleged_perpetrator_never_both(demo):
    application = make_application(demo.partnership())
    with pytest.raises(ValueError, match="give exactly one"):
        s.case_party_add(case=application, role=PartyRole.WITNESS)
    with pytest.raises(ValueError, match="Only an alleged perpetrator"):
        s.case_party_add(case=application, role=PartyRole.ALLEGED_PERPETRATOR, person=application.victim)
    again = s.case_party_add(case=application, role=PartyRole.VICTIM, person=application.victim)
    assert CaseParty.objects.filter(case=application, role=PartyRole.VICTIM).get() == again


def test_one_access_selector_over_every_kind(demo, check_in):
    review = make_application(demo.partnership())
    csm, police = demo.user("wn-csm"), demo.user("wn-police")
    assert set(cases_visible_to(csm)) == {Case.objects.get(pk=review.pk), check_in}
    assert list(applications_visible_to(csm)) == [review]
    # An agency officer sees a case of any kind only when their agency is party to it.
    assert check_in not in cases_visible_to(police)
    s.application_agency_link(application=check_in, agency=police.agency, reason="Asked to help")
    assert check_in in cases_visible_to(police)
    assert check_in.pk not in applications_visible_to(police).values_list("pk", flat=True)
    assert not cases_visible_to(demo.user("is-csm")).filter(pk=check_in.pk).exists()  # another partnership
    assert case_get_for_user(police, check_in.reference) == check_in
    from casereview.audit.models import AccessEvent

    read = AccessEvent.objects.filter(action="view", case_reference=check_in.reference).latest("pk")
    assert (read.purpose, read.actor_username) == ("Case record", "wn-police")
    assert case_get_for_user(police, check_in.reference, purpose="Letters") == check_in
    assert (
        AccessEvent.objects.filter(
            action="view", case_reference=check_in.reference, purpose="Letters"
        ).count()
        == 1
    )
    with pytest.raises(Http404):
        application_get_for_user(police, check_in.reference)  # the review's page is for reviews
