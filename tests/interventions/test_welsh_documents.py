"""The documents served on the subject of an intervention in Welsh (ADR 0079): for a recipient who
chose Welsh, Welsh — or, where the partnership's policy says bilingual (Cardiff's demo partnership),
Welsh first and then English — with the terms, the law's dates in Welsh form and the appeal route."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casereview.interventions import services
from casereview.people.services import PersonData, PlaceData, person_create, place_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cardiff(demo):
    partnership = demo.partnership("cardiff")
    assert partnership.policy.welsh_correspondence == "bilingual"

    class Cardiff:
        pass

    c = Cardiff()
    c.partnership = partnership
    c.council = demo.agency("cardiff", "council")
    c.csm = demo.user("ca-csm")
    c.person = person_create(
        partnership=partnership,
        data=PersonData(full_name="Rhys Evans", date_of_birth=dt.date(1988, 4, 2)),
        actor=c.csm,
    )
    c.flat = place_create(
        partnership=partnership,
        data=PlaceData(address="Fflat 2, 4 Heol y Frenhines", postcode="CF10 2BY"),
        actor=c.csm,
    )
    return c


def _open(c, **subject):
    return services.intervention_open(
        partnership=c.partnership,
        lead_agency=c.council,
        officer=c.csm,
        opened_on=dt.date(2026, 1, 5),
        summary="Noise",
        nation="wales",
        actor=c.csm,
        **subject,
    )


def _step(c, intervention, kind, served_on, **kwargs):
    return services.step_record(
        intervention=intervention,
        data=services.StepData(kind=kind, issuing_agency=c.council, served_on=served_on, **kwargs),
        actor=c.csm,
    )


@pytest.fixture
def cpn(cardiff):
    c = cardiff
    intervention = _open(c, person=c.person)
    services.referral_offer(
        intervention=intervention,
        service="drug_alcohol",
        offered_on=dt.date(2026, 1, 10),
        notes="",
        actor=c.csm,
    )
    _step(c, intervention, "warning_letter", dt.date(2026, 1, 10), how_served="post")
    _step(
        c,
        intervention,
        "cpw",
        dt.date(2026, 1, 20),
        how_served="post",
        comply_by=dt.date(2026, 1, 27),
        prohibitions="No amplified music after 11pm",
    )
    return _step(
        c,
        intervention,
        "cpn",
        dt.date(2026, 2, 2),
        how_served="post",
        prohibitions="No amplified music after 11pm",
        requirements="Attend the tenancy support meeting",
        comply_by=dt.date(2026, 2, 9),
    )


def _issue(c, step, language):
    return services.step_document_issue(
        step=step,
        behaviour="Loud music late at night, most nights since January.",
        recipient=services.document_recipient(
            step.intervention, address="Fflat 1, 2 Heol y Frenhines\nCF10 2BY", language=language
        ),
        actor=c.csm,
        channel="post",
    )


def test_a_cpn_to_a_welsh_speaker_in_cardiff_is_welsh_first_with_its_terms_and_appeal_route(cardiff, cpn):
    letter = _issue(cardiff, cpn, "cy")
    body = letter.body_html
    welsh, english = body.index("Hysbysiad Gwarchod y Gymuned"), body.index("Community Protection Notice")
    assert welsh < english  # the Welsh first (Welsh Language Standards), then the English
    assert letter.subject == "Hysbysiad Gwarchod y Gymuned / Community Protection Notice"
    cy = body[:english]
    # The terms as recorded (typed in English, as typed), under the Welsh headings.
    assert "Yr hyn y mae’n rhaid i chi roi’r gorau i’w wneud" in cy and "No amplified music after 11pm" in cy
    assert "Attend the tenancy support meeting" in cy and "9 Chwefror 2026" in cy
    # The appeal route in Welsh: 21 days to the magistrates' court, the last day in Welsh form.
    assert "Gallwch apelio yn erbyn yr hysbysiad hwn i lys ynadon o fewn 21 diwrnod" in cy
    assert "Y seiliau yw" in cy and "Y diwrnod olaf i apelio yw 22 Chwefror 2026" in cy
    assert "hysbysiad cosb benodedig o hyd at £100" in cy
    assert "Mae’r telerau hyn yn para tan rybudd pellach" in cy  # no end date: until further notice
    assert 'lang="cy"' in cy and "Ein cyfeirnod" in cy and "Yn gywir" in cy
    # The English after it, as before.
    assert "The last day to appeal is 22 February 2026" in body[english:]
    assert letter.pdf_sha256 and letter.pdf.size > 1000


def test_a_recipient_who_did_not_choose_welsh_gets_english_only(cardiff, cpn):
    letter = _issue(cardiff, cpn, "")
    assert "Hysbysiad" not in letter.body_html and letter.subject == "Community Protection Notice"


def test_a_welsh_closure_notice_writes_its_end_and_hearing_deadline_in_welsh(cardiff):
    c = cardiff
    intervention = _open(c, premises=c.flat)
    served_at = timezone.make_aware(dt.datetime(2026, 3, 2, 14, 0))
    notice = _step(
        c,
        intervention,
        "closure_notice",
        served_at.date(),
        served_at=served_at,
        how_served="affixed",
        duration_hours=24,
        duties=["occupants_informed", "appropriate_consulted"],
    )
    letter = services.step_document_issue(
        step=notice,
        behaviour="",
        recipient=services.document_recipient(intervention, language="cy"),
        actor=c.csm,
        channel="by_hand",
    )
    body = letter.body_html
    cy = body[: body.index("Closure notice")]
    assert "Hysbysiad cau: Fflat 2, 4 Heol y Frenhines" in cy
    assert "yn para 24 awr, tan 14:00 ar 3 Mawrth 2026" in cy  # 24 hours from 14:00 on 2 March
    assert "Rhaid i’r llys wrando’r cais erbyn 14:00 ar 4 Mawrth 2026" in cy  # 48 hours (s.80)
    assert "until 14:00 on 3 March 2026" in body  # the English part keeps its English


def test_the_document_page_checks_a_welsh_document(client, cardiff, cpn):
    client.force_login(cardiff.csm)
    response = client.post(
        f"/interventions/{cpn.intervention_id}/steps/{cpn.pk}/document/",
        {
            "behaviour": "Loud music late at night.",
            "recipient_address": "Fflat 1, 2 Heol y Frenhines\nCF10 2BY",
            "recipient_language": "cy",
            "check": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Issue the document" in page
    assert page.index("Hysbysiad Gwarchod y Gymuned") < page.index("Your right to appeal")
    assert 'name="recipient_language" value="cy"' in page
