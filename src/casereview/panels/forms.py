"""Forms for the panel pages: input checks only (business rules live in services)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from casereview.accounts.models import Agency, User
from casereview.accounts.selectors import staff_in
from casereview.reviews.forms import GovDateField
from casereview.web.concurrency import VersionedForm
from casereview.web.forms import GovForm

from .models import MemberRole, VictimConsultation, VictimVoice


class ScheduleForm(GovForm):
    meeting_on = GovDateField(what="the date of the meeting", label="Date of the meeting")
    starts_at = forms.TimeField(
        label="Start time",
        help_text="For example, 10:00 or 14:30",
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time like 10:00 or 14:30",
        },
    )
    location = forms.CharField(label="Where (room and address)", required=False)
    online = forms.BooleanField(label="The meeting is online (or hybrid)", required=False)
    joining_details = forms.CharField(
        label="How to join online",
        help_text="Shared with panel members only. Leave empty if the meeting is in person.",
        required=False,
    )

    def __init__(self, *args, further_review: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if further_review:
            self.fields["further_review_reason"] = forms.CharField(
                label="How have the circumstances changed significantly?",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": "Say how the circumstances have changed significantly"},
            )


class PlanAdditionForm(VersionedForm, GovForm):
    """A form adding one more record to a meeting (a member, a recommendation, an action, the
    victim's view): its version is how many such records the page was read with
    (`web.concurrency.history_claim`), so two officers adding at once do not both add unseen —
    the second is shown the first's and saves again on purpose. `describe` shows the newest."""

    def describe(self, record) -> list[tuple[str, str]]:
        if record is None:
            return []
        return [("Added since you opened this page", str(record))]


class MemberForm(PlanAdditionForm):
    role = forms.ChoiceField(
        label="Role on the panel",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the member's role on the panel"},
    )
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Member of staff",
        help_text="Or leave this and enter the name of someone from outside the partnership.",
        empty_label="Choose a person",
        required=False,
    )
    name = forms.CharField(label="Name (if not a member of staff)", required=False)
    job_title = forms.CharField(label="Job title (optional)", required=False)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Agency they represent",
        help_text="For staff, their own agency is used unless you choose another.",
        empty_label="Choose an agency",
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_in(case.partnership_id).order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: f"{u}" + (f" ({u.agency})" if u.agency else "")
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=case.partnership_id)

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("user", "Choose a member of staff, or enter the name of the member")
        return data


class MeetingForm(VersionedForm, GovForm):
    """A form that changes the meeting itself: it carries the meeting's version, and a stale one is
    refused showing where the meeting stands now (web.concurrency)."""

    def describe(self, meeting) -> list[tuple[str, str]]:
        rows = [("Meeting", meeting.get_status_display())]
        if meeting.held_on:
            rows.append(("Held on", f"{meeting.held_on:%-d %B %Y}"))
        if meeting.plan_finalised_on:
            rows.append(("Action plan final", f"{meeting.plan_finalised_on:%-d %B %Y}"))
        if meeting.minutes_circulated_on:
            rows.append(("Minutes circulated", f"{meeting.minutes_circulated_on:%-d %B %Y}"))
        if meeting.outcome_issued_on:
            rows.append(("Outcome letter issued", f"{meeting.outcome_issued_on:%-d %B %Y}"))
        return rows + super().describe(meeting)


class RecordForm(MeetingForm):
    held_on = GovDateField(what="the date the panel met", label="Date the panel met")
    attended = forms.MultipleChoiceField(
        label="Who attended?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the members who attended"},
    )
    victim_voice = forms.ChoiceField(
        label="How was the victim's voice heard?",
        choices=VictimVoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the victim's voice was heard"},
    )
    impact_statement = forms.CharField(
        label="Victim impact statement (if one was read)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    minutes = forms.CharField(
        label="Minutes",
        help_text="For panel members only: the minutes are never sent to the victim.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the minutes of the meeting"},
    )
    decisions = forms.CharField(
        label="What the panel decided",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the panel decided"},
    )
    inquorate_reason = forms.CharField(
        label="If the panel went ahead without its quorum: the chair's reason",
        help_text="Needed when the relevant bodies, an independent chair or the victim's voice were "
        "missing. The meeting is then recorded as inquorate, and the victim's outcome letter says so.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(m.pk), f"{m.name} – {m.get_role_display()}" + (f", {m.agency}" if m.agency_id else ""))
            for m in meeting.members.select_related("agency")
        ]


class RecommendationForm(PlanAdditionForm):
    body = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Which body is the recommendation made to?",
        help_text="A body exercising public functions must have regard to a recommendation made to it.",
        empty_label="Choose a body",
        error_messages={"required": "Choose the body the recommendation is made to"},
    )
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the recommendation"},
    )
    share_with_victim = forms.BooleanField(
        label="Tell the victim about this recommendation in the outcome letter", required=False, initial=True
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Agency.objects.filter(partnership_id=case.partnership_id)


class RecommendationEditForm(VersionedForm, GovForm):
    """Carries the recommendation's version: a change made on a page read before a colleague's
    is refused, showing the recommendation as it is now (web.concurrency)."""

    text = RecommendationForm.base_fields["text"]
    share_with_victim = RecommendationForm.base_fields["share_with_victim"]


class PanelActionForm(PlanAdditionForm):
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who owns the action",
        help_text="The owner's agency is responsible for the action.",
        empty_label="Choose a person",
        error_messages={"required": "Choose the person who owns the action"},
    )
    due_on = GovDateField(what="the date the action is due", label="Due by")
    share_with_victim = forms.BooleanField(
        label="This action may be described to the victim",
        help_text="Leave unticked for any action that identifies a perpetrator.",
        required=False,
        initial=True,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_in(case.partnership_id, with_agency=True).order_by(
            "last_name", "first_name"
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u} ({u.agency})"


class ConsultationForm(PlanAdditionForm):
    consulted_on = GovDateField(what="the date the victim was consulted", label="Date consulted")
    method = forms.ChoiceField(
        label="How was the victim consulted?",
        choices=VictimConsultation._meta.get_field("method").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the victim was consulted"},
    )
    view = forms.ChoiceField(
        label="The victim's view of the action plan",
        choices=VictimConsultation.View.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the victim's view of the plan"},
    )
    victim_comments = forms.CharField(
        label="What the victim said", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class FinaliseForm(MeetingForm):
    without_consultation_reason = forms.CharField(
        label="Why must the plan be final without consulting the victim?",
        help_text="Only if the victim could not be consulted.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class OutcomeForm(MeetingForm):
    outcome_summary = forms.CharField(
        label="What to tell the victim about the outcome",
        help_text="In plain words: what the panel found and what happens next. Never name or describe "
        "an alleged perpetrator: the letter is checked and will be refused if it does.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what to tell the victim about the outcome"},
    )


class MinutesCorrectionForm(MeetingForm):
    minutes = RecordForm.base_fields["minutes"]
    decisions = RecordForm.base_fields["decisions"]
    reason = forms.CharField(
        label="What was wrong, and why is it corrected?",
        help_text="Kept with the corrected letter. Panel members see that the minutes were corrected.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the correction"},
    )


class CancelForm(MeetingForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


def clean_member_ids(values) -> list[int]:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError) as exc:
        raise ValidationError("Select the members who attended") from exc
