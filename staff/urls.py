"""Staff sign-in help, two-factor sign-in and invitations, under /admin/.

Before the admin's own addresses, which claim all of /admin/.
"""

from django.urls import path

from staff import password_reset as reset
from staff import time_zone_views, views
from staff import two_factor_views as two_factor

urlpatterns = [
    # The admin's login page links here once this name exists.
    path("password-reset/", reset.StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "password-reset/sent/",
        reset.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        reset.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        reset.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor.manage, name="staff_two_factor"),
    path("two-factor/set-up/", two_factor.setup, name="staff_two_factor_setup"),
    path("two-factor/code/", two_factor.verify, name="staff_two_factor_verify"),
    path("two-factor/new-codes/", two_factor.new_codes, name="staff_two_factor_new_codes"),
    path("two-factor/turn-off/", two_factor.turn_off, name="staff_two_factor_turn_off"),
    path("invitation/<str:token>/", views.accept_invitation, name="staff_accept_invitation"),
    path("time-zone/", time_zone_views.own_time_zone, name="staff_time_zone"),
]
