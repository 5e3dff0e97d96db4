"""Repeat applications: recognised on the victim's name and a contact detail, confirmed by an
officer, assessed for a material change; the persistent complainant flag, set and reviewed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from casereview.applications.case_sections import render_sections
from casereview.applications.models import Person
from casereview.repeats.models import FlagReview, PersistentComplainantFlag
from casereview.repeats.selectors import flags_for_case, repeat_candidates
from casereview.repeats.services import (
    flag_review,
    flag_set,
    material_change_assess,
    repeat_confirm,
    repeat_dismiss,
)
from tests.factories import make_application

D = dt.date


def _apply(partnership, received, **person):
    defaults = {"full_name": "Jo Bloggs", "email": "", "address": "", "postcode": "", "phone": ""}
    application = make_application(partnership, received_on=received, location="Wellingborough Road")
    victim = application.victim
    for key, value in {**defaults, **person}.items():
        setattr(victim, key, value)
    victim.save()
    return application


@pytest.fixture
def pair(demo):
    wn = demo.partnership()
    first = _apply(wn, D(2025, 1, 10), full_name="Jo Bloggs", postcode="NN1 1AA", email="jo@example.com")
    second = _apply(wn, D(2025, 6, 2), full_name="  jo  BLOGGS", postcode="nn11aa", email="other@example.com")
    return first, second


@pytest.mark.django_db
def test_the_same_name_and_postcode_is_recognised_with_the_location(pair):
    first, second = pair
    (candidate,) = repeat_candidates(second)
    assert candidate.application == first
    assert candidate.reasons == ("same name", "same postcode", "same location")
    assert repeat_candidates(first) == []  # only earlier applications


@pytest.mark.django_db
def test_a_name_alone_or_a_contact_alone_is_not_enough(demo):
    wn = demo.partnership()
    _apply(wn, D(2025, 1, 10), full_name="Jo Bloggs", postcode="NN1 1AA")
    _apply(wn, D(2025, 2, 10), full_name="Sam Smith", postcode="NN1 1AA")
    later = _apply(wn, D(2025, 6, 2), full_name="Jo Bloggs", postcode="NN9 9ZZ", phone="+44 7700 900123")
    assert repeat_candidates(later) == []
    phone_match = _apply(wn, D(2025, 1, 20), full_name="Jo Bloggs", phone="07700 900123")
    assert [c.application for c in repeat_candidates(later)] == [phone_match]
    assert "same phone number" in repeat_candidates(later)[0].reasons


@pytest.mark.django_db
def test_another_partnership_is_never_matched(demo):
    _apply(demo.partnership("islington"), D(2025, 1, 10), postcode="NN1 1AA")
    later = _apply(demo.partnership(), D(2025, 6, 2), postcode="NN1 1AA")
    assert repeat_candidates(later) == []


@pytest.mark.django_db
def test_confirming_links_the_earlier_application_and_records_it(pair, demo):
    first, second = pair
    second = repeat_confirm(application=second, previous=first, actor=demo.user("wn-spoc"))
    second.refresh_from_db()
    assert second.previous_application == first
    event = second.events.get(kind="repeat_recognised")
    assert first.reference in event.summary and event.actor == demo.user("wn-spoc")


@pytest.mark.django_db
def test_an_agency_officer_cannot_confirm_and_a_non_match_is_refused(pair, demo, unchanged_rows):
    first, second = pair
    with unchanged_rows(), pytest.raises(PermissionDenied):
        repeat_confirm(application=second, previous=first, actor=demo.user("wn-police"))
    stranger = _apply(demo.partnership(), D(2025, 1, 1), full_name="Someone Else", postcode="NN2 2BB")
    with unchanged_rows(), pytest.raises(ValidationError):
        repeat_confirm(application=second, previous=stranger, actor=demo.user("wn-csm"))


@pytest.mark.django_db
def test_not_the_same_problem_is_not_offered_again(pair, demo, unchanged_rows):
    first, second = pair
    with unchanged_rows(), pytest.raises(ValidationError):
        repeat_dismiss(application=second, candidate=first, actor=demo.user("wn-csm"), reason=" ")
    repeat_dismiss(
        application=second, candidate=first, actor=demo.user("wn-csm"), reason="A different neighbour."
    )
    assert repeat_candidates(second) == []


@pytest.mark.django_db
def test_the_material_change_assessment_needs_what_changed_and_reasons(pair, demo, unchanged_rows):
    first, second = pair
    csm = demo.user("wn-csm")
    with unchanged_rows(), pytest.raises(ValidationError, match="Link the earlier application"):
        material_change_assess(
            application=second,
            actor=csm,
            material_change=True,
            what_changed="x",
            decision="consider",
            reasons="x",
            assessed_on=D(2025, 6, 5),
        )
    second = repeat_confirm(application=second, previous=first, actor=csm)
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        material_change_assess(
            application=second,
            actor=csm,
            material_change=True,
            what_changed="",
            decision="",
            reasons="",
            assessed_on=D(2025, 6, 5),
        )
    assert set(error.value.message_dict) == {"what_changed", "decision", "reasons"}
    assessment = material_change_assess(
        application=second,
        actor=csm,
        material_change=False,
        what_changed="ignored",
        decision="not_accepted",
        reasons="The same three incidents as before; nothing new.",
        assessed_on=D(2025, 6, 5),
    )
    assert assessment.previous_application == first and assessment.what_changed == ""
    event = second.events.get(kind="material_change_assessed")
    assert event.occurred_on == D(2025, 6, 5) and "no material change" in event.summary


@pytest.mark.django_db
def test_only_a_manager_sets_the_flag_with_reasons_and_a_review_date(pair, demo, unchanged_rows):
    first, second = pair
    review_on = timezone.localdate() + dt.timedelta(days=90)
    with unchanged_rows(), pytest.raises(PermissionDenied):
        flag_set(
            application=second,
            person=second.victim,
            actor=demo.user("wn-spoc"),
            reasons="x",
            review_on=review_on,
        )
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        flag_set(
            application=second,
            person=second.victim,
            actor=demo.user("wn-csm"),
            reasons="",
            review_on=review_on,
        )
    assert "reasons" in error.value.message_dict
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        flag_set(
            application=second,
            person=second.victim,
            actor=demo.user("wn-csm"),
            reasons="x",
            review_on=timezone.localdate(),
        )
    assert "review_on" in error.value.message_dict
    with unchanged_rows(), pytest.raises(ValidationError):
        flag_set(
            application=second,
            person=Person.objects.exclude(pk__in=[second.victim_id]).first(),
            actor=demo.user("wn-csm"),
            reasons="x",
            review_on=review_on,
        )
    flag = flag_set(
        application=second,
        person=second.victim,
        actor=demo.user("wn-csm"),
        reasons="Five applications in a year about the same incidents.",
        review_on=review_on,
    )
    assert flag.is_active and second.events.filter(kind="persistent_complainant_flag_set").count() == 1
    assert list(flags_for_case(second)) == [flag]


@pytest.mark.django_db
def test_the_flag_is_reviewed_kept_then_lifted(pair, demo, unchanged_rows):
    first, second = pair
    senior = demo.user("wn-senior")
    today = timezone.localdate()
    flag = flag_set(
        application=second,
        person=second.victim,
        actor=senior,
        reasons="Repeated without good cause.",
        review_on=today + dt.timedelta(days=30),
    )
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        flag_review(flag=flag, application=second, actor=senior, outcome="kept", reasons="Still applies.")
    assert "next_review_on" in error.value.message_dict
    flag_review(
        flag=flag,
        application=second,
        actor=senior,
        outcome="kept",
        reasons="Still applies.",
        next_review_on=today + dt.timedelta(days=120),
    )
    flag.refresh_from_db()
    assert flag.review_on == today + dt.timedelta(days=120) and flag.is_active
    flag_review(
        flag=flag, application=second, actor=senior, outcome="lifted", reasons="No contact for months."
    )
    flag.refresh_from_db()
    assert flag.status == PersistentComplainantFlag.Status.LIFTED
    assert list(FlagReview.objects.filter(flag=flag).values_list("outcome", flat=True)) == ["lifted", "kept"]
    with unchanged_rows(), pytest.raises(ValidationError):
        flag_review(
            flag=flag,
            application=second,
            actor=senior,
            outcome="kept",
            reasons="x",
            next_review_on=today + dt.timedelta(days=10),
        )


@pytest.mark.django_db
def test_the_flag_shows_to_staff_on_the_case_of_a_linked_earlier_application(pair, demo, client):
    first, second = pair
    csm = demo.user("wn-csm")
    flag_set(
        application=first,
        person=first.victim,
        actor=csm,
        reasons="Abusive calls to the team.",
        review_on=timezone.localdate() + dt.timedelta(days=60),
    )
    second = repeat_confirm(application=second, previous=first, actor=csm)
    request = RequestFactory().get("/")
    request.user = csm
    html = {s["key"]: s["html"] for s in render_sections(request, second)}["repeats"]
    assert "unreasonably persistent complainants policy" in html and "Abusive calls to the team." in html
    request.user = demo.user("wn-police")
    assert "repeats" not in {s["key"] for s in render_sections(request, second)}


@pytest.mark.django_db
def test_the_pages_404_out_of_scope_and_keep_what_was_typed(pair, demo, client):
    first, second = pair
    client.force_login(demo.user("is-csm"))
    assert client.get(f"/repeats/case/{second.reference}/earlier/{first.pk}/confirm/").status_code == 404
    client.force_login(demo.user("wn-csm"))
    assert client.post(f"/repeats/case/{second.reference}/earlier/{first.pk}/confirm/").status_code == 302
    response = client.post(
        f"/repeats/case/{second.reference}/material-change/",
        {"material_change": "yes", "reasons": "Because."},
    )
    assert response.status_code == 200
    assert b"Enter what has changed" in response.content and b"Because." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier", "later"), [("Llŷr Jones", "LLYR JONES"), ("William Price", "Bill Price")]
)
def test_names_match_across_accents_case_and_variants(demo, earlier, later):
    wn = demo.partnership()
    first = _apply(wn, D(2025, 1, 10), full_name=earlier, postcode="NN1 1AA")
    second = _apply(wn, D(2025, 6, 2), full_name=later, postcode="NN1 1AA")
    (candidate,) = repeat_candidates(second)
    assert candidate.application == first and candidate.reasons[0] == "same name"
    third = _apply(wn, D(2025, 7, 2), full_name="Someone Else", postcode="NN1 1AA")
    assert repeat_candidates(third) == []
