"""A third-party application: each letter goes to both the applicant and the victim (where the
victim's consent covers it), each their own copy, by their own way, honouring their own
safe-contact answers; a copy that cannot be sent refuses the whole issue, saying where to fix it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casereview.applications.models import CaseEvent, Person
from casereview.letters.models import DispatchStatus, Letter, LetterDispatch
from casereview.letters.services import LetterNotReady, letter_correct, letter_issue
from tests.factories import make_application

from .conftest import record_decision

ISSUE_DAY = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
ATTEMPTS = {"attempts": [{"on": dt.date(2025, 4, 20), "method": "phone", "note": "No answer"}]}


def third_party(wn, csm, *, consent=True, **applicant):
    fields = {"full_name": "Cllr Ann Helper", "email": "ann@example.gov.uk", **applicant}
    return make_application(
        wn,
        actor=csm,
        applicant=Person(**fields),
        applicant_relationship="councillor",
        victim_consent=consent,
        incidents=[(dt.date(2025, 1, 10), "police", dt.date(2025, 1, 12))],
    )


def by_person(case):
    return {
        d.recipient_name: d for d in LetterDispatch.objects.filter(letter__case=case).select_related("letter")
    }


@time_machine.travel(ISSUE_DAY, tick=False)
def test_an_applicants_letter_also_goes_to_the_consenting_victim_each_their_own_way(wn, csm):
    case = third_party(wn, csm)
    case.victim.contact_refusals = "email"  # the victim: never by email
    case.victim.save()
    record_decision(case, csm, decision="declined")
    letter = letter_issue(case=case, kind="threshold_not_met", actor=csm)
    assert letter.recipient_name == "Cllr Ann Helper"
    letters = Letter.objects.filter(case=case, kind="threshold_not_met")
    assert letters.count() == 2
    sent = by_person(case)
    applicant, victim = sent["Cllr Ann Helper"], sent["Jo Bloggs"]
    assert (applicant.channel, applicant.to) == ("email", "ann@example.gov.uk")
    assert victim.channel == "post" and "1 High Street" in victim.to  # their refusal honoured
    assert "jo@example.com" not in victim.to
    # Each copy is addressed to its own person.
    assert "Dear Jo Bloggs" in victim.letter.body_html and "Ann Helper" not in victim.letter.body_html
    assert "Dear Cllr Ann Helper" in applicant.letter.body_html
    issued = CaseEvent.objects.filter(application=case, kind="letter_issued").values_list(
        "summary", flat=True
    )
    assert sorted("to the applicant" in s for s in issued) == [False, True]
    assert any("to the victim" in s for s in issued)
    # One clock event for the decision, whichever copy counts first.
    assert CaseEvent.objects.filter(application=case, kind="decision_letter_issued").count() == 1


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_victims_letter_also_goes_to_the_applicant_by_a_way_they_have_not_refused(wn, csm):
    case = third_party(
        wn,
        csm,
        contact_refusals="email",
        preferred_contact="email",
        address="Civic Office",
        postcode="NN1 1DE",
    )
    letter_issue(case=case, kind="unreachable_closure", actor=csm, extra=ATTEMPTS)
    sent = by_person(case)
    assert set(sent) == {"Jo Bloggs", "Cllr Ann Helper"}
    assert (sent["Jo Bloggs"].channel, sent["Jo Bloggs"].to) == ("email", "jo@example.com")
    # The applicant prefers email but refused it (safe contact): posted to their own address.
    assert sent["Cllr Ann Helper"].channel == "post" and "Civic Office" in sent["Cllr Ann Helper"].to
    assert sent["Cllr Ann Helper"].letter.recipient_name == "Cllr Ann Helper"


@time_machine.travel(ISSUE_DAY, tick=False)
def test_without_the_victims_consent_only_the_person_addressed_gets_it(wn, csm):
    for consent in (None, False):
        case = third_party(wn, csm, consent=consent, address="Civic Office", postcode="NN1 1DE")
        record_decision(case, csm, decision="declined")
        letter_issue(case=case, kind="threshold_not_met", actor=csm)
        assert set(by_person(case)) == {"Cllr Ann Helper"}
        letter_issue(case=case, kind="unreachable_closure", actor=csm, extra=ATTEMPTS)
        assert set(by_person(case)) == {"Cllr Ann Helper", "Jo Bloggs"}
        assert Letter.objects.filter(case=case, kind="unreachable_closure").get().recipient_name == (
            "Jo Bloggs"
        )


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_copy_to_an_applicant_with_no_way_to_reach_them_refuses_the_whole_letter(
    wn, csm, client, unchanged_rows, media_root
):
    case = third_party(wn, csm, email="")
    with unchanged_rows(), pytest.raises(LetterNotReady) as refused:
        letter_issue(case=case, kind="unreachable_closure", actor=csm, extra=ATTEMPTS)
    assert "Cllr Ann Helper has no postal address recorded" in str(refused.value)
    assert f"/letters/case/{case.reference}/contact/{case.applicant_id}/" in str(refused.value)
    assert not list(media_root.rglob("*.pdf"))  # neither copy's file is left behind
    # Recorded on the contact page: now both go.
    case.applicant.address, case.applicant.postcode = "Civic Office", "NN1 1DE"
    case.applicant.save()
    letter_issue(case=case, kind="unreachable_closure", actor=csm, extra=ATTEMPTS)
    assert set(by_person(case)) == {"Jo Bloggs", "Cllr Ann Helper"}


@time_machine.travel(ISSUE_DAY, tick=False)
def test_a_copy_is_corrected_for_its_own_person(wn, csm):
    case = third_party(wn, csm, address="Civic Office", postcode="NN1 1DE")
    letter_issue(case=case, kind="unreachable_closure", actor=csm, extra=ATTEMPTS)
    copy = Letter.objects.get(case=case, recipient_name="Cllr Ann Helper")
    corrected = letter_correct(letter=copy, actor=csm, reason="The attempts were wrong", extra=ATTEMPTS)
    assert corrected.recipient_name == "Cllr Ann Helper" and corrected.supersedes_id == copy.pk
    assert corrected.dispatches.get().status == DispatchStatus.QUEUED
    # Correcting one copy does not send the other again.
    assert Letter.objects.filter(case=case).count() == 3
