"""Staff pages for meetings, under /staff/meetings/ (coordinators only)."""

from django.urls import path

from . import staff_views

app_name = "meetings_staff"

urlpatterns = [
    path("", staff_views.meeting_list, name="meeting_list"),
    path("<int:pk>/attendance/", staff_views.attendance, name="attendance"),
    path("<int:pk>/attendees.csv", staff_views.attendees_csv, name="attendees_csv"),
]
