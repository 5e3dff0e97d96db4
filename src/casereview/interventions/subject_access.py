"""What a subject access export holds of interventions: every intervention about the person's
profile (the one their case record is linked to), with each step's terms, dates and outcome and the
support offered. Criminal-offence data the person is entitled to; the officers' names are not."""

from __future__ import annotations

from .models import Intervention


def interventions_about(person, redact) -> dict:
    lists = {"Interventions about you": [], "Steps taken": [], "Support offered to you": []}
    link = getattr(person, "profile_link", None)
    profile_id = getattr(link, "person_id", None)
    if profile_id is not None:
        for intervention in Intervention.objects.filter(person_id=profile_id).select_related(
            "lead_agency", "casework"
        ):
            lists["Interventions about you"].append(
                {
                    "reference": intervention.reference,
                    "led by": intervention.lead_agency.name,
                    "opened": intervention.opened_on.isoformat(),
                    "about": redact(intervention.summary),
                    "status": intervention.get_status_display(),
                    "case": intervention.casework.reference if intervention.casework_id else "",
                    "casework": intervention.get_programme_display(),
                    "support plan": redact(intervention.support_plan),
                    "why we may hold information about offences": intervention.get_lawful_basis_display(),
                    "special category information": redact(intervention.special_category),
                }
            )
            for step in intervention.steps.select_related("issuing_agency"):
                lists["Steps taken"].append(
                    {
                        "reference": intervention.reference,
                        "step": step.get_kind_display(),
                        "by": step.issuing_agency.name,
                        "served": step.served_on.isoformat(),
                        "must not": redact(step.prohibitions),
                        "must": redact(step.requirements),
                        "expires": step.expires_on.isoformat() if step.expires_on else "",
                        "outcome": step.get_outcome_display(),
                        "court's decision": redact(step.court_decision),
                    }
                )
            for referral in intervention.referrals.all():
                lists["Support offered to you"].append(
                    {
                        "support": referral.get_service_display(),
                        "offered": referral.offered_on.isoformat(),
                        "taken up": {True: "Yes", False: "No", None: "Not known"}[referral.taken_up],
                    }
                )
    return {
        "title": "Interventions (warnings, notices and orders)",
        "found_by": "The profile your record in the case is linked to.",
        "lists": lists,
    }
