"""Redaction by the disclosure control's matching (`core.disclosure.redact_disclosures`): a subject
access export is disclosed, not refused, so every detail of the people it protects is replaced by
"[redacted]" — found by the same rules as a refused letter. Property: after redaction the check
finds nothing, whatever leak form was written; ordinary words stay."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from casereview.core.disclosure import Part, Protected, find_disclosures, redact_disclosures
from tests.core.test_disclosure import SENTENCES, leak_forms, perpetrators


@settings(max_examples=60, deadline=None)
@given(person=perpetrators(with_landline=True), sentence=st.sampled_from(SENTENCES), data=st.data())
def test_after_redaction_no_leak_form_is_left(person, sentence, data):
    for form_name, form in leak_forms(person, data.draw):
        text = sentence.format(form)
        redacted = redact_disclosures(text, [person])
        assert "[redacted]" in redacted, (form_name, text)
        left = find_disclosures([Part("text", redacted)], [person])
        assert left == [], (form_name, text, redacted, left)


VICTIM = Protected(
    label="the victim",
    name="Joanna Ravensworth",
    address="14 Acacia Avenue\nNorthampton",
    postcode="NN1 1AA",
    date_of_birth=dt.date(1979, 5, 4),
    phones=("07700 900456",),
)


def test_each_kind_of_detail_is_redacted_in_place_and_everyday_words_stay():
    cases = {
        "Ravensworth says you shout.": "[redacted] says you shout.",
        "Mrs Ravensworth says you shout.": "Mrs [redacted] says you shout.",
        "Rаvensworth (with a Cyrillic a) called.": "[redacted] (with a Cyrillic a) called.",
        "She lives at 14 Acacia Ave, nn11aa.": "She lives at [redacted], [redacted].",
        "Noise on Acacia Avenue in May.": "Noise on [redacted] in May.",
        "Born 04/05/1979, call +44 7700 900 456.": "Born [redacted], call [redacted].",
        "You may be asked to stop. We will write again.": "You may be asked to stop. We will write again.",
    }
    for text, expected in cases.items():
        assert redact_disclosures(text, [VICTIM]) == expected, text


def test_a_name_part_that_is_an_everyday_word_is_redacted_only_where_it_reads_as_a_name():
    family = Protected(label="alleged perpetrator 1", name="The Kettering family")
    text = "The Kettering family shouted. My family was frightened."
    assert (
        redact_disclosures(text, [family], everyday={"family"})
        == "[redacted] shouted. My family was frightened."
    )
    # Without the everyday word, "family" alone is withheld too.
    assert "My [redacted]" in redact_disclosures(text, [family])


def test_nothing_to_redact_is_nothing():
    from casereview.core.disclosure import Protected, redact_disclosures

    someone = Protected(label="the victim", name="Joanna Ravensworth")
    assert redact_disclosures("", [someone]) == ""
    assert redact_disclosures(None, [someone]) == ""
