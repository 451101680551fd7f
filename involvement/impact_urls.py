"""The "you said, we did" page (for everyone, showing each person what they may see) and the
projects pages for the group."""

from django.urls import path

from . import impact_views

app_name = "impact"

urlpatterns = [
    path("you-said-we-did/", impact_views.impact_list, name="list"),
    path("projects/", impact_views.project_list, name="projects"),
    path("projects/<int:pk>/", impact_views.project_detail, name="project"),
]
