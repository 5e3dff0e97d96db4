import datetime as dt

from casereview.panels import services

FUTURE = dt.date.today() + dt.timedelta(days=14)


def schedule(demo, application, **kwargs):
    prefix = application.partnership.reference_prefix.lower()
    defaults = {
        "meeting_on": FUTURE,
        "starts_at": dt.time(10, 0),
        "location": "One Angel Square, Northampton",
    }
    return services.panel_schedule(
        case=application, actor=demo.user(f"{prefix}-spoc"), **{**defaults, **kwargs}
    )


def full_panel(demo, meeting):
    prefix = meeting.case.partnership.reference_prefix.lower()
    spoc = demo.user(f"{prefix}-spoc")
    slug = meeting.case.partnership.slug
    for role, username in [
        ("representative", f"{prefix}-csm"),
        ("representative", f"{prefix}-police"),
        ("representative", f"{prefix}-housing"),
        ("representative", f"{prefix}-health"),
        ("independent_chair", f"{prefix}-chair"),
    ]:
        services.panel_member_add(meeting=meeting, role=role, user=demo.user(username), actor=spoc)
    services.panel_member_add(
        meeting=meeting,
        role="minute_taker",
        name="Pat Minutes",
        agency=demo.agency(slug, "council"),
        actor=spoc,
    )
    return meeting


def hold(demo, meeting, held_on=None, **kwargs):
    prefix = meeting.case.partnership.reference_prefix.lower()
    if meeting.meeting_on != (held_on or dt.date.today()):  # already set: a refusal then writes nothing
        meeting.meeting_on = held_on or dt.date.today()
        meeting.save()
    defaults = {
        "held_on": held_on or dt.date.today(),
        "attended_member_ids": list(meeting.members.values_list("id", flat=True)),
        "victim_voice": "impact_statement",
        "impact_statement": "I cannot sleep and I am frightened to go out.",
        "minutes": "The panel considered the incidents and the agency responses.",
        "decisions": "A joint visit, and a Community Protection Warning to be considered.",
    }
    return services.panel_record(meeting=meeting, actor=demo.user(f"{prefix}-spoc"), **{**defaults, **kwargs})
