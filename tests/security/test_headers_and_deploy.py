"""Security headers, the content security policy, and `casereview check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
CASEREVIEW = Path(sys.executable).parent / "casereview"


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    # No map tile server is configured in the tests: images from nowhere else.
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_staff_pages_are_not_cached(client, demo):
    client.force_login(demo.user("wn-csm"))
    response = client.get("/data-protection/")
    assert response["Cache-Control"] == "no-store, private"


def test_templates_have_nothing_the_content_security_policy_would_block():
    """Inline scripts, inline event handlers and style attributes are refused by the policy; this
    finds them in any app's templates before a browser silently ignores them."""
    import re

    offenders = []
    for template in (ROOT / "src" / "casereview").rglob("templates/**/*.html"):
        text = template.read_text()
        if "@page" in text and "{% extends" not in text:
            continue  # a document WeasyPrint turns into a PDF (print CSS), never served as a page
        for pattern, what in (
            (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", "inline <script>"),
            (r"\son[a-z]+\s*=\s*[\"']", "inline event handler"),
            (r"\sstyle\s*=\s*[\"']", "style attribute"),
            (r"<style[\s>]", "<style> element"),
            (r"javascript:", "javascript: URL"),
        ):
            if re.search(pattern, text, flags=re.IGNORECASE):
                offenders.append(f"{template.relative_to(ROOT)}: {what}")
    assert offenders == [], "These would be blocked by the content security policy:\n" + "\n".join(offenders)


def _production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CASEREVIEW_")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SECRET_KEY="x" * 20 + Fernet.generate_key().decode(),
        CASEREVIEW_FIELD_KEY=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="casereview.example.gov.uk",
        DATABASE_URL="sqlite:///:memory:",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [str(CASEREVIEW), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_development_keys():
    env = _production_env()
    env.pop("CASEREVIEW_FIELD_KEY")
    result = subprocess.run(
        [str(CASEREVIEW), "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "casereview.E002" in result.stderr + result.stdout


def test_production_settings_are_secure_by_default():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        env={**_production_env(), "DJANGO_SETTINGS_MODULE": "casereview.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "31536000", "False"], result.stderr
    behind_proxy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings as s;"
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)",
        ],
        env={
            **_production_env(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_PROXY_SSL_HEADER="1"),
            "DJANGO_SETTINGS_MODULE": "casereview.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert behind_proxy.stdout.strip() == "False ('HTTP_X_FORWARDED_PROTO', 'https')", behind_proxy.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_content_security_policy_in_chromium(browser, live_server):
    """With the policy enforced (not bypassed), GOV.UK Frontend's module script still runs and the
    browser reports no violation."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.goto("/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.goto("/account/sign-in/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    context.close()
    assert violations == []


def test_the_map_tile_server_is_one_setting_for_the_map_and_the_policy():
    """CASEREVIEW_MAP_TILE_URL gives the hotspot map its tiles and the content security policy
    their origin, and nothing else does (a fresh interpreter, as the setting is read at start)."""
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from casereview.reports.views import map_tiles; "
        "print(json.dumps([map_tiles(), settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casereview.settings",
        "CASEREVIEW_MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    import json

    tiles, img_src = json.loads(out.stdout.strip().splitlines()[-1])
    assert tiles == "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert img_src == ["'self'", "data:", "https://*.tiles.example.org"]
