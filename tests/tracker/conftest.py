"""The tracker's tests start in the demo's Islington partnership, as its community safety manager."""

import pytest


@pytest.fixture
def islington(demo):
    return demo.partnership("islington")


@pytest.fixture
def csm(demo):
    return demo.user("is-csm")
