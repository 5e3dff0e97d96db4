"""The case's summary and its own pages (ADR 0093): the summary keeps what staff need at a glance,
the long histories and the other sections are on pages of their own, each reached through the
same access selector, logged as the case page is, and linked from the case's sub-navigation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.applications import case_sections
from casereview.applications.services import case_event_record
from casereview.applications.views import SUMMARY_TIMELINE, TIMELINE_PAGE_SIZE
from casereview.audit.models import AccessEvent


def _case_pages(reference: str) -> list[str]:
    return [
        reverse("applications:incidents", args=[reference]),
        reverse("applications:decisions", args=[reference]),
        reverse("applications:timeline", args=[reference]),
        *(
            reverse("applications:section", args=[reference, section.key])
            for section in case_sections.sections()
        ),
    ]


@pytest.mark.django_db
def test_every_page_of_the_case_is_linked_from_the_summary_and_logged_as_the_case_page_is(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    summary = client.get(reverse("applications:detail", args=[case.reference])).content.decode()
    assert 'aria-current="page">Summary</a>' in summary
    for url in _case_pages(case.reference):
        assert f'href="{url}"' in summary, url  # in the sub-navigation: nothing is unreachable
        before = AccessEvent.objects.filter(action="view", case_reference=case.reference, path=url).count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-current="page"' in response.content.decode(), url
        # The same access log row as the case page: a read of the case record, with its address.
        assert (
            AccessEvent.objects.filter(
                action="view", case_reference=case.reference, path=url, purpose="Case record"
            ).count()
            == before + 1
        ), url


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["is-csm", "wn-health"])
def test_a_user_who_may_not_see_the_case_gets_404_on_each_of_its_pages_and_the_refusal_is_logged(
    client, demo, case, username
):
    client.force_login(demo.user(username))
    for url in _case_pages(case.reference):
        denied = AccessEvent.objects.filter(action="denied", case_reference=case.reference).count()
        assert client.get(url).status_code == 404, url
        assert (
            AccessEvent.objects.filter(action="denied", case_reference=case.reference).count() == denied + 1
        )


@pytest.mark.django_db
def test_a_section_no_one_registered_is_404(client, demo, case):
    client.force_login(demo.user("wn-csm"))
    assert client.get(f"/cases/{case.reference}/no-such-section/").status_code == 404


def test_a_section_may_not_take_the_address_of_one_of_the_cases_own_pages():
    for key in ("timeline", "incidents", "decisions", "threshold"):
        with pytest.raises(ValueError):
            case_sections.register(key, title="X", template="x.html", context=lambda request, application: {})
    assert case_sections.section_get("timeline") is None


@pytest.mark.django_db
def test_the_summary_shows_the_latest_entries_and_the_timeline_pages_the_rest_in_the_database(
    client, demo, case
):
    csm = demo.user("wn-csm")
    notes = TIMELINE_PAGE_SIZE + 7
    for n in range(notes):
        case_event_record(application=case, kind="note_added", summary=f"Note {n:03d}", actor=csm)
    client.force_login(csm)

    def shown(html: str) -> set[int]:
        return {n for n in range(notes) if f">Note {n:03d}</h3>" in html}

    summary = client.get(reverse("applications:detail", args=[case.reference])).content.decode()
    assert shown(summary) == set(range(notes - SUMMARY_TIMELINE, notes))  # the latest few only

    url = reverse("applications:timeline", args=[case.reference])
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url).content.decode()
    # Read now: the next request empties the connection's log. (The safety banner's read of the
    # danger events is by kind; the timeline's is the one with the events' summaries.)
    reads = [q["sql"] for q in captured.captured_queries if '"applications_caseevent"."summary"' in q["sql"]]
    second = client.get(url + "?page=2").content.decode()
    # Newest first, a page at a time: the notes are newer than the case's own first events.
    assert shown(first) == set(range(notes - TIMELINE_PAGE_SIZE, notes))
    assert shown(second) == set(range(notes - TIMELINE_PAGE_SIZE))
    assert 'rel="next"' in first and 'rel="prev"' in second
    # Paged in the database: the events are read with a LIMIT, not all of them and cut in Python.
    assert len(reads) == 1 and f"LIMIT {TIMELINE_PAGE_SIZE}" in reads[0], reads
