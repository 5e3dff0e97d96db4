"""Names as staff type them (core.names): accents, case and common variants."""

from hypothesis import given
from hypothesis import strategies as st

from casereview.core.names import fold, name_forms, same_name


def test_accents_case_and_punctuation_fold_away():
    assert fold("Llŷr  JONES-Évans") == "llyr jones evans"
    assert fold("  Zoë O'Brien ") == "zoe o brien"
    assert fold("") == ""


def test_accent_and_case_insensitive_names_are_the_same():
    assert same_name("Llyr Jones", "LLŶR jones")
    assert same_name("Siân Lewis", "sian lewis")


def test_common_variants_of_the_first_name():
    assert same_name("Bill Jones", "William Jones")
    assert same_name("Bob Price", "Robert Price")
    assert same_name("Liz Green", "Elizabeth Green")
    assert same_name("Dai Rees", "David Rees")  # the small Welsh table (the dataset lacks it)
    assert same_name("Dafydd Rees", "Dai Rees")


def test_different_people_are_not_the_same():
    assert not same_name("Bill Jones", "William Price")  # the surname still has to match
    assert not same_name("Ann Lee", "Bob Lee")
    assert not same_name("", "")


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_a_name_is_its_own_form(text):
    assert fold(fold(text)) == fold(text)
    if fold(text):
        assert fold(text) in name_forms(text)


def test_an_underscore_separates_words_as_any_punctuation_does():
    """A name pasted from another system's export ("bill_jones") is the same name."""
    assert fold("Bill_Jones") == "bill jones" == fold("Bill Jones")
    assert same_name("bill_jones", "William Jones")
