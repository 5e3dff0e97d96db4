"""Two officers on the same panel, action or flag at once (web.concurrency, issue 13): every edit
and add form carries the version it was read at; a stale one is refused with a clear message and
the other officer's change shown, what was typed is kept, and no row changes. Through the pages,
on SQLite and PostgreSQL; the 50-way races are in tests/web/test_races.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.actions.models import Action
from casereview.applications.models import CaseEvent
from casereview.panels import services
from casereview.panels.models import PanelMember, Recommendation
from casereview.repeats.models import FlagReview, MaterialChangeAssessment, PersistentComplainantFlag
from casereview.repeats.services import flag_review, flag_set, material_change_assess, repeat_confirm
from tests.factories import make_application
from tests.reviews.helpers import in_review_application

from .helpers import full_panel, hold, schedule

pytestmark = pytest.mark.django_db

STALE = "after you opened this page"


def version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


@pytest.fixture
def held(demo):
    application = in_review_application(demo)
    return hold(demo, full_panel(demo, schedule(demo, application)))


@pytest.fixture
def spoc(demo):
    return demo.user("wn-spoc")


def _refused_stale(response, *shown) -> str:
    html = response.content.decode()
    assert response.status_code in (200, 400), response.status_code  # the form again, not a redirect
    assert STALE in html and "Saved since you opened this page" in html
    for text in shown:
        assert text in html, text
    return html


def test_a_stale_recommendation_edit_is_refused_showing_the_colleagues_words(
    client, demo, held, spoc, unchanged_rows
):
    housing = demo.agency("west-northamptonshire", "housing")
    recommendation = services.recommendation_add(
        meeting=held, body=housing, text="Review the tenancy.", actor=spoc
    )
    url = reverse("panels:recommendation_edit", args=[held.pk, recommendation.pk])
    client.force_login(spoc)
    mine = version_in(client.get(url).content.decode())
    services.recommendation_edit(  # a colleague saves first, from a page read at the same version
        recommendation=Recommendation.objects.get(pk=recommendation.pk),
        text="Review the tenancy within 28 days.",
        share_with_victim=True,
        actor=demo.user("wn-csm"),
        read_version=int(mine),
    )
    with unchanged_rows():
        html = _refused_stale(
            client.post(url, {"version": mine, "text": "My words.", "share_with_victim": "on"}),
            "Review the tenancy within 28 days.",
        )
    assert "My words.</textarea>" in html and version_in(html) == str(int(mine) + 1)
    # Saving again, having seen both, is a deliberate choice and goes through.
    saved = client.post(url, {"version": version_in(html), "text": "My words.", "share_with_victim": "on"})
    assert saved.status_code == 302
    assert Recommendation.objects.get(pk=recommendation.pk).text == "My words."


def test_a_form_without_its_version_is_refused(client, demo, held, spoc, unchanged_rows):
    housing = demo.agency("west-northamptonshire", "housing")
    recommendation = services.recommendation_add(meeting=held, body=housing, text="Review.", actor=spoc)
    client.force_login(spoc)
    url = reverse("panels:recommendation_edit", args=[held.pk, recommendation.pk])
    with unchanged_rows():
        response = client.post(url, {"text": "No version."})
    assert response.status_code == 400 and "This page is out of date" in response.content.decode()


@pytest.mark.parametrize("what", ["recommendation", "action", "consultation"])
def test_an_addition_to_the_plan_from_a_page_read_before_a_colleagues_is_refused_showing_it(
    client, demo, held, spoc, unchanged_rows, what
):
    housing = demo.agency("west-northamptonshire", "housing")
    owner = demo.user("wn-housing")
    today = timezone.localdate()
    url, typed, colleague = {
        "recommendation": (
            f"/panels/{held.pk}/recommendations/add/",
            {"body": housing.pk, "text": "Mine: a joint visit."},
            lambda: services.recommendation_add(
                meeting=held, body=housing, text="Theirs: mediation.", actor=demo.user("wn-csm")
            ),
        ),
        "action": (
            f"/panels/{held.pk}/actions/add/",
            {
                "description": "Mine: a joint visit.",
                "owner": owner.pk,
                "due_on_0": "1",
                "due_on_1": "1",
                "due_on_2": str(today.year + 1),
            },
            lambda: services.panel_action_add(
                meeting=held,
                description="Theirs: mediation.",
                owner=owner,
                owner_agency=owner.agency,
                due_on=today + dt.timedelta(days=30),
                actor=demo.user("wn-csm"),
            ),
        ),
        "consultation": (
            f"/panels/{held.pk}/consultation/",
            {
                "consulted_on_0": str(today.day),
                "consulted_on_1": str(today.month),
                "consulted_on_2": str(today.year),
                "method": "phone",
                "view": "concerns",
                "victim_comments": "Mine: worried about the timing.",
            },
            lambda: services.victim_consultation_record(
                meeting=held,
                consulted_on=today,
                method="visit",
                view="agrees",
                actor=demo.user("wn-csm"),
            ),
        ),
    }[what]
    client.force_login(spoc)
    mine = version_in(client.get(url).content.decode())
    added = colleague()  # a colleague adds one first
    with unchanged_rows():
        html = _refused_stale(client.post(url, {**typed, "version": mine}), str(added))
    assert "Mine:" in html  # what was typed is kept
    # Saved on purpose, having seen theirs.
    assert client.post(url, {**typed, "version": version_in(html)}).status_code == 302


def test_a_member_invited_from_a_stale_page_is_refused_and_nobody_is_invited_twice(
    client, demo, spoc, unchanged_rows
):
    meeting = schedule(demo, in_review_application(demo))
    url = f"/panels/{meeting.pk}/members/add/"
    client.force_login(spoc)
    mine = version_in(client.get(url).content.decode())
    chair = demo.user("wn-chair")
    services.panel_member_add(
        meeting=meeting, role="independent_chair", user=chair, actor=demo.user("wn-csm")
    )
    posted = {"role": "independent_chair", "user": chair.pk, "version": mine}
    with unchanged_rows():
        html = _refused_stale(
            client.post(url, posted), str(PanelMember.objects.get(meeting=meeting, user=chair))
        )
    with unchanged_rows():  # saving again finds them already there: refused, not a second seat
        again = client.post(url, {**posted, "version": version_in(html)})
    assert again.status_code == 400 and "already a member" in again.content.decode()
    assert PanelMember.objects.filter(meeting=meeting, user=chair).count() == 1


def test_removing_a_member_twice_records_one_removal(demo, spoc, unchanged_rows):
    from django.core.exceptions import ValidationError

    meeting = full_panel(demo, schedule(demo, in_review_application(demo)))
    member = meeting.members.get(name="Pat Minutes")
    services.panel_member_remove(member=member, actor=spoc)
    with unchanged_rows(), pytest.raises(ValidationError, match="already been removed"):
        services.panel_member_remove(member=member, actor=demo.user("wn-csm"))
    assert CaseEvent.objects.filter(application=meeting.case, kind="panel_member_removed").count() == 1


def test_a_stale_action_edit_is_refused_showing_the_action_as_it_is_now(
    client, demo, held, spoc, unchanged_rows
):
    owner = demo.user("wn-housing")
    action = services.panel_action_add(
        meeting=held,
        description="A joint visit.",
        owner=owner,
        owner_agency=owner.agency,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        actor=spoc,
    )
    url = reverse("actions:edit", args=[action.pk])
    client.force_login(spoc)
    mine = version_in(client.get(url).content.decode())
    from casereview.actions.services import action_edit

    action_edit(
        action=Action.objects.get(pk=action.pk),
        description="A joint visit with the police.",
        share_with_victim=False,
        actor=demo.user("wn-csm"),
        read_version=int(mine),
    )
    with unchanged_rows():
        html = _refused_stale(
            client.post(url, {"version": mine, "description": "Mine.", "share_with_victim": "on"}),
            "A joint visit with the police.",
        )
    assert "Mine.</textarea>" in html


@pytest.fixture
def repeat(demo):
    """Two applications from the same victim about the same problem, the second linked as a repeat."""
    wn = demo.partnership()
    first, second = (
        make_application(wn, received_on=received, location="Wellingborough Road")
        for received in (dt.date(2025, 1, 10), dt.date(2025, 6, 2))
    )
    for application in (first, second):
        type(application.victim).objects.filter(pk=application.victim_id).update(
            full_name="Jo Bloggs", postcode="NN1 1AA", email="jo@example.com"
        )
    return first, repeat_confirm(application=second, previous=first, actor=demo.user("wn-spoc"))


def test_a_stale_flag_review_is_refused_showing_the_colleagues_review(client, demo, repeat, unchanged_rows):
    _, second = repeat
    senior = demo.user("wn-senior")
    today = timezone.localdate()
    flag = flag_set(
        application=second,
        person=second.victim,
        actor=senior,
        reasons="Repeated without good cause.",
        review_on=today + dt.timedelta(days=30),
    )
    url = reverse("repeats:flag-review", args=[second.reference, flag.pk])
    client.force_login(demo.user("wn-csm"))
    mine = version_in(client.get(url).content.decode())
    flag_review(
        flag=PersistentComplainantFlag.objects.get(pk=flag.pk),
        application=second,
        actor=senior,
        outcome="lifted",
        reasons="Their reasons: no contact for months.",
        read_version=int(mine),
    )
    with unchanged_rows(PersistentComplainantFlag, FlagReview, CaseEvent):  # the access log records the view
        _refused_stale(
            client.post(url, {"version": mine, "outcome": "lifted", "reasons": "Mine."}),
            "Their reasons: no contact for months.",
            "Lifted",
        )


def test_a_stale_material_change_assessment_is_refused_showing_the_first(
    client, demo, repeat, unchanged_rows
):
    _, second = repeat
    url = reverse("repeats:assess", args=[second.reference])
    client.force_login(demo.user("wn-csm"))
    mine = version_in(client.get(url).content.decode())
    today = timezone.localdate()
    material_change_assess(
        application=second,
        actor=demo.user("wn-spoc"),
        material_change=True,
        what_changed="New incidents.",
        decision="consider",
        reasons="Their reasons: new incidents since.",
        assessed_on=today,
        read_version=int(mine),
    )
    posted = {
        "version": mine,
        "material_change": "no",
        "decision": "not_accepted",
        "reasons": "Mine.",
        "assessed_on_day": str(today.day),
        "assessed_on_month": str(today.month),
        "assessed_on_year": str(today.year),
    }
    with unchanged_rows(MaterialChangeAssessment, CaseEvent):  # the access log records the view
        _refused_stale(client.post(url, posted), "Their reasons: new incidents since.")
