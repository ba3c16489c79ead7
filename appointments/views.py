"""The public consultation form and its thank-you page."""

import logging
import uuid
from datetime import datetime

from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from appointments import blank_form, ratelimit, services
from appointments.forms import ConsultationForm
from appointments.models import ConsultationRequest, ContactMethod
from appointments.privacy import client_hash
from articles.models import Article, topics_with_live_articles
from care.models import Treatment
from clinic import hours_text
from clinic.locations import brand_locations, location_by_slug
from clinic.opening import brand_opening
from portal import languages, sessions
from portal.translated import column_names

SESSION_KEY = "consultation"
logger = logging.getLogger(__name__)


def brand_topics(brand):
    """Topics a patient of this brand may pick: those of its live articles."""
    return topics_with_live_articles(brand)


def _render(request, form, status=200):
    response = render(request, "appointments/form.html", {"form": form}, status=status)
    add_never_cache_headers(response)  # holds a CSRF token and maybe typed details
    return response


def _thanks(request, consultation):
    """After the request is committed: the thanks page, whatever the session store does.

    The browser goes on to the thanks page through the session (so a reload sends
    nothing twice); when the session cannot be written, this answer is the thanks page
    itself. It never claims that nothing was saved.
    """
    saved = {
        "reference": consultation.reference,
        "location": consultation.location.slug if consultation.location else None,
        "contact_method": consultation.contact_method,
        "language": consultation.language,
        # Said back on the thanks page (never the message or anything about health).
        "preferred_slot": (
            consultation.preferred_slot.isoformat() if consultation.preferred_slot else None
        ),
        "described_time": bool(consultation.preference_note),
    }
    request.session[SESSION_KEY] = saved
    try:
        request.session.save()
    except Exception:  # the database or cache behind the sessions: any failure at all
        logger.warning("Session not saved after a consultation request; thanks shown directly")
        request.session.modified = False  # the middleware must not try (and fail) again
        return _thanks_page(request, saved)
    response = HttpResponseRedirect(reverse("appointments:thanks"))
    sessions.set_cookie(request, response)
    request.session.modified = False  # written once, here
    return response


@sensitive_post_parameters()  # error reports must never carry what patients typed
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_form(request):
    brand = request.brand
    if request.method != "POST":  # GET, or HEAD (the same answer without its body)
        return _blank_form(request, brand)
    options = _form_options(brand)
    form = ConsultationForm(request.POST, **options)
    token = form.data.get("submission_token")
    earlier = _earlier_submission(brand, token)
    if earlier is not None:
        return _thanks(request, earlier)  # a double click or back-and-resubmit
    if not form.is_valid():
        return _render(request, form)
    client = client_hash(request)
    resent = services.recent_duplicate(brand, client, form.cleaned_data)
    if resent is not None:
        return _thanks(request, resent)  # the same request again, with a fresh form
    try:
        consultation = _save(form, brand, client)
    except ratelimit.LimitReached:
        form.add_error(None, _limit_message(brand))
        return _render(request, form, status=429)
    except IntegrityError:
        earlier = _earlier_submission(brand, token)
        if earlier is None:
            raise
        return _thanks(request, earlier)
    return _thanks(request, consultation)


def _form_options(brand) -> dict:
    return {
        "brand": brand,
        "locations": brand_locations(brand),
        "topics": brand_topics(brand),
        "treatments": Treatment.objects.for_brand(brand)
        .published()
        .only(*column_names(Treatment, "name"), "slug"),
    }


def _blank_form(request, brand):
    """The empty form: from ``blank_form``, with what the link asked for chosen.

    A plain visit costs no query; a link's topic or article is looked up first, so
    that a made-up one is neither chosen nor given a cache entry of its own.
    """
    topic_slug = request.GET.get("topic", "")[:80]
    topic = brand_topics(brand).filter(slug=topic_slug).first() if topic_slug else None
    treatment_slug = request.GET.get("treatment", "")[:80]
    treatment = (
        Treatment.objects.for_brand(brand).published().filter(slug=treatment_slug).first()
        if treatment_slug
        else None
    )
    article = request.GET.get("article", "")[:200]
    if article and not Article.objects.live().for_brand(brand).filter(slug=article).exists():
        article = ""

    def build_form(now, initial):
        options = _form_options(brand)
        locations = options["locations"]
        if locations:
            # The location that answers now (or opens first) is the one chosen, as the
            # "talk now" box beside the form names it.
            opening = brand_opening(locations, now)
            initial["location"] = (opening.location if opening else locations[0]).pk
        return ConsultationForm(initial=initial, now=now, **options)

    return blank_form.page(
        request,
        build_form=build_form,
        chosen={"topic": topic, "treatment": treatment},
        article=article,
    )


def _limit_message(brand) -> str:
    """Tell a patient who hit the limit what to do, with a number to call."""
    opening = brand_opening(brand_locations(brand), timezone.now())
    phone = opening.location.phone_or_brand if opening else brand.phone
    if phone:
        return _(
            "We have received several requests from your connection in the last few "
            "minutes. Please wait ten minutes and try again, or call us on %(phone)s."
        ) % {"phone": phone.as_national}
    return _(
        "We have received several requests from your connection in the last few "
        "minutes. Please wait ten minutes and try again."
    )


def _earlier_submission(brand, token):
    try:
        token = uuid.UUID(str(token))
    except (TypeError, ValueError):
        return None
    return ConsultationRequest.objects.for_brand(brand).filter(submission_token=token).first()


def _save(form, brand, client) -> ConsultationRequest:
    data = form.cleaned_data
    article = None
    if data.get("article"):
        article = Article.objects.live().for_brand(brand).filter(slug=data["article"]).first()
    return services.receive_request(
        brand, data, client=client, is_spam=form.is_spam, article=article
    )


@require_safe
def thanks(request):
    """Confirm a request this browser sent; opened any other way, claim nothing."""
    return _thanks_page(request, request.session.get(SESSION_KEY) or {})


def _thanks_page(request, saved: dict):
    method = saved.get("contact_method") or ContactMethod.PHONE
    reply = location = preferred = None
    if saved.get("reference"):
        now = timezone.now()
        location = location_by_slug(request.brand, saved.get("location") or "")
        opening = brand_opening([location] if location else brand_locations(request.brand), now)
        if opening is not None:
            reply = hours_text.reply_line(opening.status, now, opening.hours, method)
        if saved.get("preferred_slot"):
            preferred = datetime.fromisoformat(saved["preferred_slot"])
    response = render(
        request,
        "appointments/thanks.html",
        {
            "reference": saved.get("reference"),
            "contact_method": method,
            "contact_method_label": ContactMethod(method).label,
            # Said back where the site offers a choice of language.
            "language_label": (
                languages.NATIVE_NAMES.get(saved.get("language") or "", "")
                if len(request.brand.language_codes) > 1
                else ""
            ),
            "reply_line": reply,
            "location": location,
            "preferred_slot": preferred,
            "described_time": saved.get("described_time", False),
        },
    )
    add_never_cache_headers(response)
    return response
