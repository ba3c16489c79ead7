"""Every back-office time in the reader's own zone, and saying which (issue 30, item 3)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Article, Status
from clinic.models import Role
from staff import time_zones
from staff.models import StaffProfile
from tests.articles.test_admin import change_url, content_of, form_data
from tests.conftest import client_for
from tests.factories import article, reference_location, staff

OFFICE = "office.localhost"
PORTLAND = ZoneInfo("America/Los_Angeles")
MIAMI = ZoneInfo("America/New_York")
# The days the clocks change in 2027, and a winter day.
SPRING = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)
AUTUMN = datetime(2027, 11, 7, 12, 0, tzinfo=UTC)
WINTER = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _back_office(settings):
    """The group's back office on a host of its own, whose default zone is UTC: where
    a Portland editor's 9:00 used to be 09:00 UTC."""
    settings.BACK_OFFICE_HOST = OFFICE
    settings.BACK_OFFICE_URL = f"http://{OFFICE}"
    settings.BACK_OFFICE_TIME_ZONE = "UTC"


def office(user, **kwargs):
    return client_for(user, host=OFFICE, **kwargs)


@pytest.fixture
def portland_editor(brand_a):
    reference_location(brand_a, slug="pearl", name="Pearl District", time_zone=PORTLAND.key)
    return staff("portland_editor", (brand_a, Role.EDITOR), (brand_a, Role.BRAND_ADMIN))


@pytest.fixture
def miami_desk(brand_b):
    reference_location(brand_b, slug="brickell", name="Brickell", time_zone=MIAMI.key)
    return staff("miami_desk", (brand_b, Role.FRONT_DESK))


def schedule_article(user, item, day, hour):
    return office(user).post(
        change_url(item),
        form_data(
            item.canonical_brand,
            slug=item.slug,
            **content_of(item),
            status=Status.PUBLISHED,
            publish_at_0=day,
            publish_at_1=f"{hour:02d}:00:00",
        ),
    )


@pytest.mark.parametrize(
    ("moment", "day", "utc_hour"),
    [
        (WINTER, "2026-12-20", 17),  # 9:00 PST is 17:00 UTC
        (SPRING, "2027-03-20", 16),  # after the spring change: 9:00 PDT is 16:00 UTC
        (AUTUMN, "2027-11-20", 17),  # after the autumn change: PST again
    ],
)
def test_a_portland_editor_s_nine_o_clock_is_nine_in_portland(
    portland_editor, brand_a, moment, day, utc_hour
):
    """The defect: 9:00 typed in Portland was 09:00 UTC, 1 A.M. there."""
    with time_machine.travel(moment, tick=False):
        item = article(brand_a, slug="later", title="Later", status=Status.DRAFT)
        answer = schedule_article(portland_editor, item, day, 9)
        assert answer.status_code == 302
        item.refresh_from_db()
        assert item.publish_at.astimezone(UTC).hour == utc_hour
        assert item.publish_at.astimezone(PORTLAND).hour == 9
        listing = office(portland_editor).get(reverse("admin:articles_article_changelist"))
        text = BeautifulSoup(listing.content, "html.parser").get_text(" ", strip=True)
        zone = "PDT" if utc_hour == 16 else "PST"
        assert f"9 a.m. {zone}" in text


def test_the_miami_front_desk_reads_eastern_time_with_its_label(miami_desk, brand_b):
    with time_machine.travel(WINTER, tick=False):
        page = office(miami_desk).get("/admin/")
        top = BeautifulSoup(page.content, "html.parser").select_one("#user-tools").get_text()
        assert "Times in EST" in top


def test_a_group_admin_reads_their_first_clinic_s_zone_unless_they_choose(
    group_admin, brand_a, brand_b
):
    reference_location(brand_a, slug="pearl", name="Pearl District", time_zone=PORTLAND.key)
    reference_location(brand_b, slug="brickell", name="Brickell", time_zone=MIAMI.key)
    assert time_zones.zone_for(group_admin) == PORTLAND  # Alpha comes first by name
    with time_machine.travel(WINTER, tick=False):
        client = office(group_admin)
        answer = client.post(
            reverse("staff_time_zone"), {"time_zone": "America/New_York"}, follow=True
        )
        assert "Times are now shown in America/New York: it is 13:00 EST there." in (
            answer.content.decode()
        )
        top = BeautifulSoup(client.get("/admin/").content, "html.parser")
        assert "Times in EST" in top.select_one("#user-tools").get_text()
        assert StaffProfile.objects.get(user=group_admin).time_zone == "America/New_York"
        # Back to the default.
        client.post(reverse("staff_time_zone"), {"time_zone": ""})
    assert time_zones.zone_for(group_admin) == PORTLAND


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus_Mons", "<script>alert(1)</script>", "' OR 1=1 --", "UTC" * 100]
)
def test_a_made_up_zone_is_refused_and_nothing_changes(portland_editor, typed):
    answer = office(portland_editor).post(reverse("staff_time_zone"), {"time_zone": typed})
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert "<script>alert(1)</script>" not in answer.content.decode()
    assert not StaffProfile.objects.filter(user=portland_editor).exists()


def test_the_zone_page_waits_for_the_second_factor(portland_editor):
    password_only = office(portland_editor, second_factor=False)
    answer = password_only.post(reverse("staff_time_zone"), {"time_zone": "Europe/Paris"})
    assert answer.status_code == 302
    assert not StaffProfile.objects.filter(user=portland_editor).exists()


def test_a_consultation_s_own_times_stay_in_its_location_s_zone(portland_editor, brand_a):
    from appointments.models import ConsultationRequest

    miami = reference_location(brand_a, slug="miami", name="Miami", time_zone=MIAMI.key)
    item = ConsultationRequest.objects.create(
        brand=brand_a, location=miami, name="Pat", email="p@example.org", phone="+13055550100"
    )
    page = office(portland_editor).get(
        reverse("admin:appointments_consultationrequest_change", args=[item.pk])
    )
    help_text = BeautifulSoup(page.content, "html.parser").select_one(".field-confirmed_slot .help")
    assert "In the clinic's own time: America/New York" in help_text.get_text()
    assert Article.objects.count() == 0


def test_the_csv_gives_times_in_the_reader_s_zone_with_the_offset(miami_desk, brand_b):
    import csv
    import io

    from appointments.models import ConsultationRequest
    from tests.conftest import content_of

    with time_machine.travel(WINTER, tick=False):
        ConsultationRequest.objects.create(
            brand=brand_b,
            location=brand_b.locations.get(),
            name="Pat",
            email="p@example.org",
            phone="+13055550100",
        )
        export = office(miami_desk).get(reverse("admin:appointments_consultationrequest_export"))
    header, row = list(csv.reader(io.StringIO(content_of(export).decode())))
    received = row[header.index("Received")]
    assert received == "2026-12-08T13:00:00-05:00"  # 18:00 UTC, read in Miami


@pytest.mark.parametrize(
    ("moment", "zone_name"),
    [(SPRING, "EDT"), (AUTUMN, "EST")],
    ids=["spring-change-day", "autumn-change-day"],
)
def test_the_access_record_invitations_and_dashboard_say_whose_time_on_change_days(
    miami_desk, group_admin, brand_b, moment, zone_name
):
    """Frozen on the days the clocks change: the Miami front desk's access record, the
    group admin's invitations and scheduled articles read in the reader's zone, labelled."""
    from appointments.models import AccessRecord
    from staff.models import Invitation

    with time_machine.travel(moment, tick=False):
        AccessRecord.objects.create(
            brand=brand_b, user=miami_desk, username="miami_desk", action="view", reference="X"
        )
        office(group_admin).post(reverse("staff_time_zone"), {"time_zone": MIAMI.key})
        page = office(group_admin).get(reverse("admin:appointments_accessrecord_changelist"))
        text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
        local = moment.astimezone(MIAMI)
        assert local.tzname() == zone_name
        # 12:00 UTC is 8 a.m. EDT after the spring change, 7 a.m. EST after the autumn one.
        assert f"{local.hour} a.m. {zone_name}" in text
        Invitation.objects.create(
            email="new@example.org",
            brand=brand_b,
            role=Role.FRONT_DESK,
            invited_by=group_admin,
            expires_at=moment,
        )
        invites = office(group_admin).get(reverse("admin:staff_invitation_changelist"))
        text = BeautifulSoup(invites.content, "html.parser").get_text(" ", strip=True)
        assert f"{local.hour} a.m. {zone_name}" in text
        scheduled = article(brand_b, slug="soon", title="Soon", status=Status.PUBLISHED)
        Article.objects.filter(pk=scheduled.pk).update(publish_at=moment + timedelta(hours=2))
        dashboard = office(group_admin).get("/admin/")
        panel = BeautifulSoup(dashboard.content, "html.parser").select_one("#panel-scheduled")
        assert f"{local.hour + 2}:00 AM {zone_name}" in panel.get_text(" ", strip=True)


def test_the_publishing_time_says_it_is_the_editor_s_own(portland_editor, brand_a):
    item = article(brand_a, slug="later", title="Later", status=Status.DRAFT)
    with time_machine.travel(SPRING, tick=False):
        page = office(portland_editor).get(change_url(item))
    help_text = BeautifulSoup(page.content, "html.parser").select_one(".field-publish_at .help")
    assert "In your time zone: America/Los Angeles (PDT now)." in help_text.get_text()
