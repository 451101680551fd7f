from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.library_home, name="home"),
    path("suggest/", views.suggest, name="suggest"),
    path("review/", views.reviews, name="reviews"),
    path("review/feedback/", views.my_feedback, name="my_feedback"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/<int:pk>/credit/", views.credit, name="credit"),
    path("files/<int:pk>/", views.download_file, name="file"),
    path("<int:pk>/", views.resource_detail, name="resource"),
    path("<int:pk>/feedback/", views.give_feedback, name="feedback"),
    path("<int:pk>/print.pdf", views.resource_pdf, name="pdf"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
]
