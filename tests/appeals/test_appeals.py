"""Appeals (seed 004 §12): lodged by staff and online, late on fixed dates, decided by someone
senior who did not make the decision, the letter sent, and the case re-opened when upheld."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import expect

from casereview.accounts.models import Partnership
from casereview.appeals.models import Appeal, AppealStatus
from casereview.appeals.selectors import appeal_window_for
from casereview.appeals.services import appeal_decide, appeal_lodge
from casereview.applications.case_sections import render_sections
from casereview.applications.models import Status
from tests.conftest import assert_accessible
from tests.statistics import workflow as wf

D = dt.date
needs_letters = pytest.mark.skipif(
    not wf.letters_available(), reason="the letters app (appeal decision letter) has not landed on main yet"
)


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    settings.CASEREVIEW_APPEAL_MIN_SECONDS = 0


@pytest.fixture
def declined(demo):
    """A West Northamptonshire case declined on 15 April 2024, the not-met letter sent on 16 April."""
    wn = demo.partnership()
    return wf.decline(
        wf.received(wn, D(2024, 4, 1)), D(2024, 4, 15), demo.user("wn-csm"), letter_on=D(2024, 4, 16)
    )


def _lodge(application, on, actor, **extra):
    values = {
        "application": application,
        "decision_appealed": "threshold_not_met",
        "lodged_on": on,
        "channel": "phone",
        "grounds": ["insufficient_reasons"],
        "explanation": "The letter did not explain which reports were not counted.",
        "actor": actor,
    }
    return appeal_lodge(**{**values, **extra})


@pytest.mark.django_db
def test_staff_lodge_an_appeal_within_the_28_day_window(declined, demo):
    appeal = _lodge(declined, D(2024, 5, 14), demo.user("wn-csm"))  # 28 days from 16 April ends 14 May
    assert appeal.window_ends_on == D(2024, 5, 14)
    assert appeal.late is False
    assert appeal.grounds == ["insufficient_reasons"]
    assert appeal.heard_by == "West Northamptonshire Council"
    assert appeal.appellant_name == "Jo Bloggs"
    event = declined.events.get(kind="appeal_lodged")
    assert event.occurred_on == D(2024, 5, 14) and event.data["appeal"] == appeal.pk
    assert "Jo Bloggs" not in event.summary


@pytest.mark.django_db
def test_an_appeal_the_day_after_the_window_is_recorded_and_flagged_late(declined, demo):
    appeal = _lodge(declined, D(2024, 5, 15), demo.user("wn-csm"), late_explanation="I was in hospital.")
    assert appeal.late is True
    assert appeal.late_explanation == "I was in hospital."
    assert "after the appeal window ended on 14 May 2024" in declined.events.get(kind="appeal_lodged").summary


@pytest.mark.django_db
def test_a_working_day_window_skips_the_easter_and_may_bank_holidays(demo):
    preset = Partnership.__module__ and demo.partnership().policy_ref
    from importlib import resources

    text = resources.files("casereview.core.presets").joinpath(f"{preset}.toml").read_text("utf-8")
    text = re.sub(
        r"appeal_window\s*=\s*\{[^}]*\}",
        'appeal_window = { within = "10 working days", from = "letter_issued" }',
        text,
    )
    wn = demo.partnership()
    wn.policy_text = text
    wn.save()
    wn = Partnership.objects.get(pk=wn.pk)
    csm = demo.user("wn-csm")
    # Letter on Thursday 17 April 2025: Good Friday, Easter Monday and the May Day holiday (5 May)
    # are not working days, so the 10th working day is Tuesday 6 May.
    application = wf.decline(wf.received(wn, D(2025, 4, 1)), D(2025, 4, 16), csm, letter_on=D(2025, 4, 17))
    assert appeal_window_for(application, "threshold_not_met").ends_on == D(2025, 5, 6)
    on_time = _lodge(application, D(2025, 5, 6), csm)
    assert on_time.late is False
    on_time.delete()
    assert _lodge(application, D(2025, 5, 7), csm).late is True


@pytest.mark.django_db
def test_the_window_runs_from_the_latest_letter_of_that_decision(declined, demo):
    wf.letter(declined, "threshold_not_met", D(2024, 5, 1), demo.user("wn-csm"))  # a corrected letter
    assert appeal_window_for(declined, "threshold_not_met").ends_on == D(2024, 5, 29)


@pytest.mark.django_db
def test_lodging_needs_a_ground_and_an_explanation(declined, demo, unchanged_rows):
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"), grounds=[], explanation=" ")
    assert set(error.value.message_dict) == {"grounds", "explanation"}
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"), grounds=["facts_not_considered"])
    assert "grounds" in error.value.message_dict  # a ground for review outcomes only
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"), decision_appealed="review_outcome")
    assert "decision_appealed" in error.value.message_dict  # no panel has met
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_second_open_appeal_on_the_same_decision_is_refused(declined, demo, unchanged_rows):
    _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    with unchanged_rows(), pytest.raises(ValidationError):
        _lodge(declined, D(2024, 5, 2), demo.user("wn-csm"))


@pytest.mark.django_db
def test_an_agency_officer_cannot_lodge(declined, demo, unchanged_rows):
    with unchanged_rows(), pytest.raises(PermissionDenied):
        _lodge(declined, D(2024, 5, 1), demo.user("wn-police"))


@needs_letters
@pytest.mark.django_db
def test_upheld_on_a_threshold_decision_reopens_the_case_and_sends_the_letter(declined, demo):
    from casereview.letters.models import Letter

    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 5, 10),
        outcome="upheld",
        reasons="Two police reports were not counted.",
    )
    appeal.refresh_from_db()
    declined.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED and appeal.outcome == "upheld"
    assert declined.status == Status.ACCEPTED
    accepted = declined.events.get(kind="accepted")
    assert accepted.occurred_on == D(2024, 5, 10) and accepted.data == {
        "from": "declined",
        "to": "accepted",
        "appeal": appeal.pk,
    }
    assert declined.events.filter(kind="appeal_decided", data__outcome="upheld").count() == 1
    letter = Letter.objects.get(pk=appeal.decision_letter_id)
    assert letter.kind == "appeal_decision" and letter.case_id == declined.pk
    assert "Your appeal has been upheld." in letter.body_html
    assert "Two police reports were not counted." in letter.body_html
    assert "accepted for an ASB Case Review" in letter.body_html


@needs_letters
@pytest.mark.django_db
def test_not_upheld_leaves_the_case_declined(declined, demo):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 5, 10),
        outcome="not_upheld",
        reasons="The letter was clear.",
    )
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED
    assert not declined.events.filter(kind="accepted").exists()


@pytest.mark.django_db
def test_the_original_decision_maker_cannot_decide_the_appeal(demo, unchanged_rows):
    senior = demo.user("wn-senior")
    application = wf.decline(
        wf.received(demo.partnership(), D(2024, 4, 1)), D(2024, 4, 15), senior, letter_on=D(2024, 4, 16)
    )
    appeal = _lodge(application, D(2024, 5, 1), demo.user("wn-csm"))
    with unchanged_rows(), pytest.raises(ValidationError, match="another senior manager"):
        appeal_decide(appeal=appeal, actor=senior, decided_on=D(2024, 5, 10), outcome="upheld", reasons="x")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED


@pytest.mark.django_db
def test_only_a_senior_manager_decides(declined, demo, unchanged_rows):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    with unchanged_rows(), pytest.raises(PermissionDenied):
        appeal_decide(
            appeal=appeal, actor=demo.user("wn-csm"), decided_on=D(2024, 5, 10), outcome="upheld", reasons="x"
        )
    with unchanged_rows(), pytest.raises(PermissionDenied):
        appeal_decide(
            appeal=appeal,
            actor=demo.user("is-senior"),
            decided_on=D(2024, 5, 10),
            outcome="upheld",
            reasons="x",
        )


@needs_letters
@pytest.mark.django_db
def test_a_late_appeal_needs_a_decision_on_lateness_with_reasons(declined, demo, unchanged_rows):
    from casereview.letters.models import Letter

    appeal = _lodge(declined, D(2024, 6, 1), demo.user("wn-csm"))
    senior = demo.user("wn-senior")
    with unchanged_rows(), pytest.raises(ValidationError) as error:
        appeal_decide(appeal=appeal, actor=senior, decided_on=D(2024, 6, 5), outcome="upheld", reasons="x")
    assert "late_considered" in error.value.message_dict
    appeal_decide(
        appeal=appeal,
        actor=senior,
        decided_on=D(2024, 6, 5),
        late_considered=False,
        late_reasons="No reason was given for the delay.",
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.NOT_CONSIDERED and appeal.late_considered is False
    body = Letter.objects.get(pk=appeal.decision_letter_id).body_html
    assert "after the time allowed ended on 14 May 2024" in body
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED


@needs_letters
@pytest.mark.django_db
def test_a_late_appeal_considered_is_decided_on_its_merits(declined, demo):
    appeal = _lodge(declined, D(2024, 6, 1), demo.user("wn-csm"))
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 6, 5),
        late_considered=True,
        late_reasons="The victim was in hospital.",
        outcome="upheld",
        reasons="Reports were missed.",
    )
    declined.refresh_from_db()
    assert declined.status == Status.ACCEPTED


@needs_letters
@pytest.mark.django_db
def test_an_appeal_on_a_review_outcome_after_the_panel(demo):
    csm = demo.user("wn-csm")
    application = wf.panel(
        wf.accept(wf.received(demo.partnership(), D(2024, 4, 1)), D(2024, 4, 10), csm),
        D(2024, 5, 20),
        csm,
        outcome_letter_on=D(2024, 5, 28),
    )
    appeal = _lodge(
        application, D(2024, 6, 3), csm, decision_appealed="review_outcome", grounds=["facts_not_considered"]
    )
    assert appeal.window_ends_on == D(2024, 6, 25) and not appeal.late
    # csm recorded the panel: the original decision maker for this appeal is not the senior manager.
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 6, 10),
        outcome="upheld",
        reasons="The housing report was missed.",
    )
    application.refresh_from_db()
    assert application.status == Status.PANEL_HELD


# --- The pages --------------------------------------------------------------------------------------


def _date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.mark.django_db
def test_staff_record_an_appeal_through_the_page(declined, demo, client):
    client.force_login(demo.user("wn-spoc"))
    url = f"/appeals/case/{declined.reference}/new/"
    page = client.get(url)
    assert page.status_code == 200 and b"ends on 14 May 2024" in page.content
    response = client.post(url, {"decision_appealed": "threshold_not_met", "channel": "email", "grounds": []})
    assert response.status_code == 200
    assert b"Select at least one ground of appeal" in response.content
    assert b"govuk-error-summary" in response.content
    response = client.post(
        url,
        {
            "decision_appealed": "threshold_not_met",
            "channel": "email",
            "grounds": ["insufficient_reasons"],
            "explanation": "Not enough detail.",
            **_date_fields("lodged_on", D(2024, 5, 20)),
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appeals/{appeal.pk}/"
    assert appeal.late and appeal.channel == "email" and appeal.lodged_by == demo.user("wn-spoc")
    listing = client.get("/appeals/")
    assert declined.reference.encode() in listing.content and b"Late" in listing.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("31", "2", "2025", "The date the appeal was received must be a real date", ["day"]),
        ("1", "", "2025", "The date the appeal was received must include a month", ["month"]),
        ("1", "2", "25", "The year of the date the appeal was received must include 4 numbers", ["year"]),
        ("a", "2", "2025", "The date the appeal was received must be a real date", ["day"]),
        ("", "", "", "Enter the date the appeal was received", ["day", "month", "year"]),
    ],
)
def test_the_appeal_page_says_what_is_wrong_with_the_date_and_marks_those_boxes(
    declined, demo, client, day, month, year, message, marked
):
    client.force_login(demo.user("wn-spoc"))
    response = client.post(
        f"/appeals/case/{declined.reference}/new/",
        {"lodged_on_day": day, "lodged_on_month": month, "lodged_on_year": year},
    )
    page = response.content.decode()
    assert message in page
    for part in ("day", "month", "year"):
        box = re.search(rf'<input class="([^"]*)" id="id_lodged_on_{part}"', page)
        assert ("govuk-input--error" in box.group(1)) == (part in marked), part
    assert not Appeal.objects.exists()


@needs_letters
@pytest.mark.django_db
def test_deciding_through_the_page_asks_for_confirmation_first(declined, demo, client):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    client.force_login(demo.user("wn-senior"))
    data = {
        "decide-version": "1",
        "decide-outcome": "upheld",
        "decide-reasons": "Reports were missed.",
        **{f"decide-{k}": v for k, v in _date_fields("decided_on", D(2024, 5, 10)).items()},
    }
    assert b'name="decide-version" value="1"' in client.get(f"/appeals/{appeal.pk}/").content
    response = client.post(f"/appeals/{appeal.pk}/", data)
    assert b"Check the decision before you send it" in response.content
    assert b'name="decide-version" value="1"' in response.content  # the confirmation carries it on
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED  # nothing recorded yet
    response = client.post(f"/appeals/{appeal.pk}/", {**data, "confirmed": "yes"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld" and appeal.decided_by == demo.user("wn-senior")


@pytest.mark.django_db
def test_a_decision_confirmed_after_one_made_in_another_tab_is_refused_showing_it(
    declined, demo, client, unchanged_rows
):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    client.force_login(demo.user("wn-senior"))
    data = {
        "decide-version": "1",
        "decide-outcome": "upheld",
        "decide-reasons": "Reports were missed.",
        **{f"decide-{k}": v for k, v in _date_fields("decided_on", D(2024, 5, 10)).items()},
        "confirmed": "yes",
    }
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 5, 9),
        outcome="not_upheld",
        reasons="The threshold was applied correctly.",
        read_version=1,
    )
    letters = declined.letters.count()
    response = client.post(f"/appeals/{appeal.pk}/", data, follow=True)
    html = response.content.decode()
    assert "This appeal has already been decided: its decision is below." in html
    assert "The threshold was applied correctly." in html
    # Two confirmations at once both pass the page's check: the service, under the lock, refuses one.
    with unchanged_rows(), pytest.raises(ValidationError, match="Someone else changed this appeal"):
        appeal_decide(
            appeal=appeal,
            actor=demo.user("wn-senior"),
            decided_on=D(2024, 5, 10),
            outcome="upheld",
            reasons="Reports were missed.",
            read_version=1,
        )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decided_by) == ("not_upheld", demo.user("wn-senior"))
    assert declined.letters.count() == letters  # one decision letter, not two


@pytest.mark.django_db
def test_appeals_of_other_partnerships_and_agencies_are_not_found(declined, demo, client):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    client.force_login(demo.user("is-senior"))
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 404
    assert client.get(f"/appeals/case/{declined.reference}/new/").status_code == 404
    assert declined.reference.encode() not in client.get("/appeals/").content
    client.force_login(demo.user("wn-police"))
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 404
    assert client.get("/appeals/").status_code == 403


@pytest.mark.django_db
def test_the_case_page_section_shows_appeals_to_the_team_only(declined, demo):
    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    request = RequestFactory().get("/")
    request.user = demo.user("wn-csm")
    sections = {s["key"]: s["html"] for s in render_sections(request, declined)}
    assert f"/appeals/{appeal.pk}/" in sections["appeals"]
    assert "ended on" in sections["appeals"] or "ends on" in sections["appeals"]
    request.user = demo.user("wn-police")
    assert "appeals" not in {s["key"] for s in render_sections(request, declined)}


# --- Online ---------------------------------------------------------------------------------------------


def _strip(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


@pytest.mark.django_db
def test_online_a_wrong_detail_and_an_unknown_reference_get_the_same_answer(declined, client):
    client.get("/appeals/online/")
    wrong_detail = client.post("/appeals/online/", {"reference": declined.reference, "detail": "NN9 9ZZ"})
    client.get("/appeals/online/")
    unknown = client.post("/appeals/online/", {"reference": "WN-2024-9999", "detail": "NN9 9ZZ"})
    assert wrong_detail.status_code == unknown.status_code == 200
    # The same page, but for the reference typed (a form keeps what the user typed).
    assert _strip(wrong_detail.content).replace(declined.reference, "REF") == _strip(unknown.content).replace(
        "WN-2024-9999", "REF"
    )
    assert b"We could not find a case" in unknown.content
    assert declined.reference.encode() not in unknown.content.replace(b"WN-2024-9999", b"")


@pytest.mark.django_db
def test_online_appeal_with_reference_and_postcode(declined, client):
    client.get("/appeals/online/")
    response = client.post("/appeals/online/", {"reference": declined.reference.lower(), "detail": "nn1 1aa"})
    assert response.status_code == 302 and response["Location"] == "/appeals/online/your-appeal/"
    page = client.get("/appeals/online/your-appeal/")
    assert b"The time to appeal ended on 14 May 2024" in page.content  # today is long after
    assert b"Jo Bloggs" not in page.content and b"High Street" not in page.content
    response = client.post(
        "/appeals/online/your-appeal/",
        {
            "grounds": ["insufficient_reasons"],
            "explanation": "Nobody told me why.",
            "late_explanation": "I was away.",
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == "online" and appeal.lodged_by is None and appeal.late
    assert appeal.late_explanation == "I was away."
    sent = client.get("/appeals/online/sent/")
    assert declined.reference.encode() in sent.content
    # The verification is used up: going back does not lodge a second appeal.
    assert client.get("/appeals/online/your-appeal/")["Location"] == "/appeals/online/"


@pytest.mark.django_db
def test_online_the_email_address_also_works(declined, client):
    client.get("/appeals/online/")
    response = client.post(
        "/appeals/online/", {"reference": declined.reference, "detail": " JO@example.com "}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_online_the_honeypot_and_speed_are_refused_quietly(declined, client, settings):
    client.get("/appeals/online/")
    response = client.post(
        "/appeals/online/",
        {"reference": declined.reference, "detail": "NN1 1AA", "leave_blank_extra": "spam"},
    )
    assert response.status_code == 200 and b"We could not find a case" in response.content
    settings.CASEREVIEW_APPEAL_MIN_SECONDS = 60
    client.get("/appeals/online/")
    response = client.post("/appeals/online/", {"reference": declined.reference, "detail": "NN1 1AA"})
    assert response.status_code == 200 and b"We could not find a case" in response.content
    assert not Appeal.objects.exists()


def _guess(client, reference, detail):
    client.get("/appeals/online/")
    return client.post("/appeals/online/", {"reference": reference, "detail": detail})


@pytest.mark.django_db
def test_online_repeated_guesses_are_stopped_for_every_worker_for_an_hour(declined, demo):
    """The limit is in the database: a fresh session (another browser, or the same one reaching
    another web worker), with the per-process cache emptied, is still refused on that reference."""
    from django.core.cache import cache
    from django.test import Client

    from casereview.appeals.models import AppealLookupFailure

    guesser = Client()
    for _ in range(4):
        assert b"We could not find a case" in _guess(guesser, declined.reference, "NN9 9ZZ").content
    # Four failures: the right detail still gets through.
    assert _guess(Client(), declined.reference, "NN1 1AA").status_code == 302
    _guess(guesser, declined.reference, "NN9 9ZZ")  # the fifth failure

    cache.clear()
    refused = _guess(Client(), declined.reference, "NN1 1AA")
    assert refused.status_code == 200 and b"We could not find a case" in refused.content
    # Only a hash of the reference is kept, never the reference or the detail typed.
    keys = set(AppealLookupFailure.objects.values_list("reference_key", flat=True))
    assert len(keys) == 1 and declined.reference not in next(iter(keys))
    # Another reference is not affected.
    other = wf.decline(
        wf.received(demo.partnership(), D(2024, 4, 2)),
        D(2024, 4, 15),
        demo.user("wn-csm"),
        letter_on=D(2024, 4, 16),
    )
    assert _guess(Client(), other.reference, "NN1 1AA").status_code == 302

    # An hour after those failures the reference can be tried again.
    AppealLookupFailure.objects.update(failed_at=timezone.now() - dt.timedelta(hours=1, seconds=1))
    assert _guess(Client(), declined.reference, "NN1 1AA").status_code == 302


@pytest.mark.django_db
def test_a_new_failure_clears_every_expired_failure(declined):
    from casereview.appeals.models import AppealLookupFailure
    from casereview.appeals.services import appeal_lookup_failure_record

    now = timezone.now()
    for hours in (3, 2):
        appeal_lookup_failure_record(reference=declined.reference, now=now - dt.timedelta(hours=hours))
    appeal_lookup_failure_record(reference="WN-2099-0001", now=now - dt.timedelta(hours=3))
    appeal_lookup_failure_record(reference=declined.reference, now=now)
    assert AppealLookupFailure.objects.count() == 1  # only the new row: nothing else still counts


@pytest.mark.django_db
def test_ten_failures_in_one_session_stop_that_session_whatever_the_references(declined, client):
    for n in range(10):
        _guess(client, f"WN-2099-{n:04d}", "NN9 9ZZ")
    response = _guess(client, declined.reference, "NN1 1AA")
    assert response.status_code == 200 and b"We could not find a case" in response.content


@pytest.mark.django_db
def test_online_a_case_with_no_decision_to_appeal_says_so(demo, client):
    application = wf.received(demo.partnership(), D(2024, 4, 1))
    client.get("/appeals/online/")
    client.post("/appeals/online/", {"reference": application.reference, "detail": "NN1 1AA"})
    assert b"There is no decision to appeal yet" in client.get("/appeals/online/your-appeal/").content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lodging_an_appeal_online_in_chromium(page, demo, settings):
    settings.CASEREVIEW_APPEAL_MIN_SECONDS = 0
    application = wf.decline(
        wf.received(demo.partnership(), D(2024, 4, 1)),
        D(2024, 4, 15),
        demo.user("wn-csm"),
        letter_on=D(2024, 4, 16),
    )
    page.goto("/appeals/online/")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your case reference").fill(application.reference)
    page.get_by_label("The postcode or email address you gave us when you applied").fill("NN1 1AA")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/appeals/online/your-appeal/")
    assert_accessible(page)
    page.get_by_label("The decision did not give enough detail").check()
    page.get_by_label("Why should the decision be looked at again?").fill(
        "Nobody told me which reports were missed."
    )
    page.get_by_role("button", name="Send your appeal").click()
    page.wait_for_url("**/appeals/online/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Appeal sent"
    assert_accessible(page)
    assert Appeal.objects.get().application_id == application.pk


@pytest.mark.django_db
def test_the_case_page_shows_the_appeals_and_repeats_sections(declined, demo, client):
    client.force_login(demo.user("wn-csm"))
    # Each on the case's page for it (ADR 0093), linked from the case page.
    summary = client.get(f"/cases/{declined.reference}/").content.decode()
    assert f'href="/cases/{declined.reference}/appeals/"' in summary
    assert f'href="/cases/{declined.reference}/repeats/"' in summary
    html = client.get(f"/cases/{declined.reference}/appeals/").content.decode()
    assert 'id="section-appeals"' in html and f"/appeals/case/{declined.reference}/new/" in html
    html = client.get(f"/cases/{declined.reference}/repeats/").content.decode()
    assert 'id="section-repeats"' in html and "Nothing to show here" not in html


@needs_letters
@pytest.mark.django_db
def test_an_issued_appeal_decision_letter_is_corrected_from_the_letter(declined, demo, client):
    """The letters app builds the corrected letter from the decided appeal as recorded
    (appeals.services.appeal_decision_letter_extra), so the reasons are the same as decided."""
    from django.urls import reverse

    from casereview.letters.models import Letter

    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    appeal_decide(
        appeal=appeal,
        actor=demo.user("wn-senior"),
        decided_on=D(2024, 5, 10),
        outcome="not_upheld",
        reasons="The letter was clear.",
    )
    appeal.refresh_from_db()
    first = Letter.objects.get(pk=appeal.decision_letter_id)
    client.force_login(demo.user("wn-csm"))
    page = client.get(reverse("letters:correct", args=[first.pk])).content.decode()
    assert "Issue corrected letter" in page and "The letter was clear." in page
    client.post(reverse("letters:correct", args=[first.pk]), {"reason": "Sent to the wrong address"})
    corrected = Letter.objects.get(supersedes=first)
    assert corrected.kind == "appeal_decision"
    # Built again from the same records: the same result and reasons (signed by whoever corrects it).
    for text in ("Your appeal has not been upheld.", "The letter was clear."):
        assert text in first.body_html and text in corrected.body_html


@needs_letters
@pytest.mark.django_db
def test_the_head_of_service_decides_an_appeal_through_the_pages_and_the_letter_is_sent(
    declined, demo, client
):
    """The Head of Service decides appeals (APPEAL_DECIDER_ROLES); the decision letter is theirs to
    issue too, so the journey ends with the letter issued and dispatched, not a refusal."""
    from casereview.letters.models import Letter

    appeal = _lodge(declined, D(2024, 5, 1), demo.user("wn-csm"))
    hos = demo.user("wn-hos")
    client.force_login(hos)
    page = client.get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 200 and b'name="decide-outcome"' in page.content
    data = {
        "decide-version": "1",
        "decide-outcome": "not_upheld",
        "decide-reasons": "Every report was counted and the reasons were given.",
        **{f"decide-{k}": v for k, v in _date_fields("decided_on", D(2024, 5, 10)).items()},
    }
    assert b"Check the decision before you send it" in client.post(f"/appeals/{appeal.pk}/", data).content
    response = client.post(f"/appeals/{appeal.pk}/", {**data, "confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert b"Appeal decided and the decision letter sent." in response.content
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DECIDED and appeal.decided_by == hos
    letter = Letter.objects.get(pk=appeal.decision_letter_id)
    assert letter.kind == "appeal_decision" and letter.issued_by == hos
    assert letter.dispatches.count() >= 1  # it goes to its person, not only onto the file
    assert declined.events.filter(kind="letter_issued", data__letter_kind="appeal_decision").count() == 1
    # The Head of Service may correct the letter they sent; still no other letters.
    assert client.get(f"/letters/{letter.pk}/correct/").status_code == 200
    assert client.get(f"/letters/case/{declined.reference}/preview/?kind=acknowledgement").status_code == 404
