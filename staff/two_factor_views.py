"""The two-factor pages: set up an authenticator, enter a code, manage recovery codes."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from staff import two_factor

THROTTLED = gettext_lazy("Too many wrong codes in a row. Wait a minute, then try again.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Enter the code.")},
    )


def _next_address(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def _page(request, template, **context):
    context = {
        **admin.site.each_context(request),
        "next": _next_address(request),
        "required": two_factor.is_required(request.user),
        # Before the second factor nothing behind it is offered, not even as links.
        "is_nav_sidebar_enabled": two_factor.is_verified(request),
        **context,
    }
    return render(request, template, context)


@never_cache
@staff_member_required
def setup(request):
    user = request.user
    if two_factor.is_enrolled(user) and not two_factor.is_verified(request):
        # Replacing an authenticator needs the current one (or a recovery code) first.
        return redirect(f"{reverse('staff_two_factor_verify')}?next={reverse('staff_two_factor')}")
    device = two_factor.pending_app_device(request)
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["inputmode"] = "numeric"
    if request.method == "POST" and form.is_valid():
        if two_factor.pending_code_matches(device, form.cleaned_data["code"]):
            codes = two_factor.confirm_app(device)
            two_factor.forget_pending(request)
            two_factor.sign_in(request, device)
            # Shown once, never stored by a browser or proxy (never_cache: no-store).
            return _page(request, "staff/two_factor_codes.html", codes=codes, first=True)
        else:
            form.add_error(
                "code",
                _(
                    "That code does not match. Check that the app shows the account for "
                    "this back office, and enter the code it shows now."
                ),
            )
    return _page(
        request,
        "staff/two_factor_setup.html",
        form=form,
        key=two_factor.readable_key(device),
        qr_code=two_factor.qr_code_svg(device),
    )


@never_cache
@staff_member_required
def verify(request):
    user = request.user
    if not two_factor.is_enrolled(user):
        return redirect("staff_two_factor_setup" if two_factor.is_required(user) else "admin:index")
    if two_factor.is_verified(request):
        return redirect(_next_address(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.check_code(user, form.cleaned_data["code"])
        except two_factor.Throttled:
            form.add_error("code", THROTTLED)
        else:
            if device is not None:
                two_factor.sign_in(request, device)
                if device.name == two_factor.RECOVERY_DEVICE_NAME:
                    left = two_factor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code; %(count)d is left. Make new ones "
                            "under Two-factor sign-in.",
                            "You used a recovery code; %(count)d are left. Make new ones "
                            "under Two-factor sign-in.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_next_address(request))
            form.add_error(
                "code", _("That code does not match. Enter the code your app shows now.")
            )
    return _page(request, "staff/two_factor_verify.html", form=form)


@never_cache
@staff_member_required
def manage(request):
    user = request.user
    enrolled = two_factor.is_enrolled(user)
    if enrolled and not two_factor.is_verified(request):
        return redirect(f"{reverse('staff_two_factor_verify')}?next={request.path}")
    return _page(
        request,
        "staff/two_factor_manage.html",
        enrolled=enrolled,
        device=two_factor.app_device(user),
        codes_left=two_factor.recovery_codes_left(user),
    )


@never_cache
@require_POST
@staff_member_required
def new_codes(request):
    if not two_factor.is_verified(request):
        return redirect("staff_two_factor")
    codes = two_factor.new_recovery_codes(request.user)
    return _page(request, "staff/two_factor_codes.html", codes=codes, first=False)


@never_cache
@require_POST
@staff_member_required
def turn_off(request):
    user = request.user
    if two_factor.is_required(user):
        messages.error(request, _("Your role sees patient data: two-factor sign-in stays on."))
    elif two_factor.is_verified(request):
        two_factor.turn_off(user)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("staff_two_factor")
