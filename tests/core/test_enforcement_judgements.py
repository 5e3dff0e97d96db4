"""Every judgement whole, word for word (ADR 0047), over a seeded corpus of 900 proposed steps
(tests/core/enforcement_judgements.json): each refusal's and warning's code, parameters, rule,
source, date in force and next step, and the computed facts. The examples in test_enforcement.py
check one finding each; the mutation run of 7 December 2026 found the rest of each finding (the
next step a page links to, the parameters a sentence reads) unguarded.

A deliberate change of a judgement changes this file: regenerate it and read the difference before
committing it —

    .venv/bin/python tests/core/test_enforcement_judgements.py > tests/core/enforcement_judgements.json
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from random import Random

import pytest

from casereview.core.commencement import default_register
from casereview.core.enforcement import (
    AGENCY_KINDS,
    AUTHORISATIONS,
    POWERS,
    STEP_KINDS,
    SUBJECTS,
    PriorStep,
    ProposedStep,
    judge,
)

CORPUS = Path(__file__).with_name("enforcement_judgements.json")
DUTIES = (
    "appropriate_consulted",
    "convicted",
    "occupants_informed",
    "vulnerability_risk_assessment",
    "yot_consulted",
)
DAYS = (
    date(2014, 10, 19),
    date(2014, 10, 20),
    date(2020, 6, 1),
    date(2026, 3, 2),
    date(2027, 6, 1),
    date(2027, 6, 1),
    date(2020, 6, 1),
)


def cases(n=900, seed=20261207):
    rng = Random(seed)
    out = []
    for i in range(n):
        on = rng.choice(DAYS)
        age = rng.choice([None, 9, 10, 12, 15, 16, 17, 18, 25])
        prior = []
        if rng.random() < 0.5:
            served = date(on.year - 1, 1, 15)
            prior.append(
                {
                    "kind": "cpw",
                    "served_on": served.isoformat(),
                    "comply_by": rng.choice([None, date(on.year - 1, 2, 15).isoformat(), on.isoformat()]),
                }
            )
        if rng.random() < 0.4:
            prior.append(
                {
                    "kind": rng.choice(["cpn", "warning_letter", "closure_notice"]),
                    "served_on": date(on.year - 1, 3, 1).isoformat(),
                    "outcome": rng.choice(["", "breached", "complied"]),
                }
            )
        kind = STEP_KINDS[i % len(STEP_KINDS)]
        allowed_agencies = POWERS[kind][1] if kind in POWERS else AGENCY_KINDS
        agency = rng.choice(sorted(allowed_agencies)) if rng.random() < 0.8 else rng.choice(AGENCY_KINDS)
        subject = (
            ("premises" if kind.startswith("closure") else "person")
            if rng.random() < 0.8
            else rng.choice(SUBJECTS)
        )
        if kind == "dispersal" and rng.random() < 0.8:
            subject = "area"
        out.append(
            {
                "kind": kind,
                "on": on.isoformat(),
                "nation": rng.choice(["england", "wales"]),
                "agency_kind": agency,
                "subject": subject,
                "age": age,
                "prior": prior,
                "authorisations": sorted(a for a in AUTHORISATIONS if rng.random() < 0.4),
                "duties": sorted(d for d in DUTIES if rng.random() < 0.5),
                "comply_by": rng.choice([None, on.isoformat(), date(on.year + 1, 1, 1).isoformat()]),
                "duration_hours": rng.choice([None, -1, 0, 24, 48, 49, 72, 73, 100]),
            }
        )
    return out


def step_of(case):
    def d(v):
        return date.fromisoformat(v) if v else None

    return ProposedStep(
        kind=case["kind"],
        on=d(case["on"]),
        nation=case["nation"],
        agency_kind=case["agency_kind"],
        subject=case["subject"],
        age=case["age"],
        prior=tuple(
            PriorStep(
                kind=p["kind"],
                served_on=d(p["served_on"]),
                outcome=p.get("outcome", ""),
                comply_by=d(p.get("comply_by")),
            )
            for p in case["prior"]
        ),
        authorisations=frozenset(case["authorisations"]),
        duties=frozenset(case["duties"]),
        comply_by=d(case["comply_by"]),
        duration_hours=case["duration_hours"],
    )


def whole(judgement):
    def f(x):
        return [
            x.code,
            x.params,
            x.rule,
            x.source,
            x.in_force_from.isoformat() if x.in_force_from else None,
            x.next_step,
        ]

    return json.loads(
        json.dumps(
            {
                "allowed": judgement.allowed,
                "refusals": [f(x) for x in judgement.refusals],
                "warnings": [f(x) for x in judgement.warnings],
                "facts": dict(judgement.facts),
                "codes": judgement.codes(),
            },
            default=str,
        )
    )


EXPECTED = [] if __name__ == "__main__" else json.loads(CORPUS.read_text(encoding="utf-8"))


def test_the_corpus_is_the_seeded_one():
    assert [row["step"] for row in EXPECTED] == json.loads(json.dumps(cases()))


@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: f"{row['step']['kind']}-{row['step']['on']}")
def test_each_judgement_is_whole_as_recorded(row):
    assert whole(judge(step_of(row["step"]), default_register())) == row["judgement"]


if __name__ == "__main__":
    register = default_register()
    rows = [
        json.dumps(
            {"step": c, "judgement": whole(judge(step_of(c), register))}, ensure_ascii=False, sort_keys=True
        )
        for c in cases()
    ]
    print("[\n" + ",\n".join(rows) + "\n]")
