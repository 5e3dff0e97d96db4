"""The notices page, the unread count for the layout, and the staff tasks pages."""

import pytest
from django.test import RequestFactory

from casereview.notifications.context_processors import notices as notices_context
from casereview.notifications.models import Notice
from casereview.notifications.services import notice_create, victim_notify
from tests.actions.helpers import case_with_spoc


@pytest.mark.django_db
def test_notices_page_lists_only_my_notices_and_marks_them_read(client, demo):
    me, other = demo.user("wn-police"), demo.user("wn-housing")
    mine = notice_create(recipient=me, text="Action on WN-2026-0001 is 3 days overdue", url="/actions/1/")
    theirs = notice_create(recipient=other, text="Something for housing", url="/actions/2/")
    client.force_login(me)
    page = client.get("/notices/").content.decode()
    assert "Action on WN-2026-0001 is 3 days overdue" in page
    assert "Something for housing" not in page
    assert "You have 1 unread notice." in page

    opened = client.get(f"/notices/{mine.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/actions/1/"
    mine.refresh_from_db()
    assert mine.is_read
    assert client.get(f"/notices/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


@pytest.mark.django_db
def test_mark_all_read_and_the_unread_count_for_the_layout(client, demo):
    me = demo.user("wn-spoc")
    for n in range(3):
        notice_create(recipient=me, text=f"Notice {n}", url="/cases/")
    request = RequestFactory().get("/")
    request.user = me
    assert notices_context(request) == {"unread_notice_count": 3}
    client.force_login(me)
    assert client.get("/notices/read/").status_code == 405  # a change needs a POST
    client.post("/notices/read/")
    request = RequestFactory().get("/")  # the next page: the count is read once a request
    request.user = me
    assert notices_context(request) == {"unread_notice_count": 0}
    assert Notice.objects.filter(recipient=me, read_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_notice_never_redirects_off_site(client, demo):
    me = demo.user("wn-spoc")
    notice = notice_create(recipient=me, text="Odd", url="https://evil.example/")
    client.force_login(me)
    assert client.get(f"/notices/{notice.pk}/")["Location"] == "/notices/"


@pytest.mark.django_db
def test_empty_notices_page(client, demo):
    client.force_login(demo.user("wn-analyst"))
    assert "Nothing yet." in client.get("/notices/").content.decode()


@pytest.mark.django_db
def test_letter_tasks_are_for_case_staff_only_and_recorded_when_sent(client, demo):
    application = case_with_spoc(demo)
    application.victim.preferred_contact = "letter"
    application.victim.format_needs = "Large print"
    application.victim.save()
    message = victim_notify(case=application, purpose="review_update", subject="Update", body="Dear Jo")

    client.force_login(demo.user("wn-police"))  # an agency officer: no access to victims' messages
    assert client.get(f"/notices/tasks/{message.pk}/").status_code == 404
    client.force_login(demo.user("is-spoc"))  # another partnership
    assert client.get(f"/notices/tasks/{message.pk}/").status_code == 404

    client.force_login(demo.user("wn-spoc"))
    listing = client.get("/notices/tasks/").content.decode()
    assert application.reference in listing
    detail = client.get(f"/notices/tasks/{message.pk}/").content.decode()
    assert "Dear Jo" in detail and "Large print" in detail
    assert client.post(f"/notices/tasks/{message.pk}/", {}).status_code == 400  # must tick the box
    client.post(f"/notices/tasks/{message.pk}/", {"confirm": "yes"})
    message.refresh_from_db()
    assert message.status == "done_by_staff"
    assert "There are no messages waiting for staff." in client.get("/notices/tasks/").content.decode()


@pytest.mark.django_db
def test_notices_need_sign_in(client):
    assert client.get("/notices/").status_code == 302
