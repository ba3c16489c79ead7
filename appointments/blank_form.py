"""The empty consultation form's page, rendered once a minute per brand and reused.

Rendering the form costs tens of milliseconds (two weeks of real slots for every
location, through crispy-forms), yet every visitor of a brand in the same minute gets
the same page but for two values: the CSRF token and the submission token. So the page
is rendered with a marker in each place, kept in the shared cache, and every visitor
gets a copy with tokens of their own put in.

What retires a copy: the minute passing (slots, "open now"), any save in the brand
(hours, locations, topics, articles: the brand's generation) and any seat taken or
given back in one of its slots (the brand's bookings generation).
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

from portal import generations

# Fixed values, never produced by Django's token generators (a CSRF token is 64 letters
# and digits; a submission token a random, version-4 UUID): every worker and app server
# must recognise the markers in a page another one rendered.
CSRF_MARK = "csrf-token-for-this-visitor"
SUBMISSION_MARK = uuid.UUID("00000000-0000-4000-8000-000000000000")
SECONDS = 90  # a little over the minute the copy is for


def page(request, *, build_form, chosen: dict, article: str) -> HttpResponse:
    """Return the blank form's page for this visitor (``build_form(now, initial)``)."""
    brand = request.brand
    now = timezone.now().replace(second=0, microsecond=0)
    key = ":".join(
        str(part)
        for part in (
            "consultation-form",
            generations.of_brand(brand),
            generations.current(generations.bookings_key(brand.pk)),
            request.get_host().lower(),
            translation.get_language(),
            int(now.timestamp()),
            *(f"{name}={row.pk}" for name, row in sorted(chosen.items()) if row is not None),
            article,
        )
    )
    html = cache.get(key) if settings.PAGE_CACHE_SECONDS > 0 else None
    if html is None:
        initial = {"submission_token": SUBMISSION_MARK, "article": article}
        # What the link chose (a topic, a treatment): found on this brand, or None.
        initial.update({name: row.pk for name, row in chosen.items() if row is not None})
        form = build_form(now, initial)
        html = render_to_string(
            "appointments/form.html", {"form": form, "csrf_token": CSRF_MARK}, request
        )
        if settings.PAGE_CACHE_SECONDS > 0:  # 0 turns every cache of pages off
            cache.set(key, html, SECONDS)
    html = html.replace(CSRF_MARK, get_token(request)).replace(
        str(SUBMISSION_MARK), str(uuid.uuid4())
    )
    response = HttpResponse(html)
    add_never_cache_headers(response)  # it holds this visitor's CSRF token
    return response
