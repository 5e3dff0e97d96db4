"""Shared fixtures. Browser tests drive the real pages in Debian's Chromium with Playwright (never a
downloaded browser) and check each page with axe-core from node_modules."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# The suite shares the cores (pytest-xdist) with Chromium and the database: Hypothesis's timing
# checks (a slow example, slow input generation) measure the machine's load, not the code, so
# they are off. The properties and the number of examples are unchanged.
hypothesis_settings.register_profile(
    "casereview", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
# `make mutate` runs the same tests many times in one process (mutmut forks per mutant after running
# them once): Hypothesis would see one test method called from different class instances.
# Each property runs 25 examples there, not 100: a mutant is run against every test that reaches it,
# thousands of times over, and a broken rule fails on the first few examples or not at all.
hypothesis_settings.register_profile(
    "mutate",
    parent=hypothesis_settings.get_profile("casereview"),
    suppress_health_check=list(HealthCheck),
    max_examples=25,
)
hypothesis_settings.load_profile(os.environ.get("CASEREVIEW_HYPOTHESIS_PROFILE", "casereview"))

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# other threads, and test set-up code in this one is ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    # Production hashes passwords with PBKDF2 at a deliberately slow cost; tests create dozens of
    # users per test (the demo), so they use a fast hasher. tests/security checks the real setting.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _whitenoise_scans_once()


def _whitenoise_scans_once():
    """Every test client builds the middleware stack afresh, and WhiteNoise (web.static_files)
    lists and stats every static file each time: about a twentieth of the suite's time. The files do
    not change while the tests run, so each scan's table (for the same directory and the same static
    and WhiteNoise settings) is made once and handed to later instances: they serve exactly the files
    and headers the scan found. Only WhiteNoise's own directory walk is skipped; our middleware runs
    as it does in production."""
    from django.conf import settings
    from whitenoise.base import WhiteNoise
    from whitenoise.middleware import WhiteNoiseMiddleware

    tables: dict = {}

    def settings_key():
        names = sorted(n for n in dir(settings) if n.startswith("WHITENOISE_"))
        names += ["STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "STATICFILES_FINDERS", "INSTALLED_APPS"]
        return repr([(n, getattr(settings, n, None)) for n in names])

    def once(method):
        def scan(self, *args):
            key = (method.__name__, args, settings_key())
            found = tables.get(key)
            if found is None:
                before = dict(self.files)
                method(self, *args)
                found = tables[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
            else:
                self.files.update(found)

        return scan

    WhiteNoise.update_files_dictionary = once(WhiteNoise.update_files_dictionary)
    WhiteNoiseMiddleware.add_files_from_finders = once(WhiteNoiseMiddleware.add_files_from_finders)


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


@pytest.fixture(autouse=True)
def _deletion_log_apart(settings, tmp_path):
    """The deletion log file (privacy.deletion_log) of each test is its own, never the developer's."""
    settings.CASEREVIEW_DELETION_LOG = tmp_path / "deletion-log.jsonl"


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
    # Playwright's own default: the suite runs on every core at once (pytest-xdist), and on a
    # busy two-core machine a page that takes a second alone can take ten.
    context.set_default_timeout(30_000)
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
    """Sign in through the real sign-in page, then complete the second factor as a person would:
    the code from the user's authenticator (the demo users' published secret, or the device they
    have), or, for a user with none yet, the set-up page's key typed into an "app".

    The replay guard (a code may be used once) is reset first, so one test can sign the same user in
    twice within a 30-second step. A wrong password leaves the page on the sign-in form. Any
    earlier session in the page is ended first, so a test can switch from one user to another."""
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    # Wait for the response to the POST itself: wait_for_load_state() alone can return at once, on
    # the sign-in page that is still loaded, before the browser has navigated at all.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/account/two-factor/" not in page.url:
        return
    from casereview.accounts.mfa import secret_to_hex, totp_code

    if "/account/two-factor/set-up/" in page.url:
        key_hex = secret_to_hex(page.locator("#totp-secret").inner_text())
    else:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("id").first()
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        key_hex = device.key
    page.get_by_label("Code from your authenticator app").fill(totp_code(key_hex))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def verify_session(client, user) -> None:
    """Mark a Django test client's session as having completed the second factor for `user`
    (giving the user a confirmed TOTP device if they have none), as signing in through the pages
    would. `client` and `admin_client` below do this on every login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class VerifiedClient:
    """Mixin for django.test.Client: `login()` and `force_login()` also complete the second factor,
    so tests of staff pages need not drive the two-factor step (tests/security tests it)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        verify_session(self, user)

    def login(self, **credentials):
        ok = super().login(**credentials)
        if ok:
            from django.contrib.auth import get_user_model

            user = get_user_model()._default_manager.get_by_natural_key(credentials.get("username"))
            verify_session(self, user)
        return ok


@pytest.fixture
def client():
    """A Django test client whose logins are complete staff sign-ins (password and second factor).
    For a client that stops after the password, use `django.test.Client()` directly."""
    from django.test import Client

    return type("Client", (VerifiedClient, Client), {})()


@pytest.fixture
def admin_client(db, admin_user, client):
    client.force_login(admin_user)
    return client


@pytest.fixture
def demo(db):
    """The demo partnerships, agencies and users (accounts.demo), as `make run` loads them."""
    import io

    from casereview.accounts import demo as accounts_demo

    accounts_demo.load(io.StringIO())
    from tests.factories import DemoWorld

    return DemoWorld()


def built_once_per_module(build):
    """A module-scoped fixture that runs `build()` (writes through the services, as a test would)
    once for all the tests of a module, as Django's `TestCase.setUpTestData` does: the records are
    written inside a transaction that is rolled back after the module's last test, and each test
    runs in a savepoint inside it (pytest-django's own per-test transaction), rolled back after the
    test. So every test starts from exactly the records `build()` made, whatever an earlier test
    wrote, and nothing is left for the next module. Only for modules whose tests are not
    transactional (a live server or `transaction=True` needs committed rows: the fixture refuses).
    Fixtures built on it should re-read their records from the database for each test, so no test
    sees another's changes to an object in memory."""

    @pytest.fixture(scope="module")
    def fixture(request, django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            build()
            _SHARED_RECORDS.append(request.fixturename)
            try:
                yield
            finally:
                _SHARED_RECORDS.remove(request.fixturename)
                transaction.set_rollback(True)

    return fixture


# The names of the `built_once_per_module` fixtures alive now (pytest keeps a module's fixture until
# the module's last test, whether or not each test asks for it).
_SHARED_RECORDS: list[str] = []


@pytest.fixture(autouse=True)
def _shared_records_only_where_asked(request):
    """A test of the database in a module that shares records must ask for them: otherwise it
    would see records it did not ask for (a test of an empty database, say, would not be one)."""
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    missing = [name for name in _SHARED_RECORDS if name not in request.fixturenames]
    if uses_database and missing:
        pytest.fail(
            f"this module's tests of the database share {missing} (built_once_per_module): ask for it"
        )


@pytest.fixture
def not_transactional(request):
    """For fixtures built on `built_once_per_module`: the test runs in a savepoint of the module's
    transaction, which a transactional test (flushing the tables, or serving them to a live
    server's thread) cannot."""
    transactional = {"transactional_db", "live_server", "django_db_reset_sequences"} & set(
        request.fixturenames
    )
    marker = request.node.get_closest_marker("django_db")
    if transactional or (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))):
        pytest.fail("a module's shared records (built_once_per_module) cannot serve a transactional test")


def _app_models():
    """Every table of the product's own apps (the case, its records, the access log, the report log),
    but the API's rate counter: a refused call is still a call, counted against the client's rate."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("casereview.")
        and m._meta.managed
        and not m._meta.proxy
        and m._meta.label_lower != "api.ratewindow"
    ]


def _rows(models_) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of each model's table as the database holds it, ordered by primary key.

    Read with one plain SELECT per table rather than through the ORM: the fixture reads every table
    of the product twice per refusal (about 150 of them, for 465 refusals), and building and
    compiling a queryset per table took most of those tests' time. The stored values are compared
    as they are, so any row added, deleted or changed is still seen (a JSON value written again in
    another key order counts as a change: a refused write writes nothing at all)."""
    from django.db import connections

    snapshot = {}
    for model in models_:
        connection = connections[model._base_manager.db]
        quote = connection.ops.quote_name
        keys = ", ".join(quote(field.column) for field in model._meta.pk_fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY {keys}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            snapshot[model._meta.label] = (columns, [tuple(row) for row in cursor.fetchall()])
    return snapshot


def _row_differences(before: dict, after: dict) -> list[str]:
    differences = []
    for label, (columns, rows) in before.items():
        if after[label] == (columns, rows):
            continue
        after_columns, after_rows = after[label]

        def keyed(rows_, columns_):
            named = [dict(zip(columns_, row, strict=True)) for row in rows_]
            return {(row["id"] if "id" in row else repr(row)): row for row in named}

        old, new = keyed(rows, columns), keyed(after_rows, after_columns)
        added = [new[k] for k in new.keys() - old.keys()]
        removed = [old[k] for k in old.keys() - new.keys()]
        changed = [(old[k], new[k]) for k in old.keys() & new.keys() if old[k] != new[k]]
        if added:
            differences.append(f"{label}: {len(added)} row(s) added, e.g. {added[0]}")
        if removed:
            differences.append(f"{label}: {len(removed)} row(s) deleted, e.g. {removed[0]}")
        for was, now in changed[:3]:
            fields = {f: (was[f], now.get(f)) for f in was if was[f] != now.get(f)}
            differences.append(f"{label} {was.get('id')}: changed {fields}")
        if not (added or removed or changed):
            differences.append(f"{label}: the table's columns changed ({columns} to {after_columns})")
    return differences


@pytest.fixture
def unchanged_rows(db):
    """A refused write leaves nothing behind: ``with unchanged_rows(), pytest.raises(ValidationError):``
    snapshots every row of the product's tables (or only of the models given, ``unchanged_rows(Letter)``)
    before the block and fails, naming each table and row that differs, if any was added, changed or
    deleted by the end of it. One line on the test of every refusal (docs/testing.md)."""

    @contextlib.contextmanager
    def unchanged(*models_):
        chosen = list(models_) or _app_models()
        before = _rows(chosen)
        yield
        differences = _row_differences(before, _rows(chosen))
        assert differences == [], "the refused write changed the database:\n" + "\n".join(differences)

    return unchanged


@pytest.fixture
def smtp_sink(settings):
    """A local SMTP server (aiosmtpd) on an ephemeral port, with Django's email pointed at it."""
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    sink.use_for_django(settings)
    yield sink
    sink.stop()
