"""Staff pages for the group feed, under /staff/discussions/ (coordinators only)."""

from django.urls import path

from . import staff_views

app_name = "discussions_staff"

urlpatterns = [
    path("", staff_views.moderation_queue, name="queue"),
    path("posts/<int:pk>/", staff_views.moderate, name="moderate"),
    path("inbox/", staff_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", staff_views.conversation, name="conversation"),
]
