"""The scopes a partner's client may hold (docs/api.md). Each endpoint names the one it needs."""

SCOPES = {
    "reports:write": "Push and correct ASB reports of the client's agency",
    "reports:read": "Read the client's agency's ASB reports",
    "cases:read": "Read cases the client's agency is party to: status, clocks, parties, timeline",
    "requests:read": "List information requests addressed to the client's agency",
    "requests:answer": "Answer information requests addressed to the client's agency",
    "actions:read": "Read actions the client's agency owns",
    "actions:write": "Complete or delay actions the client's agency owns",
    "people:search": "Find a person by partner key, or a place by UPRN: only which agencies work with "
    "them and whom to contact (search and signpost)",
    "referrals:read": "Read the panel referrals the client's agency made or may see",
    "referrals:write": "Refer a person to one of the partnership's standing panels",
    "interventions:read": "Read the interventions the client's agency leads or issued a step in",
    "interventions:write": "Open an intervention the client's agency leads, record a step it issued, "
    "and close one it leads",
    "webhooks:manage": "Subscribe to events and read the delivery history",
}


def scopes_parse(text: str) -> list[str]:
    """Scopes from a space- (or comma-) separated list; unknown ones are a ValueError naming them."""
    wanted = [s for s in text.replace(",", " ").split() if s]
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    if not wanted:
        raise ValueError(f"give at least one scope; known: {', '.join(SCOPES)}")
    return list(dict.fromkeys(wanted))
