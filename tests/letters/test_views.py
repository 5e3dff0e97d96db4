"""The letters pages: access (404 out of scope), the refusal on the preview, the confirmation,
the download, the correction, the template editor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from casereview.applications.models import CaseEvent
from casereview.letters.models import Letter, LetterTemplate
from casereview.letters.services import Recipient, letter_issue
from tests.factories import make_application

from .conftest import record_decision


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_case_page_lists_letters_and_offers_each_kind(client_for, csm, case):
    letter_issue(case=case, kind="acknowledgement", actor=csm)
    page = client_for(csm).get(reverse("letters:case", args=[case.reference]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acknowledgement" in html and "Jo Bloggs" in html
    assert 'value="threshold_not_met"' in html and "Preview the letter" in html


def test_the_case_page_has_an_empty_state(client_for, csm, case):
    html = client_for(csm).get(reverse("letters:case", args=[case.reference])).content.decode()
    assert "No letters have been issued for this case yet." in html


def test_choosing_no_kind_is_an_error_at_the_field(client_for, csm, case):
    page = client_for(csm).get(reverse("letters:preview", args=[case.reference]))
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html and 'href="#kind"' in html and 'id="kind"' in html


def test_preview_then_confirm_then_issue(client_for, csm, case):
    record_decision(case, csm, decision="declined")
    client = client_for(csm)
    preview = client.get(reverse("letters:preview", args=[case.reference]), {"kind": "threshold_not_met"})
    assert preview.status_code == 200
    assert "Issue letter" in preview.content.decode()
    assert Letter.objects.count() == 0  # previewing writes nothing
    confirm = client.get(reverse("letters:issue", args=[case.reference]), {"kind": "threshold_not_met"})
    assert "cannot be changed or deleted" in confirm.content.decode()
    fingerprint = confirm.context["fingerprint"]
    issued = client.post(
        reverse("letters:issue", args=[case.reference]),
        {"kind": "threshold_not_met", "fingerprint": fingerprint},
    )
    letter = Letter.objects.get()
    assert issued.status_code == 302 and issued["Location"] == reverse("letters:detail", args=[letter.pk])
    assert CaseEvent.objects.filter(application=case, kind="letter_issued").count() == 1


def test_a_stale_preview_is_not_issued(client_for, csm, case):
    client = client_for(csm)
    response = client.post(
        reverse("letters:issue", args=[case.reference]), {"kind": "acknowledgement", "fingerprint": "stale"}
    )
    assert response.status_code == 302 and "preview" in response["Location"]
    assert Letter.objects.count() == 0


def test_the_preview_shows_the_refusal_and_no_issue_button(client_for, csm, case, perpetrator):
    record_decision(case, csm, decision="declined", reasons="Darren Kirkbride was spoken to.")
    page = client_for(csm).get(
        reverse("letters:preview", args=[case.reference]), {"kind": "threshold_not_met"}
    )
    html = page.content.decode()
    assert "This letter cannot be issued" in html
    assert "The name of alleged perpetrator 1 appears in paragraph" in html
    assert "Issue letter" not in html
    # And the issue address refuses too (back to the preview), writing nothing.
    response = client_for(csm).post(
        reverse("letters:issue", args=[case.reference]), {"kind": "threshold_not_met", "fingerprint": "x"}
    )
    assert response.status_code == 302 and Letter.objects.count() == 0


def test_a_letter_that_cannot_be_written_yet_says_why(client_for, csm, case):
    page = client_for(csm).get(
        reverse("letters:preview", args=[case.reference]), {"kind": "threshold_not_met"}
    )
    assert "There is no recorded threshold decision that declines this application" in page.content.decode()


def test_kinds_owned_by_another_part_are_offered_here_only_with_a_provider(
    client_for, csm, case, monkeypatch
):
    from casereview.letters import context

    # Work on copies of the registry, so the apps' own providers are back for the next test.
    monkeypatch.setattr(context, "_providers", dict(context._providers))
    monkeypatch.setattr(context, "_issued_elsewhere", set(context._issued_elsewhere))
    url = reverse("letters:preview", args=[case.reference])
    client = client_for(csm)
    # The review owns the closure letter: its provider is for corrections, not the generic page.
    assert client.get(url, {"kind": "unreachable_closure"}).status_code == 404
    attempts = [{"on": dt.date(2025, 5, 2), "method": "Phone call"}]
    context.register_extra_provider("unreachable_closure", lambda application: {"attempts": attempts})
    page = client.get(url, {"kind": "unreachable_closure"})
    assert page.status_code == 200 and "2 May 2025: Phone call" in page.content.decode()


def test_download_is_an_attachment_named_by_reference_and_kind(client_for, csm, case):
    letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    response = client_for(csm).get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="WN-2025-0001-acknowledgement-{letter.pk}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


def test_a_tampered_pdf_is_not_served(client_for, csm, case):
    letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    with open(letter.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    assert client_for(csm).get(reverse("letters:download", args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", ["letters:detail", "letters:download", "letters:correct"])
def test_a_letter_of_a_case_out_of_scope_is_not_found(client_for, csm, case, demo, name):
    letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    for outsider in ("is-csm", "wn-police"):  # another partnership; an agency not party to the case
        assert client_for(demo.user(outsider)).get(reverse(name, args=[letter.pk])).status_code == 404


@pytest.mark.parametrize("name", ["letters:case", "letters:preview", "letters:issue"])
def test_a_case_out_of_scope_is_not_found(client_for, case, demo, name):
    assert client_for(demo.user("is-csm")).get(reverse(name, args=[case.reference])).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, case):
    response = client.get(reverse("letters:case", args=[case.reference]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_agency_officers_see_partner_letters_only(client_for, csm, case, demo):
    # The housing agency is party to the case (an incident was reported to it).
    housing = demo.user("wn-housing")
    victim_letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    partner_letter = letter_issue(
        case=case,
        kind="panel_minutes",
        actor=csm,
        recipient=Recipient(name="Northamptonshire Partnership Homes"),
        extra={"panel_date": dt.date(2025, 6, 2)},
    )
    client = client_for(housing)
    listing = client.get(reverse("letters:case", args=[case.reference])).content.decode()
    assert "1 letter to the victim or applicant is not shown" in listing
    assert reverse("letters:detail", args=[partner_letter.pk]) in listing
    assert reverse("letters:detail", args=[victim_letter.pk]) not in listing
    assert client.get(reverse("letters:download", args=[victim_letter.pk])).status_code == 404
    assert client.get(reverse("letters:download", args=[partner_letter.pk])).status_code == 200
    assert (
        client.get(reverse("letters:preview", args=[case.reference]), {"kind": "acknowledgement"}).status_code
        == 404
    )


def test_a_correction_needs_a_reason_then_keeps_both(client_for, csm, case):
    letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    client = client_for(csm)
    empty = client.post(reverse("letters:correct", args=[letter.pk]), {"reason": ""})
    assert empty.status_code == 400 and "Enter the reason for the correction" in empty.content.decode()
    done = client.post(reverse("letters:correct", args=[letter.pk]), {"reason": "Wrong date"})
    corrected = Letter.objects.get(supersedes=letter)
    assert done["Location"] == reverse("letters:detail", args=[corrected.pk])
    first_page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "This letter was corrected" in first_page
    listing = client.get(reverse("letters:case", args=[case.reference])).content.decode()
    assert "Corrected" in listing and "Correction" in listing


def test_the_template_editor_previews_saves_and_lists_versions(client_for, csm, wn):
    client = client_for(csm)
    url = reverse("letters:template_edit", args=["acknowledgement"])
    page = client.get(url)
    assert page.status_code == 200 and "{{ decision_by }}" in page.content.decode()
    body = "Dear {{ recipient_name }}\n\nWe will decide by {{ decision_by }}."
    preview = client.post(
        url, {"subject": "Got it: {{ reference }}", "body": body, "preview": "1", "version": "0"}
    )
    assert "Got it: WN-2025-0001" in preview.content.decode()  # the sample case
    assert LetterTemplate.objects.count() == 0
    saved = client.post(
        url,
        {
            "subject": "Got it: {{ reference }}",
            "body": body,
            "save": "1",
            "change_note": "Short",
            "version": "0",
        },
    )
    assert saved.status_code == 302
    assert LetterTemplate.objects.get().version == 1
    assert "Short" in client.get(url).content.decode()


def test_the_template_editor_names_the_problem_and_keeps_the_text(client_for, csm):
    url = reverse("letters:template_edit", args=["acknowledgement"])
    response = client_for(csm).post(
        url, {"subject": "S", "body": "Dear {{ recipent }}", "save": "1", "version": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "{{ recipent }} is not a placeholder" in html and 'href="#body"' in html
    assert "Dear {{ recipent }}" in html  # what they typed
    assert LetterTemplate.objects.count() == 0


def test_only_the_csm_or_administrator_reach_the_template_editor(client_for, demo):
    assert client_for(demo.user("wn-spoc")).get(reverse("letters:templates")).status_code == 403
    assert client_for(demo.user("wn-admin")).get(reverse("letters:templates")).status_code == 200


def test_the_letters_list_searches_by_reference_filters_by_kind_and_pages(client_for, csm, wn, case):
    other = make_application(wn, actor=csm)
    for _ in range(26):
        letter_issue(case=case, kind="acknowledgement", actor=csm)
    letter_issue(case=other, kind="acknowledgement", actor=csm)
    client = client_for(csm)
    first = client.get(reverse("letters:list"))
    assert first.context["page"].paginator.count == 27
    assert len(first.context["page"].object_list) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("letters:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 2
    found = client.get(reverse("letters:list"), {"reference": other.reference})
    assert [letter.case for letter in found.context["page"].object_list] == [other]
    assert client.get(reverse("letters:list"), {"kind": "outcome"}).context["page"].paginator.count == 0
    none = client.get(reverse("letters:list"), {"reference": "XX-9999"}).content.decode()
    assert "No letters match" in none


def test_the_letters_list_shows_only_what_the_user_may_open(client_for, csm, case, demo):
    letter_issue(case=case, kind="acknowledgement", actor=csm)
    html = client_for(demo.user("is-csm")).get(reverse("letters:list")).content.decode()
    assert "No letters have been issued yet." in html
    html = client_for(demo.user("wn-housing")).get(reverse("letters:list")).content.decode()
    assert "No letters have been issued yet." in html  # a victim letter: not for agency officers


def test_the_case_page_section_lists_the_letters_for_this_user(rf, csm, case, demo):
    from casereview.applications.case_sections import render_sections

    letter = letter_issue(case=case, kind="acknowledgement", actor=csm)
    request = rf.get("/")
    request.user = csm
    (section,) = [s for s in render_sections(request, case) if s["key"] == "letters"]
    assert section["title"] == "Letters"
    assert reverse("letters:detail", args=[letter.pk]) in section["html"]
    assert reverse("letters:download", args=[letter.pk]) in section["html"]
    assert "Write a letter" in section["html"]
    request.user = demo.user("wn-housing")
    (section,) = [s for s in render_sections(request, case) if s["key"] == "letters"]
    assert reverse("letters:detail", args=[letter.pk]) not in section["html"]
    assert "1 letter to the victim or applicant is not shown" in section["html"]
    assert "Write a letter" not in section["html"]


def test_demo_letters_are_issued_once(demo, settings):
    import io

    from casereview.applications import demo as applications_demo
    from casereview.letters import demo as letters_demo

    applications_demo.load(io.StringIO())
    letters_demo.load(io.StringIO())
    issued = Letter.objects.count()
    assert issued > 0
    assert Letter.objects.filter(kind="acknowledgement").exists()
    assert Letter.objects.filter(kind__in=["threshold_not_met", "accepted", "ineligible"]).exists()
    letters_demo.load(io.StringIO())
    assert Letter.objects.count() == issued


def test_a_letter_whose_content_another_part_owns_is_corrected_from_there(client_for, csm, case):
    from casereview.letters.rendering import Recipient

    minutes = letter_issue(
        case=case,
        kind="panel_minutes",
        actor=csm,
        extra={"panel_date": dt.date(2025, 6, 2), "outcome_summary": "Minutes."},
        recipient=Recipient(name="Members of the ASB Case Review panel"),
    )
    page = client_for(csm).get(reverse("letters:correct", args=[minutes.pk]))
    assert "issue the correction from there" in page.content.decode()
    assert "Issue corrected letter" not in page.content.decode()


def test_an_outcome_letter_with_no_panel_behind_it_cannot_be_corrected(client_for, csm, case):
    """The outcome letter is corrected from the panel's records (panels registers a provider); a
    letter issued with none behind it says where it comes from instead."""
    letter = letter_issue(case=case, kind="outcome", actor=csm, extra={"panel_date": dt.date(2025, 6, 2)})
    page = client_for(csm).get(reverse("letters:correct", args=[letter.pk])).content.decode()
    assert "No panel meeting of this case has issued its outcome letter" in page
    assert "Issue corrected letter" not in page


def test_the_case_letters_page_links_to_all_letters_and_the_wording(client_for, csm, case, demo):
    html = client_for(csm).get(reverse("letters:case", args=[case.reference])).content.decode()
    assert reverse("letters:list") in html and reverse("letters:templates") in html
    html = (
        client_for(demo.user("wn-spoc")).get(reverse("letters:case", args=[case.reference])).content.decode()
    )
    assert reverse("letters:templates") not in html


def test_the_same_issue_form_submitted_twice_makes_one_letter(client_for, csm, case):
    record_decision(case, csm, decision="declined")
    client = client_for(csm)
    url = reverse("letters:issue", args=[case.reference])
    confirm = client.get(url, {"kind": "threshold_not_met"})
    token = confirm.context["submission_token"]
    assert f'name="submission_token" value="{token}"' in confirm.content.decode()
    form = {
        "kind": "threshold_not_met",
        "fingerprint": confirm.context["fingerprint"],
        "submission_token": token,
    }
    first = client.post(url, form)
    again = client.post(url, form)  # a double click, or the browser replaying the post
    letter = Letter.objects.get()
    assert first["Location"] == again["Location"] == reverse("letters:detail", args=[letter.pk])
    assert letter.submission_token == token
    assert CaseEvent.objects.filter(application=case, kind="letter_issued").count() == 1
    assert "already issued" in client.get(again["Location"]).content.decode()
    # A new visit to the confirmation page is a new submission: a second letter, deliberately.
    fresh = client.get(url, {"kind": "threshold_not_met"}).context["submission_token"]
    assert fresh != token
    client.post(url, dict(form, submission_token=fresh))
    assert Letter.objects.count() == 2
