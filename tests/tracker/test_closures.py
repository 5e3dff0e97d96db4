"""The cuckooing tracker shows the closure notices and orders recorded for its place through the
interventions app, which owns them (issue 16): dates, status, the hearing deadline; its list says
which addresses have one in force. The intervention itself opens only for those it is shared with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.interventions import services as interventions
from casereview.tracker import selectors, services

pytestmark = pytest.mark.django_db

DUTIES = ["appropriate_consulted", "occupants_informed"]


@pytest.fixture
def entry(islington, csm):
    return services.entry_add(
        partnership=islington,
        data=services.AddressData(
            address="Flat 4\n21 Caledonian Road\nLondon",
            postcode="N1 9DX",
            uprn="100023336956",
            ward="Caledonian",
            occupant_name="Pat Doyle",
            concerns="Several young men visiting at night.",
        ),
        actor=csm,
        today=timezone.localdate(),
    )


def _notice(demo, islington, csm, entry, served_at, hours=24):
    council = demo.agency("islington", "council")
    intervention = interventions.intervention_open(
        partnership=islington,
        lead_agency=council,
        officer=csm,
        opened_on=timezone.localdate(served_at),
        summary="Drug dealing from the flat; the occupant is exploited.",
        premises=entry.place,
        programme="enforcement",
        actor=csm,
    )
    step = interventions.step_record(
        intervention=intervention,
        data=interventions.StepData(
            kind="closure_notice",
            issuing_agency=council,
            served_on=timezone.localdate(served_at),
            how_served="affixed",
            served_at=served_at,
            duration_hours=hours,
            duties=DUTIES,
        ),
        actor=csm,
    )
    return intervention, step


def test_the_entry_shows_the_closure_notice_in_force_with_its_hearing_deadline(
    demo, islington, csm, entry, client
):
    served_at = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    intervention, _ = _notice(demo, islington, csm, entry, served_at)
    [closure] = selectors.entry_closures(csm, entry)
    assert closure.in_force and closure.status.startswith("In force until")
    assert closure.hearing_by in (served_at + dt.timedelta(hours=48), served_at + dt.timedelta(hours=72))
    assert closure.hearing_status == "pending" and closure.may_open
    client.force_login(csm)
    page = client.get(f"/tracker/{entry.pk}/").content.decode()
    assert "Closure notice" in page and "In force" in page
    deadline = timezone.localtime(closure.hearing_by)
    assert f"By {deadline:%H:%M} on {deadline.day} {deadline:%B %Y}" in page
    assert f'href="/interventions/{intervention.pk}/"' in page
    listing = client.get("/tracker/").content.decode()
    assert (
        "Closure in force" in listing and '<strong class="govuk-tag govuk-tag--red">Yes</strong>' in listing
    )
    # A police officer on the cuckooing panel, not on the intervention: the dates and status (the
    # notice is fixed to the door), never a link into the intervention.
    client.force_login(demo.user("is-police"))
    page = client.get(f"/tracker/{entry.pk}/").content.decode()
    assert "In force" in page and f"/interventions/{intervention.pk}/" not in page
    assert "Held by the agency that leads it" in page


def test_a_notice_ends_after_its_hours_and_the_courts_order_is_in_force_until_it_expires(
    demo, islington, csm, entry
):
    served_at = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    intervention, notice = _notice(demo, islington, csm, entry, served_at)
    later = served_at + dt.timedelta(hours=25)
    [closure] = selectors.entry_closures(csm, entry, now=later)
    assert not closure.in_force and closure.status == "Ended 10:00 on 3 March 2026"
    assert closure.hearing_status == "pending"
    assert selectors.closure_in_force_on(csm, [entry], now=later) == set()
    assert selectors.closure_in_force_on(csm, [entry], now=served_at + dt.timedelta(hours=1)) == {
        entry.place_id
    }
    interventions.step_record(
        intervention=intervention,
        data=interventions.StepData(
            kind="closure_order",
            issuing_agency=demo.agency("islington", "council"),
            served_on=dt.date(2026, 3, 3),
            how_served="court",
            served_at=served_at + dt.timedelta(hours=30),
            expires_on=dt.date(2026, 6, 2),
            court_decision="Closure order for 3 months",
        ),
        actor=csm,
    )
    on = timezone.make_aware(dt.datetime(2026, 4, 1, 12, 0))
    order, notice_now = selectors.entry_closures(csm, entry, now=on)
    assert (order.step.kind, order.in_force, order.status) == (
        "closure_order",
        True,
        "In force until 2 June 2026",
    )
    assert notice_now.hearing_by is None and notice_now.step.hearing_at is not None  # heard
    assert selectors.closure_in_force_on(csm, [entry], now=on) == {entry.place_id}
    after = timezone.make_aware(dt.datetime(2026, 6, 3, 12, 0))
    assert selectors.closure_in_force_on(csm, [entry], now=after) == set()
