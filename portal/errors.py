"""Error views that keep the brand's name on the page."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    """Render 500.html, or 503.html when the database is out of reach.

    Both render without context processors and without touching the database, using
    only what the middleware already put on the request. Django calls this view while
    the exception is being handled, so ``sys.exc_info`` names it, wherever it was
    raised (a view, a middleware, a template).
    """
    context = {"brand": getattr(request, "brand", None)}
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        logger.error("Database unavailable; answered 503.")
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))
