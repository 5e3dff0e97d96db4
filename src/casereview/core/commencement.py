"""The commencement register: which provision of the law is in force, where, from when.

The ASB powers move: the Crime and Policing Act 2026 brings Respect Orders and a £500 fixed penalty,
and reforms proposed since 2023 lower the Community Protection Notice's age and lengthen the
closure order's hearing deadline — each from a date set by commencement regulations, and England
and Wales may differ. So every rule that depends on the law in force reads it here, by a stable key
(``cpa2026.respect_orders``), for the step's own date and nation: a step is judged by the law in
force on the day it is taken, not the day someone looks at it.

The defaults are the preset ``presets/commencement.toml`` (each provision with its source); a
deployment's administrator records the real dates (the Django side, ``casereview.law``) and
``Register.with_dates`` lays them over the defaults. A date of ``None`` means "not in force".

Pure: no Django, no clock ("on" is always given).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from types import MappingProxyType

from casereview.core.errors import PolicyError

__all__ = [
    "NATIONS",
    "Provision",
    "Register",
    "default_register",
    "register_from_toml",
    "register_with_settings",
    "setting_value",
]

#: The two nations the 2014 Act extends to, whose commencement dates may differ.
NATIONS = ("england", "wales")


@dataclass(frozen=True)
class Provision:
    key: str
    title: str
    source: str
    #: The date in force in each nation; None: not in force there.
    england: date | None = None
    wales: date | None = None
    #: Where the date came from when an administrator recorded it (empty: the preset's).
    recorded_source: str = ""
    #: The provision's national settings (e.g. the local policing body review's time limit), as
    #: the preset states them; the rule that reads them validates them (``core.lpb_review``).
    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def in_force_from(self, nation: str) -> date | None:
        _check_nation(nation)
        return self.england if nation == "england" else self.wales


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise ValueError(f"unknown nation {nation!r} (known: {', '.join(NATIONS)})")


@dataclass(frozen=True)
class Register:
    provisions: Mapping[str, Provision]
    #: Identifies the dates the register holds (the preset, or the administrator's change count).
    version: str = "preset"

    def __post_init__(self) -> None:
        object.__setattr__(self, "provisions", MappingProxyType(dict(self.provisions)))

    def provision(self, key: str) -> Provision:
        try:
            return self.provisions[key]
        except KeyError:
            raise KeyError(f"unknown provision {key!r}") from None

    def in_force_from(self, key: str, *, nation: str) -> date | None:
        return self.provision(key).in_force_from(nation)

    def in_force(self, key: str, *, nation: str, on: date) -> bool:
        """Is ``key`` in force in ``nation`` on the day ``on`` (from its commencement day itself)?"""
        start = self.in_force_from(key, nation=nation)
        return start is not None and on >= start

    def provision_keys(self) -> tuple[str, ...]:
        return tuple(self.provisions)

    def with_dates(
        self, entries: Iterable[tuple[str, str, date | None, str]], *, version: str | None = None
    ) -> Register:
        """This register with ``(key, nation, in_force_on, source)`` laid over it: what an
        administrator recorded. An unknown key or nation is an error (never silently ignored)."""
        provisions = dict(self.provisions)
        for key, nation, on, source in entries:
            _check_nation(nation)
            current = provisions.get(key)
            if current is None:
                raise KeyError(f"unknown provision {key!r}")
            provisions[key] = replace(
                current, **{nation: on}, recorded_source=source or current.recorded_source
            )
        return Register(provisions, version=version or self.version)


def setting_value(text: str) -> object:
    """An administrator's setting as typed: "true"/"false" as a truth value, anything else as text
    (a period such as "28 days"); the rule reading it validates it."""
    stripped = (text or "").strip()
    return {"true": True, "false": False}.get(stripped.lower(), stripped)


def register_with_settings(register: Register, entries: Iterable[tuple[str, str, object]]) -> Register:
    """``register`` with ``(key, name, value)`` settings laid over its provisions' own (an
    administrator's, as the dates are). An unknown key is an error; an unknown setting name is the
    reading rule's to refuse, naming it."""
    provisions = dict(register.provisions)
    for key, name, value in entries:
        current = provisions.get(key)
        if current is None:
            raise KeyError(f"unknown provision {key!r}")
        provisions[key] = replace(current, settings=MappingProxyType({**current.settings, name: value}))
    return Register(provisions, version=register.version)


def register_from_toml(text: str, *, source: str = "") -> Register:
    """A register from TOML: ``[provisions."key"]`` tables with title, source, england, wales."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("", f"not valid TOML: {exc}", source=source) from exc
    unknown = set(data) - {"provisions"}
    if unknown:
        raise PolicyError(sorted(unknown)[0], "unknown key", source=source)
    provisions = {}
    for key, table in data.get("provisions", {}).items():
        where = f"provisions.{key}"
        extra = set(table) - {"title", "source", "england", "wales", "settings"}
        if extra:
            raise PolicyError(f"{where}.{sorted(extra)[0]}", "unknown key", source=source)
        for name in ("title", "source"):
            if not isinstance(table.get(name), str) or not table[name].strip():
                raise PolicyError(f"{where}.{name}", "required: a non-empty string", source=source)
        dates = {}
        for nation in NATIONS:
            value = table.get(nation)
            if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
                raise PolicyError(f"{where}.{nation}", "a date (YYYY-MM-DD)", source=source)
            dates[nation] = value
        settings = table.get("settings", {})
        if not isinstance(settings, dict):
            raise PolicyError(f"{where}.settings", "a table of settings", source=source)
        provisions[key] = Provision(
            key=key,
            title=table["title"],
            source=table["source"],
            settings=MappingProxyType(dict(settings)),
            **dates,
        )
    return Register(provisions, version="preset")


_DEFAULT: Register | None = None


def default_register() -> Register:
    """The preset register (``presets/commencement.toml``), read once."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files("casereview.core.presets").joinpath("commencement.toml").read_text("utf-8")
        _DEFAULT = register_from_toml(text, source="presets/commencement.toml")
    return _DEFAULT
