"""Staff sign-in help and invitations, under /admin/ (before the admin's own addresses)."""

from django.urls import path

from staff import password_reset as reset
from staff import views

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
    path("invitation/<str:token>/", views.accept_invitation, name="staff_accept_invitation"),
]
