"""The other direction of the disclosure control (issue 13): a warning letter served on an alleged
perpetrator is checked against the victim's and the applicant's details — names, address parts,
postcode, date of birth, phone — by the same core check as the victim's letters. A detail found
refuses the letter (saying what matched and where); a detail that is also the perpetrator's own (a
neighbour on the same street) holds it for a manager. Mirrors the leak and control corpora of
tests/core/test_disclosure.py, here through the real rendering of the letter."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview.applications.models import AllegedPerpetrator, CaseEvent, Person
from casereview.letters.context import recipient_for_perpetrator
from casereview.letters.models import Audience, Letter, LetterDispatch
from casereview.letters.services import LetterRedactionError, letter_issue, letter_preview, letter_release
from tests.core.test_disclosure import SENTENCES, leak_forms, perpetrators

pytestmark = pytest.mark.django_db

QUARRY = "9 Quarry Road\nDaventry\nNN11 9ZZ"  # on no street or postcode the generated victims use


@pytest.fixture
def served(case):
    """The alleged perpetrator the warning is served on (the victim is Jo Bloggs, 1 High Street)."""
    return AllegedPerpetrator.objects.create(application=case, name="Gideon Thistlewaite", address=QUARRY)


def _warn(case, csm, served, text, **kwargs):
    return letter_issue(
        case=case,
        kind="warning",
        actor=csm,
        recipient=recipient_for_perpetrator(served),
        extra={"warning_text": text},
        **kwargs,
    )


def test_a_warning_without_the_victims_details_is_issued_and_posted_to_the_perpetrator(case, csm, served):
    letter = _warn(case, csm, served, "Loud music late at night has been reported from your home.")
    assert (letter.audience, letter.is_held) == (Audience.PERPETRATOR, False)
    assert letter.recipient_name == "Gideon Thistlewaite" and "Quarry Road" in letter.recipient_address
    [dispatch] = LetterDispatch.objects.filter(letter=letter)
    assert dispatch.channel == "post" and "NN11 9ZZ" in dispatch.to
    [event] = CaseEvent.objects.filter(application=case, kind="letter_issued")
    assert "an alleged perpetrator" in event.summary and "Thistlewaite" not in event.summary


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Mrs Bloggs has complained about you.", "name"),
        ("Your neighbour at 1 High Street reported it.", "address"),
        ("It was reported from NN1 1AA.", "postcode"),
        ("The reporter, born 4 May 1979, is frightened.", "date of birth"),
        ("Call the person who reported it on 07700 900 456.", "phone number"),
    ],
)
def test_a_warning_naming_the_victim_is_refused_saying_what_and_where(
    case, csm, served, unchanged_rows, text, field
):
    Person.objects.filter(pk=case.victim_id).update(date_of_birth=dt.date(1979, 5, 4), phone="07700900456")
    case.refresh_from_db()
    with unchanged_rows(), pytest.raises(LetterRedactionError) as refused:
        _warn(case, csm, served, text)
    messages = [finding.message() for finding in refused.value.findings]
    assert any(f"The {field} of the victim appears in paragraph" in m for m in messages), messages


def test_a_neighbour_on_the_victims_street_gets_a_held_warning_a_manager_releases(case, csm, demo):
    neighbour = AllegedPerpetrator.objects.create(
        application=case, name="Gideon Thistlewaite", address="5 High Street\nNN1 1AA"
    )
    letter = _warn(case, csm, neighbour, "Noise from 5 High Street, NN1 1AA, has been reported.")
    assert letter.is_held
    assert "of the victim" in letter.held_findings and "manager" in letter.held_findings
    assert not LetterDispatch.objects.filter(letter=letter).exists()  # nothing sent while held
    [held] = CaseEvent.objects.filter(application=case, kind="letter_held")
    assert "the victim or the applicant" in held.summary
    released = letter_release(letter=letter, actor=demo.user("wn-senior"), reason="Their own street.")
    assert not released.is_held and LetterDispatch.objects.filter(letter=letter).count() == 1


def test_the_applicant_is_protected_too(case, csm, served, demo):
    applicant = Person.objects.create(
        partnership=case.partnership, full_name="Priya Okafor", address="3 Mill Lane", postcode="NN16 8AB"
    )
    type(case).objects.filter(pk=case.pk).update(applicant=applicant)
    case.refresh_from_db()
    with pytest.raises(LetterRedactionError) as refused:
        _warn(case, csm, served, "Ms Okafor of Mill Lane told us about it.")
    assert {(f.who, f.field) for f in refused.value.findings} == {
        ("the applicant", "name"),
        ("the applicant", "address"),
    }
    assert Letter.objects.count() == 0


# --- The generated corpora, through the letter as rendered -------------------------------------------


def _victim_becomes(case, person) -> None:
    """The case's victim given the generated person's details (no aliases: a Person has none)."""
    lines = person.address.split("\n")
    Person.objects.filter(pk=case.victim_id).update(
        full_name=person.name,
        address="\n".join(lines[:3]),
        postcode=lines[3],
        date_of_birth=person.date_of_birth,
        phone=person.phones[0],
    )
    case.refresh_from_db()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(victim=perpetrators(), sentence=st.sampled_from(SENTENCES), data=st.data())
def test_no_leak_form_of_the_victims_details_gets_through_a_warning(
    case, csm, served, victim, sentence, data
):
    _victim_becomes(case, victim)
    recipient = recipient_for_perpetrator(served)
    for form_name, form in leak_forms(victim, data.draw):
        if form_name == "alias":
            continue  # a victim has no recorded aliases
        rendered = letter_preview(
            case=case,
            kind="warning",
            actor=csm,
            recipient=recipient,
            extra={"warning_text": sentence.format(form)},
        )
        assert rendered.refused, f"{form_name} got through: {sentence.format(form)!r}"
        assert all(f.who == "the victim" for f in rendered.findings)


ORDINARY = [
    "Loud music has been reported from {own_street} late at night on several occasions since {month}.",
    "A car has been parked across a driveway near {own_postcode} most evenings in {month}.",
    "Mr {own_last}, we have had reports of shouting and banging doors at your home in {month}.",
    "Rubbish has been left on the shared landing. Please use the bins provided by {housing}.",
    "Dogs have been left barking for long periods. We will review this with {housing} in {month}.",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    victim=perpetrators(),
    template=st.sampled_from(ORDINARY),
    month=st.sampled_from(["May", "March", "June", "April"]),
    housing=st.sampled_from(["Northamptonshire Partnership Homes", "Clarion Housing", "Peabody"]),
)
def test_no_ordinary_warning_is_refused(case, csm, served, victim, template, month, housing):
    """The control corpus: ordinary warnings, mentioning the perpetrator's own name and street,
    are never refused and never held when the victim lives elsewhere."""
    _victim_becomes(case, victim)
    text = template.format(
        own_street="Quarry Road",
        own_postcode="NN11 9ZZ",
        own_last="Thistlewaite",
        month=month,
        housing=housing,
    )
    rendered = letter_preview(
        case=case,
        kind="warning",
        actor=csm,
        recipient=recipient_for_perpetrator(served),
        extra={"warning_text": text},
    )
    assert rendered.findings == [], [f.message() for f in rendered.findings]
