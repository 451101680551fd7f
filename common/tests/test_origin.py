"""Forms protected without a cookie refuse posts a browser says came from another site."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from common.origin import same_site_post


@same_site_post
def view(request):
    return HttpResponse("sent")


def post(**headers):
    return view(RequestFactory().post("/feedback/", **headers))


def test_a_post_from_this_site_is_let_through():
    assert post(HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin").content == b"sent"


def test_a_post_without_browser_headers_is_let_through():
    assert post().content == b"sent"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_a_post_a_browser_says_came_from_another_site_is_refused(headers):
    with pytest.raises(PermissionDenied):
        post(**headers)


@override_settings(CSRF_TRUSTED_ORIGINS=["https://portal.example.nhs.uk"])
def test_a_trusted_origin_is_let_through():
    assert post(HTTP_ORIGIN="https://portal.example.nhs.uk").content == b"sent"


def test_other_methods_are_left_to_the_view():
    assert view(RequestFactory().get("/feedback/", HTTP_ORIGIN="https://elsewhere.example")).content == b"sent"
