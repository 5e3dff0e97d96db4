"""Demo data for the data protection officer (`casereview demo`, after the applications demo):
for each partnership, a case closed seven years ago (so the retention dry run has something to
list), another under a legal hold, special category information on one live case, and a subject
access request from one of the demo victims. Idempotent: keyed on the demo people's emails."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casereview.accounts.models import Partnership, User
from casereview.applications.models import Application, Person
from casereview.applications.services import (
    IncidentData,
    ReportData,
    application_create,
    application_set_status,
)

from . import services
from .models import DataSubjectRequest

DOMAIN = "retention.demo.example.com"


def _old_closed_case(partnership, *, key: str, name: str, closed: dt.date, csm) -> Application:
    existing = Application.objects.filter(victim__email=f"{key}@{DOMAIN}", partnership=partnership).first()
    if existing:
        return existing
    police = partnership.agencies.filter(kind="police").first()
    received = closed - dt.timedelta(days=90)
    application = application_create(
        partnership=partnership,
        channel="phone",
        received_on=received,
        victim=Person(full_name=name, email=f"{key}@{DOMAIN}", address="10 Old Road", postcode="NN1 9ZZ"),
        summary="Noise from a neighbouring flat late at night.",
        incidents=[
            IncidentData(
                occurred_on=received - dt.timedelta(days=20),
                description="Loud music after midnight.",
                reports=[
                    ReportData(
                        agency_kind="police", agency=police, reported_on=received - dt.timedelta(days=19)
                    )
                ],
            )
        ],
        actor=csm,
    )
    application_set_status(
        application=application, to="acknowledged", actor=csm, summary="Acknowledged.", occurred_on=received
    )
    application_set_status(
        application=application,
        to="withdrawn",
        actor=csm,
        summary="Withdrawn: the victim moved away.",
        occurred_on=closed,
    )
    return application


def load(stdout) -> None:
    today = timezone.localdate()
    for partnership in Partnership.objects.filter(slug__in=["west-northamptonshire", "islington"]):
        prefix = partnership.reference_prefix.lower()
        csm = User.objects.filter(username=f"{prefix}-csm").first()
        dpo = User.objects.filter(username=f"{prefix}-dpo").first()
        if csm is None or dpo is None:
            continue
        seven_years_ago = today.replace(year=today.year - 7, day=min(today.day, 28))
        _old_closed_case(partnership, key="old", name="Robin Longago", closed=seven_years_ago, csm=csm)
        held = _old_closed_case(
            partnership,
            key="held",
            name="Sasha Heldcase",
            closed=seven_years_ago - dt.timedelta(days=40),
            csm=csm,
        )
        if not held.legal_holds.exists():
            services.legal_hold_place(
                application=held, reason="Ombudsman complaint under investigation (demo)", actor=dpo
            )
        live = (
            Application.objects.filter(
                partnership=partnership, status__in=["accepted", "in_review", "acknowledged"]
            )
            .exclude(victim__email__endswith=DOMAIN)
            .order_by("id")
            .first()
        )
        if live is not None and not live.sensitive_information.exists():
            services.sensitive_information_record(
                application=live,
                person=live.victim,
                actor=csm,
                health_and_disability="Anxiety and depression; finds phone calls difficult (demo)",
                source="Victim, at first contact",
            )
        victim = live.victim if live is not None else None
        if victim is not None and not DataSubjectRequest.objects.filter(partnership=partnership).exists():
            services.data_subject_request_record(
                partnership=partnership,
                kind="access",
                requester_name=victim.full_name,
                person=victim,
                received_on=today - dt.timedelta(days=3),
                details="Asked by email for a copy of everything held about them (demo).",
                actor=dpo,
            )
    stdout.write(
        "Data protection: sign in as wn-dpo for the access log (/audit/), subject access requests and the "
        "retention dry run (/data-protection/); or run `casereview retention --dry-run`."
    )
