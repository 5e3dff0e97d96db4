"""The report log's part of a subject access export (privacy.subject_access): the reports a person
made, found by their e-mail address or phone number as the log keys callers, and what was done
about them as a caller — the ASB Case Review explained to them, a repeat-caller triage."""

from __future__ import annotations

from .keys import caller_key_normalise
from .models import RepeatCallerTriage, Report, ReviewExplanation


def report_log_about(person, redact) -> dict:
    keys = {caller_key_normalise(value) for value in (person.email, person.phone) if value} - {""}
    reports = explanations = triages = []
    if keys:
        reports = list(
            Report.objects.filter(partnership=person.partnership_id, caller_match__in=keys)
            .select_related("agency")
            .order_by("reported_on", "id")
        )
        # Explanations are kept in the matching form, triages against each key as it was sent.
        explanations = ReviewExplanation.objects.filter(
            partnership=person.partnership_id, caller__in=keys
        ).order_by("explained_on", "id")
        triages = RepeatCallerTriage.objects.filter(
            partnership=person.partnership_id, caller__in={r.caller for r in reports}
        ).order_by("as_of", "id")
    return {
        "title": "Your reports in the ASB report log",
        "found_by": "Reports whose caller is your e-mail address or phone number.",
        "lists": {
            "Reports": [
                {
                    "reported on": report.reported_on.isoformat()
                    if report.date_precision == "day"
                    else f"{report.reported_on:%B %Y}",
                    "to": report.agency.name,
                    "their reference": report.agency_reference,
                    "how": report.channel.replace("_", " "),
                    "what": report.category,
                    "where": redact(report.location),
                    "description": redact(report.description),
                    "hate-motivated": "yes" if report.hate else "no",
                    "status": report.get_status_display(),
                    "outcome": redact(report.outcome),
                }
                for report in reports
            ],
            "The ASB Case Review explained to you": [
                {
                    "on": explanation.explained_on.isoformat(),
                    "how": explanation.get_method_display(),
                    "notes": redact(explanation.notes),
                }
                for explanation in explanations
            ],
            "Reviews of your calls as a repeat caller": [
                {
                    "as of": triage.as_of.isoformat(),
                    "calls": triage.calls,
                    "vulnerable": "yes" if triage.vulnerable else "no",
                    "risk": triage.get_risk_display(),
                    "outcome": triage.get_outcome_display(),
                    "notes": redact(triage.notes),
                }
                for triage in triages
            ],
        },
    }
