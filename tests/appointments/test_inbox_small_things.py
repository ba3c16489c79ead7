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


# Issue 30, item 5: a repeat patient is recognised -----------------------------------


def test_a_request_says_how_many_earlier_ones_came_from_the_same_patient(
    front_desk_a, brand_a, brand_b
):
    from bs4 import BeautifulSoup

    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    first = make_request(brand_a, place, email="kim@example.org", phone="+13055550101")
    by_phone = make_request(brand_a, place, email="other@example.org", phone="+13055550101")
    latest = make_request(brand_a, place, email="KIM@example.org", phone="+13055550199")
    stranger = make_request(brand_a, place, email="x@example.org", phone="+13055550177")
    # The same address at another clinic is not this clinic's to count or show.
    beta = reference_location(brand_b, slug="b1", name="B one")
    make_request(brand_b, beta, email="kim@example.org", phone="+13055550101")

    client = client_for(front_desk_a)
    page = BeautifulSoup(
        client.get(
            reverse("admin:appointments_consultationrequest_change", args=[first.pk])
        ).content,
        "html.parser",
    )
    link = page.select_one(".field-earlier_requests a")
    assert link.get_text() == "2 other requests from the same e-mail or phone"
    assert link["href"] == f"{LIST}?same_patient={first.pk}"
    assert "@" not in link["href"]  # no address in a URL
    listed = client.get(link["href"]).content.decode()
    for item in (first, by_phone, latest):
        assert item.reference in listed
    assert stranger.reference not in listed
    alone = client.get(
        reverse("admin:appointments_consultationrequest_change", args=[stranger.pk])
    ).content.decode()
    assert "None: a first request" in alone


@pytest.mark.parametrize("value", ["x", "-1", "1e9", "<script>", "9" * 40])
def test_a_made_up_same_patient_link_shows_nothing(front_desk_a, brand_a, value):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    item = make_request(brand_a, place)
    page = client_for(front_desk_a).get(LIST, {"same_patient": value})
    assert page.status_code == 200 and item.reference not in page.content.decode()
    assert "<script>" not in page.content.decode()


def test_another_clinic_s_request_names_no_patient_here(front_desk_a, brand_a, brand_b):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    mine = make_request(brand_a, place, email="kim@example.org")
    theirs = make_request(
        brand_b, reference_location(brand_b, slug="b1", name="B one"), email="kim@example.org"
    )
    page = client_for(front_desk_a).get(LIST, {"same_patient": theirs.pk}).content.decode()
    assert mine.reference not in page and theirs.reference not in page
