"""The chair's pack: everything the panel needs, as one PDF (seed 004 §11: "the information in
the Chair's pack and Appendix 1 (informal and formal enforcement list)").

For panel members only. It may name the alleged perpetrators — the panel needs them to choose
tools — so it is never sent to the victim, and each download is recorded as a disclosure.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

# Appendix 1: the informal and formal tools (Anti-social Behaviour, Crime and Policing Act 2014
# and practice), and the support routes alongside them.
TOOLS = (
    (
        "Informal",
        "Verbal or written warning",
        "A clear warning to stop, from the police, council or landlord.",
    ),
    (
        "Informal",
        "Acceptable behaviour contract (ABC)",
        "A voluntary written agreement about future behaviour, often with support.",
    ),
    ("Informal", "Mediation or restorative approach", "Where both sides agree and it is safe to do so."),
    (
        "Informal",
        "Support and diversion",
        "Youth services, drug and alcohol services, mental health support for the perpetrator.",
    ),
    ("Formal", "Community Protection Warning (CPW)", "2014 Act s.43: a written warning before a notice."),
    (
        "Formal",
        "Community Protection Notice (CPN)",
        "2014 Act s.43: requirements to stop behaviour with a detrimental effect on the community; "
        "breach is an offence.",
    ),
    (
        "Formal",
        "Civil injunction",
        "2014 Act Part 1: to prevent harassment, alarm or distress (or housing-related nuisance), "
        "with prohibitions and positive requirements.",
    ),
    (
        "Formal",
        "Closure notice and closure order",
        "2014 Act Part 4 Chapter 3: closing premises associated with nuisance or disorder.",
    ),
    (
        "Formal",
        "Criminal behaviour order (CBO)",
        "2014 Act Part 2: on conviction, to prevent further harassment, alarm or distress.",
    ),
    ("Formal", "Dispersal direction", "2014 Act Part 3: to remove people from an area for up to 48 hours."),
    (
        "Formal",
        "Public spaces protection order (PSPO)",
        "2014 Act Part 4 Chapter 2: place-based restrictions.",
    ),
    (
        "Formal",
        "Tenancy enforcement",
        "Possession proceedings, including the absolute ground for ASB "
        "(Housing Act 1985 s.84A, Housing Act 1988 ground 7A).",
    ),
)
SUPPORT_ROUTES = (
    "Victim Support and local victims and witness services (e.g. VOICE in Northamptonshire)",
    "Adult and children's safeguarding referrals",
    "Community MARAC for vulnerable victims or perpetrators",
    "Mental health, drug and alcohol services",
    "Housing options, including management transfer where the victim is at risk",
    "Hate crime support services",
)


def chairs_pack_context(meeting) -> dict:
    application = meeting.case
    return {
        "meeting": meeting,
        "application": application,
        "generated_at": timezone.localtime(),
        "members": meeting.members.select_related("agency"),
        "incidents": application.incidents.prefetch_related("reports"),
        "perpetrators": application.perpetrators.all(),
        "contact": application.victim_contacts.first(),
        "risk": application.risk_assessments.first(),
        "referrals": application.support_referrals.all(),
        "requests": application.information_requests.select_related("agency"),
        "interim_actions": application.actions.filter(kind="interim").select_related("owner_agency", "owner"),
        "decision": application.decisions.first(),
        "tools": TOOLS,
        "support_routes": SUPPORT_ROUTES,
    }


def chairs_pack_pdf(meeting) -> bytes:
    from casereview.web.pdf import html_to_pdf

    return html_to_pdf(render_to_string("panels/pack.html", chairs_pack_context(meeting)))
