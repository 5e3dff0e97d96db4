"""The letters engine: each kind rendered from real records, issued, corrected, refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from casereview.actions.models import Action
from casereview.applications.models import CaseEvent, Person
from casereview.applications.services import case_event_record
from casereview.letters import services
from casereview.letters.models import Letter, LetterTemplate
from casereview.letters.redaction import text_from_html
from casereview.letters.services import (
    LetterNotReady,
    LetterRedactionError,
    Recipient,
    letter_correct,
    letter_issue,
    letter_preview,
    letter_template_save,
)
from tests.factories import make_application

from .conftest import record_decision

ISSUE_DAY = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)  # a Thursday


def text_of(rendered_or_letter) -> str:
    return " ".join(text_from_html(rendered_or_letter.body_html).split())


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, for searching."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


# --- Rendering each kind ----------------------------------------------------------------------------


def test_acknowledgement_gives_the_reference_and_the_decision_date_from_the_policy(case, csm):
    case_event_record(
        application=case, kind="acknowledged", summary="Acknowledged", occurred_on=dt.date(2025, 4, 17)
    )
    rendered = letter_preview(case=case, kind="acknowledgement", actor=csm, issue_date=dt.date(2025, 4, 17))
    text = text_of(rendered)
    assert "Our reference: WN-2025-0001" in text
    assert "17 April 2025" in text  # the date written out
    assert "received on 15 April 2025" in text
    # WNC: the decision is due 10 working days after acknowledgement. From Thursday 17 April 2025,
    # skipping Good Friday, Easter Monday and the early May bank holiday: Tuesday 6 May.
    assert "decision by 6 May 2025" in text
    assert "Dear Jo Bloggs" in text
    assert "One Angel Square" in text and "0300 126 7000" in text


def test_threshold_not_met_quotes_each_incidents_reasons_and_the_appeal_date(case, csm):
    decision = record_decision(case, csm, decision="declined", reasons="The incidents were months apart.")
    assert decision.engine_result["outcome"] == "not_met"
    rendered = letter_preview(case=case, kind="threshold_not_met", actor=csm, issue_date=dt.date(2025, 5, 1))
    text = text_of(rendered)
    for incident in decision.engine_result["incidents"]:
        assert f"Incident {incident['ref']}" in text
        for reason in incident["reasons"]:
            assert reason.rstrip(".") in text  # in the engine's own words
    assert "Incident I3, 1 March 2025: did not count" in text
    assert decision.explanation.split(".")[0] in text
    # WNC appeal_window: 28 days from the letter; the period excludes the day of the letter.
    assert "You must appeal by 29 May 2025." in text
    assert "West Northamptonshire Council" in text  # who hears the appeal ([appeals] heard_by)
    assert "did not give enough detail to understand why a review did not take place" in text
    assert "The incidents were months apart." in text  # the decision maker's own reasons
    assert "whether to hold a review anyway" in text  # the discretion note


def test_threshold_not_met_uses_the_partnerships_appeal_route(demo, csm):
    islington = demo.partnership("islington")
    officer = demo.user("is-csm")
    case = make_application(islington, actor=officer)
    record_decision(case, officer, decision="declined")
    text = text_of(
        letter_preview(case=case, kind="threshold_not_met", actor=officer, issue_date=dt.date(2025, 5, 1))
    )
    assert "the Police and Crime Commissioner" in text
    assert "You must appeal by 29 May 2025." in text


def test_a_letter_needs_its_facts(case, csm, unchanged_rows):
    with unchanged_rows(), pytest.raises(LetterNotReady, match="threshold decision"):
        letter_preview(case=case, kind="threshold_not_met", actor=csm)
    record_decision(case, csm, decision="accepted", discretionary=True)
    with unchanged_rows(), pytest.raises(LetterNotReady, match="threshold decision"):
        letter_preview(case=case, kind="threshold_not_met", actor=csm)
    with unchanged_rows(), pytest.raises(LetterNotReady, match="single point of contact"):
        letter_preview(case=case, kind="next_steps", actor=csm)
    with unchanged_rows(), pytest.raises(LetterNotReady, match="panel"):
        letter_preview(case=case, kind="outcome", actor=csm)


def test_accepted_at_discretion_says_so_with_next_steps(case, csm):
    record_decision(case, csm, decision="accepted", discretionary=True, reasons="Vulnerable household.")
    text = text_of(letter_preview(case=case, kind="accepted", actor=csm, issue_date=dt.date(2025, 5, 1)))
    assert "a review will take place" in text
    assert "Although the threshold for a review was not met, we have decided to hold one" in text
    assert "single point of contact for you by" in text
    assert "Vulnerable household" not in text  # the manager's internal reasons stay internal


def test_ineligible_gives_reasons_and_where_to_go_instead(wn, csm):
    case = make_application(wn, actor=csm, concerns=["court_decision"])
    record_decision(case, csm, decision="ineligible")
    text = text_of(letter_preview(case=case, kind="ineligible", actor=csm))
    assert "not the right way" in text
    assert "Citizens Advice" in text and "court's decision" in text


def test_next_steps_names_the_spoc_support_and_the_victims_voice(case, csm, demo):
    spoc = demo.user("wn-spoc")
    spoc.phone = "01604 000111"
    spoc.save()
    case.spoc = spoc
    case.save(update_fields=["spoc"])
    case_event_record(
        application=case, kind="spoc_appointed", summary="SPOC", occurred_on=dt.date(2025, 5, 1)
    )
    text = text_of(letter_preview(case=case, kind="next_steps", actor=csm))
    assert "Sam Patel" in text and "01604 000111" in text and "wn-spoc@example.gov.uk" in text
    assert "Victim Support" in text
    assert "come to the start of the panel meeting" in text
    assert "write a statement about the impact" in text
    assert "by 9 May 2025" in text  # victim_contact: 5 working days, skipping the 5 May bank holiday


def test_outcome_shares_only_the_actions_the_panel_said_may_be_shared(case, csm, wn):
    police = wn.agencies.get(kind="police")
    Action.objects.create(
        case=case,
        description="Patrol the alley on Friday nights",
        owner_agency=police,
        due_on=dt.date(2025, 7, 1),
        share_with_victim=True,
        created_by=csm,
    )
    Action.objects.create(
        case=case,
        description="Covert surveillance of the garages",
        owner_agency=police,
        due_on=dt.date(2025, 7, 1),
        share_with_victim=False,
        created_by=csm,
    )
    extra = {
        "panel_date": dt.date(2025, 6, 2),
        "recommendations": [
            {"text": "Install better lighting in the alley", "to": "West Northamptonshire Council"}
        ],
    }
    text = text_of(letter_preview(case=case, kind="outcome", actor=csm, extra=extra))
    assert "met on 2 June 2025" in text
    assert "Install better lighting in the alley (to West Northamptonshire Council)" in text
    assert "Patrol the alley on Friday nights — Northamptonshire Police, by 1 July 2025" in text
    assert "Covert surveillance" not in text
    assert "review did not consider relevant factual information" in text  # review_outcome grounds


def test_unreachable_closure_lists_the_attempts(case, csm):
    extra = {
        "attempts": [
            {"on": dt.date(2025, 5, 2), "method": "Phone call"},
            {"on": dt.date(2025, 5, 6), "method": "Home visit"},
        ]
    }
    text = text_of(letter_preview(case=case, kind="unreachable_closure", actor=csm, extra=extra))
    assert "2 May 2025: Phone call" in text and "6 May 2025: Home visit" in text


def test_review_explained_needs_no_application(wn, csm):
    rendered = letter_preview(
        case=None,
        partnership=wn,
        kind="review_explained",
        actor=csm,
        recipient=Recipient(name="Sam Caller", address="4 Mill Lane\nNorthampton", postcode="NN2 6AA"),
        extra={"reports": [{"reported_on": dt.date(2025, 3, 1), "reference": "ASB-991"}]},
    )
    text = text_of(rendered)
    assert "at least 3 incidents of anti-social behaviour in the last 6 months" in text
    assert "ASB-991" in text and "/apply/" in text


def test_large_print_when_the_victim_needs_it(wn, csm):
    case = make_application(wn, actor=csm)
    Person.objects.filter(pk=case.victim_id).update(format_needs="Large print, please")
    case.refresh_from_db()
    rendered = letter_preview(case=case, kind="acknowledgement", actor=csm)
    assert rendered.large_print
    assert "letter--large-print" in rendered.body_html


def test_a_third_party_applicant_receives_the_decision_letter(wn, csm):
    case = make_application(
        wn,
        actor=csm,
        applicant=Person(full_name="Cllr Ann Helper", address="Civic Office\nNorthampton"),
        applicant_relationship="councillor",
        victim_consent=True,
    )
    rendered = letter_preview(case=case, kind="acknowledgement", actor=csm)
    assert rendered.recipient.name == "Cllr Ann Helper"
    assert "You applied on behalf of Jo Bloggs." in text_of(rendered)


# --- Issuing ---------------------------------------------------------------------------------------


@time_machine.travel(ISSUE_DAY, tick=False)
def test_issue_stores_the_letter_its_pdf_and_records_it_on_the_timeline(case, csm, media_root):
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    letter.refresh_from_db()
    assert letter.issued_on == dt.date(2025, 5, 1)
    assert letter.recipient_name == "Jo Bloggs" and "1 High Street" in letter.recipient_address
    assert "You must appeal by 29 May 2025." in text_of(letter)
    assert letter.template_version == 0
    pdf_path = Path(letter.pdf.path)
    assert pdf_path.is_relative_to(media_root)
    assert "Jo" not in pdf_path.name and "WN-2025" not in str(pdf_path)  # no personal data in names
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == letter.pdf_sha256
    events = {e.kind: e for e in CaseEvent.objects.filter(application=case)}
    issued = events["letter_issued"]
    assert issued.data["letter_kind"] == "threshold_not_met"
    assert issued.data["letter_id"] == letter.pk
    assert issued.data["appeal_window_starts"] is True
    assert issued.occurred_on == dt.date(2025, 5, 1)
    assert issued.actor == csm
    assert "Jo Bloggs" not in issued.summary
    assert events["decision_letter_issued"].occurred_on == dt.date(2025, 5, 1)


def test_the_pdf_is_accessible_and_carries_the_reference(case, csm):
    from weasyprint import HTML

    rendered = letter_preview(case=case, kind="acknowledgement", actor=csm)
    document = HTML(string=rendered.document_html).render()
    page_text = []

    def walk(box):
        if getattr(box, "text", None):
            page_text.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    text = " ".join(page_text)
    assert "WN-2025-0001" in text
    assert document.metadata.title == rendered.subject
    assert document.metadata.lang == "en-GB"
    pdf = services.render_pdf(rendered.document_html)
    assert pdf.startswith(b"%PDF-1.7")
    content = pdf_objects(pdf)
    assert b"/StructTreeRoot" in content and b"/MarkInfo" in content  # tagged (PDF/UA-1)
    assert b"pdfuaid:part" in content  # the PDF/UA identification in the XMP metadata
    assert re.search(rb"/Lang\s*\(en-GB\)", content)
    assert b"WN-2025-0001" in content  # the title and description metadata


def test_a_failing_pdf_write_records_nothing_and_leaves_no_file(
    case, csm, media_root, monkeypatch, unchanged_rows
):
    before = CaseEvent.objects.filter(application=case).count()

    def explode(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "case_event_record", explode)
    with unchanged_rows(), pytest.raises(OSError, match="disk full"):
        letter_issue(case=case, kind="acknowledgement", actor=csm)
    assert Letter.objects.count() == 0
    assert CaseEvent.objects.filter(application=case).count() == before
    assert files_under(media_root) == []


def test_a_failing_pdf_render_writes_nothing(case, csm, media_root, monkeypatch, unchanged_rows):
    monkeypatch.setattr(services, "render_pdf", lambda html: (_ for _ in ()).throw(RuntimeError("no fonts")))
    with unchanged_rows(), pytest.raises(RuntimeError):
        letter_issue(case=case, kind="acknowledgement", actor=csm)
    assert Letter.objects.count() == 0 and files_under(media_root) == []


def test_only_the_issuing_roles_may_issue(case, demo, unchanged_rows):
    for username in ("wn-police", "wn-analyst", "wn-chair", "wn-dpo"):
        with unchanged_rows(), pytest.raises(PermissionDenied):
            letter_issue(case=case, kind="acknowledgement", actor=demo.user(username))
    for username in ("wn-csm", "wn-spoc", "wn-senior", "wn-admin"):
        assert letter_issue(case=case, kind="acknowledgement", actor=demo.user(username)).pk
    with unchanged_rows(), pytest.raises(PermissionDenied):  # another partnership's manager
        letter_issue(case=case, kind="acknowledgement", actor=demo.user("is-csm"))


# --- Correcting ------------------------------------------------------------------------------------


def test_a_correction_supersedes_the_first_which_stays(case, csm, unchanged_rows):
    first = letter_issue(case=case, kind="acknowledgement", actor=csm)
    Person.objects.filter(pk=case.victim_id).update(address="2 High Street")
    case.refresh_from_db()
    with unchanged_rows(), pytest.raises(ValidationError):
        letter_correct(letter=first, actor=csm, reason="  ")
    second = letter_correct(letter=first, actor=csm, reason="The house number was wrong")
    first.refresh_from_db()
    assert first.is_superseded and first.superseded_by == second
    assert second.supersedes == first and second.correction_reason == "The house number was wrong"
    assert "1 High Street" in first.recipient_address  # the first is kept as it was issued
    assert "2 High Street" in second.recipient_address
    assert Path(first.pdf.path).exists() and Path(second.pdf.path).exists()
    issued = CaseEvent.objects.filter(application=case, kind="letter_issued").order_by("id")
    assert [e.data["letter_id"] for e in issued] == [first.pk, second.pk]
    assert issued[1].data["supersedes"] == first.pk
    with unchanged_rows(), pytest.raises(services.LetterError, match="already been corrected"):
        letter_correct(letter=first, actor=csm, reason="again")


def test_a_corrected_decision_letter_does_not_restart_the_decision_clock(case, csm):
    record_decision(case, csm, decision="declined")
    first = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    letter_correct(letter=first, actor=csm, reason="Typo")
    assert CaseEvent.objects.filter(application=case, kind="decision_letter_issued").count() == 1
    assert (
        CaseEvent.objects.filter(
            application=case, kind="letter_issued", data__appeal_window_starts=True
        ).count()
        == 2
    )


# --- The redaction guarantee -------------------------------------------------------------------------


def test_a_clean_victim_letter_is_issued_with_a_perpetrator_recorded(case, csm, perpetrator):
    record_decision(case, csm, decision="declined")
    assert letter_issue(case=case, kind="threshold_not_met", actor=csm).pk


@pytest.mark.parametrize(
    "reasons",
    [
        "Mr darren KIRKBRIDE has been warned already.",
        "The man at Flat 3, 27 Acacia Ave, NN14XY has been warned.",
        "He (born 12/03/1985) has been warned.",
        "He (born 12 March 1985) has been warned.",
        "He (born 1985-03-12) has been warned.",
        "Kirkbride,\n  Darren has been warned.",
    ],
)
def test_the_decision_reasons_cannot_carry_the_perpetrators_details(
    case, csm, perpetrator, reasons, media_root, unchanged_rows
):
    record_decision(case, csm, decision="declined", reasons=reasons)
    with unchanged_rows(), pytest.raises(LetterRedactionError) as refused:
        letter_issue(case=case, kind="threshold_not_met", actor=csm)
    finding = refused.value.findings[0]
    assert {f.where for f in refused.value.findings} == {finding.where}
    assert finding.where.startswith("paragraph")
    assert "discretion_note" in finding.where  # where it came from
    assert "alleged perpetrator 1" in refused.value.message
    assert "Kirkbride" not in str(refused.value) and "Acacia" not in str(refused.value)  # safe to log
    assert Letter.objects.count() == 0 and files_under(media_root) == []
    assert not CaseEvent.objects.filter(application=case, kind="letter_issued").exists()


def test_an_action_description_naming_the_perpetrator_is_refused(case, csm, perpetrator, wn, unchanged_rows):
    Action.objects.create(
        case=case,
        description="Housing to serve a notice on D. Kirkbride",
        owner_agency=wn.agencies.get(kind="housing"),
        due_on=dt.date(2025, 7, 1),
        share_with_victim=True,
        created_by=csm,
    )
    extra = {"panel_date": dt.date(2025, 6, 2), "recommendations": []}
    rendered = letter_preview(case=case, kind="outcome", actor=csm, extra=extra)
    assert not rendered.issuable
    (finding,) = rendered.findings
    assert finding.where == "action 1 of the action plan" and finding.field == "name"
    with unchanged_rows(), pytest.raises(LetterRedactionError):
        letter_issue(case=case, kind="outcome", actor=csm, extra=extra)


def test_a_recommendation_with_markup_inside_the_name_is_refused(case, csm, perpetrator):
    extra = {
        "panel_date": dt.date(2025, 6, 2),
        "recommendations": [
            {"text": "Police to speak to Dar<b>ren</b> Kirk&#98;ride", "to": "Northamptonshire Police"}
        ],
    }
    rendered = letter_preview(case=case, kind="outcome", actor=csm, extra=extra)
    # The letter escapes it, so the victim would read the markup literally; a reader still
    # recognises the name, so the check also reads the text with markup stripped and entities decoded.
    assert "Dar&lt;b&gt;ren" in rendered.body_html
    assert [(f.where, f.field) for f in rendered.findings] == [("recommendation 1", "name")]


def test_a_partner_letter_may_name_the_perpetrator(case, csm, perpetrator):
    extra = {
        "panel_date": dt.date(2025, 6, 2),
        "recommendations": [{"text": "Warn Darren Kirkbride", "to": "Police"}],
    }
    letter = letter_issue(
        case=case,
        kind="panel_minutes",
        actor=csm,
        extra=extra,
        recipient=Recipient(name="Northamptonshire Police"),
    )
    assert "Warn Darren Kirkbride" in text_of(letter)


def test_a_template_edit_cannot_sneak_the_perpetrator_in(case, csm, perpetrator, wn, unchanged_rows):
    body = KIND_BODY_WITH("Dear {{ recipient_name }}\n\nWe have spoken to DARREN  kirkbride.")
    letter_template_save(
        partnership=wn, kind="acknowledgement", subject="Ack {{ reference }}", body=body, actor=csm
    )
    with unchanged_rows(), pytest.raises(LetterRedactionError) as refused:
        letter_issue(case=case, kind="acknowledgement", actor=csm)
    assert refused.value.findings[0].where == "paragraph 2"


def KIND_BODY_WITH(text: str) -> str:  # noqa: N802 - reads as a phrase at the call site
    return text + "\n\nWe will decide by {{ decision_by }}."


# --- Templates -------------------------------------------------------------------------------------


def test_templates_are_versioned_and_letters_keep_their_version(case, csm, wn):
    first = letter_issue(case=case, kind="acknowledgement", actor=csm)
    assert first.template_version == 0
    v1 = letter_template_save(
        partnership=wn,
        kind="acknowledgement",
        subject="We have your application {{ reference }}",
        body="Dear {{ recipient_name }}\n\nThank you.\n\nDecision by {{ decision_by }}.",
        actor=csm,
        change_note="Shorter",
    )
    v2 = letter_template_save(
        partnership=wn,
        kind="acknowledgement",
        subject="Application {{ reference }} received",
        body="Hello {{ recipient_name }}\n\nDecision by {{ decision_by }}.",
        actor=csm,
    )
    assert (v1.version, v2.version) == (1, 2)
    second = letter_issue(case=case, kind="acknowledgement", actor=csm)
    assert second.template_version == 2 and second.subject == "Application WN-2025-0001 received"
    first.refresh_from_db()
    assert "Thank you for your application" in text_of(first)  # unchanged
    assert LetterTemplate.objects.filter(partnership=wn, kind="acknowledgement").count() == 2


@pytest.mark.parametrize(
    ("subject", "body", "field", "message"),
    [
        ("", "Dear {{ recipient_name }} {{ decision_by }}", "subject", "Enter the subject"),
        ("Hi", "Dear {{ recipent_name }} {{ decision_by }}", "body", "recipent_name"),
        (
            "Hi {{ incident_reasons }}",
            "{{ incident_reasons }}\n\n{{ decision_explanation }} {{ appeal_route }} {{ appeal_by }}",
            "subject",
            "cannot go in the subject",
        ),
        ("Hi", "Dear {{ recipient_name }}", "body", "must include {{ decision_by }}"),
        ("Hi", "Dear {{ recipient_name }} {{ decision_by }} {{ oops", "body", "unmatched braces"),
    ],
)
def test_template_problems_are_named(wn, csm, subject, body, field, message, unchanged_rows):
    kind = "threshold_not_met" if "incident_reasons" in subject else "acknowledgement"
    with unchanged_rows(), pytest.raises(ValidationError) as refused:
        letter_template_save(partnership=wn, kind=kind, subject=subject, body=body, actor=csm)
    assert any(message in m for m in refused.value.message_dict[field])


def test_a_block_placeholder_must_stand_alone(wn, csm, unchanged_rows):
    body = (
        "Reasons: {{ incident_reasons }}\n\n{{ decision_explanation }}\n\n{{ appeal_route }}\n\n"
        "{{ appeal_by }}"
    )
    with unchanged_rows(), pytest.raises(ValidationError, match="paragraph of its own"):
        letter_template_save(partnership=wn, kind="threshold_not_met", subject="S", body=body, actor=csm)


def test_only_the_csm_or_administrator_edit_templates(wn, demo, unchanged_rows):
    body = "Dear {{ recipient_name }}\n\n{{ decision_by }}"
    for username in ("wn-spoc", "wn-senior", "wn-police", "is-csm"):
        with unchanged_rows(), pytest.raises(PermissionDenied):
            letter_template_save(
                partnership=wn, kind="acknowledgement", subject="S", body=body, actor=demo.user(username)
            )
    assert letter_template_save(
        partnership=wn, kind="acknowledgement", subject="S", body=body, actor=demo.user("wn-admin")
    )


def test_a_letter_file_left_by_an_outer_rollback_is_found_and_removed(case, csm, media_root, unchanged_rows):
    """letter_issue removes its file if its own write fails, but not if an outer transaction rolls
    back later; `casereview orphan-files` finds such files and removes them."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    from casereview.audit.models import AccessEvent

    kept = letter_issue(case=case, kind="acknowledgement", actor=csm)
    with unchanged_rows(), pytest.raises(RuntimeError), transaction.atomic():
        letter_issue(case=case, kind="acknowledgement", actor=csm)
        raise RuntimeError("the decision that issued it failed afterwards")
    assert Letter.objects.count() == 1 and len(files_under(media_root)) == 2
    kept_path = Path(media_root) / kept.pdf.name

    out = io.StringIO()
    call_command("orphan-files", "--dry-run", stdout=out)
    assert "0 stored file(s)" in out.getvalue()  # within the grace period: left alone
    call_command("orphan-files", "--dry-run", "--grace-minutes", "0", stdout=out)
    assert "1 stored file(s) that no record refers to. Nothing was changed." in out.getvalue()
    assert len(files_under(media_root)) == 2

    out = io.StringIO()
    call_command("orphan-files", "--confirm", "--grace-minutes", "0", stdout=out)
    assert "1 stored file(s) that no record refers to deleted." in out.getvalue()
    assert files_under(media_root) == [kept_path]
    assert AccessEvent.objects.filter(action="retention", summary__contains="no record refers to").exists()
    with unchanged_rows(), pytest.raises(Exception, match="--dry-run"):
        call_command("orphan-files", stdout=io.StringIO())
