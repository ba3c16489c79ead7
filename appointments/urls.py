from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.consultation_form, name="form"),
    path("thanks/", views.thanks, name="thanks"),
]
