"""The public /statistics/ page: no sign-in, no personal data, a GET form that works without
JavaScript; the managers' timeliness figures only for that partnership's managers."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.statistics.periods import financial_year, financial_year_of, quarter
from tests.conftest import assert_accessible, sign_in
from tests.statistics import workflow as wf

D = dt.date


def test_financial_years_and_quarters():
    assert financial_year(2024).start == D(2024, 4, 1) and financial_year(2024).end == D(2025, 3, 31)
    assert financial_year_of(D(2025, 3, 31)) == 2024 and financial_year_of(D(2025, 4, 1)) == 2025
    assert (quarter(2024, 1).start, quarter(2024, 1).end) == (D(2024, 4, 1), D(2024, 6, 30))
    assert (quarter(2024, 3).start, quarter(2024, 3).end) == (D(2024, 10, 1), D(2024, 12, 31))
    assert (quarter(2024, 4).start, quarter(2024, 4).end) == (D(2025, 1, 1), D(2025, 3, 31))
    assert financial_year(2024).label == "the financial year 2024/25"


@pytest.fixture
def cases(demo):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    wf.panel(
        wf.accept(wf.received(wn, D(2024, 5, 1), name="Priya Confidential"), D(2024, 5, 8), csm),
        D(2024, 6, 20),
        csm,
        recommendations=1,
    )
    wf.decline(wf.received(wn, D(2024, 7, 1), name="Tomasz Private"), D(2024, 7, 9), csm)
    return wn


@pytest.mark.django_db
def test_the_public_page_shows_counts_and_no_personal_data(cases, client):
    response = client.get("/statistics/?partnership=west-northamptonshire&year=2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="applications">2<' in html and 'data-figure="reviews_with_recommendations">1<' in html
    for private in (
        "Priya",
        "Confidential",
        "Tomasz",
        "High Street",
        "NN1 1AA",
        "jo@example.com",
        "WN-2024-",
    ):
        assert private not in html
    assert "For managers" not in html
    csv_text = client.get(
        "/statistics/figures.csv?partnership=west-northamptonshire&year=2024"
    ).content.decode()
    assert "Priya" not in csv_text and "WN-2024-" not in csv_text


@pytest.mark.django_db
def test_a_bad_choice_is_an_error_at_the_field_not_a_crash(cases, client):
    response = client.get("/statistics/?partnership=nowhere&year=1066&quarter=9")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select an area from the list" in html and "Select a financial year from the list" in html
    assert "govuk-error-summary" in html and "<title>Error:" in html


@pytest.mark.django_db
def test_managers_of_the_partnership_see_deadlines_and_stage_times(cases, client, demo):
    url = "/statistics/?partnership=west-northamptonshire&year=2024"
    client.force_login(demo.user("wn-analyst"))
    html = client.get(url).content.decode()
    assert "How often each deadline was met" in html and "Median working days per stage" in html
    assert "Acknowledge the application" in html
    client.force_login(demo.user("wn-police"))
    assert "For managers" not in client.get(url).content.decode()
    client.force_login(demo.user("is-csm"))  # a manager, but of another partnership
    assert "For managers" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_stage_times_are_in_working_days(cases):
    from casereview.statistics.selectors import stage_times

    stages = {s.label: s for s in stage_times(partnership=cases, period=financial_year(2024))}
    # Received Wednesday 1 May 2024, acknowledged Wednesday 8 May: 4 working days, because Monday
    # 6 May was a bank holiday. Received Monday 1 July, acknowledged Tuesday 9 July: 6. Median 5.
    receipt = stages["Receipt to acknowledgement"]
    assert receipt.cases == 2
    assert receipt.median_working_days == 5.0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statistics_page_in_chromium(page, demo):
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    wf.panel(
        wf.accept(wf.received(wn, D(2024, 5, 1)), D(2024, 5, 8), csm), D(2024, 6, 20), csm, recommendations=1
    )
    page.goto("/statistics/")
    assert page.get_by_role("heading", level=1).inner_text() == "ASB Case Review statistics"
    assert_accessible(page)
    page.get_by_label("Area").select_option("west-northamptonshire")
    page.get_by_label("Financial year").select_option("2024")
    page.get_by_role("button", name="Show the figures").click()
    table = page.get_by_role(
        "table", name="West Northamptonshire Council: applications received in the financial year 2024/25"
    )
    assert table.get_by_role("row", name="ASB Case Reviews carried out").inner_text().split()[-1] == "1"
    assert_accessible(page)
    sign_in(page, "wn-analyst")
    page.goto("/statistics/?partnership=west-northamptonshire&year=2024")
    assert page.get_by_role("table", name="How often each deadline was met").is_visible()
    assert_accessible(page)
