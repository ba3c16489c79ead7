"""Public brand pages that belong to no other app."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "clinic/home.html")


@require_GET
def privacy(request):
    return render(request, "clinic/privacy.html")


@require_GET
@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def theme(request):
    """Serve the brand's colours as CSS (a file, so the CSP can forbid inline styles).

    The URL carries the brand's last-update time, so a year-long cache is safe.
    """
    return render(request, "clinic/theme.css", content_type="text/css; charset=utf-8")
