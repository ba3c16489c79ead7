from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.admin_scoping import BrandScopedAdmin
from staff import invitations
from staff.models import Invitation

# django-otp's own admin lists every account's devices (and can show a TOTP key) across
# brands. Staff manage their own second factor on its page; a brand admin resets a
# colleague's from the memberships list (clinic.admin), within their brands.
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
