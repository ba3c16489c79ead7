"""Staff password reset, under /admin/ (before the admin's own addresses)."""

from django.urls import path

from staff import password_reset as views

urlpatterns = [
    # The admin's login page links here once this name exists.
    path("password-reset/", views.StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "password-reset/sent/",
        views.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
