"""`built_once_per_module` (tests/conftest.py): records written once for a module's tests, each test
starting from exactly them, with what it wrote (and what it changed in them) rolled back after it."""

import pytest

from casereview.accounts.models import Partnership
from tests.conftest import built_once_per_module


def _build():
    Partnership.objects.create(
        slug="built-once", name="Built once", policy_ref="statutory", reference_prefix="BO"
    )


_built = built_once_per_module(_build)


@pytest.fixture
def built(_built, not_transactional, db):
    return Partnership.objects.get(slug="built-once")


@pytest.mark.parametrize("n", range(3))
@pytest.mark.django_db
def test_each_test_starts_from_the_records_built_and_its_own_writes_go(built, n):
    assert list(Partnership.objects.values_list("slug", "name")) == [("built-once", "Built once")]
    Partnership.objects.create(
        slug=f"written-{n}", name="W", policy_ref="statutory", reference_prefix=f"W{n}"
    )
    built.name = "Changed by a test"
    built.save()
