from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.home, name="home"),
    path("locations/", views.locations, name="locations"),
    path("locations/<slug:slug>/", views.location, name="location"),
    path("privacy/", views.privacy, name="privacy"),
    path("theme.css", views.theme, name="theme"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("staff-handoff/<str:token>/", views.staff_handoff, name="staff_handoff"),
]
