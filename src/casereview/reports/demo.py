"""Demo data for the ASB report log (Islington), loaded by `casereview demo`.

- two months (May–June 2018) of Islington's real police.uk ASB data, if ../shared has it (skipped
  quietly if not): month-only reports, so they show in the log but never make hotspots;
- partner reports generated relative to TODAY through the partner-CSV import: current hotspots
  (one continuing, one new, one closed since last week), two repeat callers (one per rule), and
  residents who have reported before — one with a single report (record a second one to see the
  prompt) and one whose second report within six months is waiting for the review to be explained;
- teams, and actions taken at the hotspots.

Idempotent: the generated reports' references carry today's date (DEMO-YYYYMMDD-N), so running it
again the same day adds nothing; on a later day it adds a fresh set so the hotspots stay current.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casereview.accounts.models import Agency, Partnership, User

from .imports import reports_import_text
from .models import HotspotAction, Report, ReportStatus, Team, TeamKind

POLICE_UK_FILE = Path("police-uk") / "islington-wards-2016-2018" / "islington_wards_asb_2016-01_2018-06.csv"
POLICE_UK_MONTHS = ("2018-05", "2018-06")

# A resident who has reported once: record a second report with this caller to see the prompt.
RESIDENT_ONCE = "ada.jones@example.com"
# A resident whose second report within six months is waiting for the review to be explained.
RESIDENT_TWICE = "07700900555"

PLACES = {
    "Bemerton Estate, Caledonian Road": (51.5405, -0.1175),
    "Highbury Corner": (51.5462, -0.1040),
    "Finsbury Park, Seven Sisters Road gate": (51.5646, -0.1060),
    "Nag's Head, Holloway Road": (51.5570, -0.1180),
    "Archway bus station": (51.5653, -0.1353),
    "Whittington Park": (51.5585, -0.1350),
    "Caledonian Park": (51.5470, -0.1240),
    "Angel, Chapel Market": (51.5340, -0.1090),
    "Elthorne Estate": (51.5660, -0.1290),
    "Packington Estate": (51.5360, -0.0960),
}
CATEGORIES = ["noise", "drug use", "youth gathering", "street drinking", "intimidation", "littering"]


def _shared_dir() -> Path:
    return Path(getattr(settings, "PROJECT_DIR", Path.cwd())).parent / "shared" / "data"


def _police_uk(partnership: Partnership) -> dict | None:
    path = _shared_dir() / POLICE_UK_FILE
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            if row.get("month") in POLICE_UK_MONTHS:
                writer.writerow(row)
    return reports_import_text(partnership=partnership, fmt="police-uk", text=out.getvalue()).as_dict()


def _partner_rows(today: dt.date) -> list[dict]:
    rng = random.Random(20260101)
    stamp = f"{today:%Y%m%d}"
    rows: list[dict] = []

    def add(
        days_ago: int,
        place: str,
        *,
        agency="Islington Council",
        kind="council",
        channel="asb_line",
        caller="",
        category=None,
        hour=None,
    ):
        day = today - dt.timedelta(days=days_ago)
        lat, lon = PLACES.get(place, (None, None))
        rows.append(
            {
                "agency_reference": f"DEMO-{stamp}-{len(rows) + 1}",
                "agency": agency,
                "agency_kind": kind,
                "channel": channel,
                "reported_at": f"{day:%Y-%m-%d}T{hour if hour is not None else rng.randrange(8, 23):02d}:"
                f"{rng.randrange(60):02d}:00",
                "occurred_on": f"{day:%Y-%m-%d}",
                "category": category or rng.choice(CATEGORIES),
                "location": place,
                "latitude": "" if lat is None else f"{lat:.5f}",
                "longitude": "" if lon is None else f"{lon:.5f}",
                "caller": caller,
                "hate": "false",
            }
        )

    # Continuing hotspot: a hotspot last week and this week.
    for days_ago in (0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16):
        add(
            days_ago,
            "Bemerton Estate, Caledonian Road",
            channel=rng.choice(["asb_line", "out_of_hours_line"]),
        )
    # New hotspot: all in the last week.
    for days_ago in (0, 1, 2, 2, 3, 5, 6, 6):
        add(days_ago, "Highbury Corner", agency="Metropolitan Police", kind="police", channel="police_101")
    # Closed: a hotspot last week (8 reports 8-19 days ago), not now.
    for days_ago in (8, 9, 10, 11, 15, 16, 17, 19):
        add(
            days_ago,
            "Finsbury Park, Seven Sisters Road gate",
            agency="Parkguard",
            kind="other",
            channel="patrol",
        )
    # Background reports across the borough over the last three months.
    quiet = [
        p
        for p in PLACES
        if p
        not in {
            "Bemerton Estate, Caledonian Road",
            "Highbury Corner",
            "Finsbury Park, Seven Sisters Road gate",
        }
    ]
    for _ in range(60):
        add(
            rng.randrange(0, 90),
            rng.choice(quiet),
            channel=rng.choice(["asb_line", "online", "out_of_hours_line"]),
        )
    # Repeat caller under the out-of-hours rule: 11 in three months, 3 in the last month.
    for days_ago in (2, 9, 20, 35, 40, 47, 52, 60, 66, 71, 80):
        add(
            days_ago,
            "Elthorne Estate",
            channel="out_of_hours_line",
            caller="07700900201",
            category="noise",
            hour=23,
        )
    # Repeat caller under the police rule: 21 reports to the police in the last month.
    for days_ago in range(21):
        add(
            days_ago,
            "Archway bus station",
            agency="Metropolitan Police",
            kind="police",
            channel="police_101",
            caller="07700900202",
            category="intimidation",
        )
    # Residents who have reported before.
    add(40, "12 Bemerton Street", caller=RESIDENT_ONCE, category="noise", channel="online")
    add(50, "Flat 3, Packington Estate", caller=RESIDENT_TWICE, category="intimidation")
    add(
        3,
        "Flat 3, Packington Estate",
        agency="Islington Homes",
        kind="housing",
        caller=RESIDENT_TWICE,
        category="intimidation",
        channel="asb_line",
    )
    return rows


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def load(stdout) -> None:
    partnership = Partnership.objects.filter(slug="islington").first()
    if partnership is None:
        return
    today = timezone.localdate()
    teams = {}
    for name, kind, agency_name in (
        ("Islington Homes tenancy team", TeamKind.HOUSING_PROVIDER, "Islington Homes"),
        ("Greenspace and parks", TeamKind.GREENSPACE, "Islington Council"),
        ("Parkguard patrols", TeamKind.PATROL, "Parkguard"),
        ("Noise service", TeamKind.NOISE, "Islington Council"),
    ):
        agency = Agency.objects.filter(partnership=partnership, name=agency_name).first()
        teams[kind], _ = Team.objects.get_or_create(
            partnership=partnership, name=name, defaults={"kind": kind, "agency": agency}
        )
    police = _police_uk(partnership)
    partner = reports_import_text(
        partnership=partnership, fmt="reports", text=_csv(_partner_rows(today))
    ).as_dict()
    # Pass the new reports to teams, as the ASB line does.
    fresh = Report.objects.filter(partnership=partnership, agency_reference__startswith="DEMO-", team=None)
    fresh.filter(category="noise").update(team=teams[TeamKind.NOISE], status=ReportStatus.ASSIGNED)
    fresh.filter(location__startswith="Finsbury Park").update(
        team=teams[TeamKind.PATROL], status=ReportStatus.ASSIGNED
    )
    fresh.filter(agency_kind="housing").update(
        team=teams[TeamKind.HOUSING_PROVIDER], status=ReportStatus.ASSIGNED
    )
    officer = User.objects.filter(username="is-csm").first()
    if officer is not None:
        for days_ago, location, kind, description, outcome in (
            (
                10,
                "Bemerton Estate, Caledonian Road",
                "eva",
                "Environmental visual audit with estate services",
                "Broken door entry and lighting reported for repair",
            ),
            (
                3,
                "Bemerton Estate, Caledonian Road",
                "patrol",
                "Joint police and Parkguard patrols at peak times",
                "Two ASB warnings issued",
            ),
            (
                2,
                "Finsbury Park, Seven Sisters Road gate",
                "enforcement",
                "Dispersal and weapon sweep",
                "Group dispersed; no weapons found",
            ),
        ):
            HotspotAction.objects.get_or_create(
                partnership=partnership,
                location=location,
                kind=kind,
                description=description,
                defaults={
                    "taken_on": today - dt.timedelta(days=days_ago),
                    "outcome": outcome,
                    "recorded_by": officer,
                },
            )
    summary = f"partner CSV {partner['imported']} new"
    if police is not None:
        summary += f", police.uk {police['imported']} new"
    stdout.write(f"ASB report log (islington): {summary}.")
