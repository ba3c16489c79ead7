from django.urls import path

from appointments import self_service_views, views

app_name = "appointments"

urlpatterns = [
    path("", views.consultation_form, name="form"),
    path("thanks/", views.thanks, name="thanks"),
    path("manage/<str:token>/", self_service_views.manage, name="manage"),
]
