"""The questions of the public application, one form per page.

Messages follow the GOV.UK Design System's error message guidance: they name the field and say
what to do ("Enter the date the incident happened", "The date the incident happened must be a
real date"). Every field id is the field's name (auto_id="%s"), so the error summary's links land
on the field; a date's link lands on its first wrong part.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casereview.applications.selectors import SAFE_CONTACT_REFUSALS, HateMotivation
from casereview.web.dates import PARTS, date_from_parts

from .selectors import UK_POSTCODE, postcode_normalise

TEXT_MAX = 5000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _text(max_length: int, required_message: str, *, too_long: str, required: bool = True):
    return forms.CharField(
        required=required,
        max_length=max_length,
        strip=True,
        error_messages={"required": required_message, "max_length": too_long},
    )


class QuestionForm(forms.Form):
    """GOV.UK conventions: ids are field names, no Django label suffix, errors summarised."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def error_summary(self) -> list[dict]:
        """[{href, text}] in the order of the page, for the error summary at the top."""
        anchors = getattr(self, "error_anchors", {})
        items = []
        for name in self.errors:
            if name == "__all__":
                continue
            for message in self.errors[name]:
                items.append({"href": f"#{anchors.get(name, name)}", "text": message})
        return items


# -- Dates ----------------------------------------------------------------------------------------


def date_initial(prefix: str, value: str | None) -> dict:
    if not value:
        return {}
    day = dt.date.fromisoformat(value)
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


class DateQuestionMixin:
    """Adds day/month/year boxes named `<prefix>_day` … and checks them together."""

    date_fields: dict = {}  # prefix -> label, filled by subclasses

    def _add_date_fields(self, prefix: str) -> None:
        # No length limit on a box: web.dates says what is wrong with what was typed.
        for part in PARTS:
            self.fields[f"{prefix}_{part}"] = forms.CharField(required=False, strip=True)

    def date_input(self, prefix: str) -> dict:
        """What the date input component needs: the three boxes, which are wrong, the message."""
        wrong = getattr(self, "date_wrong", {}).get(prefix, ())
        errors = self.errors.get(prefix) if self.is_bound else None
        parts = []
        for part, label, width in (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4)):
            name = f"{prefix}_{part}"
            parts.append(
                {
                    "name": name,
                    "label": label,
                    "value": self[name].value() or "",
                    "width": width,
                    "error": part in wrong,
                }
            )
        return {"prefix": prefix, "parts": parts, "error": errors[0] if errors else ""}

    def _check_date(
        self, prefix: str, words: str, *, today: dt.date | None = None, **rules
    ) -> dt.date | None:
        """The date typed at `prefix`, today or in the past (web.dates), or None with the message."""
        parts = date_from_parts(
            *(self.cleaned_data.get(f"{prefix}_{part}") or "" for part in PARTS),
            words=words,
            today=today or timezone.localdate(),
            past_only=True,
            **rules,
        )
        self.date_wrong = getattr(self, "date_wrong", {})
        if parts.error:
            # One message for the whole date, at the date; the summary links to its first wrong box.
            self._errors[prefix] = self.error_class([parts.error])
            self.error_anchors = getattr(self, "error_anchors", {})
            self.error_anchors[prefix] = f"{prefix}_{parts.wrong[0]}"
            self.date_wrong[prefix] = parts.wrong
            return None
        return parts.value


# -- Screening and area -----------------------------------------------------------------------------


class DangerForm(QuestionForm):
    in_danger = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if you or anyone else is in immediate danger now"),
            "invalid_choice": _("Select yes if you or anyone else is in immediate danger now"),
        },
    )


class AreaPostcodeForm(QuestionForm):
    postcode = forms.CharField(
        max_length=10,
        error_messages={
            "required": _("Enter the postcode where the behaviour is happening"),
            "max_length": _("Enter a full UK postcode, like NN1 1ED"),
        },
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        if not UK_POSTCODE.match(re.sub(r"\s+", " ", value.upper()).strip()) and not UK_POSTCODE.match(
            re.sub(r"\s+", "", value.upper())
        ):
            raise forms.ValidationError(_("Enter a full UK postcode, like NN1 1ED"))
        return postcode_normalise(value)


class AreaChoiceForm(QuestionForm):
    ELSEWHERE = "elsewhere"
    partnership = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the area where the behaviour is happening"),
            "invalid_choice": _("Select the area where the behaviour is happening"),
        },
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.slug, p.name) for p in partnerships] + [
            (self.ELSEWHERE, _("Somewhere else"))
        ]


CONCERN_CHOICES = [
    ("court_decision", _("I am unhappy with a decision made by a court")),
    (
        "cps_decision",
        _("I am unhappy with a decision by the Crown Prosecution Service (CPS) to charge someone or not"),
    ),
    (
        "service_provision_only",
        _("I want to complain about how I was treated by a service, not about the behaviour itself"),
    ),
]


class ConcernsForm(QuestionForm):
    NONE = "none"
    concerns = forms.MultipleChoiceField(
        choices=[*CONCERN_CHOICES, (NONE, _("None of these"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select what you want us to look at, or select ‘None of these’"),
            "invalid_choice": _("Select what you want us to look at, or select ‘None of these’"),
        },
    )

    def clean_concerns(self):
        chosen = self.cleaned_data["concerns"]
        if self.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                _("Select ‘None of these’ on its own, or the things that apply to you")
            )
        return [] if chosen == [self.NONE] else chosen


# -- Who is applying --------------------------------------------------------------------------------

WHO_CHOICES = [
    ("self_individual", _("I am – the behaviour is affecting me")),
    ("self_business", _("A business I own or run")),
    ("self_community_group", _("A community group I run or represent")),
    ("third_party", _("Someone else – I am applying on their behalf")),
]


class WhoForm(QuestionForm):
    applicant_type = forms.ChoiceField(
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who the behaviour is affecting"),
            "invalid_choice": _("Select who the behaviour is affecting"),
        },
    )


VICTIM_KIND_CHOICES = [
    ("individual", _("A person")),
    ("business", _("A business")),
    ("community_group", _("A community group")),
]


class VictimKindForm(QuestionForm):
    victim_kind = forms.ChoiceField(
        choices=VICTIM_KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who you are applying for"),
            "invalid_choice": _("Select who you are applying for"),
        },
    )


RELATIONSHIP_CHOICES = [
    ("friend", _("Friend")),
    ("relative", _("Relative")),
    ("carer", _("Carer")),
    ("councillor", _("Councillor")),
    ("mp", _("Member of Parliament (MP)")),
    ("professional", _("A professional, for example a support worker or housing officer")),
    ("other", _("Other")),
]
RELATIONSHIP_LABELS = dict(RELATIONSHIP_CHOICES) | {"professional": _("Professional")}


class RelationshipForm(QuestionForm):
    relationship = forms.ChoiceField(
        choices=RELATIONSHIP_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your relationship to the person you are applying for"),
            "invalid_choice": _("Select your relationship to the person you are applying for"),
        },
    )
    relationship_other = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": _("Your relationship must be 100 characters or fewer")},
    )

    def clean(self):
        data = super().clean()
        if data.get("relationship") == "other" and not data.get("relationship_other"):
            self.add_error(
                "relationship_other", _("Enter your relationship to the person you are applying for")
            )
        return data


PHONE = re.compile(r"^\+?[\d\s()-]{10,20}$")
PHONE_MESSAGE = _("Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
EMAIL_MESSAGE = _("Enter an email address in the correct format, like name@example.com")


def _check_phone(value: str) -> str:
    if value and not (PHONE.match(value) and sum(c.isdigit() for c in value) >= 10):
        raise forms.ValidationError(PHONE_MESSAGE)
    return value


class YourDetailsForm(QuestionForm):
    full_name = _text(
        200, _("Enter your full name"), too_long=_("Your full name must be 200 characters or fewer")
    )
    organisation = _text(
        200,
        "",
        required=False,
        too_long=_("The name of your organisation must be 200 characters or fewer"),
    )
    email = forms.CharField(
        required=False,
        max_length=254,
        error_messages={"max_length": _("Your email address must be 254 characters or fewer")},
    )
    phone = forms.CharField(required=False, max_length=40, error_messages={"max_length": PHONE_MESSAGE})

    def clean_email(self):
        value = self.cleaned_data["email"]
        if value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(EMAIL_MESSAGE) from None
        return value

    def clean_phone(self):
        return _check_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Enter your email address or telephone number, so we can contact you"))
        return data


CONSENT_CHOICES = [
    ("yes", _("Yes, they have agreed")),
    ("not_asked", _("Not yet – I have not asked them")),
    ("no", _("No, they have not agreed")),
]


class ConsentForm(QuestionForm):
    victim_consent = forms.ChoiceField(
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether the person you are applying for has agreed"),
            "invalid_choice": _("Select whether the person you are applying for has agreed"),
        },
    )


# -- The person or organisation affected -----------------------------------------------------------


class VictimNameForm(QuestionForm):
    def __init__(self, *args, words, **kwargs):
        super().__init__(*args, **kwargs)
        # Whole sentences, not a noun dropped into one: Welsh words change around it.
        business = words.organisation_noun == "business"
        if words.organisation:
            self.fields["organisation_name"] = _text(
                200,
                gettext("Enter the name of the business")
                if business
                else gettext("Enter the name of the community group"),
                too_long=gettext("The name of the business must be 200 characters or fewer")
                if business
                else gettext("The name of the community group must be 200 characters or fewer"),
            )
        if words.self_applying:
            required, too_long = (
                gettext("Enter your full name"),
                gettext("Your full name must be 200 characters or fewer"),
            )
        elif words.organisation and business:
            required, too_long = (
                gettext("Enter the name of a contact at the business"),
                gettext("The name of a contact at the business must be 200 characters or fewer"),
            )
        elif words.organisation:
            required, too_long = (
                gettext("Enter the name of a contact at the community group"),
                gettext("The name of a contact at the community group must be 200 characters or fewer"),
            )
        else:
            required, too_long = (
                gettext("Enter their full name"),
                gettext("Their full name must be 200 characters or fewer"),
            )
        self.fields["full_name"] = _text(200, required, too_long=too_long)


class AddressForm(QuestionForm):
    address_line_1 = _text(
        100,
        _("Enter address line 1, typically the building and street"),
        too_long=_("Address line 1 must be 100 characters or fewer"),
    )
    address_line_2 = _text(
        100, "", required=False, too_long=_("Address line 2 must be 100 characters or fewer")
    )
    town = _text(60, _("Enter town or city"), too_long=_("Town or city must be 60 characters or fewer"))
    postcode = forms.CharField(
        max_length=10,
        error_messages={
            "required": _("Enter postcode"),
            "max_length": _("Enter a full UK postcode, like NN1 1ED"),
        },
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        if not UK_POSTCODE.match(postcode_normalise(value)):
            raise forms.ValidationError(_("Enter a full UK postcode, like NN1 1ED"))
        return postcode_normalise(value)


CONTACT_CHOICES = [
    ("email", _("Email")),
    ("phone", _("Phone call")),
    ("text", _("Text message")),
    ("letter", _("Letter")),
]


class ContactForm(QuestionForm):
    preferred = forms.ChoiceField(
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how we should contact them"),
            "invalid_choice": _("Select how we should contact them"),
        },
    )
    email = forms.CharField(required=False, max_length=254, error_messages={"max_length": EMAIL_MESSAGE})
    phone = forms.CharField(required=False, max_length=40, error_messages={"max_length": PHONE_MESSAGE})
    mobile = forms.CharField(required=False, max_length=40, error_messages={"max_length": PHONE_MESSAGE})

    def __init__(self, *args, words, **kwargs):
        super().__init__(*args, **kwargs)
        message = (
            gettext("Select how we should contact you")
            if words.self_applying
            else gettext("Select how we should contact them")
        )
        self.fields["preferred"].error_messages = {"required": message, "invalid_choice": message}
        self.words = words

    def clean(self):
        data = super().clean()
        preferred = data.get("preferred")
        if data.get("email"):
            try:
                validate_email(data["email"])
            except forms.ValidationError:
                self.add_error("email", EMAIL_MESSAGE)
        for name in ("phone", "mobile"):
            if data.get(name):
                try:
                    _check_phone(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        needed = {
            "email": ("email", _("Enter an email address")),
            "phone": ("phone", _("Enter a telephone number")),
            "text": ("mobile", _("Enter a mobile phone number")),
        }
        if preferred in needed:
            name, message = needed[preferred]
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class ContactSafetyForm(QuestionForm):
    refuse = forms.MultipleChoiceField(
        required=False,
        choices=list(SAFE_CONTACT_REFUSALS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select the ways we must not contact them, or none")},
    )
    safe_times = _text(
        300, "", required=False, too_long=_("When it is safe to contact must be 300 characters or fewer")
    )
    safety_notes = _text(
        TEXT_MAX,
        "",
        required=False,
        too_long=_("What we must know to contact safely must be 5,000 characters or fewer"),
    )


FORMAT_CHOICES = [
    ("large_print", _("Large print")),
    ("easy_read", _("Easy read")),
    ("braille", _("Braille")),
    ("audio", _("Audio")),
    ("bsl", _("British Sign Language (BSL) interpreter")),
]
FORMAT_LABELS = dict(FORMAT_CHOICES)


class NeedsForm(QuestionForm):
    NONE = "none"
    formats = forms.MultipleChoiceField(
        required=False,
        choices=[*FORMAT_CHOICES, (NONE, _("No, none of these"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select the formats needed, or ‘No, none of these’")},
    )
    language = _text(100, "", required=False, too_long=_("The language must be 100 characters or fewer"))
    other_needs = _text(
        TEXT_MAX,
        "",
        required=False,
        too_long=_("Anything else we should know must be 5,000 characters or fewer"),
    )

    def clean_formats(self):
        chosen = self.cleaned_data["formats"]
        if self.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(_("Select ‘No, none of these’ on its own, or the formats needed"))
        return [c for c in chosen if c != self.NONE]


# -- Incidents --------------------------------------------------------------------------------------

# Translators: named in the date's messages, "Enter …", "… must be a real date". In Welsh without
# its article: the messages around it add "y" or "’r" (web/dates.py).
INCIDENT_DATE_LABEL = _("the date the incident happened")


class IncidentWhenForm(DateQuestionMixin, QuestionForm):
    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._add_date_fields("occurred")

    @property
    def occurred(self) -> dict:
        return self.date_input("occurred")

    def clean(self):
        data = super().clean()
        data["occurred_on"] = self._check_date("occurred", INCIDENT_DATE_LABEL, today=self.today)
        return data


class IncidentWhatForm(QuestionForm):
    description = _text(
        TEXT_MAX, _("Enter what happened"), too_long=_("What happened must be 5,000 characters or fewer")
    )
    location = _text(
        300, _("Enter where it happened"), too_long=_("Where it happened must be 300 characters or fewer")
    )


# The model's labels, marked for translation here (the staff pages show the model's own).
_HOSTILITY_WORDS = {
    "race": _("Race or ethnicity"),
    "religion": _("Religion or belief"),
    "disability": _("Disability"),
    "sexual_orientation": _("Sexual orientation"),
    "transgender": _("Transgender identity"),
}
HOSTILITY_CHOICES = [(m.value, _HOSTILITY_WORDS.get(m.value, m.label)) for m in HateMotivation]
HOSTILITY_NO, HOSTILITY_NOT_SURE = "no", "not_sure"
HOSTILITY_LABELS = dict(HOSTILITY_CHOICES) | {HOSTILITY_NO: _("No"), HOSTILITY_NOT_SURE: _("Not sure")}
HOSTILITY_MESSAGE = _(
    "Select if you think the incident was motivated by hostility, or select ‘No’ or ‘Not sure’"
)


class IncidentHostilityForm(QuestionForm):
    hostility = forms.MultipleChoiceField(
        choices=[*HOSTILITY_CHOICES, (HOSTILITY_NO, _("No")), (HOSTILITY_NOT_SURE, _("Not sure"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": HOSTILITY_MESSAGE, "invalid_choice": HOSTILITY_MESSAGE},
    )

    def clean_hostility(self):
        chosen = self.cleaned_data["hostility"]
        exclusive = {HOSTILITY_NO, HOSTILITY_NOT_SURE}
        if exclusive.intersection(chosen) and len(chosen) > 1:
            raise forms.ValidationError(
                _("Select ‘No’ or ‘Not sure’ on their own, or the kinds of hostility")
            )
        return chosen


OTHER, NOT_REPORTED = "other", "none"


class IncidentReportedForm(QuestionForm):
    reported_to = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select who you reported the incident to, or select ‘I did not report it’"),
            "invalid_choice": _("Select who you reported the incident to, or select ‘I did not report it’"),
        },
    )
    other_name = forms.CharField(
        required=False,
        max_length=200,
        error_messages={
            "max_length": _("The name of the other organisation must be 200 characters or fewer")
        },
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_to"].choices = [
            *[(agency_key(a), a.name) for a in agencies],
            (OTHER, _("Another organisation")),
            (NOT_REPORTED, _("I did not report it")),
        ]

    def clean(self):
        data = super().clean()
        chosen = data.get("reported_to") or []
        if NOT_REPORTED in chosen and len(chosen) > 1:
            self.add_error(
                "reported_to", _("Select ‘I did not report it’ on its own, or who you reported it to")
            )
        if OTHER in chosen and not data.get("other_name"):
            self.add_error("other_name", _("Enter the name of the other organisation"))
        return data


def agency_key(agency) -> str:
    return f"agency-{agency.pk}"


class IncidentReportsForm(DateQuestionMixin, QuestionForm):
    """For each organisation the incident was reported to: when, and their reference."""

    def __init__(self, *args, reported: list[tuple[str, str]], occurred_on: dt.date, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reported, self.occurred_on, self.today = reported, occurred_on, today
        for key, name in reported:
            self._add_date_fields(f"{key}-reported")
            self.fields[f"{key}-reference"] = forms.CharField(
                required=False,
                max_length=100,
                strip=True,
                error_messages={
                    "max_length": gettext("The reference %(name)s gave you must be 100 characters or fewer")
                    % {"name": name}
                },
            )

    @property
    def entries(self) -> list[dict]:
        return [
            {
                "key": key,
                "name": name,
                "date": self.date_input(f"{key}-reported"),
                "reference": self[f"{key}-reference"],
            }
            for key, name in self.reported
        ]

    def clean(self):
        data = super().clean()
        reports = {}
        occurred_words = gettext("the date the incident happened (%(date)s)") % {
            "date": date_format(self.occurred_on, "j F Y")
        }
        for key, name in self.reported:
            reported_on = self._check_date(
                f"{key}-reported",
                gettext("the date you reported it to %(name)s") % {"name": name},
                not_before=self.occurred_on,
                not_before_words=occurred_words,
                today=self.today,
            )
            reports[key] = {
                "reported_on": reported_on.isoformat() if reported_on else None,
                "reference": data.get(f"{key}-reference", ""),
            }
        data["reports"] = reports
        return data


class AddAnotherForm(QuestionForm):
    add_another = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if you want to add another incident"),
            "invalid_choice": _("Select yes if you want to add another incident"),
        },
    )


class RemoveIncidentForm(QuestionForm):
    confirm = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        message = gettext("Select yes if you want to remove incident %(number)s") % {"number": number}
        self.fields["confirm"].error_messages = {"required": message, "invalid_choice": message}


class SummaryForm(QuestionForm):
    summary = _text(
        TEXT_MAX,
        _("Enter what has happened so far"),
        too_long=_("What has happened so far must be 5,000 characters or fewer"),
    )


class OutcomeForm(QuestionForm):
    desired_outcome = _text(
        TEXT_MAX,
        _("Enter what you would like to happen"),
        too_long=_("What you would like to happen must be 5,000 characters or fewer"),
    )


class StartAgainForm(QuestionForm):
    confirm = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if you want to delete your answers and start again"),
            "invalid_choice": _("Select yes if you want to delete your answers and start again"),
        },
    )


#: The honeypot's field name: dull enough that browsers' autofill leaves it alone.
HONEYPOT_FIELD = "leave_blank_extra"


class SubmitForm(QuestionForm):
    token = forms.CharField(max_length=100)
    leave_blank_extra = forms.CharField(required=False, max_length=500)


class SaveForm(QuestionForm):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
