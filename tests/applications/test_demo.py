import io

import pytest
from django.utils import timezone

from casereview.applications import demo as applications_demo
from casereview.applications.models import Application, Status
from casereview.applications.selectors import case_rows, clock_counts_for_user


@pytest.mark.django_db
def test_demo_cases_cover_every_state_and_load_once(demo):
    applications_demo.load(io.StringIO())
    counts = Application.objects.count()
    applications_demo.load(io.StringIO())
    assert Application.objects.count() == counts == 2 * len(applications_demo.CASES)
    for slug in ("west-northamptonshire", "islington"):
        cases = Application.objects.filter(partnership__slug=slug)
        assert set(cases.values_list("status", flat=True)) == {
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.AWAITING_CONSENT,
            Status.DECLINED,
            Status.ACCEPTED,
            Status.WITHDRAWN,
        }
        declined = cases.get(status=Status.DECLINED)
        assert declined.decisions.get().engine_outcome == "not_met"
        assert cases.filter(decisions__discretionary=True, status=Status.ACCEPTED).exists()
        assert cases.get(status=Status.AWAITING_CONSENT).is_third_party
        # one incident reported to two agencies, one to an "other" organisation
        mixed = cases.get(victim__full_name="Aisha Rahman")
        assert (
            mixed.incidents.filter(reports__agency_kind="police")
            .filter(reports__agency_kind="housing")
            .exists()
        )
        assert mixed.incidents.filter(reports__agency_kind="other").exists()


@pytest.mark.django_db
def test_demo_clocks_show_something_overdue_for_staff(demo):
    applications_demo.load(io.StringIO())
    today = timezone.localdate()
    counts = clock_counts_for_user(demo.user("wn-csm"), today=today)
    assert counts["overdue"] >= 1
    rows = case_rows(Application.objects.filter(victim__full_name="Margaret Okonkwo"), today=today)
    assert all(row.next_clock.name == "acknowledge" and row.next_clock.is_overdue for row in rows)
    # the police officer sees only the cases the police are party to, and counts only those
    police = clock_counts_for_user(demo.user("wn-police"), today=today)
    assert police["overdue"] <= counts["overdue"]
