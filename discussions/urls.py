from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.compose, name="compose"),
    path("alerts/", views.alerts, name="alerts"),
    path("<int:pk>/", views.thread, name="thread"),
    path("<int:pk>/mute/", views.mute, name="mute"),
    path("posts/<int:pk>/edit/", views.edit, name="edit"),
    path("posts/<int:pk>/waiting/", views.held, name="held"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("team/", views.team, name="team"),
    path("team/new/", views.ask, name="ask"),
    path("team/<int:pk>/", views.conversation, name="conversation"),
]
