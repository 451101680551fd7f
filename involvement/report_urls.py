"""The Reports pages, under /reports/ (see involvement/report_views.py for who may use each)."""

from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.reports, name="home"),
    path("certificate/", report_views.certificate, name="certificate"),
    path("<int:pk>/", report_views.run, name="run"),
    path("<int:pk>/download/", report_views.download, name="download"),
    path("<int:pk>/try-again/", report_views.retry, name="retry"),
]
