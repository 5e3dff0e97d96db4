"""Demo reviews: cases past acceptance, at each step of the review (docs/reviews.md).

Three cases per demo partnership, created through the services as staff would, dated relative to
today so the clocks show something done, something due and something overdue:

- "review-in-progress": SPOC appointed, contact attempts and the contact form, a medium risk
  assessment, victim support offered, the police's information received and the housing
  provider's outstanding (overdue); panels/demo.py schedules its panel with a quorum warning.
- "review-outcome-due": as above with a high risk and an interim action, both agencies answered;
  panels/demo.py holds its panel, agrees the plan and circulates the minutes — the outcome letter
  is left for you to send (try putting the alleged perpetrator's name in it).
- "review-complete": panels/demo.py takes it to the outcome letter; the plan is being monitored.

The demo's own "accepted" application (applications/demo.py) is left untouched, for a newcomer
to take through the review by hand. Idempotent: each case is keyed on its victim's email address.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Agency, Partnership, User
from casereview.applications.models import Application, Person
from casereview.applications.services import (
    DecisionChoice,
    IncidentData,
    PerpetratorData,
    ReportData,
    application_acknowledge,
    application_create,
    application_decide,
    perpetrator_save,
)
from casereview.letters.demo import send_demo_letters
from casereview.letters.services import letter_issue

from . import risk, services
from .models import LawfulBasis

DEMO_DOMAIN = "demo.example.com"
CASES = ("review-in-progress", "review-outcome-due", "review-complete")
VICTIMS = {
    "review-in-progress": ("Elaine Marsh", 60),
    "review-outcome-due": ("Kwame Asante", 75),
    "review-complete": ("Rosa Delgado", 110),
}
PERPETRATOR = {
    "name": "Darren Kettering",
    "address": "14 Acacia Avenue",
    "date_of_birth": dt.date(1990, 3, 12),
}


def demo_case(partnership: Partnership, key: str) -> Application | None:
    return Application.objects.filter(partnership=partnership, victim__email=f"{key}@{DEMO_DOMAIN}").first()


def _users(partnership: Partnership) -> dict[str, User]:
    prefix = partnership.reference_prefix.lower()
    names = ("csm", "spoc", "police", "housing", "health", "chair")
    return {n: User.objects.filter(username=f"{prefix}-{n}").first() for n in names}


def _agency(partnership: Partnership, kind: str) -> Agency:
    return partnership.agencies.filter(kind=kind).order_by("id").first()


def _create(partnership: Partnership, key: str, today: dt.date, users: dict) -> Application:
    name, days_ago = VICTIMS[key]
    received = today - dt.timedelta(days=days_ago)
    incidents = [
        IncidentData(
            occurred_on=received - dt.timedelta(days=lag),
            description=text,
            reports=[
                ReportData(
                    agency_kind=kind,
                    agency=_agency(partnership, kind),
                    reported_on=received - dt.timedelta(days=lag - 1),
                )
            ],
        )
        for lag, text, kind in [
            (80, "Loud music and parties until the early hours, several nights a week.", "police"),
            (45, "Rubbish and needles left in the shared garden.", "housing"),
            (20, "The victim was sworn at and threatened on the stairs.", "council"),
        ]
    ]
    application = application_create(
        partnership=partnership,
        channel="online",
        received_on=received,
        victim=Person(
            full_name=name,
            address=f"{days_ago} Victoria Road",
            postcode="NN1 5DX" if partnership.slug == "west-northamptonshire" else "N7 8LT",
            email=f"{key}@{DEMO_DOMAIN}",
            phone="07700 900123",
        ),
        summary="Noise, rubbish and threats from the flat below for over a year.",
        desired_outcome="To feel safe at home and sleep at night.",
        location="Victoria Road",
        incidents=incidents,
        actor=users["csm"],
    )
    perpetrator_save(
        application=application,
        actor=users["csm"],
        data=PerpetratorData(**PERPETRATOR, description="Lives in the flat below the victim."),
    )
    application_acknowledge(
        application=application, actor=users["csm"], acknowledged_on=received + dt.timedelta(days=2)
    )
    application_decide(
        application=application,
        actor=users["csm"],
        choice=DecisionChoice.ACCEPT,
        decided_on=received + dt.timedelta(days=6),
    )
    application.refresh_from_db()
    # The decision letter meets the threshold_decision clock (issued today: letters carry the day
    # they were really issued, so the demo's are late, not missing).
    letter_issue(case=application, kind="accepted", actor=users["csm"])
    send_demo_letters(application, users["csm"])
    appointed = received + dt.timedelta(days=9)
    services.spoc_appoint(
        application=application,
        spoc=users["spoc"],
        actor=users["csm"],
        appointed_on=appointed,
        override_reason="Works in community safety, not the ASB team that took the council's report.",
    )
    application.refresh_from_db()
    _letter(application, "next_steps", users["spoc"])
    spoc = users["spoc"]
    services.contact_attempt_record(
        application=application,
        method="phone",
        attempted_on=appointed + dt.timedelta(days=1),
        outcome="no_answer",
        actor=spoc,
    )
    services.contact_attempt_record(
        application=application,
        method="phone",
        attempted_on=appointed + dt.timedelta(days=2),
        outcome="reached",
        actor=spoc,
    )
    contacted = appointed + dt.timedelta(days=2)
    services.victim_contact_record(
        application=application,
        contacted_on=contacted,
        method="phone",
        incidents_in_own_words="It starts most nights at about eleven: music through the floor, "
        "people on the "
        "stairs. Last month he told me I'd regret reporting him. "
        "I don't let my grandson visit any more.",
        agencies_involved="Police (three calls), the housing office, the council's ASB line.",
        desired_outcome="For it to stop, and for someone to actually tell me what is being done.",
        voice_preference="impact_statement" if key != "review-in-progress" else "attend",
        actor=spoc,
    )
    high = key == "review-outcome-due"
    yes = {"previous_victim", "ongoing", "isolated", "daily_life", "afraid_at_home", "let_down"}
    if high:
        yes |= {"physical_safety"}
    services.risk_assessment_record(
        application=application,
        answers={code: code in yes for code in risk.QUESTION_CODES},
        assessed_on=contacted,
        actor=spoc,
        notes="Lives alone; family visit less because of the behaviour.",
    )
    services.support_referral_record(
        application=application,
        service="Victim Support",
        offered_on=contacted,
        outcome="referred",
        consent=True,
        actor=spoc,
    )
    if high:
        services.interim_action_create(
            application=application,
            description="Fit a door viewer and a video doorbell at the victim's flat.",
            owner_agency=_agency(partnership, "housing"),
            owner=users["housing"],
            due_on=today + dt.timedelta(days=7),
            actor=spoc,
        )
    requested = contacted + dt.timedelta(days=1)
    police, housing = _agency(partnership, "police"), _agency(partnership, "housing")
    requests = services.information_requests_send(
        application=application,
        agencies=[police, housing],
        requested_on=requested,
        actor=spoc,
        message="Please include any calls about the flat below since January.",
    )
    for request in requests:
        if request.agency == housing and key == "review-in-progress":
            continue  # left outstanding (and overdue) for the demo
        officer = users["police"] if request.agency == police else users["housing"]
        services.information_request_respond(
            request=request,
            actor=officer,
            reports_received="Three reports: two noise complaints and one of threats on the stairs.",
            actions_taken="Warning letter to the tenant below; two visits by the neighbourhood team.",
            current_involvement="Case open with the neighbourhood team; tenancy officer monitoring.",
            lawful_basis=LawfulBasis.CDA_1998_S115
            if request.agency == police
            else LawfulBasis.ASB_ACT_SCH4_PARA7,
            responded_on=min(request.due_on, today),
        )
    return application


def _letter(application, kind, actor) -> None:
    services.review_letter_issue(application=application, kind=kind, actor=actor)
    send_demo_letters(application, actor)


def load(stdout) -> None:
    today = timezone.localdate()
    created = 0
    for partnership in Partnership.objects.filter(slug__in=("west-northamptonshire", "islington")).order_by(
        "slug"
    ):
        users = _users(partnership)
        if not all(users.values()):
            continue
        for key in CASES:
            if demo_case(partnership, key) is None:
                _create(partnership, key, today, users)
                created += 1
    stdout.write(f"Demo reviews: {created} created.")
