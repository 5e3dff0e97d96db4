"""The published figures beyond the generated year of test_figures.py (whose module shares that
year among its tests): `casereview stats`'s arguments, and what counts as a review by policy."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from casereview.statistics.periods import financial_year
from casereview.statistics.selectors import figures_for
from tests.statistics import workflow as wf

D = dt.date
YEAR_2024 = financial_year(2024)


@pytest.mark.django_db
def test_the_command_needs_a_partnership_when_there_are_several(demo, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("stats", "--year", "2024")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "islington" in err[0] and "west-northamptonshire" in err[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "24x"], "--year"),
        (["--from", "2024-04-01"], "--from and --to"),
        (["--from", "2024-04-31", "--to", "2025-03-31"], "--from"),
        (["--from", "2025-04-01", "--to", "2024-03-31"], "before"),
        (["--year", "2024", "--from", "2024-04-01", "--to", "2025-03-31"], "not both"),
        (["--partnership", "nowhere", "--year", "2024"], "nowhere"),
    ],
)
def test_bad_arguments_exit_non_zero_with_one_clear_line(demo, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("stats", *(["--partnership", "islington"] if "--partnership" not in args else []), *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.django_db
def test_the_only_partnership_is_the_default(db, capsys):
    from casereview.accounts.models import Partnership

    Partnership.objects.create(
        slug="solo", name="Solo Council", policy_ref="statutory", reference_prefix="SO"
    )
    out = io.StringIO()
    call_command("stats", "--year", "2024", stdout=out)
    assert json.loads(out.getvalue()) == {
        "partnership": "solo",
        "from": "2024-04-01",
        "to": "2025-03-31",
        "applications": 0,
        "threshold_not_met": 0,
        "reviews_carried_out": 0,
        "reviews_with_recommendations": 0,
    }


def test_an_inquorate_panel_is_a_review_only_where_the_policy_says_so(demo):
    from pathlib import Path

    from casereview.core import policy as core_policy

    wn = demo.partnership("west-northamptonshire")
    csm = demo.user("wn-csm")
    quorate = wf.panel(wf.accept(wf.received(wn, D(2024, 5, 1)), D(2024, 5, 6), csm), D(2024, 6, 5), csm)
    inquorate = wf.panel(
        wf.accept(wf.received(wn, D(2024, 5, 2)), D(2024, 5, 7), csm),
        D(2024, 6, 6),
        csm,
        recommendations=1,
        inquorate_reason="Only the SPOC could attend before the victim moved away.",
    )
    figures = figures_for(partnership=wn, period=YEAR_2024)
    places = {c.reference: c.place for c in figures.counts}
    assert places[quorate.reference] == "review"
    assert places[inquorate.reference] == "accepted_review_pending"
    assert figures.as_contract()["reviews_carried_out"] == 1
    assert figures.as_contract()["reviews_with_recommendations"] == 0

    preset = Path(core_policy.__file__).parent / "presets" / "west-northamptonshire.toml"
    wn.policy_text = preset.read_text().replace(
        "inquorate_counts_as_review = false", "inquorate_counts_as_review = true"
    )
    wn.save(update_fields=["policy_text"])
    wn = type(wn).objects.get(pk=wn.pk)  # Partnership.policy is cached on the instance
    figures = figures_for(partnership=wn, period=YEAR_2024)
    assert {c.reference: c.place for c in figures.counts}[inquorate.reference] == "review"
    assert figures.as_contract()["reviews_carried_out"] == 2
    assert figures.as_contract()["reviews_with_recommendations"] == 1
