"""What the standing panels' tests share (issue 16): the Islington demo partnership, its Community
MARAC panel kind, and a referral to it made through the referrals app's own service."""

from __future__ import annotations

import datetime as dt

import pytest

from casereview.referrals import services

#: The day the tests' meetings sit on.
MEETING_ON = dt.date(2026, 5, 12)


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


@pytest.fixture
def cmarac(islington):
    return islington.policy.panel_kind("cmarac")


def refer(demo, islington, cmarac, name="Jo Bloggs", by="is-housing", on=dt.date(2026, 5, 1)):
    """A referral of `name` to the panel by `by`'s agency that meets Community MARAC's three
    criteria (vulnerability, risk high, ASB)."""
    return services.referral_make(
        partnership=islington,
        kind=cmarac,
        data=services.ReferralData(
            summary="Tenant targeted by neighbours; self-neglect.",
            consent="given",
            person_name=name,
            vulnerabilities=["mental_health"],
            risk_answers={"harm_to_self": True, "harm_from_others": True, "escalating": True},
            asb_reports=4,
        ),
        actor=demo.user(by),
        today=on,
    )


def agency(islington, kind):
    """The partnership's one agency of `kind`."""
    return islington.agencies.get(kind=kind)


@pytest.fixture
def media(settings, tmp_path):
    """Issued documents' files in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def emails(islington):
    """Every agency of the partnership with a panels mailbox, so minutes can be sent to each."""
    for kind in ("council", "police", "housing", "health"):
        islington.agencies.filter(kind=kind).update(email=f"panels@{kind}.example.org")
