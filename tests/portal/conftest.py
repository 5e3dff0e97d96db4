import pytest

from tests.factories import make_application


@pytest.fixture(autouse=True)
def _quick_code_floor(settings):
    """The code request's least time: short in tests (the timing test sets its own)."""
    settings.CASEREVIEW_PORTAL_CODE_SECONDS = 0.0


@pytest.fixture
def case(demo):
    """A case whose victim applied online with an email address and a mobile number."""
    application = make_application(demo.partnership(), received_on=__import__("datetime").date.today())
    victim = application.victim
    victim.phone = "07700 900123"
    victim.save(update_fields=["phone"])
    return application


def sign_in_as(client, case, role="victim"):
    """A signed-in session for the person, the way the code page leaves it."""
    import time

    session = client.session
    session["portal"] = {"case": case.pk, "role": role, "at": time.time(), "last": time.time()}
    session.save()
