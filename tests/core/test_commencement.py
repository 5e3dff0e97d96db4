"""The commencement register: a provision is in force from its commencement day itself, per nation."""

from datetime import date

import pytest

from casereview.core.commencement import NATIONS, Provision, default_register, register_from_toml
from casereview.core.errors import PolicyError

KEYS_OTHERS_READ = (
    "asbcpa2014.s43.cpn_age_16",
    "cpa2026.respect_orders",
    "cpa2026.cpn_fpn_500",
    "cpa2026.lpb_review",
    "reform.cpn_age_10",
    "reform.closure_hearing_72h",
)


def test_the_preset_holds_every_key_code_reads_each_with_a_source():
    register = default_register()
    for key in KEYS_OTHERS_READ:
        provision = register.provision(key)
        assert provision.source.strip()
        assert provision.title.strip()


def test_the_2014_age_rule_is_in_force_from_its_day_not_the_day_before():
    register = default_register()
    for nation in NATIONS:
        assert not register.in_force("asbcpa2014.s43.cpn_age_16", nation=nation, on=date(2014, 10, 19))
        assert register.in_force("asbcpa2014.s43.cpn_age_16", nation=nation, on=date(2014, 10, 20))


def test_a_provision_without_a_date_is_not_in_force_on_any_day():
    register = default_register()
    assert register.in_force_from("reform.cpn_age_10", nation="england") is None
    assert not register.in_force("reform.cpn_age_10", nation="england", on=date(2099, 1, 1))


def test_an_administrators_date_overrides_the_preset_for_one_nation_only():
    register = default_register().with_dates(
        [("cpa2026.cpn_fpn_500", "england", date(2026, 6, 29), "SI 2026/999 reg 2")], version="7"
    )
    assert not register.in_force("cpa2026.cpn_fpn_500", nation="england", on=date(2026, 6, 28))
    assert register.in_force("cpa2026.cpn_fpn_500", nation="england", on=date(2026, 6, 29))
    assert not register.in_force("cpa2026.cpn_fpn_500", nation="wales", on=date(2026, 6, 29))
    assert register.provision("cpa2026.cpn_fpn_500").recorded_source == "SI 2026/999 reg 2"
    assert register.version == "7"
    # The default is untouched.
    assert not default_register().in_force("cpa2026.cpn_fpn_500", nation="england", on=date(2026, 7, 1))


def test_an_administrator_can_also_take_a_provision_out_of_force():
    register = default_register().with_dates([("asbcpa2014.s43.cpn_age_16", "wales", None, "repealed")])
    assert not register.in_force("asbcpa2014.s43.cpn_age_16", nation="wales", on=date(2030, 1, 1))
    assert register.in_force("asbcpa2014.s43.cpn_age_16", nation="england", on=date(2030, 1, 1))


def test_unknown_keys_and_nations_are_errors_not_silence():
    register = default_register()
    with pytest.raises(KeyError, match="unknown provision"):
        register.in_force("cpa2026.respect_order", nation="england", on=date(2026, 1, 1))
    with pytest.raises(ValueError, match="unknown nation"):
        register.in_force("cpa2026.respect_orders", nation="scotland", on=date(2026, 1, 1))
    with pytest.raises(KeyError):
        register.with_dates([("no.such", "england", None, "")])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[provisions."a"]\ntitle = "A"\nsource = "S"\nengland = "2020-01-01"\n', "provisions.a.england"),
        ('[provisions."a"]\ntitle = "A"\n', "provisions.a.source"),
        ('[provisions."a"]\ntitle = "A"\nsource = "S"\nscotland = 2020-01-01\n', "provisions.a.scotland"),
        ("[other]\n", "other"),
    ],
)
def test_a_bad_preset_names_the_key(text, key):
    with pytest.raises(PolicyError) as caught:
        register_from_toml(text)
    assert caught.value.key == key


# --- From the mutation run of 7 December 2026: the register read from TOML, word for word ----------
# The preset is read once, at import (`default_register` caches it), so only these tests, which
# read registers from text, exercise the reading under mutmut (docs/testing.md).

_GOOD = """
[provisions."a.one"]
title = "The first"
source = "Act 2014, s.1"
england = 2014-10-20
wales = 2015-04-06

[provisions."b.two"]
title = "The second"
source = "Act 2026, s.2"
wales = 2026-06-01
"""


def test_a_register_read_from_toml_holds_each_provision_as_written():
    register = register_from_toml(_GOOD, source="test.toml")
    assert register.version == "preset"
    assert dict(register.provisions) == {
        "a.one": Provision("a.one", "The first", "Act 2014, s.1", date(2014, 10, 20), date(2015, 4, 6)),
        "b.two": Provision("b.two", "The second", "Act 2026, s.2", None, date(2026, 6, 1)),
    }
    assert register_from_toml("").provisions == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[other]\n", "test.toml: other: unknown key"),
        (
            '[provisions."a"]\ntitle = "A"\nsource = "S"\nyear = 2020\n',
            "test.toml: provisions.a.year: unknown key",
        ),
        ('[provisions."a"]\nsource = "S"\n', "test.toml: provisions.a.title: required: a non-empty string"),
        (
            '[provisions."a"]\ntitle = "A"\nsource = " "\n',
            "test.toml: provisions.a.source: required: a non-empty string",
        ),
        (
            '[provisions."a"]\ntitle = "A"\nsource = "S"\nengland = "2020-01-01"\n',
            "test.toml: provisions.a.england: a date (YYYY-MM-DD)",
        ),
        (
            '[provisions."a"]\ntitle = "A"\nsource = "S"\nwales = 2020-01-01T09:00:00\n',
            "test.toml: provisions.a.wales: a date (YYYY-MM-DD)",
        ),
        (
            '[provisions."a"]\ntitle = "A"\nsource = "S"\nsettings = "28 days"\n',
            "test.toml: provisions.a.settings: a table of settings",
        ),
    ],
)
def test_each_error_in_a_register_is_named_word_for_word(text, message):
    with pytest.raises(PolicyError) as caught:
        register_from_toml(text, source="test.toml")
    assert str(caught.value) == message


def test_a_register_read_without_a_source_names_no_file_in_its_errors():
    with pytest.raises(PolicyError) as caught:
        register_from_toml("[other]\n")
    assert (caught.value.source, str(caught.value)) == ("", "other: unknown key")


def test_a_register_that_is_not_toml_says_so_with_its_source():
    with pytest.raises(PolicyError) as caught:
        register_from_toml("[provisions", source="test.toml")
    assert caught.value.key == "" and caught.value.source == "test.toml"
    assert str(caught.value).startswith("test.toml: not valid TOML: ")


def test_the_preset_is_read_from_its_file_once(monkeypatch):
    from importlib import resources

    from casereview.core import commencement

    monkeypatch.setattr(commencement, "_DEFAULT", None)
    first = default_register()
    text = resources.files("casereview.core.presets").joinpath("commencement.toml").read_text("utf-8")
    assert first == register_from_toml(text) and first.provisions
    assert default_register() is first
    monkeypatch.setattr(commencement, "_DEFAULT", None)
    monkeypatch.setattr(commencement, "register_from_toml", lambda text, source="": source)
    assert default_register() == "presets/commencement.toml"  # the preset's name in its errors


def test_a_register_cannot_be_changed_in_place_and_names_an_unknown_provision():
    register = register_from_toml(_GOOD)
    with pytest.raises(TypeError):
        register.provisions["a.one"] = None  # a copy with other dates is `with_dates`
    with pytest.raises(KeyError, match="unknown provision 'no.such'"):
        register.with_dates([("no.such", "england", None, "")])


def test_an_unknown_nation_names_the_known_ones():
    with pytest.raises(ValueError) as refused:
        register_from_toml(_GOOD).in_force("a.one", nation="scotland", on=date(2020, 1, 1))
    assert str(refused.value) == "unknown nation 'scotland' (known: england, wales)"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("true", True),
        (" FALSE ", False),
        ("True", True),
        (" 28 days ", "28 days"),
        ("yes", "yes"),
        ("", ""),
        (None, ""),
    ],
)
def test_an_administrators_setting_is_a_truth_value_only_when_typed_as_one(typed, value):
    from casereview.core.commencement import setting_value

    assert setting_value(typed) == value and type(setting_value(typed)) is type(value)


def test_settings_laid_over_a_register_add_to_a_provisions_own_and_change_nothing_else():
    from casereview.core.commencement import register_with_settings

    text = _GOOD.replace(
        '[provisions."b.two"]', '[provisions."a.one".settings]\nlimit = "1 month"\n\n[provisions."b.two"]'
    )
    register = register_from_toml(text).with_dates([], version="7")
    assert register.provision_keys() == ("a.one", "b.two")
    laid = register_with_settings(register, [("a.one", "appeal", True), ("b.two", "limit", "28 days")])
    assert dict(laid.provision("a.one").settings) == {"limit": "1 month", "appeal": True}
    assert dict(laid.provision("b.two").settings) == {"limit": "28 days"}
    assert laid.version == "7" and laid.provision("a.one").england == date(2014, 10, 20)
    assert dict(register.provision("a.one").settings) == {"limit": "1 month"}  # the register is unchanged
    again = register_with_settings(laid, [("a.one", "limit", "6 weeks")])
    assert dict(again.provision("a.one").settings) == {"limit": "6 weeks", "appeal": True}
    with pytest.raises(KeyError, match="unknown provision 'no.such'"):
        register_with_settings(register, [("no.such", "limit", "1 month")])
