"""Letters to a person who chose Welsh (issue 19) and decisions that keep what they were decided
under (issue 15, ADR 0039/0040): the threshold decision is stored with its policy's digest and its
reasons as codes; the letter renders the stored codes, in Welsh for a Welsh reader, whatever the
policy says today."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from importlib import resources

import pytest
from django.apps import apps as django_apps
from django.db import connection

from casereview.applications.models import Application
from casereview.applications.services import DecisionChoice, application_acknowledge, application_decide
from casereview.letters import services
from casereview.letters.services import letter_preview

from .conftest import record_decision
from .test_services import pdf_objects, text_of

WN_POLICY = (
    resources.files("casereview.core.presets").joinpath("west-northamptonshire.toml").read_text("utf-8")
)
DECIDED_ON = dt.date(2025, 4, 25)
ISSUED_ON = dt.date(2025, 5, 1)


def set_policy(partnership, text: str) -> None:
    partnership.policy_text = text
    partnership.save(update_fields=["policy_text"])
    partnership.__dict__.pop("policy", None)


def reloaded(case):
    """The case read afresh, with its partnership (and so the partnership's policy as it is now)."""
    return Application.objects.select_related("partnership").get(pk=case.pk)


def pdf_text(rendered) -> str:
    """The text WeasyPrint lays out on the PDF's pages (as the accessibility test reads it)."""
    from weasyprint import HTML

    document = HTML(string=rendered.document_html).render()
    found: list[str] = []

    def walk(box):
        if getattr(box, "text", None):
            found.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(" ".join(found).split()), document


@pytest.fixture
def welsh_case(case, wn):
    case.language = "cy"
    case.save(update_fields=["language"])
    return case


def decline(case, csm):
    application_acknowledge(application=case, actor=csm, acknowledged_on=dt.date(2025, 4, 16))
    case.refresh_from_db()
    return application_decide(
        application=case, actor=csm, choice=DecisionChoice.DECLINE, decided_on=DECIDED_ON
    )


# --- The stored decision ----------------------------------------------------------------------------


def test_a_decision_stores_its_policys_digest_and_its_reasons_as_codes(case, csm, wn):
    decision = decline(case, csm)
    policy = wn.policy
    assert decision.policy_id == "west-northamptonshire" and decision.policy_version == policy.version
    assert re.fullmatch(r"[0-9a-f]{64}", decision.policy_digest) and decision.policy_digest == policy.digest
    codes = decision.reason_codes
    assert codes["policy"] == {"id": policy.id, "version": policy.version, "digest": policy.digest}
    i3 = next(entry for entry in codes["incidents"] if entry["ref"] == "I3")
    assert i3["qualifying"] is False
    assert [
        "too_late",
        {
            "agency": "housing",
            "reported_on": "2025-04-10",
            "report_by": "2025-03-30",
            "report_within": "30 days",
            "occurred_on": "2025-03-01",
        },
    ] in i3["reasons"]
    # The engine's English, as contracts §3 gives it, is stored beside the codes, unchanged.
    assert decision.engine_result["incidents"][2]["reasons"][0].startswith("The report to a social housing")


def test_the_stored_decision_survives_a_change_of_policy(case, csm, wn):
    decision = decline(case, csm)
    before = text_of(letter_preview(case=case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON))
    # The partnership changes its policy after deciding: reports count for 60 days now, so today's
    # policy would count incident I3 — but the letter says what was decided, under what it was decided.
    set_policy(
        wn,
        WN_POLICY.replace('report_within = "30 days"', 'report_within = "60 days"').replace(
            'version = "2024-09-16"', 'version = "2027-01-01"'
        ),
    )
    assert wn.policy.digest != decision.policy_digest
    from casereview.applications.threshold import threshold_evaluate

    case = reloaded(case)
    assert threshold_evaluate(application=case)["qualifying_complaints"] == 3  # today's policy differs
    after = text_of(letter_preview(case=case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON))
    decision.refresh_from_db()
    assert decision.policy_version == "2024-09-16"
    assert "Incident I3, 1 March 2025: did not count" in after
    assert "within 30 days of the incident on 1 March 2025" in after
    assert "60 days" not in after
    assert after == before


def test_a_letter_to_an_english_reader_is_unchanged(case, csm):
    """Rendered from the codes, the English letter is word for word the letter of the stored English."""
    decline(case, csm)
    from_codes = letter_preview(case=case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON)
    decision = case.decisions.get()
    decision.reason_codes = {}
    decision.save(update_fields=["reason_codes"])
    from_sentences = letter_preview(case=case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON)
    assert from_codes.body_html == from_sentences.body_html
    assert from_codes.subject == "Your ASB Case Review application WN-2025-0001: the threshold is not met"
    text, document = pdf_text(from_codes)
    assert "Dear Jo Bloggs" in text and "Annwyl" not in text
    assert "You must appeal by 29 May 2025." in text
    assert document.metadata.lang == "en-GB"


# --- Welsh ------------------------------------------------------------------------------------------


WELSH_REASON = (
    "Roedd yr adroddiad i ddarparwr tai cymdeithasol ar 10 Ebrill 2025 yn rhy hwyr i gyfrif: roedd angen "
    "ei wneud erbyn 30 Mawrth 2025, o fewn 30 diwrnod i’r digwyddiad ar 1 Mawrth 2025."
)


def test_a_welsh_decision_letter_has_the_welsh_reasons_and_welsh_dates_in_its_pdf(welsh_case, csm):
    decline(welsh_case, csm)
    rendered = letter_preview(case=welsh_case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON)
    text, document = pdf_text(rendered)
    assert "Annwyl Jo Bloggs" in text
    assert "Digwyddiad I3, 1 Mawrth 2025: heb gyfrif." in text
    assert WELSH_REASON in text
    assert "Nid yw’r cais a wnaed ar 15 Ebrill 2025 yn cyrraedd y trothwy" in text  # the explanation
    assert "Rhaid i chi apelio erbyn 29 Mai 2025." in text  # a Welsh date
    assert "1 Mai 2025" in text  # the letter's own date
    assert "Yn gywir" in text and "Ein cyfeirnod: WN-2025-0001" in text
    # The policy sets no [correspondence]: Welsh only, nothing of the English letter.
    assert "Dear " not in text and "did not count" not in text and "April" not in text
    assert rendered.subject == "Eich cais am Adolygiad Achos WN-2025-0001: nid yw’r trothwy wedi’i gyrraedd"
    assert document.metadata.lang == "cy"
    assert re.search(rb"/Lang\s*\(cy\)", pdf_objects(services.render_pdf(rendered.document_html)))


def test_a_bilingual_policy_puts_the_welsh_first_then_the_english(welsh_case, csm, wn):
    set_policy(wn, WN_POLICY + '\n[correspondence]\nwelsh = "bilingual"\n')
    welsh_case = reloaded(welsh_case)
    decline(welsh_case, csm)
    rendered = letter_preview(case=welsh_case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON)
    text, _document = pdf_text(rendered)
    assert WELSH_REASON in text
    assert "The report to a social housing provider on 10 April 2025 was too late to count" in text
    assert text.index("Annwyl Jo Bloggs") < text.index("Dear Jo Bloggs")
    assert " / Your ASB Case Review application WN-2025-0001" in rendered.subject
    assert rendered.body_html.count("<article") == 2
    assert 'lang="cy"' in rendered.body_html and 'lang="en-GB"' in rendered.body_html


def test_the_stored_decision_is_rendered_in_welsh_after_a_change_of_policy(welsh_case, csm, wn):
    decline(welsh_case, csm)
    set_policy(wn, WN_POLICY.replace('report_within = "30 days"', 'report_within = "60 days"'))
    welsh_case = reloaded(welsh_case)
    assert welsh_case.partnership.policy.threshold.report_within.amount == 60
    text = text_of(letter_preview(case=welsh_case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON))
    assert WELSH_REASON in text


def test_welsh_acknowledgement_and_letters_to_partners_stay_english(welsh_case, csm):
    from casereview.applications.services import case_event_record

    case_event_record(
        application=welsh_case, kind="acknowledged", summary="Acknowledged", occurred_on=dt.date(2025, 4, 17)
    )
    rendered = letter_preview(
        case=welsh_case, kind="acknowledgement", actor=csm, issue_date=dt.date(2025, 4, 17)
    )
    text = text_of(rendered)
    assert "Eich cyfeirnod yw WN-2025-0001" in text
    assert "Byddwn yn ysgrifennu atoch gyda’n penderfyniad erbyn 6 Mai 2025." in text
    languages = services.letter_languages(
        kind="panel_minutes",
        case=welsh_case,
        recipient=rendered.recipient,
        partnership=welsh_case.partnership,
    )
    assert languages == ("en",)


def test_a_decision_letter_made_before_the_codes_quotes_the_stored_english(welsh_case, csm):
    """A decision recorded before 0006 with no recoverable codes: the letter cannot translate what it
    never had, so its reasons are the stored English ones (the gap docs/letters.md names)."""
    decision = record_decision(welsh_case, csm, decision="declined")
    assert decision.reason_codes == {}
    text = text_of(letter_preview(case=welsh_case, kind="threshold_not_met", actor=csm, issue_date=ISSUED_ON))
    assert "Annwyl Jo Bloggs" in text
    assert "The report to a social housing provider on 10 April 2025 was too late to count" in text


# --- The migration ----------------------------------------------------------------------------------


class _SchemaEditor:
    connection = connection


def test_migration_0007_recovers_the_codes_only_where_a_rerun_says_exactly_what_was_stored(case, csm, wn):
    from tests.factories import make_application

    recover = importlib.import_module(
        "casereview.applications.migrations.0007_recover_threshold_reason_codes"
    ).recover
    same = record_decision(case, csm, decision="declined")
    changed_case = make_application(wn, actor=csm, victim_name="Sam Other")
    changed = record_decision(changed_case, csm, decision="accepted")
    # Since the decision, an incident was corrected: a re-run no longer says what was decided.
    report = changed_case.incidents.order_by("occurred_on").first().reports.get()
    report.reported_on = report.reported_on + dt.timedelta(days=60)
    report.save(update_fields=["reported_on"])

    recover(django_apps, _SchemaEditor())

    same.refresh_from_db()
    changed.refresh_from_db()
    assert same.reason_codes["recovered"].startswith("recomputed at migration 0007")
    assert same.reason_codes["policy"]["digest"] == "" and same.policy_digest == ""
    assert [e["ref"] for e in same.reason_codes["incidents"]] == ["I1", "I2", "I3"]
    assert changed.reason_codes == {}
    # The recovered codes render exactly the stored sentences.
    from casereview.core.reasons import render_all

    for stored, entry in zip(same.engine_result["incidents"], same.reason_codes["incidents"], strict=True):
        assert render_all(entry["reasons"]) == stored["reasons"]
