"""A person known to several agencies reports under several keys: `casereview repeat-callers`
counts each key as the partner sent it (contracts §7), and the repeat-callers page shows each person
with every key they reported under (issue 15)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from casereview.people import services
from casereview.people.models import IdentifierKind
from tests.reports.helpers import make_report

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 3, 14)


def _world(demo):
    islington = demo.partnership("islington")
    csm = demo.user("is-csm")
    police = demo.agency("islington", "police")
    by_police = [
        make_report(
            islington,
            day=AS_OF - dt.timedelta(days=i % 14),
            caller="CX-0042",
            channel="police_101",
            kind="police",
        )
        for i in range(20)
    ]
    by_phone = [
        make_report(islington, day=AS_OF - dt.timedelta(days=i), caller="07700 900555") for i in range(2)
    ]
    stranger = [
        make_report(
            islington,
            day=AS_OF - dt.timedelta(days=i % 14),
            caller="CX-0099",
            channel="police_101",
            kind="police",
        )
        for i in range(21)
    ]
    person = services.person_create(
        partnership=islington, data=services.PersonData(full_name="Rhiannon Price"), actor=csm
    )
    services.identifier_add(
        person=person, kind=IdentifierKind.PARTNER_KEY, value="CX-0042", agency=police, actor=csm
    )
    for report in by_police:
        services.report_resolve(report=report, actor=csm)
    services.report_link_confirm(report=by_phone[0], person=person, actor=csm)
    return {"person": person, "stranger": stranger}


def test_the_command_keeps_to_the_contract_and_the_page_joins_keys_into_the_person(client, demo):
    world = _world(demo)
    out = io.StringIO()
    call_command("repeat-callers", "--as-of", f"{AS_OF}", "--partnership", "islington", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"caller": "CX-0099", "rule": "police", "calls": 21},
        {"caller": "CX-0042", "rule": "police", "calls": 20},
    ]
    client.force_login(demo.user("is-csm"))
    page = client.get(f"/reports/repeat-callers/?as_of={AS_OF}").content.decode()
    assert "People among these callers" in page
    section = page.split("People among these callers", 1)[1]
    assert f'href="/people/{world["person"].pk}/"' in section and "Rhiannon Price" in section
    # Her two keys: the repeat caller (number 2 on the list, 20 calls) and the phone she also
    # reported under; the keys themselves are never shown.
    assert "Caller 2</a>: 20 calls" in section
    assert "Another key (not a repeat caller)" in section
    assert "CX-0042" not in page and "07700 900555" not in page and "CX-0099" not in page
    # The caller nobody has resolved is on the list but not among the people.
    assert "Caller 1</a>: 21" not in section


def test_only_people_the_user_may_open_are_joined(demo):
    from casereview.people.selectors import caller_people

    world = _world(demo)
    islington = demo.partnership("islington")
    keys = ["CX-0042", "CX-0099"]
    mine = caller_people(user=demo.user("is-csm"), partnership=islington, keys=keys)
    assert [(p.person_id, p.keys) for p in mine] == [(world["person"].pk, ["07700 900555", "CX-0042"])]
    # A user of another partnership opens no Islington profile: nothing is joined for them.
    assert caller_people(user=demo.user("wn-csm"), partnership=islington, keys=keys) == []
