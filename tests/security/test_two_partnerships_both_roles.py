"""A force area on one deployment (issue 20): an officer whose organisation works in two
partnerships, holding EVERY role in both, reaches nothing of one while working in the other — in
either direction — through any URL (pages, lists, searches, exports, the report log, people search,
actions, panels, letters).

tests/security/test_access_matrix.py's two-partnership test gives its officer roles in one
partnership only; here the roles are the same on both sides, so only the partnership worked in
keeps them apart (the case of a Northamptonshire Police officer working in North and West
Northamptonshire, both ways)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from casereview.accounts.models import Membership, Role, RoleGrant, User
from casereview.applications.models import Application, Case
from tests.security import url_inventory
from tests.security.test_access_matrix import _body, _clients, _fill, _working_in, _world

# The access log records this user's own refused attempts (the test makes them): the reference
# may appear there, nothing else of the case.
ACCESS_LOG_VIEWS = {"audit:search", "audit:export"}


def _marker_report(partnership, agency, location, actor):
    from casereview.reports.services import report_record

    return report_record(
        partnership=partnership,
        agency=agency,
        reported_at=dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC),
        location=location,
        category="Noise",
        actor=actor,
    )


def _without_echoes(body: str) -> str:
    """What the user typed, echoed back (in the search box, in the links of the pagination and the
    CSV downloads), is not the other partnership's data; nor is the public appeal page's example
    reference, which happens to be the same as West Northamptonshire's twelfth case's."""
    body = re.sub(r'value="[^"]*"', 'value=""', body)
    body = re.sub(r'href="([^"?]*)\?[^"]*"', r'href="\1?"', body)
    return body.replace("for example WN-2025-0012", "for example")


def _check_direction(routes, client, label, out_ids, out_reference, search, markers, failures):
    anonymous = Client()
    for route in routes:
        if route.parameters:
            combos = _fill(route, out_ids, [out_reference])
            if combos is None:
                continue
            for values in combos:
                url = route.build(values)
                response = client.get(url)
                body = _body(response) if response.status_code != 302 else ""
                if response.status_code not in (404, 405) or any(m in body for m in markers):
                    failures.append(f"{label} GET {url} → {response.status_code}")
                posted = client.post(url, {})
                if posted.status_code != 404:
                    failures.append(f"{label} POST {url} → {posted.status_code}")
                signed_out = anonymous.get(url)
                if signed_out.status_code not in (302, 404):
                    failures.append(f"signed out GET {url} → {signed_out.status_code}")
        elif route.view_name != "accounts:logout":
            url = route.build({})
            for query in ({"q": search}, {"q": out_reference, "reference": out_reference, "search": search}):
                response = client.get(url, query)
                body = _without_echoes(_body(response))
                shown = out_reference in body and route.view_name not in ACCESS_LOG_VIEWS
                if shown or any(m in body for m in markers):
                    failures.append(f"{label} GET {url}?{query} shows the other partnership's records")


@pytest.mark.django_db
def test_every_role_in_both_partnerships_still_reaches_nothing_across(demo):
    islington_case, wn_case, _withdrawn = _world(demo)
    wn, islington = demo.partnership("west-northamptonshire"), demo.partnership("islington")
    wn_police, is_police = demo.agency("west-northamptonshire", "police"), demo.agency("islington", "police")
    is_police.organisation = wn_police.organisation  # one force, working in both
    is_police.save()
    officer = User.objects.create_user(username="np-both", partnership=wn, agency=wn_police)
    Membership.objects.create(user=officer, partnership=islington, agency=is_police)
    for partnership in (wn, islington):
        for role in Role.values:
            RoleGrant.objects.create(user=officer, partnership=partnership, role=role)
    # A marked report in each partnership's log, to the shared force.
    _marker_report(wn, wn_police, "7 Quokkabridge Lane", demo.user("wn-csm"))
    _marker_report(islington, is_police, "9 Zebedee Yard", demo.user("is-csm"))

    routes = url_inventory.routes()
    ids = {
        # Every kind of case (a standing panel's meeting item included), as the matrix does.
        p.slug: list(Case.objects.filter(partnership=p).values_list("pk", flat=True))
        for p in (wn, islington)
    }
    failures: list[str] = []
    directions = [
        (wn, islington, islington_case, "Outofscope", ["Zebedee"]),
        (islington, wn, wn_case, "Sameareacase", ["Wren ", "Quokkabridge"]),
    ]
    for working, other, other_case, search, markers in directions:
        client = _clients([officer])["np-both"]
        _working_in(client, working)
        # Control: working here, their own partnership's case is reachable with these roles.
        own = Application.objects.filter(partnership=working).exclude(pk=other_case.pk).first()
        assert client.get(f"/cases/{own.reference}/").status_code == 200
        _check_direction(
            routes,
            client,
            f"np-both in {working.slug}",
            ids[other.slug],
            other_case.reference,
            search,
            markers,
            failures,
        )
    assert failures == [], f"{len(failures)} URL(s) reach across:\n" + "\n".join(failures[:60])
