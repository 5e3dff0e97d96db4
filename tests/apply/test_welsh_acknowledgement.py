"""The acknowledgement email to a person who applied in Welsh: in Welsh, or Welsh then English when
the partnership's policy sets bilingual correspondence (ADR 0040)."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest

from casereview.apply.services import online_application_submit

from .test_services import TODAY, answers_for


def _submit(areas, token, django_capture_on_commit_callbacks, language):
    answers = answers_for(
        areas,
        contact={"preferred": "email", "email": "jo@example.com", "phone": ""},
        needs={"formats": [], "language": "", "other_needs": ""},
    )
    with django_capture_on_commit_callbacks(execute=True):
        return online_application_submit(answers=answers, token=token, today=TODAY, language=language)


def _text(email) -> str:
    return " ".join(email.get_payload(decode=True).decode().split())


@pytest.mark.django_db
def test_a_welsh_applicant_is_acknowledged_in_welsh(areas, smtp_sink, django_capture_on_commit_callbacks):
    application = _submit(areas, "cy-ack", django_capture_on_commit_callbacks, "cy")
    assert application.language == "cy"
    (email,) = smtp_sink.messages
    text = _text(email)
    assert f"Eich cyfeirnod yw {application.reference}" in text
    assert "Cawsom eich cais am Adolygiad Achos Ymddygiad Gwrthgymdeithasol ar 18 Mawrth 2026" in text
    assert "Thank you" not in text
    subject = " ".join(str(make_header(decode_header(email["Subject"]))).split())  # unfolded
    assert (
        subject == "Rydym wedi cael eich cais am Adolygiad Achos Ymddygiad Gwrthgymdeithasol: "
        f"{application.reference}"
    )


@pytest.mark.django_db
def test_a_bilingual_policy_acknowledges_in_welsh_then_english(
    areas, smtp_sink, django_capture_on_commit_callbacks
):
    application = _submit(areas, "cy-ack-2", django_capture_on_commit_callbacks, "cy")
    partnership = application.partnership
    base = partnership.policy_text or _preset_text(partnership.policy_ref)
    partnership.policy_text = base + '\n[correspondence]\nwelsh = "bilingual"\n'
    partnership.save(update_fields=["policy_text"])
    sent = len(smtp_sink.messages)
    again = _submit(areas, "cy-ack-3", django_capture_on_commit_callbacks, "cy")
    (email,) = smtp_sink.messages[sent:]
    text = _text(email)
    assert text.index("Diolch.") < text.index("Thank you.")
    assert re.search(rf"Your reference is {again.reference}", text)


@pytest.mark.django_db
def test_an_english_applicant_is_acknowledged_as_before(areas, smtp_sink, django_capture_on_commit_callbacks):
    application = _submit(areas, "en-ack", django_capture_on_commit_callbacks, "en")
    (email,) = smtp_sink.messages
    text = _text(email)
    assert (
        "Thank you. We received your application for an ASB Case Review on 18 March 2026. "
        f"Your reference is {application.reference}." in text
    )
    assert "Diolch" not in text


def _preset_text(ref: str) -> str:
    from importlib import resources

    return resources.files("casereview.core.presets").joinpath(f"{ref}.toml").read_text("utf-8")
