"""Hostile input: script payloads in every free-text field of every record, rendered on every page
(and in the HTML behind the PDFs); injection attempts in search parameters; CSRF on every URL;
guessed and sequential identifiers.

Records are made through the services and then EVERY free-text field of EVERY record in the
product's apps is overwritten with a payload — so a model or page a colleague adds is covered the
day it lands, with nothing to register.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client

from casereview.applications.models import Application
from casereview.web.encryption import EncryptedTextField
from tests.factories import make_application
from tests.security import url_inventory
from tests.security.test_access_matrix import (
    PARAMETERS,
    VIEW_PARAMETERS,
    _body,
    _clients,
    _model_for,
    scoped_records,
)

SCRIPT = '<script>alert("xss-1")</script>'
IMG = '"><img src=x onerror=alert("xss-2")>'
SHORT = "<b>xss</b>"
RAW_MARKERS = ('<script>alert("xss', "<img src=x onerror", "<b>xss</b>")

# Fields that are identifiers or configuration, not free text a person types.
NOT_FREE_TEXT = {
    "reference",
    "slug",
    "policy_ref",
    "policy_text",
    "reference_prefix",
    "stored_name",
    "sha256",
    "content_type",
    "password",
    "username",
    "email",
    "key",
    "ref",
    "token",
    "object_type",
    "object_id",
    "case_reference",
    "partnership_slug",
    "method",
    "path",
    "codename",
    "session_key",
}


# Fields that hold the product's own rendered output, never text a person typed: a letter's HTML
# as issued is built by the letters renderer, which escapes every value it puts in (tested below
# with the payloads going in through the case and the template editor, as a person would).
RENDERED_OUTPUT = {("letters.letter", "body_html")}

# Codes the product writes and no person types: a case's kind names a registered kind (ADR 0048),
# set by the service that opens the case (the review's proxy sets its own).
PRODUCT_CODES = {("applications.case", "kind"), ("applications.application", "kind")}


def _free_text_fields(model):
    for field in model._meta.concrete_fields:
        if (model._meta.label_lower, field.name) in RENDERED_OUTPUT | PRODUCT_CODES:
            continue
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and not field.primary_key
            and not field.unique
            and field.name not in NOT_FREE_TEXT
            and not isinstance(field, models.EmailField | models.SlugField | models.URLField)
        ):
            yield field


def _poison_everything():
    """Overwrite every free-text field of every product record with a payload."""
    poisoned = 0
    for model in apps.get_models():
        config = model._meta.app_config
        if not config.name.startswith("casereview.") or config.label == "audit":
            continue
        for field in _free_text_fields(model):
            if model._meta.label_lower == "accounts.user" and field.name not in {
                "first_name",
                "last_name",
                "job_title",
            }:
                continue
            if model._meta.label_lower in {"accounts.partnership"} and field.name not in {"name", "address"}:
                continue
            limit = field.max_length or 10_000
            for pk in model._base_manager.values_list("pk", flat=True):
                # Each row its own value, so composite unique constraints still hold.
                if limit >= len(IMG) + len(SCRIPT) + 12:
                    value = f"{SCRIPT} {IMG} #{pk}"
                elif limit >= len(SHORT) + 8:
                    value = f"{SHORT}{pk}"
                else:
                    break
                if isinstance(field, EncryptedTextField):
                    obj = model._base_manager.get(pk=pk)
                    setattr(obj, field.attname, value)
                    obj.save(update_fields=[field.name])
                else:
                    model._base_manager.filter(pk=pk).update(**{field.attname: value})
            poisoned += 1
    return poisoned


def _world(demo):
    from casereview.applications.models import AllegedPerpetrator, Person
    from casereview.privacy import services as privacy

    call_command("demo", stdout=io.StringIO())
    wn = demo.partnership()
    csm = demo.user("wn-csm")
    applicant = Person(full_name="Helper", address="2 Road")
    case = make_application(
        wn,
        applicant=applicant,
        applicant_relationship="friend",
        victim_consent=True,
        summary="s",
        desired_outcome="d",
        location="l",
        actor=csm,
    )
    AllegedPerpetrator.objects.create(application=case, name="p", address="a", description="d")
    privacy.sensitive_information_record(
        application=case, person=case.victim, actor=csm, ethnicity="e", criminal_history="c", source="s"
    )
    privacy.evidence_file_add(
        application=case, name="x.png", content=b"\x89PNG\r\n\x1a\n" + b"0" * 32, actor=csm, description="d"
    )
    privacy.legal_hold_place(application=case, reason="r", actor=csm)
    dsr = privacy.data_subject_request_record(
        partnership=wn,
        kind="access",
        requester_name="r",
        received_on=dt.date(2025, 1, 2),
        actor=csm,
        person=case.victim,
        details="d",
    )
    # An ASB report of this partnership, corrected with payloads, so its page and its corrections
    # (whose old and new values are stored as JSON, not poisoned below) are rendered too.
    from django.utils import timezone

    from casereview.reports import services as reports

    report = reports.report_record(
        partnership=wn,
        agency=demo.agency("west-northamptonshire", "council"),
        reported_at=timezone.now() - dt.timedelta(days=1),
        location="Market Square",
        category="noise",
        actor=csm,
    )
    reports.report_correct(report=report, actor=csm, reason=SCRIPT, category=SCRIPT, description=IMG)
    assert _poison_everything() > 20
    return case, dsr


def _in_scope_combos(route, application_ids, references):
    values = {}
    for name in route.parameters:
        if (route.view_name, name) in VIEW_PARAMETERS:
            values[name] = VIEW_PARAMETERS[(route.view_name, name)]()[:1]
            continue
        spec = PARAMETERS.get(name)
        if spec == "public":
            values[name] = [1]
            continue
        if spec == "case":
            values[name] = references[:1]
            continue
        found = []
        for model in _model_for(name, route):
            records = scoped_records(model, application_ids)
            if records is None:
                continue
            field = spec[2] if isinstance(spec, tuple) and len(spec) == 3 else "pk"
            found += list(records.order_by("pk").values_list(field, flat=True)[:1])
            if found:
                break
        if not found and isinstance(spec, tuple):
            found = list(apps.get_model(*spec[:2]).objects.values_list("pk", flat=True)[:1])
        if not found:
            return []
        values[name] = found
    combos = [{}]
    for name, options in values.items():
        combos = [{**c, name: v} for c in combos for v in options]
    return combos


@pytest.mark.django_db
def test_no_payload_is_ever_rendered_unescaped(demo):
    case, dsr = _world(demo)
    users = [demo.user(u) for u in ("wn-csm", "wn-spoc", "wn-dpo", "wn-police", "wn-chair", "wn-admin")]
    clients = _clients(users)
    anonymous = Client()
    wn_ids = list(
        Application.objects.filter(partnership__slug="west-northamptonshire").values_list("pk", flat=True)
    )
    references = [case.reference]
    failures, rendered, escaped_seen = [], 0, False
    for route in url_inventory.routes():
        if route.view_name == "accounts:logout":
            continue
        combos = _in_scope_combos(route, wn_ids, references) if route.parameters else [{}]
        for values in combos:
            url = route.build(values)
            for who, client in [("signed out", anonymous), *clients.items()]:
                response = client.get(url, {"q": SCRIPT, "search": IMG, "person": SCRIPT, "reference": IMG})
                if response.status_code >= 500:
                    failures.append(f"{who} GET {url} → {response.status_code}")
                    continue
                content_type = response.get("Content-Type", "")
                if response.status_code != 200 or not content_type.startswith(("text/", "application/json")):
                    continue
                body = _body(response)
                rendered += 1
                escaped_seen = escaped_seen or "&lt;script&gt;alert(&quot;xss-1&quot;)" in body
                for marker in RAW_MARKERS:
                    if marker in body and not content_type.startswith(("application/json", "text/csv")):
                        failures.append(f"{who} GET {url}: raw {marker!r}")
                        break
    assert failures == [], "\n".join(failures[:40])
    assert rendered > 10 and escaped_seen


@pytest.mark.django_db
def test_the_html_behind_the_subject_access_pdf_is_escaped(demo):
    from django.template.loader import render_to_string

    from casereview.privacy.subject_access import subject_access_export

    case, dsr = _world(demo)
    dsr.refresh_from_db()
    data = subject_access_export(dsr.person)
    html = render_to_string(
        "privacy/subject_access_pdf.html", {"data": data, "dsr": dsr, "today": dt.date.today()}
    )
    assert "&lt;script&gt;" in html
    assert not any(marker in html for marker in RAW_MARKERS)


def test_no_pdf_the_product_makes_can_reach_out():
    """Markup that got into a document (an <img src> in someone's free text) cannot make the server
    fetch anything: a listening local server receives no request, file:// reads are refused."""
    import http.server
    import threading

    from casereview.web import pdf

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        smuggled = pdf.html_to_pdf(
            f'<img src="http://127.0.0.1:{port}/ssrf.png"><img src="file:///etc/passwd">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"><p>text</p>'
        )
    finally:
        server.shutdown()
    assert smuggled.startswith(b"%PDF-")
    assert hits == []
    with pytest.raises(pdf.BlockedFetch):
        pdf.safe_url_fetcher(f"http://127.0.0.1:{port}/ssrf.png")
    with pytest.raises(pdf.BlockedFetch):
        pdf.safe_url_fetcher("file:///etc/passwd")


def test_every_pdf_goes_through_the_safe_fetcher():
    """Only casereview.web.pdf calls WeasyPrint, so no PDF is made without the safe fetcher."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "src" / "casereview"
    callers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(from|import) weasyprint\b", path.read_text(), flags=re.MULTILINE)
    ]
    assert callers == ["web/pdf.py"]


INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE applications_application; --",
    '" OR ""="',
    "%' OR 1=1 --",
    "\\x00",
    "1 UNION SELECT username, password FROM accounts_user --",
    "{{ settings.SECRET_KEY }}",
    "../../../../etc/passwd",
]


@pytest.mark.django_db
def test_injection_attempts_in_search_parameters_are_just_text(demo, client):
    from casereview.applications.models import Person

    wn = demo.partnership()
    make_application(wn, victim_name="Findable Person")
    client.force_login(demo.user("wn-dpo"))
    for route in url_inventory.routes():
        if route.parameters or route.view_name == "accounts:logout":
            continue
        url = route.build({})
        for attack in INJECTIONS:
            keys = ("q", "search", "person", "user", "reference", "action", "from", "to", "page")
            params = dict.fromkeys(keys, attack)
            response = client.get(url, params)
            assert response.status_code < 500, f"{url} with {attack!r} → {response.status_code}"
            if response.status_code == 200 and not getattr(response, "streaming", False):
                body = response.content.decode(errors="replace")
                assert "insecure-development-key" not in body
    assert Application.objects.count() == 1 and Person.objects.filter(full_name="Findable Person").exists()


# Addresses another system calls with a bearer token (GOV.UK Notify's callbacks), never a browser
# with our session cookie: exempt from CSRF, and refused without the token.
CALLED_BY_MACHINES = {"notifications:notify_delivery_status", "notifications:notify_returned_letter"}


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_a_csrf_token(demo):
    from tests.conftest import VerifiedClient

    case = make_application(demo.partnership())
    client = type("Client", (VerifiedClient, Client), {})(enforce_csrf_checks=True)
    client.force_login(demo.user("wn-csm"))
    wn_ids = [case.pk]
    failures = []
    for route in url_inventory.routes():
        for values in (_in_scope_combos(route, wn_ids, [case.reference]) if route.parameters else [{}])[:1]:
            url = route.build(values)
            response = client.post(url, {"reason": "x", "code": "123456"})
            if route.view_name in CALLED_BY_MACHINES:
                # No cookie signs them in, so no CSRF: a missing or wrong bearer token is refused.
                if response.status_code != 401:
                    failures.append(f"POST {url} without its bearer token → {response.status_code}")
            elif response.status_code != 403:
                failures.append(f"POST {url} without a CSRF token → {response.status_code}")
    assert failures == []
    # And with the token, the same form is accepted.
    page = client.get(f"/data-protection/cases/{case.reference}/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/data-protection/cases/{case.reference}/legal-hold/",
        {"reason": "Claim", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and case.legal_holds.exists()


@pytest.mark.django_db
def test_guessing_sequential_references_and_ids_reveals_nothing(demo):
    from casereview.audit.models import AccessEvent
    from casereview.privacy import services as privacy

    wn = demo.partnership()
    cases = [make_application(wn) for _ in range(3)]
    files = [
        privacy.evidence_file_add(
            application=c, name="a.png", content=b"\x89PNG\r\n\x1a\n1", actor=demo.user("wn-csm")
        )
        for c in cases
    ]
    clients = _clients([demo.user("is-csm")])
    client = clients["is-csm"]
    existing, missing = [], []
    for number in range(1, 7):
        reference = f"WN-2025-{number:04d}"
        response = client.get(f"/data-protection/cases/{reference}/")
        (existing if Application.objects.filter(reference=reference).exists() else missing).append(response)
    for evidence_id in range(1, max(f.pk for f in files) + 3):
        existing.append(client.get(f"/data-protection/evidence/{evidence_id}/"))
    # An existing case and a non-existent one look exactly alike.
    assert {r.status_code for r in existing + missing} == {404}
    assert len({r.content for r in existing + missing if not getattr(r, "streaming", False)}) == 1
    assert AccessEvent.objects.filter(action="denied", actor_username="is-csm").count() >= 3
    assert all(len(f.stored_name) == 32 for f in files)


@pytest.mark.django_db
def test_a_letter_built_from_hostile_case_data_and_a_hostile_template_is_escaped(demo, settings, tmp_path):
    """The payloads go in the way a person would put them there: typed into the case (every
    free-text field) and into the letter template editor. The issued letter's HTML, the page that
    shows it and the text of its PDF carry them only as text."""
    from casereview.letters import services as letters

    settings.MEDIA_ROOT = tmp_path
    case, _ = _world(demo)
    csm = demo.user("wn-csm")
    # The alleged perpetrator was poisoned with the same payloads the template carries: the
    # disclosure control (rightly) refuses a victim letter that repeats their name's words, so
    # here the perpetrator gets details of their own and the letter tests escaping alone.
    case.perpetrators.update(name="Quentin Xylander", aliases="", address="", phone="")
    letters.letter_template_save(
        partnership=case.partnership,
        kind="acknowledgement",
        subject=f"Your application {SCRIPT}",
        body=(
            f"Dear {{{{ recipient_name }}}},\n\n{IMG} {SHORT} We have your application {{{{ reference }}}} "
            "and {{ incident_count }}; we decide by {{ decision_by }}."
        ),
        actor=csm,
    )
    letter = letters.letter_issue(case=case, kind="acknowledgement", actor=csm)
    letter.refresh_from_db()
    assert "&lt;script&gt;" in letter.body_html
    assert not any(marker in letter.body_html for marker in RAW_MARKERS)
    response = _clients([csm])["wn-csm"].get(f"/letters/{letter.pk}/")
    assert response.status_code == 200
    body = _body(response)
    assert "&lt;script&gt;" in body and "&lt;b&gt;xss&lt;/b&gt;" in body
    assert not any(marker in body for marker in RAW_MARKERS)
