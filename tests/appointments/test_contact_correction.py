"""Staff put right how to reach a patient, and the access record says so (issue 30,
item 5): the public form's rules, bad input refused with nothing lost, other brands'
requests out of reach, and never a value in the record."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from appointments.models import AccessRecord, ConsultationRequest
from tests.appointments.test_inbox_admin import change_url, make_request
from tests.conftest import client_for
from tests.factories import reference_location


def contact_url(item):
    return reverse("admin:appointments_consultationrequest_contact", args=[item.pk])


@pytest.fixture
def patient(brand_a):
    place = reference_location(brand_a, slug="downtown", name="Downtown clinic")
    return make_request(brand_a, place, name="Ana Patient", email="ana@exmaple.org")


def correct(user, item, **fields):
    data = {
        "name": item.name,
        "email": item.email,
        "phone": str(item.phone),
        "contact_method": item.contact_method,
        **fields,
    }
    return client_for(user).post(contact_url(item), data, follow=True)


def test_the_request_page_leads_to_the_correction(front_desk_a, patient):
    page = BeautifulSoup(client_for(front_desk_a).get(change_url(patient)).content, "html.parser")
    link = page.select_one(".object-tools a[href$='/contact/']")
    assert link.get_text() == "Correct contact details"
    form = BeautifulSoup(client_for(front_desk_a).get(link["href"]).content, "html.parser")
    assert form.select_one("input[name=email]")["value"] == "ana@exmaple.org"
    assert form.select_one("h1").get_text() == f"Correct the contact details of {patient.reference}"


def test_a_misspelt_address_is_corrected_and_recorded_without_the_values(front_desk_a, patient):
    answer = correct(front_desk_a, patient, email="ana@example.org", phone="(305) 555-0199")
    messages = BeautifulSoup(answer.content, "html.parser").select_one(".messagelist").get_text()
    assert "Contact details corrected (E-mail, Phone)" in messages
    patient.refresh_from_db()
    assert patient.email == "ana@example.org" and patient.phone.as_e164 == "+13055550199"
    entry = AccessRecord.objects.get(action="change")
    assert entry.username == front_desk_a.username and entry.reference == patient.reference
    assert entry.detail == "contact: email, contact: phone"
    everything = " ".join(AccessRecord.objects.values_list("detail", flat=True))
    assert "example.org" not in everything and "0199" not in everything
    assert not mail.outbox  # a correction sends nothing of itself


def test_saving_the_same_details_changes_and_records_nothing(front_desk_a, patient):
    answer = correct(front_desk_a, patient)
    assert "Nothing was changed." in answer.content.decode()
    assert not AccessRecord.objects.filter(action="change").exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("email", "not-an-address", "Enter a valid email address."),
        ("email", "<script>alert(1)</script>@x.org", "Enter a valid email address."),
        ("email", "a" * 250 + "@example.org", "at most 254 characters"),
        ("phone", "12", "Enter a valid phone number"),
        ("phone", "'; DROP TABLE appointments_consultationrequest; --", "valid phone number"),
        ("name", "", "This field is required."),
        ("name", "12345 !!", "Enter the patient's name."),
        ("name", "x" * 121, "at most 120 characters"),
        ("contact_method", "pigeon", "Select a valid choice"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_lost(front_desk_a, patient, field, typed, message):
    answer = correct(front_desk_a, patient, **{field: typed})
    page = BeautifulSoup(answer.content, "html.parser")
    assert message in page.select_one(f".field-{field} .errorlist").get_text()
    assert "<script>alert(1)</script>" not in answer.content.decode()
    saved = ConsultationRequest.objects.get(pk=patient.pk)
    assert (saved.name, saved.email, saved.phone) == (patient.name, patient.email, patient.phone)
    assert not AccessRecord.objects.filter(action="change").exists()


def test_names_in_any_script_are_kept_and_markup_is_plain_text(front_desk_a, patient):
    correct(front_desk_a, patient, name="  Zoë  Ñúñez-Łukasz 李 ")
    patient.refresh_from_db()
    assert patient.name == "Zoë Ñúñez-Łukasz 李"
    correct(front_desk_a, patient, name="<b>Bold</b> Name")
    page = client_for(front_desk_a).get(change_url(patient)).content.decode()
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; Name" in page


def test_only_staff_who_handle_the_request_may_correct(patient, staff_b, editor_a, group_admin):
    for user in (staff_b, editor_a):
        answer = correct(user, patient, email="someone@else.org")
        assert answer.status_code in (403, 404)
    patient.refresh_from_db()
    assert patient.email == "ana@exmaple.org"
    # A brand admin of both brands may, on either brand's host.
    correct(group_admin, patient, email="ana@example.org")
    patient.refresh_from_db()
    assert patient.email == "ana@example.org"
