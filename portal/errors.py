"""Error views that keep the brand's name on the page."""

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    """Render 500.html with the brand but without context processors.

    The page must render even when the database is down, so it uses only what the
    middleware already put on the request.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"brand": getattr(request, "brand", None)}))
