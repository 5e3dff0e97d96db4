"""Shared fixtures. Browser tests drive the real pages in Debian's Chromium with Playwright (never a
downloaded browser) and check each page with axe-core from node_modules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# other threads, and test set-up code in this one is ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created per test; the production hasher is deliberately slow. Hashing
    itself is Django's, tested there; what tests need is that sign-in works."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the pages' own policy is tested separately.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.2 A and AA rules) in the page; return its violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core found WCAG 2.2 AA violations on {page.url}: {violations}"


def sign_in(page, username: str, password: str = "demo-password-2026") -> None:
    """Sign in through the real sign-in page."""
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def demo(db):
    """The demo partnerships, agencies and users (accounts.demo), as `make run` loads them."""
    import io

    from casereview.accounts import demo as accounts_demo

    accounts_demo.load(io.StringIO())
    from tests.factories import DemoWorld

    return DemoWorld()
