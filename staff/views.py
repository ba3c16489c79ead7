"""The page an invited colleague opens from the e-mail."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal.text import clean_text
from staff import invitations


class NewAccountForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    username = forms.RegexField(
        label=gettext_lazy("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=gettext_lazy("Letters, digits and @ . + - _ only; you sign in with it."),
        error_messages={"invalid": gettext_lazy("Use only letters, digits and @ . + - _.")},
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_first_name(self):
        return clean_text(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_text(self.cleaned_data["last_name"])

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("That user name is taken. Choose another."))
        return name

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(
                username=data.get("username", ""),
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def create_user(self):
        data = self.cleaned_data
        return get_user_model().objects.create_user(
            username=data["username"],
            email=self.email,
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            is_staff=True,
        )


@never_cache
def accept_invitation(request, token):
    invitation = invitations.invitation_for(token)
    context = {**admin.site.each_context(request), "invitation": invitation}
    if invitation is None:
        return render(request, "staff/invitation_gone.html", context, status=410)
    account = invitations.existing_account(invitation)
    if account is not None:
        # An existing account joins only once its owner has signed in to it.
        if request.user != account:
            return render(request, "staff/invitation_sign_in.html", context)
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
        with transaction.atomic():
            user = account or form.create_user()
            invitations.accept(invitation, user)
    except invitations.AlreadyUsed:
        return render(
            request,
            "staff/invitation_gone.html",
            {**admin.site.each_context(request), "invitation": None},
            status=410,
        )
    messages.success(
        request,
        _("Welcome to %(brand)s. Sign in to start.") % {"brand": invitation.brand.name}
        if account is None
        else _("You now work for %(brand)s too.") % {"brand": invitation.brand.name},
    )
    if account is None:
        return redirect_to_login(reverse("admin:index"), reverse("admin:login"))
    return redirect("admin:index")
