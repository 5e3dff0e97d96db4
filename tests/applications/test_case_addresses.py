"""Old addresses keep working (issue 15, ADR 0048): after the case kernel, every address the demo's
review cases are reached at — `/cases/{ref}/…` and `/letters/case/{ref}/…`, as letters and partners
quote them — still answers, found by walking the links each case page gives."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from casereview.applications import services as s
from casereview.applications.kinds import register_case_kind, unregister_case_kind
from casereview.applications.models import Application
from casereview.core.case_kinds import CaseKindTable

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/(?:cases|letters/case)/[^"?#]+)"')


def _walk(client, reference: str) -> dict[str, int]:
    """Every /cases/{ref}/… and /letters/case/{ref}/… link on the case's pages, with its answer."""
    seen: dict[str, int] = {}
    queue = [f"/cases/{reference}/", f"/letters/case/{reference}/"]
    while queue:
        url = queue.pop()
        if url in seen or reference not in url:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue += [href for href in HREF.findall(response.content.decode()) if href not in seen]
    return seen


def test_every_address_of_every_demo_case_still_answers(client, demo):
    call_command("demo", stdout=io.StringIO())
    client.force_login(demo.user("wn-csm"))
    cases = Application.objects.filter(partnership__slug="west-northamptonshire")
    assert cases.count() >= 6
    walked = 0
    for reference in cases.values_list("reference", flat=True):
        answers = _walk(client, reference)
        assert answers[f"/cases/{reference}/"] == 200
        assert answers[f"/letters/case/{reference}/"] == 200
        # A page may send a form that no longer applies back to the case (302); none is missing.
        broken = {url: code for url, code in answers.items() if code not in (200, 302)}
        assert broken == {}, f"{reference}: addresses that no longer answer: {broken}"
        walked += len(answers)
    assert walked > 6 * 2


def test_a_case_of_another_kind_is_not_shown_as_a_review(client, demo):
    """`/cases/{ref}/` stays the review's page: a case of another kind is not a review (404)."""
    kind = CaseKindTable(
        kind="test_other",
        label="Other",
        statuses={"open": "Open"},
        open_statuses=frozenset({"open"}),
        transitions={},
        initial_status="open",
    )
    register_case_kind(kind)
    try:
        other = s.case_open(
            partnership=demo.partnership(), kind="test_other", received_on=dt.date(2025, 5, 1), actor=None
        )
        client.force_login(demo.user("wn-csm"))
        assert client.get(f"/cases/{other.reference}/").status_code == 404
    finally:
        unregister_case_kind("test_other")
