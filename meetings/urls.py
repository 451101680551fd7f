from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("past/", views.past, name="past"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/apologies/", views.apologies, name="apologies"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/calendar.ics", views.calendar, name="calendar"),
]
