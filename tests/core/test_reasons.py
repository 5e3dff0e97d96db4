"""Reason codes and the one renderer (core/reasons.py, ADR 0039), the policy's digest and the
[correspondence] setting. Pure: no Django."""

import hashlib
import json
from datetime import date, timedelta
from importlib import resources
from random import Random

import pytest

from casereview.core.errors import PolicyError
from casereview.core.policy import load_policy, policy_digest, policy_from_toml
from casereview.core.reasons import ENGLISH, REASON_CODES, Words, render, render_all, render_paragraphs
from casereview.core.threshold import decide, parse_threshold_input

PRESETS = ("statutory", "west-northamptonshire", "islington")


def preset_text(name: str) -> str:
    return resources.files("casereview.core.presets").joinpath(f"{name}.toml").read_text("utf-8")


def policies():
    found = [load_policy(name) for name in PRESETS]
    for name in PRESETS:
        text = preset_text(name)
        for old, new in (
            ("dedupe_across_agencies = true", "dedupe_across_agencies = false"),
            ("exclude_diary_sheets = false", "exclude_diary_sheets = true"),
            ('latest_report_within = ""', 'latest_report_within = "1 month"'),
            ("requires_action_group = false", "requires_action_group = true"),
            ("min_incidents = 1", "min_incidents = 2"),
            (
                "[threshold.multiple_complainants]\nenabled = false",
                "[threshold.multiple_complainants]\nenabled = true\nmin_reports = 3\n"
                'min_distinct_reporters = 2\nwindow = "6 months"\n#',
            ),
        ):
            if old in text:
                found.append(policy_from_toml(text.replace(old, new)))
    return found


def random_inputs(count: int):
    rng = Random(15)
    for _ in range(count):
        applied = date(2025, 4, 15) + timedelta(days=rng.randint(-30, 30))
        incidents = []
        for number in range(rng.randint(0, 5)):
            occurred = applied - timedelta(days=rng.randint(0, 250))
            reports = [
                {
                    "agency": rng.choice(["council", "police", "housing", "health", "other"]),
                    "reported_on": (
                        occurred + timedelta(days=rng.choice([0, 1, 5, 20, 31, 40, 60]))
                    ).isoformat(),
                    "reporter": rng.choice(["victim", "victim", "n1", "n2"]),
                }
                for _ in range(rng.randint(0, 3))
            ]
            incidents.append(
                {
                    "ref": f"I{number}",
                    "occurred_on": occurred.isoformat(),
                    "hate": rng.random() < 0.3,
                    "diary_sheet": rng.random() < 0.2,
                    "action_group": rng.random() < 0.5,
                    "reports": reports,
                }
            )
        yield {
            "application_date": applied.isoformat(),
            "applicant": {
                "anonymous": rng.random() < 0.05,
                "on_behalf_of_victim": rng.random() < 0.1,
                "victim_consent": rng.choice([None, True, False]),
            },
            "concerns": rng.choice([[], [], ["cps_decision"], ["court_decision", "service_provision_only"]]),
            "senior_manager_request": rng.random() < 0.05,
            "incidents": incidents,
        }


def test_the_stored_codes_render_exactly_the_contracts_english_and_every_code_is_used():
    """What a letter renders from the stored codes is what `casereview threshold` printed."""
    all_policies = policies()
    used = set()
    for number, data in enumerate(random_inputs(600)):
        decision = decide(all_policies[number % len(all_policies)], parse_threshold_input(data))
        stored = json.loads(json.dumps(decision.codes_dict()))  # as the database gives it back
        output = decision.to_dict()
        for entry, finding in zip(stored["incidents"], output["incidents"], strict=True):
            assert render_all(entry["reasons"]) == finding["reasons"]
        assert render_all(stored["ineligible"]) == output["ineligible_reasons"]
        assert render_paragraphs(stored["explanation"]) == output["explanation"]
        used |= {code for entry in stored["incidents"] for code, _ in entry["reasons"]}
        used |= {code for code, _ in stored["ineligible"]}
        used |= {code for paragraph in stored["explanation"] for code, _ in paragraph}
    assert used == set(REASON_CODES)


def test_a_translation_is_applied_to_every_sentence_and_dates_follow_the_language():
    marked = Words(
        gettext=lambda text: "«" + text + "»",
        ngettext=lambda one, many, n: "«" + (one if n == 1 else many) + "»",
        language="cy",
    )
    sentence = render(
        (
            "too_late",
            {
                "agency": "housing",
                "reported_on": "2025-04-10",
                "report_by": "2025-03-30",
                "report_within": "30 days",
                "occurred_on": "2025-03-01",
            },
        ),
        marked,
    )
    assert sentence.startswith("«The report «to a social housing provider» on 10 Ebrill 2025")
    assert "by 30 Mawrth 2025, within «30 days» of the incident on 1 Mawrth 2025.»" in sentence


def test_an_unknown_code_is_an_error():
    with pytest.raises(ValueError, match="unknown reason code 'no_such_code'"):
        render(("no_such_code", {}))
    with pytest.raises(ValueError, match="unknown ineligibility 'anonymus'"):
        render(("ineligible", {"why": "anonymus"}))


def test_the_digest_names_the_settings_not_the_layout():
    text = preset_text("west-northamptonshire")
    policy = policy_from_toml(text)
    assert len(policy.digest) == 64
    assert policy_from_toml("# a comment\n" + text.replace(" = ", "=")).digest == policy.digest
    assert policy_from_toml(
        text.replace('report_within = "30 days"', 'report_within = "31 days"')
    ).digest != (policy.digest)
    assert (
        decide(
            policy, parse_threshold_input({"application_date": "2025-04-15", "incidents": []})
        ).codes_dict()["policy"]["digest"]
        == policy.digest
    )


def test_correspondence_is_welsh_unless_the_policy_says_bilingual():
    text = preset_text("statutory")
    assert policy_from_toml(text).welsh_correspondence == "welsh"
    assert (
        policy_from_toml(text + '\n[correspondence]\nwelsh = "bilingual"\n').welsh_correspondence
        == "bilingual"
    )
    with pytest.raises(PolicyError, match=r"correspondence\.welsh.*unknown value 'english'"):
        policy_from_toml(text + '\n[correspondence]\nwelsh = "english"\n')


@pytest.mark.parametrize(
    ("items", "welsh"),
    [
        (["Caerdydd", "Abertawe"], "Caerdydd ac Abertawe"),
        (["y cyngor", "oedran"], "y cyngor ac oedran"),
        (["anabledd", "Wrecsam"], "anabledd ac Wrecsam"),
        (["anabledd", "ym mis Mai"], "anabledd ac ym mis Mai"),
        (["anabledd", "Ŵyr"], "anabledd ac Ŵyr"),
        (["y cyngor", "yr heddlu"], "y cyngor a’r heddlu"),
        (["yr heddlu", "y cyngor"], "yr heddlu a’r cyngor"),
        (["Caerdydd", "Y Barri"], "Caerdydd a’r Barri"),  # a place whose name has the article
        (["Caerdydd", "Yr Wyddgrug"], "Caerdydd a’r Wyddgrug"),
        (["3 Mai 2025 (I1)", "4 Mai 2025 (I2)"], "3 Mai 2025 (I1) a 4 Mai 2025 (I2)"),
        (["oedran", "iechyd", "beichiogrwydd"], "oedran, iechyd a beichiogrwydd"),
        (["beichiogrwydd", "iechyd", "anabledd"], "beichiogrwydd, iechyd ac anabledd"),
        (["Abertawe"], "Abertawe"),
    ],
)
def test_a_welsh_list_joins_its_last_item_with_a_ac_or_ar(items, welsh):
    """Welsh "a" (and) is "ac" before a vowel and "a’r" with the article; English is untouched."""
    from casereview.core.reasons import _join

    catalogue = Words(gettext={"%(first)s and %(last)s": "%(first)s a %(last)s"}.get, language="cy")
    assert _join(catalogue, items) == welsh
    assert _join(ENGLISH, items) == (
        items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    )


def test_a_welsh_list_keeps_a_translators_other_wording():
    """Only the catalogue's own " a %(last)s" is changed: a translator's other wording is kept."""
    from casereview.core.reasons import _join

    other = Words(gettext={"%(first)s and %(last)s": "%(first)s, %(last)s"}.get, language="cy")
    assert _join(other, ["Caerdydd", "Abertawe"]) == "Caerdydd, Abertawe"


def test_what_a_decision_stores_as_codes_whole():
    """The layout a stored decision keeps (schema 1): its letters are rendered from it years later,
    so a renamed key would leave an old decision unreadable."""
    policy = load_policy("statutory")
    data = {
        "application_date": "2025-04-15",
        "incidents": [
            {
                "ref": "I1",
                "occurred_on": "2025-03-01",
                "reports": [
                    {"agency": "other", "reported_on": "2025-03-02"},
                    {"agency": "police", "reported_on": "2025-03-03"},
                ],
            }
        ],
    }
    window = {"length": "6 months", "first": "2024-10-16", "last": "2025-04-15"}
    assert decide(policy, parse_threshold_input(data)).codes_dict() == {
        "schema": 1,
        "policy": {"id": "statutory", "version": "2025-01-01", "digest": policy.digest},
        "incidents": [
            {
                "ref": "I1",
                "qualifying": True,
                "reasons": [
                    [
                        "qualifying",
                        {
                            "agency": "police",
                            "reported_on": "2025-03-03",
                            "report_within": "1 month",
                            "window": window,
                        },
                    ],
                    ["not_relevant_body", {"agency": "other", "reported_on": "2025-03-02"}],
                ],
            }
        ],
        "ineligible": [],
        "explanation": [
            [["not_met", {"application_date": "2025-04-15"}]],
            [
                ["rule_opening", {"needed": 3, "one_way": False}],
                ["rule_definition", {"report_within": "1 month", "window": window}],
                ["rule_dedupe", {}],
                ["counted", {"count": 1, "incidents": [{"occurred_on": "2025-03-01", "ref": "I1"}]}],
            ],
            [["discretion", {}]],
        ],
    }


def test_the_digest_is_the_sha256_of_the_settings_as_compact_sorted_json_with_iso_dates():
    """Stored decisions keep the digest (ADR 0039): the same settings must give the same digest in
    every later release, whatever the order of the keys, so its canonical form is fixed here."""
    settings = {"name": "Caffi’r Gornel", "extra_bank_holidays": [date(2027, 1, 4)], "id": "x"}
    canonical = '{"extra_bank_holidays":["2027-01-04"],"id":"x","name":"Caffi’r Gornel"}'
    assert policy_digest(settings) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert policy_digest(dict(reversed(settings.items()))) == policy_digest(settings)


def test_an_incident_reported_to_three_more_bodies_lists_each_report_in_order():
    also = [
        {"agency": "council", "reported_on": "2025-01-13"},
        {"agency": "housing", "reported_on": "2025-01-14"},
        {"agency": "health", "reported_on": "2025-01-15"},
    ]
    assert render(("also_reported_counted_once", {"also": also})) == (
        "It was also reported to the council on 13 January 2025, to a social housing provider on "
        "14 January 2025 and to the local NHS (the integrated care board) on 15 January 2025. That is "
        "the same incident, so it is counted once."
    )
    assert render(("also_reported_each_counts", {"also": also[:1], "count": 2})) == (
        "It was also reported to the council on 13 January 2025. Under this procedure each report "
        "counts separately, so this incident counts as 2 qualifying complaints."
    )


@pytest.mark.parametrize(
    ("needed", "group", "met", "rule", "end"),
    [
        (1, False, 0, "a single hate incident,", "none of the incidents met this."),
        (1, True, 0, "a single hate incident that has been to the Hate and ASB Action Group,", None),
        (2, True, 1, "2 hate incidents that have been to the Hate and ASB Action Group,", "1 incident"),
        (2, False, 1, "2 hate incidents,", "1 incident"),
        (3, False, 2, "3 hate incidents,", "2 incidents"),
    ],
)
def test_the_hate_route_not_met_says_how_many_incidents_it_needs_and_where_they_must_have_been(
    needed, group, met, rule, end
):
    window = {"length": "6 months", "first": "2024-10-16", "last": "2025-04-15"}
    params = {"min_incidents": needed, "action_group_required": group, "met": met, "window": window}
    ending = {
        None: "none of the incidents met this.",
        "none of the incidents met this.": "none of the incidents met this.",
        "1 incident": "1 incident met this, which is not enough.",
        "2 incidents": "2 incidents met this, which is not enough.",
    }[end]
    assert render(("hate_route_also", params)) == (
        f"The threshold is also met by {rule} reported by the victim within the 6 months before the "
        f"application (16 October 2024 to 15 April 2025); {ending}"
    )


def test_a_translation_may_choose_its_words_by_the_number_of_qualifying_complaints():
    """The translators' note offers %(n)s, the number itself, beside "3 qualifying complaints"."""

    def ngettext(one, many, n):
        chosen = one if n == 1 else many
        return "%(n)s: " + chosen if "meets the threshold" in one else chosen

    numbered = Words(ngettext=ngettext)
    params = {"route": "qualifying_complaints", "count": 3, "application_date": "2025-04-15"}
    assert render(("met", params), numbered) == (
        "3: The application made on 15 April 2025 meets the threshold for an ASB Case Review, because "
        "3 qualifying complaints were made."
    )


@pytest.mark.parametrize(
    ("group", "rule"),
    [
        (True, "2 hate incident that has been to the Hate and ASB Action Group,"),
        (False, "2 hate incident,"),
    ],
)
def test_a_catalogue_finds_the_hate_routes_sentence_by_its_singular_and_its_form_by_the_number(group, rule):
    """gettext looks a plural sentence up by its singular msgid and chooses the form by the number
    (Welsh has four): both must be the real ones, whatever English would print."""
    catalogue = Words(ngettext=lambda one, many, n: "«" + one + "» (" + str(n) + ")")
    window = {"length": "6 months", "first": "2024-10-16", "last": "2025-04-15"}
    params = {"min_incidents": 2, "action_group_required": group, "met": 0, "window": window}
    assert render(("hate_route_also", params), catalogue) == (
        f"«The threshold is also met by {rule} reported by the victim within the «6 month» (6) before "
        "the application (16 October 2024 to 15 April 2025);» (2) none of the incidents met this."
    )


def test_an_explanations_paragraphs_are_each_written_in_the_readers_language():
    """`render_paragraphs` writes every sentence of every paragraph with the Words it is given (a
    Welsh letter's explanation), sentences joined by a space and paragraphs by a blank line."""
    marked = Words(
        gettext=lambda text: "«" + text + "»",
        ngettext=lambda one, many, n: "«" + (one if n == 1 else many) + "»",
        language="cy",
    )
    late = {"agency": "housing", "reported_on": "2025-04-10", "report_by": "2025-03-30"}
    late |= {"report_within": "30 days", "occurred_on": "2025-03-01"}
    paragraphs = [[("no_incidents", {}), ("rule_opening", {"needed": 3})], [("too_late", late)]]
    assert render_paragraphs(paragraphs, marked) == (
        "«No incidents were given with the application.» «The threshold is met when at least "
        "«%(count)s qualifying complaints» have been made.»\n\n" + render(("too_late", late), marked)
    ).replace("%(count)s", "3")
    assert "10 Ebrill 2025" in render(("too_late", late), marked)


def test_a_reasons_parameters_may_be_any_mapping_and_render_the_same():
    """A stored decision's parameters come back from JSON as a dict; any other mapping is read the same."""
    from types import MappingProxyType

    params = {"agency": "police", "reported_on": "2025-04-10", "report_by": "2025-03-30"}
    params |= {"report_within": "20 days", "occurred_on": "2025-03-10"}
    as_dict = render(("too_late", params))
    assert render(("too_late", MappingProxyType(params))) == as_dict
    assert render(["too_late", tuple(params.items())]) == as_dict
    assert as_dict.startswith("The report to the police on 10 April 2025")


def test_a_date_given_as_a_date_reads_as_its_iso_text_does_in_each_language():
    """A reason's dates are ISO text when stored; a caller may give a `date` itself: the same words."""
    welsh = Words(language="cy")
    as_text = {"agency": "council", "reported_on": "2025-04-10", "report_by": "2025-03-30"}
    as_text |= {"report_within": "30 days", "occurred_on": "2025-03-01"}
    as_dates = {
        key: date.fromisoformat(value) if key != "agency" and "-" in value else value
        for key, value in as_text.items()
    }
    for words in (ENGLISH, welsh):
        assert render(("too_late", as_dates), words) == render(("too_late", as_text), words)
    assert "10 Ebrill 2025" in render(("too_late", as_dates), welsh)
    assert "10 April 2025" in render(("too_late", as_dates))


def test_the_default_englishs_words_are_written_once_and_at_most_1025_kept():
    """`_english_once` (issue 14: an explanation names the same periods and windows many times
    over): each key's words written once, and the store emptied when a new key would make it more
    than 1,025, so it never grows without bound."""
    from casereview.core.reasons import _english_once

    kept: dict = {}
    written = []

    def write(words, value):
        written.append((words, value))
        return value.upper()

    assert _english_once(kept, "k", write, "thirty days") == "THIRTY DAYS"
    assert _english_once(kept, "k", write, "thirty days") == "THIRTY DAYS"
    assert written == [(ENGLISH, "thirty days")]
    for number in range(1024):
        _english_once(kept, number, write, "x")
    assert len(kept) == 1025
    _english_once(kept, "one more", write, "y")
    assert kept == {"one more": "Y"}


def test_whom_a_report_was_made_to_in_words_for_each_kind_of_agency():
    """`to_agency`: the preposition and the body, for every kind a report may name (a letter or a
    page may name a report to "other" even where the threshold never counts it)."""
    from casereview.core.reasons import to_agency

    marked = Words(gettext=lambda text: "«" + text + "»", language="cy")
    expected = {
        "council": "to the council",
        "police": "to the police",
        "housing": "to a social housing provider",
        "health": "to the local NHS (the integrated care board)",
        "other": "to an organisation that is not a relevant body",
    }
    for kind, words in expected.items():
        assert to_agency(ENGLISH, kind) == words
        assert to_agency(marked, kind) == "«" + words + "»"
