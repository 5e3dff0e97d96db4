"""The `unchanged_rows` fixture (tests/conftest.py) notices every kind of write, so a refusal's test
that uses it cannot pass when the refused service wrote something."""

import pytest

from casereview.applications.models import Application, Person
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_it_passes_when_nothing_is_written(demo, unchanged_rows):
    make_application(demo.partnership())
    with unchanged_rows():
        assert Application.objects.count() == 1  # reads are fine


@pytest.mark.parametrize("write", ["add", "change", "delete"])
def test_it_fails_naming_the_table_when_a_row_is_written(demo, unchanged_rows, write):
    application = make_application(demo.partnership())
    with pytest.raises(AssertionError, match="applications.Person"), unchanged_rows():
        if write == "add":
            Person.objects.create(partnership=demo.partnership(), full_name="Added Later")
        elif write == "change":
            Person.objects.filter(pk=application.victim_id).update(full_name="Changed")
        else:
            application.delete()  # its people stay; the case and its records go
            Person.objects.filter(pk=application.victim_id).delete()


def test_it_can_watch_only_the_models_given(demo, unchanged_rows):
    make_application(demo.partnership())
    with unchanged_rows(Application):
        Person.objects.create(partnership=demo.partnership(), full_name="Not watched")
