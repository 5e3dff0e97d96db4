"""The disclosure control (core/disclosure.py), tried as an attacker and as a busy office would.

* The leak corpus: every form issue 13 found getting through (the surname alone, the first name
  alone, "Mr Ravensworth", a Cyrillic look-alike letter, the street without its number, the
  postcode) and every other form the control promises (initials, aliases, building names, dates
  of birth and phone numbers in any common format), generated in sentences: none gets through.
* The control corpus: at least 200 realistic letters generated from varied templates, names and
  addresses — including a victim on the alleged perpetrator's street and postcode, and a victim
  sharing their surname: none is refused outright; only the shared-detail letters are held.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casereview.core.disclosure import RECIPIENT_BLOCK, Part, Protected, find_disclosures, refusals

FIRST = [
    "Darren",
    "Kayleigh",
    "Tomasz",
    "Siobhan",
    "Mohammed",
    "Precious",
    "Callum",
    "Agnieszka",
    "Will",
    "May",
]
LAST = [
    "Ravensworth",
    "Okonkwo",
    "Kirkbride",
    "Nowakowski",
    "Pemberton",
    "Fairweather",
    "Quigley",
    "Achterberg",
]
STREETS = [
    "Mill Lane",
    "Ravensworth Road",
    "Acacia Avenue",
    "Kestrel Close",
    "Wellingborough Road",
    "Orchard Way",
]
TOWNS = ["Kettering", "Northampton", "Islington", "Daventry", "Brixworth"]
POSTCODES = ["NN16 8AB", "NN1 4XY", "N1 2QP", "NN11 4HB", "NN6 9DE"]
BUILDINGS = ["Kestrel House", "Harrier Court", "Rose Cottage", "Beacon Mansions"]
# Cyrillic and Greek letters that look like Latin ones.
LOOKALIKE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "o2": "ο"}


@st.composite
def perpetrators(draw, with_landline: bool = False):
    """An alleged perpetrator with a mobile; `with_landline`, a landline too (the letters' and
    exports' corpora store one phone number per person, so theirs have the mobile only)."""
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    number = draw(st.integers(1, 240))
    street, town, postcode = (draw(st.sampled_from(x)) for x in (STREETS, TOWNS, POSTCODES))
    building = draw(st.sampled_from(BUILDINGS))
    born = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2008, 12, 31)))
    phone = "07" + "".join(str(draw(st.integers(0, 9))) for _ in range(9))
    landline = (draw(landlines()),) if with_landline else ()
    return Protected(
        label="alleged perpetrator 1",
        name=f"{first} {last}",
        aliases=(draw(st.sampled_from(["Dazza", "Big Tom", "Kayz"])),),
        address=f"Flat {draw(st.integers(1, 9))}, {building}\n{number} {street}\n{town}\n{postcode}",
        date_of_birth=born,
        phones=(phone, *landline),
    )


#: Area codes of each length the UK's geographic numbers have (after the 0): London's two digits
#: (8-digit local numbers), Leeds's and Birmingham's three (011x, 01x1: 7 digits), and the four of
#: most towns (6 digits), Kettering's and Northampton's here.
AREA_CODES = ["20", "29", "113", "121", "161", "1536", "1604", "1327"]


@st.composite
def landlines(draw):
    """A UK landline as an officer types it: "01536 523456", "020 7946 0000", "0113 496 0000"."""
    area = draw(st.sampled_from(AREA_CODES))
    local = str(draw(st.integers(2, 9))) + "".join(str(draw(st.integers(0, 9))) for _ in range(9 - len(area)))
    return f"0{area} {local}"


def _local_forms(landline: str) -> list[str]:
    """A landline's local number alone, as a letter may give it: "523456", "523 456", "7946 0000"."""
    local = landline.split()[1]
    middle = len(local) - 4 if len(local) > 6 else 3
    return [local, f"{local[:middle]} {local[middle:]}", f"{local[:middle]}-{local[middle:]}"]


def _lookalike(word: str, position: int) -> str:
    """`word` with one letter swapped for a Cyrillic or Greek look-alike (or an accent added)."""
    for offset in range(len(word)):
        index = (position + offset) % len(word)
        char = word[index]
        if char in LOOKALIKE:
            return word[:index] + LOOKALIKE[char] + word[index + 1 :]
    return word[0] + "\u0301" + word[1:]


def _phone_forms(phone: str) -> list[str]:
    national = phone[1:]
    return [
        phone,
        f"{phone[:5]} {phone[5:]}",
        f"+44 {national[:4]} {national[4:]}",
        f"+44 (0){national[:4]} {national[4:7]} {national[7:]}",
        f"0044{national}",
        f"{phone[:5]}-{phone[5:8]}-{phone[8:]}",
    ]


def _date_forms(day: dt.date) -> list[str]:
    return [
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {day:%B %Y}",
        f"{day.day}{'th'} of {day:%b} {day.year}",
        day.isoformat(),
        f"{day.day}.{day.month}.{day:%y}",
        f"{day:%B} {day.day}, {day.year}",
        day.strftime("%d-%m-%y"),
        day.strftime("%d%m%Y"),
    ]


def leak_forms(person: Protected, draw) -> list[tuple[str, str]]:
    first, last = person.name.split()
    flat, building_line, street_line, town, postcode = (
        person.address.replace(", ", "\n", 1).split("\n")[0],
        person.address.split("\n")[0].split(", ")[1],
        person.address.split("\n")[1],
        person.address.split("\n")[2],
        person.address.split("\n")[3],
    )
    number, street = street_line.split(" ", 1)
    position = draw(st.integers(0, 20))
    forms = [
        ("surname alone", last),
        ("surname in capitals", last.upper()),
        # An everyday word ("Will", "May") is a name where it reads as one: capitalised mid-sentence.
        (
            "first name alone",
            {"Will": "the man called Will", "May": "Ms May"}.get(first, first),
        ),
        ("title and surname", f"Mr {last}"),
        ("initial and surname", f"{first[0]}. {last}"),
        ("surname, initial", f"{last}, {first[0]}"),
        ("full name", f"{first} {last}"),
        ("look-alike letter", _lookalike(last, position)),
        ("look-alike in the first name", f"{_lookalike(first, position)} {last}"),
        ("alias", person.aliases[0]),
        ("street without its number", street),
        (
            "street with an abbreviation",
            street.replace("Road", "Rd").replace("Lane", "Ln").replace("Close", "Cl"),
        ),
        ("street with its number", street_line),
        ("building name", building_line),
        ("postcode", postcode),
        ("postcode without a space", postcode.replace(" ", "")),
        ("postcode in lower case", postcode.lower()),
        ("postcode spaced out", " ".join(postcode.replace(" ", ""))),
        ("whole address", f"{flat}, {building_line}, {street_line}, {town} {postcode}"),
        ("spaced-out surname", " ".join(last)),
        ("surname with a zero-width space", last[:3] + "\u200b" + last[3:]),
        ("full-width surname", "".join(chr(ord(c) + 0xFEE0) for c in last)),
    ]
    forms += [("date of birth", form) for form in _date_forms(person.date_of_birth)]
    forms += [("phone number", form) for form in _phone_forms(person.phones[0])]
    for landline in person.phones[1:]:
        forms += [("landline", landline)]
        forms += [("landline's local number alone", form) for form in _local_forms(landline)]
    return forms


SENTENCES = [
    "We have written to {} about the noise.",
    "The police spoke to {} on 3 June 2026.",
    "Our officer visited ({}) last week.",
    "{} was given a warning.",
    "The panel noted: {}.",
    "Recommendation: the housing provider to contact {} and agree a plan.",
]


@settings(max_examples=120, deadline=None)
@given(person=perpetrators(with_landline=True), sentence=st.sampled_from(SENTENCES), data=st.data())
def test_no_leak_form_gets_through(person, sentence, data):
    for form_name, form in leak_forms(person, data.draw):
        text = sentence.format(form)
        findings = find_disclosures([Part("paragraph 2", text)], [person])
        assert refusals(findings), f"{form_name} got through: {text!r}"
        assert all(f.where == "paragraph 2" and f.who == "alleged perpetrator 1" for f in findings)


# --- The control corpus ----------------------------------------------------------------------------

VICTIM_FIRST = ["Jane", "Patricia", "Oluwaseun", "Grace", "Hope", "Ewa", "Rose", "Mark", "Bill", "Dawn"]
VICTIM_LAST = ["Hughes", "Adeyemi", "Kowalska", "Patel", "Green", "Hall", "Brown", "O'Neill", "White"]
OFFICERS = ["Sam Carter", "Priya Shah", "Liam Doyle"]
TEMPLATES = [
    [
        "Dear {title} {victim_last},",
        "Thank you for your application for an ASB Case Review, received on {received}.",
        "We will decide whether the threshold is met within 10 working days, by {due}.",
        "You may contact your single point of contact, {officer}, on 01604 837837.",
    ],
    [
        "Dear {title} {victim_last},",
        "The panel met on {meeting} at the Guildhall and reviewed the response of the council, the police "
        "and {housing} to the incidents you reported at your home.",
        "It recommends that the housing provider will visit you in May to agree an action plan.",
        "If you are unhappy with the outcome you may appeal within 20 working days.",
    ],
    [
        "Dear {title} {victim_last},",
        "We have decided that the threshold for a review is not met.",
        "Will you let us know if anything changes? Reports made after {received} count towards a new "
        "application.",
        "Grace periods do not apply. Hope for Justice and Victim Support can help: call 0808 168 9111.",
    ],
    [
        "Dear {title} {victim_last},",
        "Your review reference is {reference}. In March and April 2026 the agencies shared what they knew.",
        "Mark the date of the panel, {meeting}, in your diary. Bill payers in your street were not told.",
        "We will write to you at {victim_street_line} once the action plan is agreed.",
    ],
]


@st.composite
def control_letters(draw):
    """(the letter's parts, the perpetrator, the victim's own details, whether they share a detail)."""
    perpetrator = draw(perpetrators(with_landline=True))
    share = draw(st.sampled_from(["none", "street", "surname"]))
    victim_first = draw(st.sampled_from(VICTIM_FIRST))
    victim_last = draw(st.sampled_from(VICTIM_LAST))
    street, postcode, town = (draw(st.sampled_from(x)) for x in (STREETS, POSTCODES, TOWNS))
    perp_lines = perpetrator.address.split("\n")
    if share == "street":  # a neighbour: the same street and postcode, another number
        street = perp_lines[1].split(" ", 1)[1]
        postcode, town = perp_lines[3], perp_lines[2]
    else:
        if share == "surname":  # a relative, living elsewhere
            victim_last = perpetrator.name.split()[1]
        # A street and postcode the perpetrator does not live on.
        street = next(
            s for s in STREETS if s not in perpetrator.address and s.split()[0] not in perpetrator.name
        )
        postcode = next(p for p in POSTCODES if p not in perpetrator.address)
    number = draw(st.integers(241, 400))  # never the perpetrator's own number
    victim_address = f"{number} {street}\n{town}\n{postcode}"
    victim_name = f"{victim_first} {victim_last}"
    values = {
        "title": draw(st.sampled_from(["Mrs", "Ms", "Mr", "Mx", "Miss"])),
        "victim_last": victim_last,
        "received": f"{draw(st.integers(1, 28))} {draw(st.sampled_from(['May', 'March', 'June']))} 2026",
        "due": f"{draw(st.integers(1, 28))} May 2026",
        "meeting": f"Tuesday {draw(st.integers(1, 28))} July 2026",
        "officer": draw(st.sampled_from(OFFICERS)),
        "housing": draw(
            st.sampled_from(["Northamptonshire Partnership Homes", "Clarion Housing", "Peabody"])
        ),
        "reference": f"WN-2026-{draw(st.integers(1, 999)):04d}",
        "victim_street_line": f"{number} {street}",
    }
    template = draw(st.sampled_from(TEMPLATES))
    parts = [Part(RECIPIENT_BLOCK, f"{victim_name}\n{victim_address}")]
    parts += [Part(f"paragraph {i}", line.format(**values)) for i, line in enumerate(template, start=1)]
    return parts, perpetrator, [victim_name, victim_address], share


@settings(max_examples=240, deadline=None)
@given(letter=control_letters())
def test_no_ordinary_letter_is_refused_and_only_shared_details_are_held(letter):
    parts, perpetrator, own, share = letter
    findings = find_disclosures(parts, [perpetrator], own_details=own)
    assert refusals(findings) == [], [f.message() for f in findings]
    if share == "none":
        assert findings == [], [f.message() for f in findings]
    if share == "surname":
        assert findings and all(f.shared and f.field == "name" for f in findings)


def test_the_neighbour_on_the_same_street_and_postcode_is_held_with_where_it_appears():
    perpetrator = Protected(
        "alleged perpetrator 1", name="Darren Ravensworth", address="12 Mill Lane\nKettering\nNN16 8AB"
    )
    own = ["Jane Hughes", "14 Mill Lane\nKettering\nNN16 8AB"]
    parts = [
        Part(RECIPIENT_BLOCK, "Jane Hughes\n14 Mill Lane\nKettering\nNN16 8AB"),
        Part("paragraph 3", "We will write to you at 14 Mill Lane, NN16 8AB."),
    ]
    findings = find_disclosures(parts, [perpetrator], own_details=own)
    assert {f.field for f in findings} == {"address", "postcode"}
    assert all(f.shared and f.where == "paragraph 3" for f in findings)
    assert "paragraph 3" in findings[0].message() and "manager" in findings[0].message()


def test_the_recipient_block_is_not_checked_against_itself():
    perpetrator = Protected("alleged perpetrator 1", name="John Hughes", address="12 Mill Lane\nNN16 8AB")
    parts = [Part(RECIPIENT_BLOCK, "Jane Hughes\n14 Mill Lane\nNN16 8AB")]
    assert find_disclosures(parts, [perpetrator], own_details=["Jane Hughes"]) == []


def test_the_other_direction_a_perpetrators_letter_is_checked_against_the_victim():
    victim = Protected(
        "the victim",
        name="Jane Hughes",
        address="14 Mill Lane\nKettering\nNN16 8AB",
        phones=("07700 900123",),
    )
    parts = [Part("paragraph 1", "A complaint was made by Mrs Hughes of Mill Lane (tel. +44 7700 900 123).")]
    findings = find_disclosures(parts, [victim])
    assert {f.field for f in findings} == {"name", "address", "phone number"}
    assert all(f.who == "the victim" for f in findings)


def test_a_findings_message_is_word_for_word_and_says_when_a_manager_must_decide():
    from casereview.core.disclosure import Finding

    found = Finding(who="alleged perpetrator 1", field="postcode", where="paragraph 2", excerpt="NN1 4XX")
    assert found.message() == "The postcode of alleged perpetrator 1 appears in paragraph 2: “NN1 4XX”."
    shared = Finding(
        who="alleged perpetrator 1", field="name", where="paragraph 3", excerpt="Mr Price", shared=True
    )
    assert shared.message() == (
        "The name of alleged perpetrator 1 appears in paragraph 3: “Mr Price”. It is also the "
        "recipient's own detail, so a manager must decide."
    )


@pytest.mark.parametrize("written", ["March 2 '79", "Mar 2nd, '79", "march 2 1979"])
def test_a_date_of_birth_with_the_year_written_with_an_apostrophe_is_found(written):
    """In "March 2 '79" the apostrophe before a two-figure year is not part of the year."""
    person = Protected("alleged perpetrator 1", name="Dean Kowalski", date_of_birth=dt.date(1979, 3, 2))
    findings = find_disclosures([Part("paragraph 2", f"The man born on {written} was seen.")], [person])
    assert [(f.who, f.field, f.where) for f in findings] == [
        ("alleged perpetrator 1", "date of birth", "paragraph 2")
    ]
    other_year = Protected("alleged perpetrator 1", name="Dean Kowalski", date_of_birth=dt.date(1978, 3, 2))
    assert find_disclosures([Part("paragraph 2", f"The man born on {written} was seen.")], [other_year]) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mrs May called us.", True),  # a title at the very start of the part makes "May" a name
        ("We spoke to Mrs May.", True),
        # A sentence beginning with the month word is not the name, whatever the part ends with
        # (the word before the first is not the last one).
        ("May we thank you for your patience, Mrs", False),
        ("May we thank you for your patience.", False),
    ],
)
def test_a_first_name_that_is_a_month_is_a_name_only_after_a_title(text, found):
    person = Protected("alleged perpetrator 1", name="May Kowalski")
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [(f.field, f.excerpt) for f in findings] == ([("name", text)] if found else [])


def _shared(text: str, person: Protected, own: list[str]) -> list[tuple[str, bool]]:
    return [
        (f.field, f.shared) for f in find_disclosures([Part("paragraph 1", text)], [person], own_details=own)
    ]


def test_every_one_of_the_recipients_details_counts_as_their_own_whatever_its_place():
    """A short first name from the recipient's name, before their address in the list; "J Hughes"
    (an initial and surname, a form of the name never written in it); a short postcode: each is the
    recipient's own, so held for a manager (`shared`), not refused."""
    jane_ward = Protected("alleged perpetrator 1", name="Jane Ward")
    assert _shared("Jane was seen.", jane_ward, ["Jane Hughes", "1 Mill Lane, Kettering"]) == [("name", True)]
    jane_hughes = Protected("alleged perpetrator 1", name="Jane Hughes")
    assert _shared("J Hughes was seen.", jane_hughes, ["Jane Hughes"]) == [("name", True)]
    # "N1 2QP" is 5 characters: own only because it is the recipient's postcode, not by its length.
    neighbour = Protected("alleged perpetrator 1", name="Dean Kowalski", postcode="N1 2QP")
    assert _shared("He lives at N1 2QP.", neighbour, ["3 Elm Road, London N1 2QP"]) == [("postcode", True)]


@pytest.mark.parametrize(
    ("surname", "own_address"), [("Lane", "4 Mill Ln"), ("Court", "4 Kestrel Ct, Kettering")]
)
def test_a_surname_that_is_a_street_word_the_recipient_abbreviates_is_their_own(surname, own_address):
    """ "Ln" in the recipient's address is "Lane": a perpetrator called Lane is held, not refused."""
    person = Protected("alleged perpetrator 1", name=f"Terry {surname}")
    assert _shared(f"I spoke to Mr {surname}.", person, ["Jo Smith", own_address]) == [("name", True)]


def test_an_address_written_with_the_recipients_abbreviation_is_their_own():
    person = Protected("alleged perpetrator 1", address="Mill Lane Kettering")
    assert _shared("He was at Mill Lane Kettering.", person, ["4 Mill Ln Kettering"]) == [("address", True)]


def test_a_detail_of_six_characters_or_more_inside_the_recipients_own_text_is_theirs():
    """Beyond the forms of the recipient's details, a detail of at least 6 folded characters
    written inside them (across their words) is held: "Ash Way" (6) in "12 Nash Way". A shorter one
    is not: "Al Khan"'s "khan" (4), inside "Sal Khanna", is refused; "alkhan" (6) is held."""
    ash_way = Protected("alleged perpetrator 1", address="Ash Way")
    assert _shared("He was near Ash Way.", ash_way, ["12 Nash Way"]) == [("address", True)]
    al_khan = Protected("alleged perpetrator 1", name="Al Khan")
    assert _shared("Al Khan was seen.", al_khan, ["Sal Khanna"]) == [("name", True), ("name", False)]


def test_the_excerpt_is_forty_characters_either_side_with_its_spaces_folded_and_marks_what_is_cut():
    text = (
        "On the evening of the fourteenth the officer wrote  that\nJane Hughes was seen at the shop "
        "on the corner of the street and then left."
    )
    person = Protected("alleged perpetrator 1", name="Jane Hughes")
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [f.excerpt for f in findings] == [
        "…the fourteenth the officer wrote that Jane Hughes was seen at the shop on the corner of t…"
    ]
    at_the_start = find_disclosures([Part("paragraph 1", "Jane Hughes was seen.")], [person])
    assert [f.excerpt for f in at_the_start] == ["Jane Hughes was seen."]


def test_findings_are_in_reading_order_by_where_each_begins_the_whole_name_before_its_part():
    person = Protected("alleged perpetrator 1", name="Tom Ravensworth", address="4 Ravensworth Road")
    text = "He lives at 4 Ravensworth Road, said Mr Ravensworth who was there on the day in question."
    assert [f.field for f in find_disclosures([Part("paragraph 1", text)], [person])] == ["address", "name"]
    # "Jane Hughes" and "Jane" begin at the same place: the whole name (found first) is the one kept.
    jane = Protected("alleged perpetrator 1", name="Jane Hughes")
    text = "Jane Hughes was seen at the shop on the corner of the street on Monday and then left."
    assert [f.excerpt for f in find_disclosures([Part("paragraph 1", text)], [jane])] == [
        "Jane Hughes was seen at the shop on the corner of t…"
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I spoke to Mr. Bell today.", True),  # a title with its full stop: not a sentence's end
        ("The door shut. Bell rang twice.", False),  # the first word of a sentence
        ("Seen near Block X Bell shouting.", True),  # a capital X is not a sentence's end
    ],
)
def test_an_everyday_surname_is_a_name_after_a_title_and_not_at_a_sentences_start(text, found):
    person = Protected("alleged perpetrator 1", name="Sam Bell")
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [(f.field, f.excerpt) for f in findings] == ([("name", text)] if found else [])


def test_a_foreign_number_of_twelve_digits_keeps_its_country_code():
    from casereview.core.disclosure import phone_digits

    assert phone_digits("+353 87 123 4567") == "353871234567"
    person = Protected("alleged perpetrator 1", phones=("+353 87 123 4567",))
    findings = find_disclosures([Part("paragraph 1", "Call 00353 87 123 4567.")], [person])
    assert [f.field for f in findings] == ["phone number"]


def test_where_an_address_appears_each_of_its_forms_is_redacted_by_its_characters():
    """What a redaction blanks out of an address (`redact_disclosures`, the subject access export's):
    the building's name, the street with and without its number and with "Rd" for "Road", the
    postcode in another spacing and case — each exactly where it begins and ends; the town alone,
    and a street that only ends like theirs, are not the address."""
    from casereview.core.disclosure import redact_disclosures

    person = Protected(
        "alleged perpetrator 1", address="Flat 3, Kestrel House\n12 Ravensworth Road\nKettering\nNN16 8AB"
    )
    text = (
        "Seen outside kestrel house and at 12 Ravensworth Rd; also on Ravensworth Road, "
        "Kettering, nn168ab. Not Halloran Road, Kettering."
    )
    assert redact_disclosures(text, [person], replacement="[X]") == (
        "Seen outside [X] and at [X]; also on [X], Kettering, [X]. Not Halloran Road, Kettering."
    )
    assert redact_disclosures("Flat 3 Kestrel House, 12 Ravensworth Road.", [person], replacement="[X]") == (
        "[X], [X]."
    )
    assert redact_disclosures("She moved to Kettering in May.", [person]) == "She moved to Kettering in May."
    nobody = Protected("alleged perpetrator 2", address="")
    assert redact_disclosures("Any text at all", [nobody]) == "Any text at all"


def test_of_two_whole_names_found_at_one_place_the_longer_is_the_finding():
    """A name and an alias that begins with it ("Jane Hughes", "Jane Hughes-Smith"): the finding is
    the whole of the longer, and its excerpt runs 40 characters past it."""
    person = Protected("alleged perpetrator 1", name="Jane Hughes", aliases=("Jane Hughes-Smith",))
    text = "Jane Hughes-Smith was seen at the shop on the corner of the street on Monday and then left."
    assert [(f.field, f.excerpt) for f in find_disclosures([Part("paragraph 1", text)], [person])] == [
        ("name", "Jane Hughes-Smith was seen at the shop on the corner of t…")
    ]


def test_an_everyday_first_name_is_found_where_it_reads_as_a_name_after_it_was_a_word():
    person = Protected("alleged perpetrator 1", name="Will Okonkwo", date_of_birth=dt.date(1980, 3, 12))
    text = "We will see. I spoke to Will about it. Born 12/03/1980."
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [(f.field, f.excerpt) for f in findings] == [
        ("name", text),
        ("date of birth", "…ill see. I spoke to Will about it. Born 12/03/1980."),
    ]


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        # A surname that is a title word is the surname: found alone where it reads as a name.
        ("Darren Lord", "We spoke to Mr Lord about the noise.", ["name"]),
        ("Darren Lord", "Police spoke to Lord and his brother.", ["name"]),
        ("Sam Master", "The officer saw Master at the shop.", ["name"]),
        ("Darren Lord", "Darren Lord was warned.", ["name"]),
        # A name of title words only: its last word at least (Hypothesis's "Master Master").
        ("Master Master", "We wrote to master master.", ["name"]),
        ("Lady Lord", "We wrote to LADY-LORD.", ["name"]),
        # The titles a name begins with are still not parts, and a title word in lower case is a word.
        ("Mr Darren Lord", "Mr Jones and Dr Patel called.", []),
        ("Mr Lord", "We spoke to Mr Jones and Dr Patel.", []),
        ("Mr Lord", "We spoke to Mr Lord.", ["name"]),
        ("Rev Dr Jane Lord", "We spoke to Dr Patel and Rev Smith.", []),
        ("Rev Dr Jane Lord", "We spoke to Jane.", ["name"]),
        ("Sam Master", "The master bedroom was damaged.", []),
    ],
)
def test_a_title_word_that_is_a_persons_name_is_found(name, text, found):
    person = Protected("alleged perpetrator 1", name=name)
    assert [f.field for f in find_disclosures([Part("paragraph 1", text)], [person])] == found


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        # The initial and surname, where the surname alone would not be found (an everyday word at
        # a sentence's start, after "J."): a first name of two letters counts as a part.
        ("Jo Brown", "J. Brown was warned.", ["name"]),
        ("Will Brown", "J. Brown was warned.", []),  # not his initial
        # Surname first, both everyday words in lower case: only the whole name in that order.
        ("Will Brown", "we saw brown, will and others.", ["name"]),
        ("Will Jack Brown", "we saw brown, will and others.", ["name"]),  # the last part, not the second
        # A middle initial: the whole name with it, both other parts everyday words in lower case.
        ("Will J Brown", "we saw will j brown at the shop.", ["name"]),
        ("Will J Jack Brown", "we saw will jack brown at the shop.", ["name"]),  # without the initial
        # A name of one word is found whole, even where it is an everyday word that begins a sentence.
        ("Ray", "Ray was seen again.", ["name"]),
    ],
)
def test_a_name_is_found_whole_in_any_order_and_by_its_initial(name, text, found):
    person = Protected("alleged perpetrator 1", name=name)
    assert [f.field for f in find_disclosures([Part("paragraph 1", text)], [person])] == found


@pytest.mark.parametrize(
    ("phone", "text", "found"),
    [
        # A town's number (a 4-digit area code): its 6-digit local number alone, in any spacing.
        ("01536 523456", "Ring 523456 tonight.", True),
        ("01536 523456", "Ring 523 456 tonight.", True),
        ("01536523456", "Ring 523-456 tonight.", True),
        ("+44 1536 523456", "(523456)", True),
        ("01536 523456", "Ring 01536 523456 tonight.", True),
        # The same local number in another town's number is another number, and a longer run of
        # digits is not the number either.
        ("01536 523456", "Ring 01604 523456 tonight.", False),
        ("01536 523456", "Ring (01604) 523456 tonight.", False),
        ("01536 523456", "Ring 0160-523456 tonight.", False),
        ("01536 523456", "4-523456 was the code.", False),
        ("01536 523456", "523456 was the number.", True),
        ("01536 523456", "Reference 5234567.", False),
        ("01536 523456", "Reference 1523456.", False),
        ("01536 523456", "Reference 52345.", False),
        # London (020: 8 digits), Leeds (0113) and Birmingham (0121: 7 digits).
        ("020 7946 0000", "Ring 7946 0000 tonight.", True),
        ("02079460000", "Ring 79460000 tonight.", True),
        ("020 7946 0000", "Ring 946 0000 tonight.", False),
        ("0113 496 0000", "Ring 496 0000 tonight.", True),
        ("0113 496 0000", "Ring 3496 0000 tonight.", False),
        ("0121 496 0018", "Ring 4960018 tonight.", True),
        # A mobile, and any number not a UK landline, has no local number: it is dialled whole.
        ("07700 900123", "Ring 900123 tonight.", False),
        ("0808 168 9111", "Ring 168 9111 tonight.", False),
        # A 5-digit local number (a 9-digit national number) is too short to look for alone.
        ("01647 23456", "Ring 23456 tonight.", False),
    ],
)
def test_a_landlines_local_number_alone_is_a_phone_number(phone, text, found):
    """A letter may give a landline without its area code, as people say it ("523456" for
    "01536 523456"): the local number alone is found too, unless it is part of a longer number."""
    person = Protected("alleged perpetrator 1", phones=(phone,))
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [f.field for f in findings] == (["phone number"] if found else [])


@pytest.mark.parametrize(
    ("national", "local"),
    [
        ("1536523456", "523456"),  # 01536: a four-digit area code
        ("1132496000", "2496000"),  # 0113 (011x): three
        ("1214960018", "4960018"),  # 0121 (01x1): three
        ("2079460000", "79460000"),  # 020: two
        ("2920180000", "20180000"),  # 029: two
        ("7700900123", ""),  # a mobile
        ("3001234567", ""),  # 03: non-geographic
        ("8081689111", ""),  # 0808: freephone
        ("164723456", ""),  # nine digits: a five-digit local number
        ("15365234567", ""),  # eleven digits: not a UK national number
    ],
)
def test_a_landlines_local_number_is_the_digits_after_its_area_code(national, local):
    from casereview.core.disclosure import _local_number

    assert _local_number(national) == local


def test_a_local_numbers_finding_shows_where_it_is_and_is_redacted_by_its_characters():
    from casereview.core.disclosure import redact_disclosures

    person = Protected("alleged perpetrator 1", phones=("01536 523456",))
    text = "Call him on 523 456 after six."
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [(f.field, f.where, f.excerpt) for f in findings] == [("phone number", "paragraph 1", text)]
    assert redact_disclosures(text, [person]) == "Call him on [redacted] after six."
    assert redact_disclosures("Ring 01536 523456 or 523456.", [person]) == "Ring [redacted] or [redacted]."


def test_a_phone_numbers_finding_shows_where_it_is_in_the_text():
    person = Protected("alleged perpetrator 1", phones=("07700 900123",))
    text = "Call him on 07700 900 123 after six."
    findings = find_disclosures([Part("paragraph 1", text)], [person])
    assert [(f.field, f.where, f.excerpt) for f in findings] == [("phone number", "paragraph 1", text)]
