"""Every edit carries the version it was read at (issue 13): the victim's special category record
is recorded or replaced from the data protection page; two managers who opened the page at the
same moment cannot both save, the second is refused naming what is held now (never its values),
with a link to open the page again, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casereview.privacy import services
from casereview.privacy.models import SensitiveInformation
from casereview.web.concurrency import StaleRecord
from tests.factories import make_application
from tests.stale import all_but_the_access_log, assert_refused_as_stale, form_version


@pytest.mark.django_db
def test_the_second_of_two_managers_saving_special_category_information_is_refused(
    demo, client, unchanged_rows
):
    case = make_application(demo.partnership())
    page = reverse("privacy:case", args=[case.reference])
    post = reverse("privacy:sensitive-record", args=[case.reference])
    client.force_login(demo.user("wn-csm"))
    read = form_version(client.get(page))
    assert read == "0"  # nothing recorded yet
    first = client.post(post, {"version": read, "religion": "Sikh", "source": "The victim"})
    assert first.status_code == 302
    with unchanged_rows(*all_but_the_access_log()):
        response = client.post(post, {"version": read, "religion": "Christian", "source": "Housing"})
    assert response.status_code == 409
    text = assert_refused_as_stale(response, what="special category information", differs=("Religion",))
    assert "Details held now" in text and "Religion or belief" in text
    assert 'href="' + page + '" id="reload-saved"' in text  # back to the page, never the POST address
    record = SensitiveInformation.objects.get(application=case)
    assert record.religion == "Sikh"
    # Saving again from the refused page (its version moved on) replaces it, deliberately.
    assert (
        client.post(
            post, {"version": form_version(response), "religion": "Christian", "source": "Housing"}
        ).status_code
        == 302
    )
    record.refresh_from_db()
    assert record.religion == "Christian"


@pytest.mark.django_db
def test_a_record_changed_since_it_was_read_is_not_replaced_through_the_service(demo, unchanged_rows):
    case = make_application(demo.partnership())
    manager = demo.user("wn-csm")
    services.sensitive_information_record(
        application=case, person=case.victim, actor=manager, religion="Sikh"
    )
    read = services.sensitive_version(
        services.sensitive_information_held(application=case, person=case.victim)
    )
    services.sensitive_information_record(
        application=case, person=case.victim, actor=manager, religion="Hindu", read_version=read
    )
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.sensitive_information_record(
            application=case, person=case.victim, actor=manager, religion="None", read_version=read
        )
    # Read before the first record existed (version 0): refused once there is one.
    other = make_application(demo.partnership(), victim_name="Sam Field")
    services.sensitive_information_record(
        application=other, person=other.victim, actor=manager, ethnicity="X"
    )
    with unchanged_rows(), pytest.raises(StaleRecord):
        services.sensitive_information_record(
            application=other, person=other.victim, actor=manager, ethnicity="Y", read_version=0
        )
