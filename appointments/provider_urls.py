"""Addresses the text-message provider calls (included by the project's URLconf outside
the language prefixes)."""

from django.urls import path

from appointments import text_replies

urlpatterns = [
    # Replies to our texts (appointments/text_replies.py).
    path("sms/inbound/", text_replies.inbound, name="sms_inbound"),
]
