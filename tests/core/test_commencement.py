"""The commencement register: a provision is in force from its commencement day itself, per nation."""

from datetime import date

import pytest

from casereview.core.commencement import NATIONS, default_register, register_from_toml
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
