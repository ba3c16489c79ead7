"""Who saw what: opening, changing and exporting a request is recorded, append-only."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from appointments.models import AccessRecord, RequestStatus
from tests.appointments.test_inbox_admin import change_url, handling_data, make_request
from tests.conftest import client_for, content_of
from tests.factories import reference_location

RECORD = reverse("admin:appointments_accessrecord_changelist")
EXPORT = reverse("admin:appointments_consultationrequest_export")


@pytest.fixture
def request_a(brand_a):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    return make_request(brand_a, place, name="Alice Alpha", message="My private history")


def test_opening_a_request_is_recorded(front_desk_a, request_a):
    assert client_for(front_desk_a).get(change_url(request_a)).status_code == 200
    entry = AccessRecord.objects.get()
    assert (entry.user, entry.action, entry.reference) == (
        front_desk_a,
        "view",
        request_a.reference,
    )
    assert entry.brand_id == request_a.brand_id


def test_a_change_names_the_fields_never_their_values(front_desk_a, request_a):
    data = handling_data(request_a, status=RequestStatus.CONTACTED)
    assert client_for(front_desk_a).post(change_url(request_a), data).status_code == 302
    entry = AccessRecord.objects.get(action="change")
    assert entry.detail == "status"
    assert "Alice" not in entry.detail and "history" not in entry.detail


def test_actions_on_the_list_are_recorded_per_request(front_desk_a, request_a, brand_a):
    other = make_request(brand_a, name="Bob")
    client_for(front_desk_a).post(
        reverse("admin:appointments_consultationrequest_changelist"),
        {"action": "mark_contacted", "_selected_action": [request_a.pk, other.pk]},
    )
    references = set(
        AccessRecord.objects.filter(action="change").values_list("reference", flat=True)
    )
    assert references == {request_a.reference, other.reference}


def test_an_export_streams_and_is_recorded_once(front_desk_a, brand_a):
    for number in range(60):
        make_request(brand_a, name=f"Patient {number}")
    response = client_for(front_desk_a).get(EXPORT + "?status__exact=new")
    assert response.streaming
    assert content_of(response).decode().count("\n") == 61  # header and 60 rows
    (entry,) = AccessRecord.objects.all()
    assert entry.action == "export" and entry.detail == "60 rows; filter: status__exact=new"
    assert not LogEntry.objects.exists()


def test_brand_admins_read_their_brand_s_record(brand_admin_a, front_desk_a, editor_a, request_a):
    client_for(front_desk_a).get(change_url(request_a))
    listing = client_for(brand_admin_a).get(RECORD)
    assert listing.status_code == 200 and request_a.reference in listing.content.decode()
    for user in (front_desk_a, editor_a):
        assert client_for(user).get(RECORD).status_code == 403


def test_nobody_edits_the_record(superuser, front_desk_a, request_a):
    client_for(front_desk_a).get(change_url(request_a))
    entry = AccessRecord.objects.get()
    admin = client_for(superuser)
    change = reverse("admin:appointments_accessrecord_change", args=[entry.pk])
    assert admin.post(change, {"detail": "covered up"}).status_code == 403
    delete = reverse("admin:appointments_accessrecord_delete", args=[entry.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert admin.post(reverse("admin:appointments_accessrecord_add"), {}).status_code == 403
    entry.detail = "covered up"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=entry.pk).update(detail="covered up")
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get().detail == ""
