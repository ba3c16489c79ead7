from django.urls import path

from care import views

app_name = "care"

urlpatterns = [
    path("treatments/", views.treatments, name="treatments"),
    path("treatments/<slug:slug>/", views.treatment, name="treatment"),
    path("clinicians/", views.clinicians, name="clinicians"),
    path("clinicians/<slug:slug>/", views.clinician, name="clinician"),
]
