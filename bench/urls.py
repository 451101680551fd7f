"""The portal's URLs with two tiny pages in front, for bench/request_cost.py only."""

from django.http import HttpResponse
from django.urls import path

from involvement.urls import handler400, handler403, handler404, handler500  # noqa: F401
from involvement.urls import urlpatterns as portal_urlpatterns


def tiny(request):
    """Does nothing itself, so what is measured is the middleware and the session around it."""
    return HttpResponse("ok", content_type="text/plain")


def whoami(request):
    """Lets the bench check that its session cookie logs it in before it measures anything."""
    return HttpResponse("member" if request.user.is_authenticated else "anonymous", content_type="text/plain")


urlpatterns = [path("bench/tiny", tiny), path("bench/whoami", whoami), *portal_urlpatterns]
