"""The public application's pages. Thin: the answers and the way between pages are in journey.py,
the questions in forms.py, the writes in services.py.

Every page works without JavaScript: links and forms only. Answers are kept in the session and
never put in a URL; the only query string is `?return=check` (or `incidents`), which says where
"Continue" goes after a change.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views import View
from django.views.decorators.cache import never_cache

from . import drafts
from . import forms as f
from .answers import check_answers_sections, incident_rows
from .journey import (
    CONFIRMATION_KEY,
    INCIDENT_STEP_NAMES,
    INCIDENT_STEPS,
    MAX_INCIDENTS,
    STEP_NAMES,
    Journey,
    back_url,
    first_unfinished,
    incident_back_url,
    incident_complete,
    incident_url_after,
    min_seconds,
    session_seconds,
    step_named,
    url_after,
    with_return,
)
from .selectors import (
    acknowledgement_due_on,
    acknowledgement_period,
    agencies_for_apply,
    area_question,
    partnership_for_journey,
    partnerships_covering_postcode,
    partnerships_for_apply,
)
from .services import online_application_submit

logger = logging.getLogger(__name__)


def _page(request, template, context, *, form=None, status=200):
    context = {"session_minutes": session_seconds() // 60, **context}
    if form is not None:
        context["form"] = form
        context["errors"] = form.error_summary() if form.is_bound else []
        context["page_error"] = bool(context["errors"])
    return render(request, template, context, status=status)


# -- Start, start again, session ended -------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class StartView(View):
    """/apply/ – the address councils link to. "Start now" is a form, so starting (which creates the
    journey and notes the time, for the spam check) never happens on a mere link prefetch."""

    def get(self, request):
        journey = Journey(request)
        partnerships = partnerships_for_apply()
        resume = None
        if journey.started:
            unfinished = first_unfinished(journey)
            resume = unfinished.url() if unfinished else reverse("apply:check-answers")
        return _page(request, "apply/start.html", {"partnerships": partnerships, "resume_url": resume})

    def post(self, request):
        partnerships = partnerships_for_apply()
        if not partnerships:
            return _page(request, "apply/start.html", {"partnerships": [], "resume_url": None}, status=503)
        journey = Journey(request)
        journey.start(partnership_slug=partnerships[0].slug if len(partnerships) == 1 else None)
        return redirect(first_unfinished(journey).url())


@method_decorator(never_cache, name="dispatch")
class StartAgainView(View):
    def get(self, request):
        return _page(request, "apply/start_again.html", {}, form=f.StartAgainForm())

    def post(self, request):
        form = f.StartAgainForm(request.POST)
        if not form.is_valid():
            return _page(request, "apply/start_again.html", {}, form=form)
        journey = Journey(request)
        if form.cleaned_data["confirm"] == "yes":
            journey.clear()
            return redirect("apply:start")
        if journey.started:
            unfinished = first_unfinished(journey)
            return redirect(unfinished.url() if unfinished else reverse("apply:check-answers"))
        return redirect("apply:start")


def session_ended(request):
    return _page(request, "apply/session_ended.html", {})


# -- Question pages ---------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class QuestionView(View):
    """One question page. Subclasses name the step, the form and the answers it asks for.

    `answers` are the form's fields kept in the journey: each under its own name, or, when
    `kept_as` is set, together as one dict under that name (a name, an address). A page whose
    answers need more than that overrides `initial` and `save`."""

    step: str = ""
    form_class = None
    template_name = ""
    answers: tuple[str, ...] = ()
    kept_as: str = ""

    def dispatch(self, request, *args, **kwargs):
        self.journey = Journey(request)
        if not self.journey.started:
            return redirect("apply:session-ended")
        self.returning = request.GET.get("return") == "check"
        step = step_named(self.step)
        if not step.applies(self.journey):
            return redirect(url_after(self.journey, self.step, returning=self.returning))
        unfinished = first_unfinished(self.journey)
        # Pages in order: a page whose earlier questions are unanswered sends the person to them.
        if unfinished is not None and STEP_NAMES.index(unfinished.name) < STEP_NAMES.index(self.step):
            return redirect(unfinished.url())
        self.partnership = partnership_for_journey(self.journey)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {}

    def initial(self) -> dict:
        if self.kept_as:
            return self.journey.get(self.kept_as) or {}
        return {name: self.journey.get(name) for name in self.answers}

    def save(self, data: dict) -> None:
        values = {name: data.get(name, "") for name in self.answers}
        if self.kept_as:
            self.journey.data[self.kept_as] = values
        else:
            self.journey.data.update(values)

    def next_url(self, data: dict) -> str:
        return url_after(self.journey, self.step, returning=self.returning)

    def context(self) -> dict:
        return {
            "back_url": back_url(self.journey, self.step, returning=self.returning),
            "w": self.journey.words,
            "partnership": self.partnership,
            "journey": self.journey,
        }

    def get(self, request):
        form = self.form_class(initial=self.initial(), **self.form_kwargs())
        return _page(request, self.template_name, self.context(), form=form)

    def post(self, request):
        form = self.form_class(request.POST, **self.form_kwargs())
        if not form.is_valid():
            return _page(request, self.template_name, self.context(), form=form)
        self.save(form.cleaned_data)
        self.journey.save()
        return redirect(self.next_url(form.cleaned_data))


class DangerView(QuestionView):
    step, form_class, template_name = "danger", f.DangerForm, "apply/danger.html"
    answers = ("in_danger",)

    def next_url(self, data):
        if data["in_danger"] == "yes":
            return reverse("apply:danger-exit") + ("?return=check" if self.returning else "")
        return super().next_url(data)


def danger_exit(request):
    journey = Journey(request)
    if not journey.started:
        return redirect("apply:session-ended")
    returning = request.GET.get("return") == "check"
    return _page(
        request,
        "apply/danger_exit.html",
        {
            "continue_url": url_after(journey, "danger", returning=returning),
            "back_url": reverse("apply:danger") + ("?return=check" if returning else ""),
        },
    )


class AreaView(QuestionView):
    step, form_class, template_name = "area", f.AreaPostcodeForm, "apply/area.html"

    def initial(self):
        return {"postcode": self.journey.get("area_postcode")}

    def save(self, data):
        covering = partnerships_covering_postcode(data["postcode"])
        self.journey.data["area_postcode"] = data["postcode"]
        if len(covering) == 1:
            self.journey.data["area_matched"] = True
            _set_partnership(self.journey, covering[0].slug)
        else:
            # None or several: the person chooses on the next page (an earlier choice no longer
            # follows from the postcode, so it is asked again).
            self.journey.data["area_matched"] = False
            self.journey.data["area_candidates"] = [p.slug for p in covering]
            self.journey.data.pop("partnership", None)


def _set_partnership(journey: Journey, slug: str) -> None:
    """Choose the area. A different area has different agencies: if the incidents' "who did you
    report it to" was answered for another area, it is cleared so it is asked again."""
    journey.data["partnership"] = slug
    if journey.get("reports_for") not in (None, slug):
        for incident in journey.incidents:
            incident.pop("reported_to", None)
            incident.pop("reports", None)
            incident.pop("other_name", None)
        journey.data["incidents_done"] = False
        journey.data["reports_for"] = None


class AreaChoiceView(QuestionView):
    step, form_class, template_name = "area-choice", f.AreaChoiceForm, "apply/area_choice.html"

    def form_kwargs(self):
        partnerships = partnerships_for_apply()
        candidates = self.journey.get("area_candidates") or []
        if candidates:  # the postcode's areas first
            partnerships.sort(key=lambda p: p.slug not in candidates)
        return {"partnerships": partnerships}

    def context(self):
        return {
            **super().context(),
            "area_question": area_question(),
            "area_postcode": self.journey.get("area_postcode"),
            "candidates": self.journey.get("area_candidates") or [],
        }

    def initial(self):
        return {"partnership": self.journey.get("partnership")}

    def save(self, data):
        if data["partnership"] != f.AreaChoiceForm.ELSEWHERE:
            _set_partnership(self.journey, data["partnership"])

    def next_url(self, data):
        if data["partnership"] == f.AreaChoiceForm.ELSEWHERE:
            return reverse("apply:area-elsewhere")
        return super().next_url(data)


def area_elsewhere(request):
    journey = Journey(request)
    if not journey.started:
        return redirect("apply:session-ended")
    return _page(
        request,
        "apply/area_elsewhere.html",
        {"partnerships": partnerships_for_apply(), "back_url": reverse("apply:area-choice")},
    )


class ConcernsView(QuestionView):
    step, form_class, template_name = "concerns", f.ConcernsForm, "apply/concerns.html"

    def initial(self):
        concerns = self.journey.get("concerns")
        if concerns is None:
            return {}
        return {"concerns": concerns or [f.ConcernsForm.NONE]}

    def save(self, data):
        self.journey.data["concerns"] = data["concerns"]

    def next_url(self, data):
        if data["concerns"]:
            return reverse("apply:not-the-right-route") + ("?return=check" if self.returning else "")
        return super().next_url(data)


def not_the_right_route(request):
    """Where to go instead, for each thing the person said they want looked at. Not a dead end:
    they may continue if they think the review applies (the decision is the staff's)."""
    journey = Journey(request)
    if not journey.started:
        return redirect("apply:session-ended")
    returning = request.GET.get("return") == "check"
    return _page(
        request,
        "apply/not_the_right_route.html",
        {
            "concerns": journey.get("concerns") or [],
            "partnership": partnership_for_journey(journey),
            "continue_url": url_after(journey, "concerns", returning=returning),
            "back_url": reverse("apply:concerns") + ("?return=check" if returning else ""),
        },
    )


class WhoView(QuestionView):
    step, form_class, template_name = "who", f.WhoForm, "apply/who.html"
    answers = ("applicant_type",)


class VictimKindView(QuestionView):
    step, form_class, template_name = "victim-kind", f.VictimKindForm, "apply/victim_kind.html"
    answers = ("victim_kind",)


class RelationshipView(QuestionView):
    step, form_class, template_name = "relationship", f.RelationshipForm, "apply/relationship.html"
    answers = ("relationship", "relationship_other")

    def save(self, data):
        self.journey.data["relationship"] = data["relationship"]
        self.journey.data["relationship_other"] = (
            data["relationship_other"] if data["relationship"] == "other" else ""
        )


class YourDetailsView(QuestionView):
    step, form_class, template_name = "your-details", f.YourDetailsForm, "apply/your_details.html"
    answers, kept_as = ("full_name", "organisation", "email", "phone"), "applicant"


class ConsentView(QuestionView):
    step, form_class, template_name = "consent", f.ConsentForm, "apply/consent.html"
    answers = ("victim_consent",)


class VictimNameView(QuestionView):
    step, form_class, template_name = "victim-name", f.VictimNameForm, "apply/victim_name.html"
    answers, kept_as = ("full_name", "organisation_name"), "victim_name"

    def form_kwargs(self):
        return {"words": self.journey.words}


class VictimAddressView(QuestionView):
    step, form_class, template_name = "victim-address", f.AddressForm, "apply/victim_address.html"
    answers, kept_as = ("address_line_1", "address_line_2", "town", "postcode"), "victim_address"


class ContactView(QuestionView):
    step, form_class, template_name = "contact", f.ContactForm, "apply/contact.html"
    answers, kept_as = ("preferred", "email", "phone", "mobile"), "contact"

    def form_kwargs(self):
        return {"words": self.journey.words}


class ContactSafetyView(QuestionView):
    step, form_class, template_name = "contact-safety", f.ContactSafetyForm, "apply/contact_safety.html"
    answers, kept_as = ("refuse", "safe_times", "safety_notes"), "contact_safety"


class NeedsView(QuestionView):
    step, form_class, template_name = "needs", f.NeedsForm, "apply/needs.html"
    answers, kept_as = ("formats", "language", "other_needs"), "needs"


class SummaryView(QuestionView):
    step, form_class, template_name = "what-has-happened", f.SummaryForm, "apply/summary.html"
    answers = ("summary",)


class OutcomeView(QuestionView):
    step, form_class, template_name = "outcome", f.OutcomeForm, "apply/outcome.html"
    answers = ("desired_outcome",)


# -- Incidents --------------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class IncidentsView(QuestionView):
    """The list of incidents so far, each with change and remove, and "add another?"."""

    step, form_class, template_name = "incidents", f.AddAnotherForm, "apply/incidents.html"

    def dispatch(self, request, *args, **kwargs):
        journey = Journey(request)
        if journey.started and not journey.incidents:
            first = step_named("incidents")
            unfinished = first_unfinished(journey)
            if unfinished is None or unfinished.name == first.name:
                return redirect(INCIDENT_STEPS[0].url(1))
        return super().dispatch(request, *args, **kwargs)

    def context(self):
        incidents = self.journey.incidents
        agencies = {}
        if self.partnership is not None:
            agencies = {f.agency_key(a): a.name for a in agencies_for_apply(self.partnership)}
        return {
            **super().context(),
            "incidents": [
                {
                    "number": number,
                    "complete": incident_complete(incident),
                    "rows": incident_rows(incident, number, agencies, returning="incidents"),
                    "continue_url": _first_unfinished_incident_url(incident, number),
                    "remove_url": reverse("apply:incident-remove", args=[number]),
                }
                for number, incident in enumerate(incidents, start=1)
            ],
            "can_add": len(incidents) < MAX_INCIDENTS,
            "max_incidents": MAX_INCIDENTS,
        }

    def get(self, request):
        return _page(request, self.template_name, self.context(), form=self.form_class())

    def post(self, request):
        form = self.form_class(request.POST)
        incidents = self.journey.incidents
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                if len(incidents) >= MAX_INCIDENTS:
                    form.add_error(
                        "add_another",
                        gettext(
                            "You can add up to %(most)s incidents. Tell us about others in "
                            "‘What has happened so far’"
                        )
                        % {"most": MAX_INCIDENTS},
                    )
                else:
                    self.journey.data["incidents_done"] = False
                    self.journey.save()
                    return redirect(INCIDENT_STEPS[0].url(len(incidents) + 1))
            else:
                unfinished = [n for n, i in enumerate(incidents, start=1) if not incident_complete(i)]
                if unfinished:
                    form.add_error(
                        "add_another",
                        gettext("Finish incident %(number)s or remove it before you continue")
                        % {"number": unfinished[0]},
                    )
                else:
                    self.journey.data["incidents_done"] = True
                    self.journey.save()
                    # The next unanswered question, or "Check your answers" when all are answered
                    # (incidents added from there go back there).
                    unfinished = first_unfinished(self.journey)
                    if unfinished is None:
                        return redirect("apply:check-answers")
                    return redirect(with_return(unfinished.url()) if self.returning else unfinished.url())
        return _page(request, self.template_name, self.context(), form=form)


def _first_unfinished_incident_url(incident: dict, number: int) -> str | None:
    step = next((s for s in INCIDENT_STEPS if s.applies(incident) and not s.done(incident)), None)
    return with_return(step.url(number), "incidents") if step else None


@method_decorator(never_cache, name="dispatch")
class IncidentStepView(View):
    """One page about one incident. Number len+1 is a new incident, created by its first page."""

    step = ""
    form_class = None
    template_name = ""

    def dispatch(self, request, number: int, *args, **kwargs):
        self.journey = Journey(request)
        if not self.journey.started:
            return redirect("apply:session-ended")
        unfinished = first_unfinished(self.journey)
        if unfinished is not None and STEP_NAMES.index(unfinished.name) < STEP_NAMES.index("incidents"):
            return redirect(unfinished.url())
        incidents = self.journey.incidents
        self.number = number
        if number < 1 or number > len(incidents) + 1 or number > MAX_INCIDENTS:
            raise Http404("No such incident")
        self.is_new = number == len(incidents) + 1
        if self.is_new and self.step != INCIDENT_STEP_NAMES[0]:
            return redirect(INCIDENT_STEPS[0].url(number))
        self.incident = {} if self.is_new else incidents[number - 1]
        step = INCIDENT_STEPS[INCIDENT_STEP_NAMES.index(self.step)]
        returning = request.GET.get("return")
        self.returning = returning if returning in ("check", "incidents") else None
        if not step.applies(self.incident):
            return redirect(incident_url_after(self.incident, number, self.step, returning=self.returning))
        # Pages in order: a page whose earlier pages are not answered sends the person to them.
        for earlier in INCIDENT_STEPS[: INCIDENT_STEP_NAMES.index(self.step)]:
            if earlier.applies(self.incident) and not earlier.done(self.incident):
                return redirect(earlier.url(number))
        self.partnership = partnership_for_journey(self.journey)
        return super().dispatch(request, *args, number=number, **kwargs)

    def form_kwargs(self) -> dict:
        return {}

    def initial(self) -> dict:
        return {}

    def context(self) -> dict:
        return {
            "back_url": incident_back_url(
                self.journey, self.incident, self.number, self.step, returning=self.returning
            ),
            "w": self.journey.words,
            "number": self.number,
            "incident": self.incident,
            "partnership": self.partnership,
        }

    def get(self, request, number):
        form = self.form_class(initial=self.initial(), **self.form_kwargs())
        return _page(request, self.template_name, self.context(), form=form)

    def post(self, request, number):
        form = self.form_class(request.POST, **self.form_kwargs())
        if not form.is_valid():
            return _page(request, self.template_name, self.context(), form=form)
        if self.is_new:
            self.journey.incidents.append(self.incident)
            self.journey.data["incidents_done"] = False
        self.save(form.cleaned_data)
        self.journey.save()
        return redirect(incident_url_after(self.incident, self.number, self.step, returning=self.returning))


class IncidentWhenView(IncidentStepView):
    step, form_class, template_name = "when", f.IncidentWhenForm, "apply/incident_when.html"

    def initial(self):
        return f.date_initial("occurred", self.incident.get("occurred_on"))

    def save(self, data):
        self.incident["occurred_on"] = data["occurred_on"].isoformat()
        # A report cannot be before the incident: ask again for any report dates now too early.
        for report in (self.incident.get("reports") or {}).values():
            if report.get("reported_on") and report["reported_on"] < self.incident["occurred_on"]:
                report["reported_on"] = None


class IncidentWhatView(IncidentStepView):
    step, form_class, template_name = "what", f.IncidentWhatForm, "apply/incident_what.html"

    def initial(self):
        return {"description": self.incident.get("description"), "location": self.incident.get("location")}

    def save(self, data):
        self.incident["description"] = data["description"]
        self.incident["location"] = data["location"]


class IncidentHostilityView(IncidentStepView):
    step, form_class, template_name = "hostility", f.IncidentHostilityForm, "apply/incident_hostility.html"

    def initial(self):
        return {"hostility": self.incident.get("hostility")}

    def save(self, data):
        self.incident["hostility"] = data["hostility"]


class IncidentReportedView(IncidentStepView):
    step, form_class, template_name = "reported", f.IncidentReportedForm, "apply/incident_reported.html"

    def form_kwargs(self):
        return {"agencies": agencies_for_apply(self.partnership) if self.partnership else []}

    def initial(self):
        return {
            "reported_to": self.incident.get("reported_to"),
            "other_name": self.incident.get("other_name"),
        }

    def save(self, data):
        chosen = data["reported_to"]
        self.journey.data["reports_for"] = self.partnership.slug if self.partnership else None
        self.incident["reported_to"] = chosen
        self.incident["other_name"] = data["other_name"] if f.OTHER in chosen else ""
        reports = self.incident.get("reports") or {}
        self.incident["reports"] = {key: value for key, value in reports.items() if key in chosen}


class IncidentReportsView(IncidentStepView):
    step, form_class, template_name = "reports", f.IncidentReportsForm, "apply/incident_reports.html"

    def reported(self) -> list[tuple[str, str]]:
        names = (
            {f.agency_key(a): a.name for a in agencies_for_apply(self.partnership)}
            if self.partnership
            else {}
        )
        names[f.OTHER] = self.incident.get("other_name") or gettext("the other organisation")
        return [
            (key, names.get(key, key))
            for key in self.incident.get("reported_to", [])
            if key != f.NOT_REPORTED
        ]

    def form_kwargs(self):
        return {
            "reported": self.reported(),
            "occurred_on": dt.date.fromisoformat(self.incident["occurred_on"]),
        }

    def initial(self):
        initial = {}
        for key, report in (self.incident.get("reports") or {}).items():
            initial.update(f.date_initial(f"{key}-reported", report.get("reported_on")))
            initial[f"{key}-reference"] = report.get("reference", "")
        return initial

    def context(self):
        return {**super().context(), "reported": self.reported()}

    def save(self, data):
        self.incident["reports"] = data["reports"]


@method_decorator(never_cache, name="dispatch")
class IncidentRemoveView(View):
    def dispatch(self, request, number: int, *args, **kwargs):
        self.journey = Journey(request)
        if not self.journey.started:
            return redirect("apply:session-ended")
        if number < 1 or number > len(self.journey.incidents):
            raise Http404("No such incident")
        self.number = number
        return super().dispatch(request, *args, number=number, **kwargs)

    def context(self):
        return {
            "number": self.number,
            "legend": gettext("Are you sure you want to remove incident %(number)s?")
            % {"number": self.number},
            "back_url": reverse("apply:incidents"),
        }

    def get(self, request, number):
        return _page(
            request, "apply/incident_remove.html", self.context(), form=f.RemoveIncidentForm(number=number)
        )

    def post(self, request, number):
        form = f.RemoveIncidentForm(request.POST, number=number)
        if not form.is_valid():
            return _page(request, "apply/incident_remove.html", self.context(), form=form)
        if form.cleaned_data["confirm"] == "yes":
            del self.journey.incidents[number - 1]
            if not self.journey.incidents:
                self.journey.data["incidents_done"] = False
            self.journey.save()
        return redirect("apply:incidents")


# -- Check your answers, send, confirmation ---------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class CheckAnswersView(View):
    def dispatch(self, request, *args, **kwargs):
        self.journey = Journey(request)
        if not self.journey.started:
            if request.session.get(CONFIRMATION_KEY):
                return redirect("apply:confirmation")  # sent already: back, or a second click
            return redirect("apply:session-ended")
        unfinished = first_unfinished(self.journey)
        if unfinished is not None:
            return redirect(unfinished.url())
        self.partnership = partnership_for_journey(self.journey)
        return super().dispatch(request, *args, **kwargs)

    def context(self, problems=()):
        return {
            "sections": check_answers_sections(self.journey, self.partnership),
            "back_url": step_named("outcome").url(),
            "token": self.journey.get("token"),
            "honeypot": f.HONEYPOT_FIELD,
            "problems": list(problems),
            "page_error": bool(problems),
            "errors": [{"href": "#main-content", "text": p} for p in problems],
            "partnership": self.partnership,
        }

    def get(self, request):
        return _page(request, "apply/check_answers.html", self.context())

    def post(self, request):
        form = f.SubmitForm(request.POST)
        confirmation = request.session.get(CONFIRMATION_KEY)
        if not form.is_valid() or form.cleaned_data["token"] != self.journey.get("token"):
            if confirmation and request.POST.get("token") == confirmation.get("token"):
                return redirect("apply:confirmation")
            # A form from another journey (an old tab): show this journey's answers to send.
            return redirect("apply:check-answers")
        reason = _spam_reason(form.cleaned_data, self.journey)
        if reason:
            # Quietly not saved: log that it happened (no personal data), answer as if all is well.
            logger.warning("Online application not saved: it looked automated (%s)", reason)
            partnership = self.partnership
            self.journey.clear()
            request.session[CONFIRMATION_KEY] = {
                "token": form.cleaned_data["token"],
                "reference": None,
                "partnership": partnership.slug if partnership else None,
            }
            return redirect("apply:confirmation")
        today = timezone.localdate()
        try:
            application = online_application_submit(
                answers=self.journey.data,
                token=self.journey.get("token"),
                today=today,
                language=get_language(),  # the page's, English or Welsh (web/language.py)
            )
        except ValidationError as error:
            return _page(request, "apply/check_answers.html", self.context(error.messages), status=400)
        request.session[CONFIRMATION_KEY] = {
            "token": self.journey.get("token"),
            "reference": application.reference,
            "partnership": application.partnership.slug,
            "received_on": application.received_on.isoformat(),
            "third_party": application.is_third_party,
            "victim_consent": self.journey.get("victim_consent"),
            "email": bool((self.journey.get("contact") or {}).get("email")),
        }
        self.journey.clear()
        return redirect("apply:confirmation")


def _spam_reason(cleaned: dict, journey: Journey) -> str:
    """Why this looks automated, or "". Server-side only: no CAPTCHA, nothing a person must do."""
    if cleaned.get(f.HONEYPOT_FIELD):
        return "honeypot"
    started_at = journey.get("started_at") or 0
    if time.time() - started_at < min_seconds():
        return "too fast"
    return ""


@method_decorator(never_cache, name="dispatch")
class ConfirmationView(View):
    def get(self, request):
        confirmation = request.session.get(CONFIRMATION_KEY)
        if not confirmation:
            return redirect("apply:start")
        from casereview.accounts.models import Partnership

        partnership = Partnership.objects.filter(slug=confirmation.get("partnership") or "").first()
        received_on = (
            dt.date.fromisoformat(confirmation["received_on"])
            if confirmation.get("received_on")
            else timezone.localdate()
        )
        acknowledge_by = acknowledgement_due_on(partnership, received_on) if partnership else None
        return _page(
            request,
            "apply/confirmation.html",
            {
                "confirmation": confirmation,
                "partnership": partnership,
                "acknowledge_by": acknowledge_by,
                "acknowledge_within": acknowledgement_period(partnership) if partnership else "",
            },
        )


# -- Save and come back later (apply/drafts.py) ---------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class SaveView(View):
    """Save the answers so far and email a link to come back (the GOV.UK pattern)."""

    def get(self, request):
        if not Journey(request).started:
            return redirect("apply:start")
        return _page(request, "apply/save.html", {"days": drafts.draft_days()}, form=f.SaveForm())

    def post(self, request):
        journey = Journey(request)
        if not journey.started:
            return redirect("apply:start")
        form = f.SaveForm(request.POST)
        if not form.is_valid():
            return _page(request, "apply/save.html", {"days": drafts.draft_days()}, form=form)
        draft = drafts.draft_save(
            answers=journey.data,
            email=form.cleaned_data["email"],
            language=getattr(request, "LANGUAGE_CODE", ""),
            link_base=request.build_absolute_uri(reverse("apply:return", args=["x"]))[: -len("x/")],
        )
        journey.clear()  # the answers are now only in the saved draft
        request.session["apply_saved_until"] = draft.expires_at.isoformat()
        return redirect("apply:saved")


def saved(request):
    until = request.session.get("apply_saved_until")
    if not until:
        return redirect("apply:start")
    return _page(request, "apply/saved.html", {"until": dt.datetime.fromisoformat(until)})


@never_cache
def come_back(request, token: str):
    """The emailed link: the answers back into this browser's session, the draft deleted."""
    answers = drafts.draft_resume(token=token)
    if answers is None:
        return _page(request, "apply/draft_gone.html", {"days": drafts.draft_days()}, status=404)
    journey = Journey(request)
    journey.data = answers
    journey.save()
    unfinished = first_unfinished(journey)
    return redirect(unfinished.url() if unfinished else reverse("apply:check-answers"))
