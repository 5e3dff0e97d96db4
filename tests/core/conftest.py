"""Shared helpers for the core's tests: policies built from a preset with a few keys changed.

Tests describe a policy as "the statutory preset, but with report_within = 7 days" — the way a
council would describe its own variation — rather than repeating a whole TOML file each time.
"""

import os
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from casereview.core import policy as policy_module
from casereview.core import reasons as reasons_module
from casereview.core.policy import Policy, policy_from_mapping

#: ../shared beside the repository (contracts: "in CI the repo is cloned with shared/ beside it").
SHARED = Path(__file__).parents[2] / ".." / "shared"

DELETE = object()


@pytest.fixture(autouse=True)
def _policies_read_afresh_under_mutation_testing():
    """Under mutmut, each test reads its policies afresh instead of from the loading's cache.

    ``load_policy`` and ``policy_from_toml`` keep the policies they read (``_policy_from_toml`` is
    an ``lru_cache``). mutmut runs every test once in its own process first and then forks that
    process for each mutant, cache and all: a test that loads a preset would be given the policy
    read before the mutant was switched on, so no mutant of the loading could fail it, and the
    first run would tie only the first such test to the loading (docs/testing.md, session 11).
    mutmut sets ``MUTANT_UNDER_TEST`` for its runs; an ordinary run keeps the cache.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        policy_module._policy_from_toml.cache_clear()
        # The same for the default English's words that reasons.py keeps (periods, windows, ISO
        # dates, and the prepositions "to the council" written once at import): written afresh,
        # with the mutant switched on, for each test (session 12).
        reasons_module._ENGLISH_PERIODS.clear()
        reasons_module._ENGLISH_WINDOWS.clear()
        reasons_module._iso_date_words.cache_clear()
        reasons_module._ENGLISH_TO_AGENCY.update(
            {
                kind: reasons_module._to_agency(reasons_module.ENGLISH, kind)
                for kind in reasons_module._ENGLISH_TO_AGENCY
            }
        )


def preset_data(preset: str) -> dict:
    text = resources.files("casereview.core.presets").joinpath(f"{preset}.toml").read_text("utf-8")
    return tomllib.loads(text)


def changed(data: dict, changes: dict[str, object]) -> dict:
    """Apply ``{"threshold.report_within": "7 days", "panel": DELETE}`` to parsed policy data."""
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        table = data
        for name in parents:
            table = table.setdefault(name, {})
        if value is DELETE:
            table.pop(last, None)
        else:
            table[last] = value
    return data


def make_policy(preset: str = "statutory", changes: dict[str, object] | None = None) -> Policy:
    return policy_from_mapping(changed(preset_data(preset), changes or {}), source=f"test {preset}")


@pytest.fixture
def shared_data() -> Path:
    folder = SHARED / "data" / "bank-holidays"
    if not folder.is_dir():
        pytest.skip(f"the shared data folder is not beside the repository ({folder.resolve()} is missing)")
    return folder
