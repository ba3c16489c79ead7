"""The inbox's smaller faults found by a new front desk (issue 30, item 6)."""

import csv
import io

import pytest
from django.urls import reverse

from appointments.references import normalise
from tests.appointments.test_inbox_admin import make_request
from tests.conftest import client_for, content_of
from tests.factories import reference_location

LIST = reverse("admin:appointments_consultationrequest_changelist")
EXPORT = reverse("admin:appointments_consultationrequest_export")


@pytest.mark.parametrize(
    "typed",
    ["IGNATZPQ0", "ignatzpq0", "ign atzp q0", "ign.atzp.qo", "IGN-ATZPQ0", " ign-atzp-q0 "],
)
def test_a_reference_is_read_however_it_is_typed(typed):
    assert normalise(typed) == "IGN-ATZP-Q0"


@pytest.mark.parametrize("typed", ["", "x", "<script>", "' OR 1=1 --", "RODRIGUEZ", "é" * 9])
def test_anything_else_stays_a_plain_search(typed):
    assert normalise(typed) != "IGN-ATZP-Q0"


def test_the_inbox_finds_a_reference_typed_without_separators(front_desk_a, brand_a):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    wanted = make_request(brand_a, place, name="Wanted Patient")
    make_request(brand_a, place, name="Other Patient")
    typed = wanted.reference.replace("-", "").lower()
    page = client_for(front_desk_a).get(LIST, {"q": typed}).content.decode()
    assert wanted.reference in page and "Other Patient" not in page


def rows_of(response):
    return list(csv.reader(io.StringIO(content_of(response).decode())))


def test_a_group_admin_s_csv_says_each_row_s_clinic(group_admin, brand_a, brand_b):
    make_request(brand_a, reference_location(brand_a, slug="a1", name="A one"), name="Ann")
    make_request(brand_b, reference_location(brand_b, slug="b1", name="B one"), name="Bea")
    header, *rows = rows_of(client_for(group_admin).get(EXPORT))
    assert header[:2] == ["Reference", "Clinic"]
    assert sorted(row[1] for row in rows) == sorted([brand_a.name, brand_b.name])


def test_one_clinic_s_csv_has_no_clinic_column(front_desk_a, brand_a):
    make_request(brand_a, reference_location(brand_a, slug="a1", name="A one"), name="Ann")
    header, *_rows = rows_of(client_for(front_desk_a).get(EXPORT))
    assert "Clinic" not in header
