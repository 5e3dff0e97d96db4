import datetime as dt

import pytest

from casereview.applications import services as s
from tests.factories import make_application


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo fixture creates two dozen users; the production hasher makes that take a minute on a
    busy machine. MD5 is fine for test passwords (sign-in still checks them for real)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def case(demo):
    """A West Northamptonshire case with a police report (so the police officer can see it),
    acknowledged. A module may define its own `case` (test_concurrent_edits.py does)."""
    application = make_application(demo.partnership(), received_on=dt.date(2025, 4, 15))
    s.application_acknowledge(
        application=application, actor=demo.user("wn-csm"), acknowledged_on=dt.date(2025, 4, 16)
    )
    application.refresh_from_db()
    return application
