"""Ask for the second factor before any back-office page is shown.

After the password, a member of staff who has an authenticator is sent to enter a
code; one whose role requires it and who has none is sent to set one up. Only the
pages that lead there (sign in and out, and staff/urls.py: password reset,
invitations and the two-factor pages themselves) are open before that. Public pages are untouched.
"""

from staff import two_factor

# The admin's own pages that must open before the second factor.
_ADMIN_OPEN = {"login", "logout"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The sign-in help and two-factor pages live outside the admin's namespace.
        if match is None or "admin" not in match.namespaces:
            return None
        if match.url_name in _ADMIN_OPEN:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or two_factor.is_verified(request):
            return None  # the admin itself sends strangers to sign in
        if two_factor.is_enrolled(user) or two_factor.is_required(user):
            return two_factor.ask_for_it(request, user)
        return None
