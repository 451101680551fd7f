from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<int:pk>/", views.start, name="start"),
    path("<int:pk>/page/<int:number>/", views.section, name="section"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/done/", views.done, name="done"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/review/<int:question_pk>/", views.review_question, name="review_question"),
    # Public-link surveys, reached only by their unguessable key.
    path("s/<uuid:key>/", views.start, name="public_start"),
    path("s/<uuid:key>/page/<int:number>/", views.section, name="public_section"),
    path("s/<uuid:key>/check/", views.check, name="public_check"),
    path("s/<uuid:key>/done/", views.done, name="public_done"),
]
