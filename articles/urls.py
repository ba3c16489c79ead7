from django.urls import path

from articles import views
from articles.feeds import ArticleFeed

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("topic/<slug:topic_slug>/", views.article_list, name="topic"),
    path("search/", views.article_search, name="search"),
    path("feed/", ArticleFeed(), name="feed"),
    path("preview/<int:pk>/", views.staff_preview, name="preview"),
    path("review/<str:token>/", views.reviewer_preview, name="review"),
    path("medical-review/<str:token>/", views.outside_review, name="medical_review"),
    path(
        "medical-review/<str:token>/preview/",
        views.outside_review_preview,
        name="medical_review_preview",
    ),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
