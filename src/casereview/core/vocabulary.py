"""The fixed words the core, the policy files and the Django apps share.

Each is a tuple (ordered, so it can feed a form's choices) of codes that are stored in databases,
written in policy files and sent by partner systems, so they never change spelling. A policy file
or an input using a word not listed here is rejected with the list in the message.
"""

#: The "relevant bodies" of s.105 of the 2014 Act, as kinds of agency: the council, the police,
#: a registered provider of social housing (co-opted), and the local health body (the ICB).
RELEVANT_BODIES = ("council", "police", "housing", "health")

#: Kinds of agency a report can go to (contracts §2). ``other`` (a charity, the fire service, a
#: councillor's surgery) is kept on the record but is never a qualifying complaint.
AGENCY_KINDS = (*RELEVANT_BODIES, "other")

#: Concerns that may make an application unsuitable (seed 004 §9; contracts §3).
CONCERNS = ("cps_decision", "court_decision", "service_provision_only")

#: Events a deadline can run from. The Django apps record each as a dated case event.
EVENTS = (
    "received",  # the application reached the partnership
    "acknowledged",  # the acknowledgement was sent
    "spoc_appointed",  # a single point of contact with no prior involvement was appointed
    "victim_unreachable",  # the SPOC's reasonable efforts to reach the victim failed
    "information_requested",  # agency response forms were sent to the partners
    "accepted",  # the case was accepted for review (threshold met, or by discretion)
    "panel_held",  # the review panel met
    "letter_issued",  # a threshold-not-met letter or an outcome letter was sent
)

#: The process clocks a policy may set, each "within" a period "from" one of ``EVENTS``.
#: Names are the Django apps' handle on them; docs/policies.md explains each.
DEADLINE_NAMES = (
    "acknowledge",
    "threshold_decision",
    "spoc_appointment",
    "victim_contact",
    "unreachable_letter",
    "agency_response",
    "review_response",
    "outcome_letter",
    "minutes_circulated",
    "appeal_window",
)

#: Who may be required at a review panel: the relevant bodies, plus the people who run it.
PANEL_ROLES = (*RELEVANT_BODIES, "spoc", "independent_chair", "minute_taker")

#: Who an overdue action is escalated to (seed 004 §13).
ESCALATION_RECIPIENTS = (
    "action_owner",
    "spoc",
    "line_manager",
    "head_of_service",
    "chief_executive",
    "community_safety_manager",
)

#: The decisions an appeal ground can apply to.
APPEALABLE_DECISIONS = ("threshold_not_met", "review_outcome")

#: The outcomes and routes of a threshold decision (contracts §3), routes in the order tried.
OUTCOMES = ("met", "not_met", "ineligible", "awaiting_consent")
ROUTES = ("qualifying_complaints", "hate_incident", "multiple_complainants", "senior_manager")

#: The factors the bodies must have regard to when the threshold is not met (s.104(5)).
DISCRETION_FACTORS = ("persistence", "harm_or_potential_harm", "adequacy_of_response")
