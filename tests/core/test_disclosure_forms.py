"""The forms of an address the disclosure control looks for (`core.disclosure.address_forms`), word
for word, and what that means in a letter's free text: each form is found where it is written, and
a town, a street that only begins like theirs or a number alone is not their address.

Written from the mutation run of 7 December 2026 (session 11, docs/testing.md): the Hypothesis
corpora draw every address from one template ("Flat n, Building\\nnumber Street\\nTown\\nPostcode"),
so most of the ways of reading an address were never tried."""

from __future__ import annotations

import pytest

from casereview.core.disclosure import Part, Protected, address_forms, find_disclosures

# (address, postcode given apart, the address forms, the postcodes): folded words run together.
FORMS = [
    (
        "Flat 3, Kestrel House\n12 Ravensworth Road\nKettering\nNN16 8AB",
        "",
        {
            "flat3kestrelhouse",  # the premise: the flat and its building
            "flat3kestrelhouse12ravensworthroadketteringnn168ab",  # the whole address
            "kestrelhouse",  # the building by its name
            "ravensworthroad",  # the street without its number
            "12ravensworthroad",  # and with it
        },
        {"nn168ab"},
    ),
    # A house by its name: the name, the whole address and the street (no number: none with it).
    (
        "Rose Cottage, Mill Lane, Brixworth",
        "",
        {"rosecottage", "rosecottagemilllanebrixworth", "milllane"},
        set(),
    ),
    # The postcode given apart from the address; one line, so the premise is the whole address.
    ("12 Mill Lane", "NN16 8AB", {"12milllane", "milllane"}, {"nn168ab"}),
    # A unit on its own line is part of the premise; the building line ("7 Orchard Way") on its own.
    ("Unit 4\n7 Orchard Way", "", {"unit47orchardway", "7orchardway", "orchardway"}, set()),
    # A house number on its own line: the premise runs on to the street.
    (
        "27\nAcacia Avenue\nNN1 4XY",
        "",
        {"27acaciaavenue", "27acaciaavenuenn14xy", "acaciaavenue"},
        {"nn14xy"},
    ),
    # A flat in a court on one line: the court is both a street and a building.
    ("Flat 2 Ash Court", "", {"flat2ashcourt", "ashcourt", "2ashcourt"}, set()),
    # A house number with a letter is a number: the street is found without it too.
    ("12a Ravensworth Road", "", {"12aravensworthroad", "ravensworthroad"}, set()),
    ("12a\nRavensworth Road", "", {"12aravensworthroad", "ravensworthroad"}, set()),
    # A flat's letter on the street's line is not part of the street: found without it too.
    ("Flat B Mill Lane", "", {"bmilllane", "milllane"}, set()),
    ("Flat B, Mill Lane", "", {"milllane"}, set()),
    # A street of three words whose first is a word, not a letter, is found only whole.
    ("12 Upper Mill Lane", "", {"12uppermilllane", "uppermilllane"}, set()),
    # "3rd" is not a house number: it is part of the street's name.
    ("3rd Avenue", "", {"3rdavenue"}, set()),
    # A street of one word and a type, abbreviated: read as the word ("Rd" is "Road").
    ("Oak Rd", "", {"oakroad"}, set()),
    # A street type that is also a building word ("Court") with a unit before it: no name, no form.
    ("Flat 9 Court", "", {"flat9court"}, set()),
    # A named house whose last word is a street type is a street, not a house name.
    ("Ash Way", "", {"ashway"}, set()),
    # Too short to be told apart from ordinary words (under 6 letters): no form.
    ("Ox Way", "", set(), set()),
    # A number and words of two letters only: no premise form (nothing that reads as a place).
    ("4 Ox", "", set(), set()),
    # The postcode on the premise line, written without its space.
    (
        "Rose Cottage NN168AB, Kettering",
        "",
        {"rosecottagenn168ab", "rosecottagenn168abkettering", "rosecottage"},
        {"nn168ab"},
    ),
    # A unit line of three words is a premise of its own, not a unit before the house.
    (
        "Flat 3 Ashdown\n12 Mill Lane",
        "",
        {"flat3ashdown", "flat3ashdown12milllane", "milllane", "12milllane"},
        set(),
    ),
    # A number alone (a house number, a reference) is not an address.
    ("123456", "", set(), set()),
    # A number and a word of three letters that is not a street: the premise.
    ("7 Oak Lea", "", {"7oaklea"}, set()),
    # A town alone is not an address, nor a town with a postcode (the postcode is found).
    ("Kettering\nNN16 8AB", "", set(), {"nn168ab"}),
    # A house by a name of three words, the middle one a street type; the street within it.
    ("Park View Lodge", "", {"parkviewlodge", "viewlodge", "parkview"}, set()),
    # A flat's building on its own line: by its name only when it has two words or more.
    ("Flat 3\nHarbourside\nKettering", "", {"flat3harbourside", "flat3harboursidekettering"}, set()),
    (
        "Flat 3\nHarbour Side\nKettering",
        "",
        {"flat3harbourside", "flat3harboursidekettering", "harbourside"},
        set(),
    ),
    # A unit word before the street or the building stops it: "Mill Lane", "Kestrel House".
    ("Basement Flat Mill Lane", "", {"milllane"}, set()),
    ("Basement Flat Kestrel House", "", {"basementflatkestrelhouse", "kestrelhouse"}, set()),
    # The street ends at its type ("Lane"), and a number after it is not its number.
    ("12 Mill Lane Kettering", "", {"12milllanekettering", "12milllane", "milllane"}, set()),
    ("Mill Lane 12", "", {"milllane12", "milllane"}, set()),
    # A building word first on its line has no name before it.
    ("Lodge Farm, Brixworth", "", {"lodgefarm", "lodgefarmbrixworth"}, set()),
    ("", "NN6 9DE", set(), {"nn69de"}),
    ("", "", set(), set()),
]


@pytest.mark.parametrize(("address", "postcode", "forms", "postcodes"), FORMS)
def test_the_forms_of_an_address_word_for_word(address, postcode, forms, postcodes):
    assert address_forms(address, postcode) == {"address": forms, "postcode": postcodes}


@pytest.mark.parametrize(
    ("address", "text", "found"),
    [
        ("12a Ravensworth Road\nKettering", "He was on Ravensworth Road again.", ["address"]),
        ("12a Ravensworth Road\nKettering", "He was at 12A Ravensworth Rd again.", ["address"]),
        ("Unit 4\n7 Orchard Way", "The van at Unit 4, 7 Orchard Way.", ["address"]),
        ("Rose Cottage, Mill Lane, Brixworth", "Seen near rose cottage.", ["address"]),
        ("Flat 2 Ash Court", "Seen in Ash Court.", ["address"]),
        ("Flat B Mill Lane", "Seen on Mill Lane last night.", ["address"]),
        # After a word that only begins the address ("Mill House"), the address is still looked for.
        ("12 Mill Lane", "Seen at Mill House and on Mill Lane.", ["address"]),
        # Not their address: the town, another street that begins like theirs, their number alone.
        ("Rose Cottage, Mill Lane, Brixworth", "The fair in Brixworth.", []),
        ("12a Ravensworth Road\nKettering", "He was on Ravensworth Roadside Lane.", []),
        ("12a Ravensworth Road\nKettering", "Call 12 a day.", []),
        ("12 Upper Mill Lane\nKettering", "Seen on Mill Lane last night.", []),
    ],
)
def test_an_address_is_found_in_free_text_by_each_of_its_forms(address, text, found):
    person = Protected("alleged perpetrator 1", address=address)
    assert [f.field for f in find_disclosures([Part("paragraph 1", text)], [person])] == found


def test_a_phone_number_of_six_national_digits_is_a_phone_number():
    person = Protected("alleged perpetrator 1", phones=("523456",))
    findings = find_disclosures([Part("paragraph 1", "Ring 0 523 456 tonight.")], [person])
    assert [f.field for f in findings] == ["phone number"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Darren Kirkbride", "Kirkbride was seen."),  # the name's surname alone, beside an alias
        ("Darren Kirkbride", "Dazza was seen."),  # the alias
        # The whole name in another order, its parts everyday words in lower case, beside an alias.
        ("Will Brown", "we saw brown, will and others."),
    ],
)
def test_a_name_and_its_alias_are_each_found_in_every_form(name, text):
    person = Protected("alleged perpetrator 1", name=name, aliases=("Dazza",))
    assert [f.field for f in find_disclosures([Part("paragraph 1", text)], [person])] == ["name"]
