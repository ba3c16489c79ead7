"""Staff reset a forgotten password: branded, limited, linked to the configured host."""

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from outbox import sending
from outbox.models import Message
from tests.conftest import HOST_A, HOST_B, client_for

RESET = "/admin/password-reset/"
LINK = re.compile(r"(https?://\S+/admin/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _back_office(settings):
    settings.BACK_OFFICE_URL = "https://backoffice.example.org"


def ask(address, host=HOST_A, client=None):
    client = client or client_for(host=host)
    return client.post(RESET, {"email": address})


def texts(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.get_text(" ", strip=True)


@pytest.fixture
def editor(editor_a):
    editor_a.email = "dana@alpha.example"
    editor_a.first_name = "Dana"
    editor_a.save()
    return editor_a


def test_the_sign_in_page_offers_a_reset(brand_a):
    login = client_for(host=HOST_A).get(reverse("admin:login"))
    assert f'href="{RESET}"' in login.content.decode()
    page = client_for(host=HOST_A).get(RESET)
    assert "Clinic portal" in texts(page) and "Django administration" not in texts(page)


def test_a_staff_member_gets_a_branded_link_to_the_configured_host(
    editor, brand_a, brand_b, mailoutbox
):
    # Asked on another brand's host: the link still points at the back office.
    response = ask("DANA@alpha.example", host=HOST_B)
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    (mail,) = mailoutbox
    assert mail.to == ["dana@alpha.example"]
    assert mail.subject == f"Reset your password for {brand_a.name}"
    link = LINK.search(mail.body).group(1)
    assert link.startswith("https://backoffice.example.org/admin/password-reset/")
    assert HOST_B not in mail.body and HOST_A not in mail.body
    assert "Hello Dana" in mail.body


def test_the_link_sets_a_new_password_once(editor, brand_a, mailoutbox):
    ask("dana@alpha.example")
    path = LINK.search(mailoutbox[0].body).group(1).removeprefix("https://backoffice.example.org")
    client = client_for(host=HOST_A)
    form = client.get(path, follow=True)
    assert "Choose a new password" in texts(form)
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "abc", "new_password2": "abc"})
    assert "This password is too short" in texts(weak)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Quiet-harbour-71", "new_password2": "Quiet-harbour-71"},
    )
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Quiet-harbour-71")
    again = client_for(host=HOST_A).get(path, follow=True)
    assert "This link no longer works" in texts(again)


def test_the_link_expires_after_two_hours(editor, brand_a, mailoutbox):
    ask("dana@alpha.example")
    path = LINK.search(mailoutbox[0].body).group(1).removeprefix("https://backoffice.example.org")
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        late = client_for(host=HOST_A).get(path, follow=True)
    assert "This link no longer works" in texts(late)


@pytest.mark.parametrize(
    "address", ["nobody@alpha.example", "patient@example.org", "inactive@alpha.example"]
)
def test_other_addresses_get_the_same_answer_and_no_mail(brand_a, address, mailoutbox):
    User = get_user_model()
    User.objects.create_user("patient", "patient@example.org", "x" * 12)  # not staff
    User.objects.create_user(
        "gone", "inactive@alpha.example", "x" * 12, is_staff=True, is_active=False
    )
    response = ask(address)
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "Enter a valid email address"),
        ("<script>alert(1)</script>@x.org", "Enter a valid email address"),
        ("", "This field is required"),
        ("a" * 300 + "@x.org", "at most 254 characters"),
    ],
)
def test_bad_addresses_are_explained(brand_a, address, message, mailoutbox):
    response = ask(address)
    assert response.status_code == 200 and message in texts(response)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert mailoutbox == []


def test_one_address_gets_three_mails_an_hour(editor, brand_a, mailoutbox):
    for _ in range(5):
        assert ask("dana@alpha.example", client=client_for(host=HOST_A)).status_code == 302
    assert len(mailoutbox) == 3


def test_one_client_may_ask_ten_times_an_hour(brand_a, mailoutbox, settings):
    client = client_for(host=HOST_A)
    for number in range(10):
        assert ask(f"someone{number}@x.org", client=client).status_code == 302
    over = ask("one-more@x.org", client=client)
    assert over.status_code == 429
    assert "Too many requests from your connection" in texts(over)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert ask("later@x.org", client=client).status_code == 302


def test_without_a_configured_back_office_nothing_is_sent(editor, brand_a, settings, mailoutbox):
    settings.BACK_OFFICE_URL = ""
    response = ask("dana@alpha.example")
    assert response.status_code == 503
    assert "not set up on this server" in texts(response)
    assert mailoutbox == []


def test_nothing_personal_is_kept_about_who_asked(editor, brand_a):
    from staff.models import PasswordResetRequest

    ask("dana@alpha.example")
    row = PasswordResetRequest.objects.get()
    assert "dana" not in row.address_hash and "127.0.0.1" not in row.client_hash


# Issue 29, item 8: the e-mail leaves after the answer, through the outbox ------------


def test_the_answer_is_given_before_any_e_mail_is_sent(editor, brand_a, mailoutbox, monkeypatch):
    """With a real mail server, sending inside the request made a staff member's answer
    slower than a stranger's: the view now only writes an outbox row."""
    from staff.password_reset import StaffPasswordResetView

    sent_when_answered = []
    original = StaffPasswordResetView.dispatch

    def dispatch(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        sent_when_answered.append(len(mailoutbox))
        return response

    monkeypatch.setattr(StaffPasswordResetView, "dispatch", dispatch)
    ask("dana@alpha.example")
    assert sent_when_answered == [0]
    assert len(mailoutbox) == 1  # sent once the response was closed


def test_staff_and_strangers_get_the_same_answer_and_work(editor, brand_a, mailoutbox, settings):
    settings.NOTIFICATIONS_SENT_FROM = "sender"
    known = ask("dana@alpha.example")
    unknown = ask("nobody@alpha.example")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert not mailoutbox
    (row,) = Message.objects.all()
    assert (row.about, row.kind, row.brand) == (editor, "password_reset", None)
    # The sender takes it, with the outbox's retries, and the link works.
    assert sending.send_due() == 1
    (mail,) = mailoutbox
    assert mail.to == ["dana@alpha.example"] and LINK.search(mail.body)
    row.refresh_from_db()
    assert row.status == "sent"


def test_a_failed_reset_e_mail_is_tried_again(editor, brand_a, mailoutbox, settings, monkeypatch):

    settings.NOTIFICATIONS_SENT_FROM = "sender"
    ask("dana@alpha.example")

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    sending.send_due()
    row = Message.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ConnectionRefusedError")
    monkeypatch.undo()
    with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
        sending.send_due()
    assert len(mailoutbox) == 1


def test_an_account_switched_off_before_the_e_mail_goes_gets_none(
    editor, brand_a, mailoutbox, settings
):

    settings.NOTIFICATIONS_SENT_FROM = "sender"
    ask("dana@alpha.example")
    editor.is_active = False
    editor.save()
    sending.send_due()
    assert not mailoutbox
    assert Message.objects.get().status == "cancelled"
