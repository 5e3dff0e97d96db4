"""Every edit carries the version it was read at (issue 13): two administrators change the same
account or agency from pages read at the same moment; the second save is refused, names what
changed, links to open the page again, and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casereview.accounts import services
from casereview.accounts.models import Agency, Role
from casereview.web.concurrency import StaleRecord
from tests.conftest import VerifiedClient
from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version


@pytest.fixture
def as_user():
    from django.test import Client

    def sign_in(user):
        client = type("Client", (VerifiedClient, Client), {})()
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.django_db
def test_a_second_administrator_saving_an_account_read_before_the_first_saved_is_refused(
    demo, as_user, unchanged_rows
):
    first = as_user(demo.user("wn-admin"))
    subject = demo.user("wn-police")
    url = reverse("accounts:administration_user", args=[subject.pk])
    read_first = form_version(first.get(url))
    second = as_user(demo.user("wn-admin"))
    read_second = form_version(second.get(url))
    assert read_first == read_second
    agency = subject.agency_id
    response = first.post(
        url,
        {
            "version": read_first,
            "first_name": "Pat",
            "last_name": "Okafor-Reid",
            "agency": agency,
            "roles": [Role.AGENCY_OFFICER],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with unchanged_rows(*all_but_the_access_log()):
        response = second.post(
            url,
            {
                "version": read_second,
                "first_name": "Pat",
                "last_name": "Okafor",
                "agency": agency,
                "roles": [Role.AGENCY_OFFICER, Role.SPOC],
                "is_active": "on",
            },
        )
    text = assert_refused_as_stale(response, what="account", differs=("Last name", "Roles"))
    assert "Okafor-Reid" in text  # the first administrator's change, shown
    subject.refresh_from_db()
    assert subject.last_name == "Okafor-Reid"
    # Saving again from the refused page (its version moved on) is a deliberate choice and works.
    again = form_version(response)
    response = second.post(
        url,
        {
            "version": again,
            "first_name": "Pat",
            "last_name": "Okafor",
            "agency": agency,
            "roles": [Role.AGENCY_OFFICER, Role.SPOC],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    subject.work_in(demo.user("wn-admin").partnership_id)
    assert subject.last_name == "Okafor" and Role.SPOC in subject.roles


@pytest.mark.django_db
def test_a_role_granted_since_the_form_was_read_makes_it_stale_through_the_service(demo, unchanged_rows):
    actor = demo.user("wn-admin")
    subject = demo.user("wn-police")
    subject.work_in(actor.partnership_id)
    read = services.user_version(subject)
    values = services.user_values(subject)
    data = services.UserData(
        first_name=values["first_name"],
        last_name=values["last_name"],
        agency=subject.agency,
        roles=(*values["roles"], Role.ANALYST),
        is_active=True,
    )
    services.user_update(actor=actor, user=subject, data=data, read_version=read)
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.user_update(
            actor=actor,
            user=subject,
            data=services.UserData(
                first_name="Someone",
                last_name="Else",
                agency=subject.agency,
                roles=tuple(values["roles"]),
                is_active=True,
            ),
            read_version=read,
        )


@pytest.mark.django_db
def test_a_second_administrator_renaming_an_agency_read_before_the_first_saved_is_refused(
    demo, as_user, unchanged_rows
):
    agency = Agency.objects.filter(partnership__slug="west-northamptonshire", kind="police").first()
    url = reverse("accounts:administration_agency", args=[agency.pk])
    first, second = as_user(demo.user("wn-admin")), as_user(demo.user("wn-admin"))
    read_first, read_second = form_version(first.get(url)), form_version(second.get(url))
    assert (
        first.post(url, {"version": read_first, "name": "Northants Police", "kind": "police"}).status_code
        == 302
    )
    with unchanged_rows(*all_but_the_access_log()):
        response = second.post(url, {"version": read_second, "name": "Police (Northants)", "kind": "police"})
    text = assert_refused_as_stale(response, what="agency", differs=("Agency name",))
    assert "Northants Police" in text
    agency.refresh_from_db()
    assert agency.name == "Northants Police"
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.agency_save(
            actor=demo.user("wn-admin"),
            name="Other",
            kind="police",
            agency=agency,
            read_version=int(read_first),
        )
