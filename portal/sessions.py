"""Set the session cookie for a session a view saved itself.

A view that must know whether the session was written (the consultation's thanks)
saves it and then tells the middleware not to; the cookie is then the view's to set,
exactly as ``SessionMiddleware`` would.
"""

from django.conf import settings
from django.utils.http import http_date


def set_cookie(request, response) -> None:
    session = request.session
    if session.get_expire_at_browser_close():
        max_age, expires = None, None
    else:
        max_age = session.get_expiry_age()
        expires = http_date(session.get_expiry_date().timestamp())
    response.set_cookie(
        settings.SESSION_COOKIE_NAME,
        session.session_key,
        max_age=max_age,
        expires=expires,
        domain=settings.SESSION_COOKIE_DOMAIN,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE or None,
        httponly=settings.SESSION_COOKIE_HTTPONLY or None,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
