"""Helpers for the public application's tests: walk the journey with Django's test client."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.accounts.models import Agency, Partnership

# Dates relative to a fixed "today" so the tests read the same every day.
TODAY = dt.date(2026, 3, 18)  # a Wednesday


@pytest.fixture
def areas(db):
    """The demo partnerships and their agencies (accounts.demo), without the demo's staff users:
    the public journey needs no staff, and hashing two dozen passwords makes every test slow."""
    from casereview.accounts.demo import PARTNERSHIPS

    for spec in PARTNERSHIPS:
        partnership = Partnership.objects.create(
            slug=spec["slug"], **{k: v for k, v in spec.items() if k not in {"slug", "agencies"}}
        )
        for name, kind in spec["agencies"]:
            Agency.objects.create(partnership=partnership, name=name, kind=kind)
    return Partnership.objects.order_by("name")


@pytest.fixture
def no_min_time(settings):
    settings.CASEREVIEW_APPLY_MIN_SECONDS = 0
    return settings


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC), tick=True)
    return TODAY


def follow_post(client, url: str, data: dict, *, expect: str | None = None):
    """POST a page and return where it sent us; fail loudly with the page's errors if it did not."""
    response = client.post(url, data)
    if response.status_code != 302:
        content = response.content.decode()
        start = content.find("govuk-error-summary")
        raise AssertionError(
            f"POST {url} did not redirect ({response.status_code}): {content[start : start + 800]}"
        )
    location = response["Location"]
    if expect is not None:
        assert location == expect, f"POST {url} went to {location}, expected {expect}"
    return location


def agency(slug: str, kind: str) -> Agency:
    return Agency.objects.filter(partnership__slug=slug, kind=kind).order_by("id").first()


def start(client) -> str:
    return follow_post(client, "/apply/", {})


VICTIM_ANSWERS = [
    ("/apply/danger/", {"in_danger": "no"}),
    ("/apply/area/", {"postcode": "nn1 1ed"}),
    ("/apply/what-to-look-at/", {"concerns": ["none"]}),
    ("/apply/who/", {"applicant_type": "self_individual"}),
    ("/apply/name/", {"full_name": "Jo Bloggs"}),
    (
        "/apply/address/",
        {
            "address_line_1": "1 High Street",
            "address_line_2": "",
            "town": "Northampton",
            "postcode": "NN1 1AA",
        },
    ),
    ("/apply/contact/", {"preferred": "email", "email": "jo@example.com", "phone": "", "mobile": ""}),
    (
        "/apply/contact-safely/",
        {"safe_times": "Weekdays after 6pm", "safety_notes": "Do not phone before 6pm."},
    ),
    ("/apply/needs/", {"formats": ["large_print"], "language": "", "other_needs": ""}),
]


def incident_answers(number: int, *, occurred: dt.date, reports: dict[str, dt.date], hostility=("no",)):
    """The pages of one incident. `reports` maps a reported_to key ("agency-<id>", "other") to a date."""
    pages = [
        (
            f"/apply/incidents/{number}/when/",
            {"occurred_day": occurred.day, "occurred_month": occurred.month, "occurred_year": occurred.year},
        ),
        (
            f"/apply/incidents/{number}/what/",
            {
                "description": f"Loud music and shouting, incident {number}",
                "location": "Outside 3 High Street",
            },
        ),
        (f"/apply/incidents/{number}/hostility/", {"hostility": list(hostility)}),
        (
            f"/apply/incidents/{number}/reported/",
            {
                "reported_to": list(reports) or ["none"],
                "other_name": "Victim Support" if "other" in reports else "",
            },
        ),
    ]
    if reports:
        data = {}
        for key, day in reports.items():
            data |= {
                f"{key}-reported_day": day.day,
                f"{key}-reported_month": day.month,
                f"{key}-reported_year": day.year,
                f"{key}-reference": f"REF-{number}-{key}",
            }
        pages.append((f"/apply/incidents/{number}/reports/", data))
    return pages


def walk(client, pages):
    for url, data in pages:
        follow_post(client, url, data)
