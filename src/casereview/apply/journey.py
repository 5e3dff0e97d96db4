"""The public application journey: its answers, its steps and the way between them.

Answers live in the server-side session (never in URLs or query strings): `Journey` wraps the
session's "apply" entry. The journey is a list of question pages (`STEPS`), each of which may
apply or not (a third party has more questions than a victim) and is done once answered. Every
page works out where "Continue" and "Back" go from the answers, so a change made from "Check your
answers" that opens up new questions (someone now applying for another person) leads through them
before returning to "Check your answers".

Incidents are a loop inside the journey: each has its own small list of pages (`INCIDENT_STEPS`).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

SESSION_KEY = "apply"
CONFIRMATION_KEY = "apply_confirmation"
#: How long an unfinished application is kept without activity (seconds). Short: the session holds
#: personal data on a possibly shared computer.
DEFAULT_SESSION_SECONDS = 60 * 60
#: The least time a person can take from "Start now" to "Send application" (seconds). Nobody can
#: read and answer the questions faster; automated scripts do.
DEFAULT_MIN_SECONDS = 15
MAX_INCIDENTS = 20

THIRD_PARTY = "third_party"
APPLICANT_TYPES = {
    "self_individual": "individual",
    "self_business": "business",
    "self_community_group": "community_group",
}


def session_seconds() -> int:
    """How long answers are kept without a change: the apply setting, or the site's session
    length if that is shorter (a session that ends sooner takes the answers with it)."""
    own = int(getattr(settings, "CASEREVIEW_APPLY_SESSION_SECONDS", DEFAULT_SESSION_SECONDS))
    return min(own, int(settings.SESSION_COOKIE_AGE))


def min_seconds() -> float:
    return float(getattr(settings, "CASEREVIEW_APPLY_MIN_SECONDS", DEFAULT_MIN_SECONDS))


class Journey:
    """One person's application in progress, held in their session."""

    def __init__(self, request):
        self.request = request
        self.session = request.session
        data = self.session.get(SESSION_KEY)
        if data and time.time() - data.get("updated_at", 0) > session_seconds():
            # Left too long: forget it (the session backend expires it too; this is the belt).
            self.session.pop(SESSION_KEY, None)
            data = None
        self.data: dict | None = data

    @property
    def started(self) -> bool:
        return self.data is not None

    def start(self, *, partnership_slug: str | None) -> None:
        self.session.pop(CONFIRMATION_KEY, None)
        self.data = {
            "token": secrets.token_urlsafe(32),
            "started_at": time.time(),
            "incidents": [],
        }
        if partnership_slug:
            self.data["partnership"] = partnership_slug
            self.data["single_partnership"] = True
        if not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and not getattr(
            self.request.user, "is_authenticated", False
        ):
            # Where the site keeps sessions after the browser closes, a member of the public's
            # session (answers and all) still ends after the journey's own inactivity limit.
            self.session.set_expiry(session_seconds())
        self.save()

    def save(self) -> None:
        assert self.data is not None
        self.data["updated_at"] = time.time()
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)
        self.data = None

    # -- shorthand used by the pages --------------------------------------------------------------

    def get(self, key, default=None):
        return (self.data or {}).get(key, default)

    @property
    def incidents(self) -> list[dict]:
        return self.data.setdefault("incidents", []) if self.data is not None else []

    @property
    def is_third_party(self) -> bool:
        return self.get("applicant_type") == THIRD_PARTY

    @property
    def victim_kind(self) -> str:
        if self.is_third_party:
            return self.get("victim_kind") or "individual"
        return APPLICANT_TYPES.get(self.get("applicant_type"), "individual")

    @property
    def words(self) -> Words:
        return Words.for_journey(self)


@dataclass(frozen=True)
class Words:
    """The few words that change with who is applying: "your address" or "their address"."""

    self_applying: bool
    organisation: bool
    you: str
    your: str
    you_are: str
    organisation_noun: str  # "business", "community group" or ""

    @classmethod
    def for_journey(cls, journey: Journey) -> Words:
        kind = journey.victim_kind
        noun = {"business": "business", "community_group": "community group"}.get(kind, "")
        if journey.is_third_party:
            return cls(False, bool(noun), "them", "their", "they are", noun)
        return cls(True, bool(noun), "you", "your", "you are", noun)


# -- The steps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str  # the URL name, apply:<name>
    applies: Callable[[Journey], bool]
    done: Callable[[Journey], bool]

    def url(self) -> str:
        return reverse(f"apply:{self.name}")


def _always(journey: Journey) -> bool:
    return True


def _has(*keys: str) -> Callable[[Journey], bool]:
    return lambda journey: all(key in (journey.data or {}) for key in keys)


def _third_party(journey: Journey) -> bool:
    return journey.is_third_party


def _area_by_postcode(journey: Journey) -> bool:
    from .selectors import area_question

    return area_question() == "postcode"


def _area_by_choice(journey: Journey) -> bool:
    from .selectors import area_question

    question = area_question()
    if question == "choice":
        return True
    return question == "postcode" and not journey.get("area_matched")


def _partnership_known(journey: Journey) -> bool:
    from .selectors import partnership_for_journey

    return partnership_for_journey(journey) is not None


def incident_complete(incident: dict) -> bool:
    return all(step.done(incident) for step in INCIDENT_STEPS if step.applies(incident))


def _incidents_done(journey: Journey) -> bool:
    incidents = journey.incidents
    return bool(incidents) and all(incident_complete(i) for i in incidents) and journey.get("incidents_done")


STEPS: tuple[Step, ...] = (
    Step("danger", _always, _has("in_danger")),
    Step("area", _area_by_postcode, _has("area_postcode")),
    Step("area-choice", _area_by_choice, _partnership_known),
    Step("concerns", _always, _has("concerns")),
    Step("who", _always, _has("applicant_type")),
    Step("victim-kind", _third_party, _has("victim_kind")),
    Step("relationship", _third_party, _has("relationship")),
    Step("your-details", _third_party, _has("applicant")),
    Step("consent", _third_party, _has("victim_consent")),
    Step("victim-name", _always, _has("victim_name")),
    Step("victim-address", _always, _has("victim_address")),
    Step("contact", _always, _has("contact")),
    Step("contact-safety", _always, _has("contact_safety")),
    Step("needs", _always, _has("needs")),
    Step("incidents", _always, _incidents_done),
    Step("what-has-happened", _always, _has("summary")),
    Step("outcome", _always, _has("desired_outcome")),
)
STEP_NAMES = tuple(step.name for step in STEPS)


def step_named(name: str) -> Step:
    return STEPS[STEP_NAMES.index(name)]


def first_unfinished(journey: Journey) -> Step | None:
    """The first question that applies and is not answered yet; None when all are answered."""
    return next((step for step in STEPS if step.applies(journey) and not step.done(journey)), None)


def step_after(journey: Journey, name: str) -> Step | None:
    index = STEP_NAMES.index(name)
    return next((step for step in STEPS[index + 1 :] if step.applies(journey)), None)


def step_before(journey: Journey, name: str) -> Step | None:
    index = STEP_NAMES.index(name)
    return next((step for step in reversed(STEPS[:index]) if step.applies(journey)), None)


def check_answers_url() -> str:
    return reverse("apply:check-answers")


def url_after(journey: Journey, name: str, *, returning: bool) -> str:
    """Where "Continue" goes from the step `name`.

    Returning from "Check your answers", go back there unless the change opened up a question
    that is not answered yet. Otherwise, the next question; the last leads to "Check your answers".
    """
    if returning:
        unfinished = first_unfinished(journey)
        return with_return(unfinished.url()) if unfinished else check_answers_url()
    following = step_after(journey, name)
    return following.url() if following else check_answers_url()


def back_url(journey: Journey, name: str, *, returning: bool) -> str:
    if returning:
        return check_answers_url()
    previous = step_before(journey, name)
    if previous is None:
        return reverse("apply:start")
    return previous.url()


def with_return(url: str, to: str = "check") -> str:
    # The only thing ever put in a query string: which page to go back to. Never an answer.
    return f"{url}?return={to}"


# -- Incidents ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentStep:
    name: str  # apply:incident-<name>
    applies: Callable[[dict], bool]
    done: Callable[[dict], bool]

    def url(self, number: int) -> str:
        return reverse(f"apply:incident-{self.name}", args=[number])


def _reported_somewhere(incident: dict) -> bool:
    return any(key != "none" for key in incident.get("reported_to", []))


def _reports_done(incident: dict) -> bool:
    reports = incident.get("reports", {})
    return all(
        reports.get(key, {}).get("reported_on") for key in incident.get("reported_to", []) if key != "none"
    )


INCIDENT_STEPS: tuple[IncidentStep, ...] = (
    IncidentStep("when", lambda i: True, lambda i: bool(i.get("occurred_on"))),
    IncidentStep("what", lambda i: True, lambda i: bool(i.get("description"))),
    IncidentStep("hostility", lambda i: True, lambda i: bool(i.get("hostility"))),
    IncidentStep("reported", lambda i: True, lambda i: bool(i.get("reported_to"))),
    IncidentStep("reports", _reported_somewhere, _reports_done),
)
INCIDENT_STEP_NAMES = tuple(step.name for step in INCIDENT_STEPS)


def incident_url_after(incident: dict, number: int, name: str, *, returning: str | None) -> str:
    """Where "Continue" goes from an incident's page: its next page, else the list of incidents
    (or "Check your answers" when the change started there)."""
    if returning:
        unfinished = next(
            (step for step in INCIDENT_STEPS if step.applies(incident) and not step.done(incident)), None
        )
        if unfinished is not None:
            return with_return(unfinished.url(number), returning)
        return check_answers_url() if returning == "check" else reverse("apply:incidents")
    index = INCIDENT_STEP_NAMES.index(name)
    following = next((s for s in INCIDENT_STEPS[index + 1 :] if s.applies(incident)), None)
    return following.url(number) if following else reverse("apply:incidents")


def incident_back_url(journey: Journey, incident: dict, number: int, name: str, *, returning: str | None):
    if returning == "check":
        return check_answers_url()
    if returning == "incidents":
        return reverse("apply:incidents")
    index = INCIDENT_STEP_NAMES.index(name)
    previous = next((s for s in reversed(INCIDENT_STEPS[:index]) if s.applies(incident)), None)
    if previous is not None:
        return previous.url(number)
    if len(journey.incidents) >= 1 and number > 1:
        return reverse("apply:incidents")
    before = step_before(journey, "incidents")
    return before.url() if before else reverse("apply:start")


def iso_to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
