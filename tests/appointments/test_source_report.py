"""Where requests come from: counts per article, treatment, topic and location, per brand."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from appointments.models import ConsultationRequest
from care.models import Treatment
from tests.appointments.test_inbox_admin import make_request
from tests.conftest import client_for, content_of
from tests.factories import article, reference_location, topic

REPORT = reverse("admin:appointments_consultationrequest_report")
UTC = ZoneInfo("UTC")


def received(item, moment):
    ConsultationRequest.objects.filter(pk=item.pk).update(created=moment)


@pytest.fixture
def world(brand_a, brand_b):
    place = reference_location(brand_a, name="Downtown")
    piece = article(brand_a, slug="sleep-and-ketamine", title="Sleep and ketamine")
    infusion = Treatment.objects.create(
        brand=brand_a, name="Ketamine infusion", slug="infusion", summary="Infusions."
    )
    sleep = topic("sleep", "Sleep")
    when = datetime(2026, 11, 10, 15, tzinfo=UTC)
    for _ in range(3):
        received(
            make_request(brand_a, place, source_article=piece, treatment=infusion, topic=sleep),
            when,
        )
    received(make_request(brand_a, place, name="Walk In"), when)
    other = reference_location(brand_b, slug="beta", name="Beta Miami")
    received(make_request(brand_b, other, name="Beta Patient"), when)
    return {"article": piece, "treatment": infusion, "location": place}


def tables(response) -> dict[str, dict[str, str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    found = {}
    for table in soup.select(".report-tables table"):
        caption = table.caption.get_text(strip=True)
        found[caption] = {
            row.th.get_text(strip=True): row.td.get_text(strip=True)
            for row in table.select("tbody tr")
            if row.th
        }
    return found


def period(**extra):
    return {"start": "2026-11-01", "end": "2026-11-30", **extra}


def test_it_counts_each_source_for_the_staff_members_brand(world, front_desk_a):
    response = client_for(front_desk_a).get(REPORT, period())
    assert response.status_code == 200
    shown = tables(response)
    assert shown["Source article"] == {
        "Sleep and ketamine": "3",
        "(no article: the form was opened directly)": "1",
    }
    assert shown["Treatment"]["Ketamine infusion"] == "3"
    assert shown["Topic"]["Sleep"] == "3"
    assert shown["Location"] == {"Downtown": "4"}  # Beta's request is not counted
    assert "Clinic" not in shown  # one clinic: no table per clinic
    assert "4 requests for Alpha Wellness" in response.content.decode()


def test_a_group_admin_sees_both_and_can_choose_one(world, group_admin, brand_b):
    client = client_for(group_admin)
    both = tables(client.get(REPORT, period()))
    assert both["Location"] == {"Downtown": "4", "Beta Miami": "1"}
    assert both["Clinic"] == {"Alpha Wellness": "4", "Beta Infusion Center": "1"}
    only_b = tables(client.get(REPORT, period(brand=brand_b.pk)))
    assert only_b["Location"] == {"Beta Miami": "1"}


def test_another_brand_cannot_be_asked_for(world, front_desk_a, brand_b):
    response = client_for(front_desk_a).get(REPORT, period(brand=brand_b.pk))
    assert "Select a valid choice" in response.content.decode()
    assert "Beta Miami" not in response.content.decode()


def test_the_period_is_counted_in_local_days(world, front_desk_a, brand_a, settings):
    settings.TIME_ZONE = "America/New_York"
    place = world["location"]
    # 23:30 on 30 November in New York is already 1 December in UTC: still counted.
    received(make_request(brand_a, place), datetime(2026, 12, 1, 4, 30, tzinfo=UTC))
    # 00:30 on 1 November in New York, 04:30 UTC: inside; 23:30 on 31 October: outside.
    received(make_request(brand_a, place), datetime(2026, 11, 1, 4, 30, tzinfo=UTC))
    received(make_request(brand_a, place), datetime(2026, 11, 1, 3, 30, tzinfo=UTC))
    shown = tables(client_for(front_desk_a).get(REPORT, period()))
    assert shown["Location"] == {"Downtown": "6"}


def test_it_opens_on_the_last_thirty_days(world, front_desk_a):
    response = client_for(front_desk_a).get(REPORT)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#id_start")["value"] and soup.select_one("#id_end")["value"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "yesterday", "end": "2026-11-30"}, "Enter a date such as 2026-11-01."),
        ({"start": "2026-11-01", "end": "<script>x</script>"}, "Enter a date such as"),
        ({"start": "2026-11-30", "end": "2026-11-01"}, "The period ends before it starts."),
        ({"start": "1900-01-01", "end": "2026-11-01"}, "at most three years"),
        ({"start": "2026-11-01' OR 1=1 --", "end": "2026-11-30"}, "Enter a date such as"),
        ({"start": "２０２６-１１-０１", "end": "2026-11-30"}, "Enter a date such as"),
        ({"start": "2026-11-01", "end": "2026-11-30", "brand": "9999999"}, "valid choice"),
        ({"start": "2026-11-01", "end": "2026-11-30", "brand": "x" * 5000}, "valid choice"),
    ],
)
def test_bad_periods_get_a_clear_message(world, front_desk_a, query, message):
    response = client_for(front_desk_a).get(REPORT, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()
    assert not tables(response)


def test_the_csv_has_counts_and_no_patient_details(world, front_desk_a):
    world["article"].title = '=HYPERLINK("http://evil.example")'
    world["article"].save()
    response = client_for(front_desk_a).get(REPORT, period(format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    text = content_of(response).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Dimension", "Value", "Requests", "Share", "Clinic", "Period"]
    assert [
        "Location",
        "Downtown",
        "4",
        "100.0%",
        "Alpha Wellness",
        "2026-11-01..2026-11-30",
    ] in rows
    assert any(row[1].startswith("'=HYPERLINK") for row in rows)
    assert "Pat Example" not in text and "pat@example.org" not in text


def test_an_editor_cannot_open_it(world, editor_a):
    assert client_for(editor_a).get(REPORT, period()).status_code == 403


def test_strangers_and_the_password_alone_are_turned_away(world, front_desk_a):
    assert "/admin/login/" in client_for().get(REPORT)["Location"]
    alone = client_for(front_desk_a, second_factor=False).get(REPORT)
    assert "/two-factor/" in alone["Location"]


def test_it_costs_the_same_whatever_the_volume(
    world, front_desk_a, brand_a, django_assert_max_num_queries
):
    client = client_for(front_desk_a)
    client.get(REPORT, period())  # warm the session and the brand
    for _ in range(50):
        make_request(brand_a, world["location"], source_article=world["article"])
    with django_assert_max_num_queries(14):
        assert client.get(REPORT, period()).status_code == 200


def test_the_inbox_links_to_it(world, front_desk_a):
    inbox = client_for(front_desk_a).get(
        reverse("admin:appointments_consultationrequest_changelist")
    )
    assert REPORT in inbox.content.decode()


def test_the_days_are_the_reader_s_own(world, front_desk_a, brand_a):
    """A member of staff in Portland counts Portland days, and the page says so."""
    from staff.models import StaffProfile

    StaffProfile.objects.update_or_create(
        user=front_desk_a, defaults={"time_zone": "America/Los_Angeles"}
    )
    place = world["location"]
    # 23:30 on 30 November in Portland is 07:30 on 1 December in UTC: counted.
    received(make_request(brand_a, place), datetime(2026, 12, 1, 7, 30, tzinfo=UTC))
    # 08:30 on 1 December in Portland: the next month.
    received(make_request(brand_a, place), datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    answer = client_for(front_desk_a).get(REPORT, period())
    assert tables(answer)["Location"] == {"Downtown": "5"}
    assert "Days run midnight to midnight in America/Los Angeles" in answer.content.decode()
