"""Every review panel meeting sits at a sitting of the case review panel (ADR 0088): a
`referrals.StandingMeeting` of the kind `case_review`, one per partnership and date, with an item
per review heard. Backwards, the sittings are removed (the review's own record keeps everything)."""

from django.db import migrations

CASE_REVIEW = "case_review"


def give_sittings(apps, schema_editor):
    db = schema_editor.connection.alias  # the owner's connection where there is one
    PanelMeeting = apps.get_model("panels", "PanelMeeting")
    PanelMember = apps.get_model("panels", "PanelMember")
    StandingMeeting = apps.get_model("referrals", "StandingMeeting")
    MeetingItem = apps.get_model("referrals", "MeetingItem")
    AgencyAttendance = apps.get_model("referrals", "AgencyAttendance")
    groups: dict[tuple, list] = {}
    meetings = (
        PanelMeeting.objects.using(db)
        .exclude(status="cancelled")
        .filter(item__isnull=True)
        .select_related("case")
        .order_by("meeting_on", "id")
    )
    for meeting in meetings:
        groups.setdefault((meeting.case.partnership_id, meeting.meeting_on), []).append(meeting)
    for (partnership_id, meeting_on), group in groups.items():
        held = [m for m in group if m.status == "held"]
        sitting = StandingMeeting.objects.using(db).create(
            partnership_id=partnership_id,
            panel_kind=CASE_REVIEW,
            meeting_on=meeting_on,
            chair_id=group[0].scheduled_by_id,
            status="held" if len(held) == len(group) else "scheduled",
            held_on=max(m.held_on or meeting_on for m in held) if len(held) == len(group) else None,
        )
        present: dict[int, list[str]] = {}
        absent: set[int] = set()
        for position, meeting in enumerate(group, start=1):
            item = MeetingItem.objects.using(db).create(
                meeting=sitting,
                case_id=meeting.case_id,
                position=position,
                why=CASE_REVIEW,
                heard=meeting.status == "held",
            )
            PanelMeeting.objects.using(db).filter(pk=meeting.pk).update(item=item)
            if meeting.status != "held":
                continue
            for member in (
                PanelMember.objects.using(db).filter(meeting=meeting, agency__isnull=False).order_by("id")
            ):
                if member.attended:
                    names = present.setdefault(member.agency_id, [])
                    if member.name not in names:
                        names.append(member.name)
                else:
                    absent.add(member.agency_id)
        for agency_id, names in present.items():
            AgencyAttendance.objects.using(db).create(
                meeting=sitting, agency_id=agency_id, present=True, names=", ".join(names)[:300]
            )
        for agency_id in absent - set(present):
            AgencyAttendance.objects.using(db).create(meeting=sitting, agency_id=agency_id, present=False)


def remove_sittings(apps, schema_editor):
    db = schema_editor.connection.alias  # the owner's connection where there is one
    StandingMeeting = apps.get_model("referrals", "StandingMeeting")
    PanelMeeting = apps.get_model("panels", "PanelMeeting")
    PanelMeeting.objects.using(db).update(item=None)
    StandingMeeting.objects.using(db).filter(panel_kind=CASE_REVIEW).delete()


class Migration(migrations.Migration):
    # Its own migration (own transaction): PostgreSQL refuses to drop the column in the transaction
    # that deleted the rows it pointed at (pending trigger events).
    dependencies = [("panels", "0008_meeting_item")]

    operations = [migrations.RunPython(give_sittings, remove_sittings)]
