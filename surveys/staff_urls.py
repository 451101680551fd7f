"""Staff pages for surveys, under /staff/surveys/: results for coordinators, the suppressed
summary (what the commissioners' survey report shows), the CSV export, and invitations and reminders."""

from django.urls import path

from . import staff_views

app_name = "surveys_staff"

urlpatterns = [
    path("", staff_views.survey_list, name="list"),
    path("<int:pk>/results/", staff_views.results, name="results"),
    path("<int:pk>/results.csv", staff_views.results_csv, name="results_csv"),
    path("<int:pk>/questions/<int:question_pk>/answers/", staff_views.text_answers, name="text_answers"),
    path("<int:pk>/summary/", staff_views.summary, name="summary"),
    path("<int:pk>/invite/", staff_views.invite, name="invite"),
]
