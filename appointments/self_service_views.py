"""The patient's own page for their consultation (appointments/self_service.py)."""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from appointments import booking, self_service
from appointments.self_service_forms import AvailabilityForm, CancelForm, MoveForm

# What the page says after a change (the address carries which, never any detail).
DONE = ("cancelled", "withdrawn", "moved", "noted")


def _private(response):
    # The address holds the patient's key: kept from other sites (Referer) and from
    # search engines, and never stored by any cache. "same-origin", not "no-referrer":
    # with no referrer at all the browser posts the page's own forms with Origin "null",
    # which the CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    opened = self_service.open_link(token, request.brand)
    if opened.item is None:
        page = render(
            request, "appointments/manage_gone.html", {"problem": opened.problem}, status=410
        )
        return _private(page)
    item = opened.item
    now = timezone.now().replace(second=0, microsecond=0)
    forms = {
        "move": MoveForm(item=item, now=now, prefix="move"),
        "availability": AvailabilityForm(item=item, now=now, prefix="availability"),
        "cancel": CancelForm(prefix="cancel"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms or not _allowed(item, action):
            status = 400
        elif self_service.over_limit(item):
            status = 429
        else:
            forms, done = _act(request, item, action, now, forms)
            if done:
                return HttpResponseRedirect(f"{self_service.link_for(item)}?done={done}")
            status = 400
    context = {
        "item": item,
        "location": item.location,
        "scheduled": item.is_booked_ahead,
        "can_change": self_service.can_change(item),
        "forms": forms,
        "done": request.GET.get("done") if request.GET.get("done") in DONE else None,
        "too_many": status == 429,
    }
    return _private(render(request, "appointments/manage.html", context, status=status))


def _allowed(item, action: str) -> bool:
    if not self_service.can_change(item):
        return False
    if action == "move":
        return item.is_booked_ahead
    if action == "availability":
        return not item.is_booked_ahead
    return True  # cancel: a booked consultation, or a request not yet booked


def _act(request, item, action, now, forms):
    """Run one action; return the forms (with their errors) and what was done, if any."""
    form: Form
    if action == "cancel":
        form = CancelForm(request.POST, prefix="cancel")
        if form.is_valid():
            booked = item.is_booked_ahead
            self_service.cancel(item)
            return forms, "cancelled" if booked else "withdrawn"
    elif action == "move":
        form = move = MoveForm(request.POST, item=item, now=now, prefix="move")
        if move.is_valid():
            try:
                self_service.move(item, move.chosen_time())
                return forms, "moved"
            except (ValidationError, booking.SlotFull) as refusal:
                message = (
                    refusal.messages[0] if isinstance(refusal, ValidationError) else str(refusal)
                )
                move.add_error("slot", message)
    else:
        form = availability = AvailabilityForm(
            request.POST, item=item, now=now, prefix="availability"
        )
        if availability.is_valid():
            self_service.add_availability(
                item, availability.chosen_time(), availability.cleaned_data["note"]
            )
            return forms, "noted"
    return {**forms, action: form}, None
