from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.admin_scoping import BrandScopedAdmin
from clinic.models import BrandMembership
from staff import accounts, invitations
from staff.models import Invitation

# django-otp's own admin lists every account's devices (and can show a TOTP key) across
# brands. Staff manage their own second factor on its page; a brand admin resets a
# colleague's from the memberships list (below), within their brands.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Invitation)
class InvitationAdmin(BrandScopedAdmin):
    list_display = ["email", "brand", "role", "status", "invited_by", "created", "expires_at"]
    list_filter = ["brand", "role"]
    search_fields = ["email"]
    fields = ["brand", "email", "role"]
    actions = ["send_again"]

    def has_change_permission(self, request, obj=None):
        return False  # sent is sent: withdraw it (delete) and invite again

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.accepted_at:
            return _("accepted")
        return _("open") if obj.is_open else _("expired")

    def save_model(self, request, obj, form, change):
        # The brand was checked by the scoped choices and, last, by the mixin's rule.
        self.refuse_a_brand_not_theirs(request, obj, change)
        invitations.invite(obj, by=request.user)  # saved, and its e-mail in the outbox

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("Invitation sent to %(address)s.") % {"address": obj.email},
            messages.SUCCESS,
        )
        return self.response_post_save_add(request, obj)

    @admin.action(description=_("Send the invitation again (a fresh week)"), permissions=["add"])
    def send_again(self, request, queryset):
        count = sum(
            invitations.send_again(invitation)
            for invitation in queryset.filter(accepted_at__isnull=True)
        )
        self.message_user(
            request,
            ngettext("Sent %(count)d invitation again.", "Sent %(count)d invitations again.", count)
            % {"count": count},
        )


class AccountStateFilter(admin.SimpleListFilter):
    title = _("account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("deactivated", _("Deactivated"))]

    def queryset(self, request, queryset):
        if self.value() in ("active", "deactivated"):
            return queryset.filter(user__is_active=self.value() == "active")
        return queryset


@admin.register(BrandMembership)
class BrandMembershipAdmin(BrandScopedAdmin):
    list_display = ["user", "brand", "role", "account_state", "created"]
    list_filter = ["role", AccountStateFilter, "brand"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "brand"]
    autocomplete_fields = ["brand"]
    actions = ["deactivate", "reactivate", "reset_two_factor"]

    @admin.display(description=_("account"), boolean=False, ordering="user__is_active")
    def account_state(self, obj):
        return _("Active") if obj.user.is_active else _("Deactivated: cannot sign in")

    def get_readonly_fields(self, request, obj=None):
        # A membership belongs to its person: the role may change, the person may not
        # (moving it would hand someone else this clinic's access).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user"] if obj is not None else fields

    @admin.action(
        description=_("Reactivate these colleagues' accounts"),
        permissions=["delete"],
    )
    def reactivate(self, request, queryset):
        """Let deactivated colleagues sign in again: only those who work for none but
        the admin's own brands (the others are for another brand's admin)."""
        mine = self.brand_ids(request, "delete")
        for membership in queryset.select_related("user"):
            user = membership.user
            name = user.get_full_name() or user.get_username()
            outcome = accounts.reactivate(user, brand_ids=mine)
            if outcome == accounts.Outcome.ELSEWHERE:
                self.message_user(
                    request,
                    _("%(name)s was left as is: ask a superuser.") % {"name": name},
                    messages.WARNING,
                )
            elif outcome == accounts.Outcome.REACTIVATED:
                self.message_user(
                    request,
                    _("%(name)s can sign in again (with two-factor sign-in as before).")
                    % {"name": name},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Deactivate these colleagues' accounts (or take them off your clinics)"),
        permissions=["delete"],
    )
    def deactivate(self, request, queryset):
        """Stop colleagues signing in, without touching another brand's staff.

        An account that also works for a brand outside the admin's own only loses its
        roles in the admin's brands; nobody deactivates themselves or a superuser.
        """
        mine = self.brand_ids(request, "delete")
        for membership in queryset.select_related("user", "brand"):
            user = membership.user
            name = user.get_full_name() or user.get_username()
            outcome = accounts.deactivate(user, by=request.user, brand_ids=mine)
            if outcome == accounts.Outcome.LEFT_AS_IS:
                self.message_user(
                    request, _("%(name)s was left as is.") % {"name": name}, messages.WARNING
                )
            elif outcome == accounts.Outcome.TAKEN_OFF:
                self.message_user(
                    request,
                    _(
                        "%(name)s also works for another clinic: taken off yours, the "
                        "account stays active there."
                    )
                    % {"name": name},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s can no longer sign in.") % {"name": name},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Reset two-factor sign-in (a lost phone): they set it up again"),
        permissions=["delete"],
    )
    def reset_two_factor(self, request, queryset):
        """Remove a colleague's authenticator and recovery codes.

        Only for colleagues who work for none but the admin's own brands (another
        brand's admin, or a superuser, answers for the rest); never oneself (one's own
        page does that) or a superuser.
        """
        mine = self.brand_ids(request, "delete")
        done = set()
        for membership in queryset.select_related("user"):
            user = membership.user
            if user.pk in done:
                continue
            done.add(user.pk)
            name = user.get_full_name() or user.get_username()
            outcome = accounts.reset_two_factor(user, by=request.user, brand_ids=mine)
            if outcome == accounts.Outcome.OWN:
                self.message_user(
                    request,
                    _("Your own: use your Two-factor sign-in page."),
                    messages.WARNING,
                )
            elif outcome == accounts.Outcome.ELSEWHERE:
                self.message_user(
                    request,
                    _("%(name)s was left as is: ask a superuser.") % {"name": name},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s sets up two-factor sign-in again at the next sign-in.")
                    % {"name": name},
                    messages.SUCCESS,
                )
