"""The page an invited colleague opens from the e-mail."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.text import clean_text
from staff import invitations, two_factor

TAKEN = gettext_lazy("That user name is taken. Choose another.")


class NewAccountForm(UserCreationForm):
    """Django's own sign-up form (unique user name, password rules), for an invitee."""

    error_messages = {"password_mismatch": gettext_lazy("The two passwords differ.")}

    class Meta(UserCreationForm.Meta):
        fields = ("first_name", "last_name", "username")

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.email = email
        self.instance.is_staff = True  # a back-office account; never a superuser
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        username = self.fields["username"]
        username.help_text = gettext_lazy(
            "Letters, digits and @ . + - _ only; you sign in with it."
        )
        username.error_messages["invalid"] = gettext_lazy("Use only letters, digits and @ . + - _.")
        self.fields["password2"].label = gettext_lazy("The same password again")

    def clean_first_name(self):
        return clean_text(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_text(self.cleaned_data["last_name"])

    def clean_username(self):
        # Django's own check words it for admins ("A user with that username ...").
        name = self.cleaned_data.get("username")
        if name and self._meta.model.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(TAKEN)
        return super().clean_username()


@never_cache
def accept_invitation(request, token):
    invitation = invitations.invitation_for(token)
    context = {**admin.site.each_context(request), "invitation": invitation}
    if invitation is None:
        return render(request, "staff/invitation_gone.html", context, status=410)
    account = invitations.existing_account(invitation)
    if account is not None:
        # An existing account joins only once its owner has signed in to it, with the
        # second factor where the account has one or its roles (new one included) ask
        # for it: a password alone never gains a membership.
        if request.user != account:
            return render(request, "staff/invitation_sign_in.html", context)
        if not two_factor.is_verified(request) and (
            two_factor.is_enrolled(account)
            or two_factor.is_required(account)
            or invitation.role in two_factor.roles_that_require_it()
        ):
            return two_factor.ask_for_it(request, account)
        if request.method == "POST":
            return _accepted(request, invitation, account)
        return render(request, "staff/invitation_join.html", context)
    form = NewAccountForm(
        request.POST or None,
        email=invitation.email,
        initial={"username": invitation.email.split("@")[0][:150]},
    )
    if request.method == "POST" and form.is_valid():
        return _accepted(request, invitation, None, form)
    return render(request, "staff/invitation_new_account.html", {**context, "form": form})


def _accepted(request, invitation, account, form=None):
    try:
        if account is not None:
            user = account
            invitations.accept(invitation, user)
        else:
            user = invitations.accept_with_new_account(
                invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
    except invitations.AlreadyUsed:
        return render(
            request,
            "staff/invitation_gone.html",
            {**admin.site.each_context(request), "invitation": None},
            status=410,
        )
    if account is None:
        # The password was chosen a moment ago: no second typing of it. Signed in on
        # the password, the new colleague goes on to set up the second factor, which
        # every role that reads patient data needs before any back-office page opens.
        login(request, user, backend="clinic.auth.BrandRoleBackend")
        messages.success(
            request,
            _("Welcome to %(brand)s. One more step: set up two-factor sign-in.")
            % {"brand": invitation.brand.name},
        )
        if two_factor.is_required(user):
            return redirect(f"{reverse('staff_two_factor_setup')}?next={reverse('admin:index')}")
        return redirect("admin:index")
    messages.success(
        request, _("You now work for %(brand)s too.") % {"brand": invitation.brand.name}
    )
    return redirect("admin:index")
