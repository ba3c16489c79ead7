"""A clear 503 page when the database does not answer, instead of a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into "try again in a moment".

    Whatever the patient typed is still in their browser; nothing was saved, and the
    page says so, so the request can simply be sent again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", type(exception).__name__)
        template = loader.get_template("503.html")
        response = HttpResponse(
            template.render({"brand": getattr(request, "brand", None)}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
