"""Every closed case of every kind on the retention schedule (ADR 0095): a standing panel's case
(kind "panel:<code>", Community MARAC here) closed with the panel's agreement is kept for the case
period from the day it closed, then planned with its reason and due date and disposed of entirely —
the referral, its meeting items and shares, actions, timeline, parties and the people only it held —
in one transaction, in the deletion log and the disposal register, the access log scrubbed; one not
yet due, one under a legal hold and an open one stay."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from casereview.actions.models import Action
from casereview.applications.models import ApplicationAgency, Case, CaseEvent, CaseParty, Person
from casereview.applications.selectors import case_get_for_user
from casereview.audit.models import AccessEvent
from casereview.audit.services import access_event_record
from casereview.privacy import retention
from casereview.privacy.checks import case_kinds_retention_check
from casereview.privacy.models import DeletionRecord, Disposal
from casereview.privacy.services import legal_hold_lift, legal_hold_place
from casereview.referrals import meetings
from casereview.referrals.models import AgencyShare, MeetingItem, Referral
from tests.referrals.conftest import MEETING_ON, agency, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


@pytest.fixture
def cmarac(islington):
    return islington.policy.panel_kind("cmarac")


# Closed at the meeting of 12 May 2026: six years on is 12 May 2032.
DUE_ON = dt.date(2032, 5, 12)
REASON = (
    "Closed on 12 May 2026; kept 6 years from closure (the case period: Limitation Act 1980), "
    "so due on 12 May 2032"
)


def _heard(demo, islington, cmarac, *, close=(), on=MEETING_ON):
    """A meeting on `on` hearing every case on its agenda, each with what housing shared, a
    discussion, a risk and an action; the panel agrees to close the cases of the people named in
    `close`, which are then closed that day (`panel_case_close`)."""
    csm = demo.user("is-csm")
    meeting = meetings.meeting_schedule(partnership=islington, kind=cmarac, meeting_on=on, actor=csm)
    meetings.attendance_record(
        meeting=meeting,
        present={agency(islington, "council"): "C. Morgan", agency(islington, "housing"): "H. Lewis"},
        apologies=[],
        actor=csm,
        version=meeting.version,
    )
    items = list(meeting.items.select_related("referral__person", "referral__agency"))
    for item in items:
        name = item.referral.person.full_name
        meetings.agency_share_add(item=item, text=f"Housing visited {name}.", actor=demo.user("is-housing"))
        meetings.item_record(
            item=item,
            discussion=f"{name}: support worker agreed.",
            risk_answers={"harm_to_self": True},
            next_review_on=None if name in close else on + dt.timedelta(days=28),
            close_agreed=name in close,
            close_reason="risk_reduced" if name in close else "",
            actor=csm,
        )
        meetings.item_action_add(
            item=item,
            description=f"Visit {name} and report back.",
            owner_agency=item.referral.agency,
            due_on=on + dt.timedelta(days=14),
            actor=csm,
        )
    meeting.refresh_from_db()
    meetings.meeting_hold(meeting=meeting, actor=csm, version=meeting.version)
    for item in items:
        if item.referral.person.full_name in close:
            referral = Referral.objects.get(pk=item.referral_id)
            meetings.panel_case_close(referral=referral, actor=csm, version=referral.case.version, today=on)


def _due(referral, *, today=DUE_ON):
    found = [row for row in retention.plan(today=today) if row.application.pk == referral.case_id]
    return found[0] if found else None


TABLES = {
    "applications.Case": Case,
    "applications.CaseEvent": CaseEvent,
    "applications.CaseParty": CaseParty,
    "applications.ApplicationAgency": ApplicationAgency,
    "applications.Person": Person,
    "actions.Action": Action,
    "referrals.Referral": Referral,
    "referrals.MeetingItem": MeetingItem,
    "referrals.AgencyShare": AgencyShare,
}


def _table_counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in TABLES.items()}


def _rows_of(case_id: int, person_ids) -> dict[str, int]:
    """The rows of each table that belong to one panel case."""
    return {
        "applications.Case": Case.objects.filter(pk=case_id).count(),
        "applications.CaseEvent": CaseEvent.objects.filter(application_id=case_id).count(),
        "applications.CaseParty": CaseParty.objects.filter(case_id=case_id).count(),
        "applications.ApplicationAgency": ApplicationAgency.objects.filter(application_id=case_id).count(),
        "applications.Person": Person.objects.filter(pk__in=person_ids).count(),
        "actions.Action": Action.objects.filter(case_id=case_id).count(),
        "referrals.Referral": Referral.objects.filter(case_id=case_id).count(),
        "referrals.MeetingItem": MeetingItem.objects.filter(case_id=case_id).count(),
        "referrals.AgencyShare": AgencyShare.objects.filter(item__case_id=case_id).count(),
    }


def test_a_closed_panel_case_past_its_period_is_planned_and_disposed_of_entirely(
    demo, islington, cmarac, django_capture_on_commit_callbacks
):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    sam = refer(demo, islington, cmarac, name="Sam Smith")
    _heard(demo, islington, cmarac, close={"Jo Bloggs"})
    case_get_for_user(demo.user("is-csm"), jo.case.reference, purpose="Preparing the panel")
    search = access_event_record(
        action="search", user=demo.user("is-csm"), details={"query": {"q": "Jo Bloggs"}}
    )

    # Due on the day six years after it closed, with the rule and the panel's name.
    assert _due(jo, today=DUE_ON - dt.timedelta(days=1)) is None
    due = _due(jo)
    jo.refresh_from_db()
    assert (
        (due.closed_on, due.due_on, due.held) == (jo.closed_on, DUE_ON, False) == (MEETING_ON, DUE_ON, False)
    )
    assert (due.kind_words, due.record_kind, due.reason) == ("Community MARAC", "panel_case", REASON)
    assert _due(sam) is None  # still open
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", DUE_ON.isoformat(), stdout=out)
    assert f"DELETE             {jo.case.reference:<14} Community MARAC: {REASON}" in out.getvalue()
    assert sam.case.reference not in out.getvalue()

    # Disposed of: every row of the case gone, and nothing else.
    jo_people = sorted(CaseParty.objects.filter(case_id=jo.case_id).values_list("person_id", flat=True))
    jo_rows, sam_rows = _rows_of(jo.case_id, jo_people), _rows_of(sam.case_id, [])
    assert all(count > 0 for count in jo_rows.values()), jo_rows
    before = _table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        retention.dispose(due)
    assert _table_counts() == {label: before[label] - jo_rows[label] for label in TABLES}
    assert set(_rows_of(jo.case_id, jo_people).values()) == {0}
    assert _rows_of(sam.case_id, []) == sam_rows

    disposal = Disposal.objects.get(case_reference=jo.case.reference)
    assert (disposal.record_kind, disposal.rule, disposal.closed_on) == ("panel_case", REASON, MEETING_ON)
    logged = {r.model_label: r.object_pks for r in DeletionRecord.objects.all()}
    assert logged["applications.case"] == [jo.case_id]
    assert logged["referrals.referral"] == [jo.pk]
    assert logged["applications.person"] == jo_people
    read = AccessEvent.objects.get(case_reference=jo.case.reference, action="view")
    assert read.purpose == "" and read.scrubbed_at is not None
    search.refresh_from_db()
    assert search.details == {} and search.scrubbed_at is not None
    assert not AccessEvent.objects.filter(details__icontains="Jo Bloggs").exists()


def test_a_panel_case_closed_later_is_not_planned_until_its_own_period_ends(demo, islington, cmarac):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    sam = refer(demo, islington, cmarac, name="Sam Smith")
    _heard(demo, islington, cmarac, close={"Jo Bloggs"})
    later = MEETING_ON + dt.timedelta(days=28)  # 9 June 2026
    _heard(demo, islington, cmarac, close={"Sam Smith"}, on=later)
    assert _due(jo) is not None
    assert _due(sam) is None
    assert _due(sam, today=dt.date(2032, 6, 8)) is None
    assert _due(sam, today=dt.date(2032, 6, 9)).closed_on == later


def test_a_re_opened_panel_case_counts_from_its_last_closing(demo, islington, cmarac):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    _heard(demo, islington, cmarac, close={"Jo Bloggs"})
    later = MEETING_ON + dt.timedelta(days=28)
    jo.refresh_from_db()
    meetings.panel_case_reopen(
        referral=jo,
        reason="New reports of harassment.",
        next_review_on=later,
        actor=demo.user("is-csm"),
        version=jo.case.version,
    )
    assert _due(jo, today=dt.date(2060, 1, 1)) is None  # open again
    _heard(demo, islington, cmarac, close={"Jo Bloggs"}, on=later)
    assert _due(jo) is None
    assert _due(jo, today=dt.date(2032, 6, 9)).closed_on == later


def test_a_panel_case_under_a_legal_hold_is_kept_and_its_disposal_refused(
    demo, islington, cmarac, unchanged_rows
):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    _heard(demo, islington, cmarac, close={"Jo Bloggs"})
    hold = legal_hold_place(
        application=jo.case, reason="A claim about the panel's actions", actor=demo.user("is-dpo")
    )
    due = _due(jo)
    assert due.held and due.reason == REASON + " — but a legal hold stops it"
    out = io.StringIO()
    call_command("retention", "--dry-run", "--as-of", DUE_ON.isoformat(), stdout=out)
    assert f"KEEP (legal hold)  {jo.case.reference:<14} Community MARAC:" in out.getvalue()
    with unchanged_rows(), pytest.raises(ValueError, match="legal hold"):
        retention.dispose(due)
    outcomes = {
        row.application.pk: outcome for row, outcome in retention.run(today=DUE_ON, partnership=islington)
    }
    assert outcomes[jo.case_id] == "kept: legal hold"
    assert Case.objects.filter(pk=jo.case_id).exists()

    legal_hold_lift(hold=hold, reason="The claim is settled", actor=demo.user("is-dpo"))
    retention.dispose(_due(jo))
    assert not Case.objects.filter(pk=jo.case_id).exists()


def test_an_open_panel_case_is_never_planned(demo, islington, cmarac):
    heard = refer(demo, islington, cmarac, name="Jo Bloggs")
    _heard(demo, islington, cmarac)  # heard: open, reviewed at each meeting
    waiting = refer(demo, islington, cmarac, name="Sam Smith", on=MEETING_ON + dt.timedelta(days=1))
    heard.case.refresh_from_db()
    waiting.case.refresh_from_db()
    assert (heard.case.status, waiting.case.status) == ("open", "referred")
    assert _due(heard, today=dt.date(2060, 1, 1)) is None
    assert _due(waiting, today=dt.date(2060, 1, 1)) is None


def test_the_dpos_retention_page_lists_a_panel_case_with_its_kind_in_words(demo, islington, cmarac, client):
    jo = refer(demo, islington, cmarac, name="Jo Bloggs")
    _heard(demo, islington, cmarac, close={"Jo Bloggs"})
    with time_machine.travel(dt.datetime(2032, 5, 12, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(demo.user("is-dpo"))
        page = client.get("/data-protection/retention/").content.decode()
    assert jo.case.reference in page
    assert '<td class="govuk-table__cell">Community MARAC</td>' in page
    assert REASON in page


def test_every_kind_of_case_has_a_retention_rule():
    assert retention.kinds_without_retention() == []
    assert case_kinds_retention_check(None) == []
    assert retention.case_kind_retention("panel:cuckooing").schedule_key == "panel_case"
    assert retention.case_kind_retention("intervention").own_schedule == "interventions"


def test_a_panel_case_is_kept_for_the_case_period_unless_given_its_own(settings):
    settings.CASEREVIEW_RETENTION_SCHEDULE = {"case": 7}
    assert retention.schedule()["panel_case"]["years"] == 7
    settings.CASEREVIEW_RETENTION_SCHEDULE = {"case": 7, "panel_case": 10}
    assert retention.schedule()["panel_case"]["years"] == 10
