"""The portal's URLs plus one view that fails, for testing the 500 page."""

from django.urls import path

from involvement.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken_view(request):
    raise RuntimeError("A fault the 500 page must cover")


urlpatterns = [path("broken/", broken_view), *urlpatterns]
