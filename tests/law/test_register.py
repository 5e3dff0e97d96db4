"""The commencement register's Django side: an administrator changes a date without a code change,
the rules read it at once, and the access log keeps the before and after."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from casereview.audit.models import AccessEvent
from casereview.law import services
from casereview.law.models import Commencement
from casereview.law.selectors import commencement_register, commencement_rows

pytestmark = pytest.mark.django_db


def test_with_nothing_recorded_the_register_is_the_preset():
    register = commencement_register()
    assert register.version == "preset"
    assert register.in_force("asbcpa2014.s43.cpn_age_16", nation="england", on=date(2014, 10, 20))
    assert not register.in_force("cpa2026.lpb_review", nation="england", on=date(2026, 12, 6))


def test_a_recorded_date_is_read_at_once_and_logged(admin_user):
    services.commencement_record(
        provision="cpa2026.lpb_review",
        nation="wales",
        in_force_on=date(2026, 10, 1),
        source="SI 2026/1 reg 3",
        actor=admin_user,
    )
    register = commencement_register()
    assert register.in_force("cpa2026.lpb_review", nation="wales", on=date(2026, 10, 1))
    assert not register.in_force("cpa2026.lpb_review", nation="wales", on=date(2026, 9, 30))
    assert not register.in_force("cpa2026.lpb_review", nation="england", on=date(2026, 10, 1))
    event = AccessEvent.objects.filter(object_type="law.commencement").latest("id")
    assert event.details["after"] == "2026-10-01" and event.details["before"] is None
    # Changing it again keeps one row, moves the version on, and logs the old date.
    services.commencement_record(
        provision="cpa2026.lpb_review", nation="wales", in_force_on=None, source="revoked", actor=admin_user
    )
    row = Commencement.objects.get()
    assert row.version == 2
    assert (
        AccessEvent.objects.filter(object_type="law.commencement").latest("id").details["before"]
        == "2026-10-01"
    )
    assert not commencement_register().in_force("cpa2026.lpb_review", nation="wales", on=date(2027, 1, 1))


def test_an_unknown_provision_or_no_source_is_refused_and_nothing_changes(admin_user, unchanged_rows):
    with unchanged_rows(), pytest.raises(ValidationError) as caught:
        services.commencement_record(
            provision="no.such", nation="england", in_force_on=None, source="x", actor=admin_user
        )
    assert "provision" in caught.value.error_dict
    with unchanged_rows(), pytest.raises(ValidationError) as caught:
        services.commencement_record(
            provision="reform.cpn_age_10",
            nation="england",
            in_force_on=date(2027, 1, 1),
            source=" ",
            actor=admin_user,
        )
    assert "source" in caught.value.error_dict


def test_removing_a_row_goes_back_to_the_preset(admin_user):
    row = services.commencement_record(
        provision="asbcpa2014.s43.cpn_age_16",
        nation="england",
        in_force_on=None,
        source="test",
        actor=admin_user,
    )
    assert not commencement_register().in_force(
        "asbcpa2014.s43.cpn_age_16", nation="england", on=date(2020, 1, 1)
    )
    services.commencement_remove(row=row, actor=admin_user)
    assert commencement_register().in_force(
        "asbcpa2014.s43.cpn_age_16", nation="england", on=date(2020, 1, 1)
    )


def test_the_rows_list_every_provision_for_both_nations():
    rows = commencement_rows()
    assert {(r["key"], r["nation"]) for r in rows} >= {
        ("cpa2026.respect_orders", "england"),
        ("cpa2026.respect_orders", "wales"),
    }


def test_the_deployment_administrator_changes_a_date_in_the_admin(admin_client):
    response = admin_client.post(
        "/django-admin/law/commencement/add/",
        {
            "provision": "reform.cpn_age_10",
            "nation": "england",
            "in_force_on": "2027-01-01",
            "source": "SI 2026/77",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert commencement_register().in_force("reform.cpn_age_10", nation="england", on=date(2027, 1, 1))
    assert AccessEvent.objects.filter(object_type="law.commencement", action="update").exists()


def test_a_partnership_administrator_cannot_reach_the_admin(client, demo):
    client.force_login(demo.user("wn-admin"))
    response = client.get("/django-admin/law/commencement/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_national_setting_is_read_at_once_checked_and_logged(admin_user, unchanged_rows):
    """ADR 0069: the local policing body review's settings, recorded like the dates."""
    from casereview.core import lpb_review

    assert lpb_review.rules_from(commencement_register()).appeal_first is True  # the preset's
    services.provision_setting_record(
        provision="cpa2026.lpb_review",
        name="appeal_first",
        value="false",
        source="SI 2026/1",
        actor=admin_user,
    )
    services.provision_setting_record(
        provision="cpa2026.lpb_review",
        name="time_limit",
        value="3 months",
        source="SI 2026/1",
        actor=admin_user,
    )
    rules = lpb_review.rules_from(commencement_register())
    assert rules.appeal_first is False and str(rules.time_limit) == "3 months"
    event = AccessEvent.objects.filter(object_type="law.provisionsetting").latest("id")
    assert event.details["after"] == "3 months" and event.details["before"] is None
    for name, value, field in (
        ("time_limit", "soon", "value"),
        ("appeal_first", "maybe", "value"),
        ("colour", "blue", "name"),
    ):
        with unchanged_rows(), pytest.raises(ValidationError) as caught:
            services.provision_setting_record(
                provision="cpa2026.lpb_review", name=name, value=value, source="x", actor=admin_user
            )
        assert field in caught.value.error_dict and name in str(caught.value)
    with unchanged_rows(), pytest.raises(ValidationError) as caught:
        services.provision_setting_record(
            provision="reform.cpn_age_10", name="time_limit", value="1 month", source="x", actor=admin_user
        )
    assert "provision" in caught.value.error_dict
    row = services.ProvisionSetting.objects.get(name="time_limit")
    services.provision_setting_remove(row=row, actor=admin_user)
    assert str(lpb_review.rules_from(commencement_register()).time_limit) == "28 days"
