import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from involvement.models import GroupProfile, Signpost
from members.tests.factories import UserFactory
from members.tests.totp import activate_totp

pytestmark = pytest.mark.django_db


def _page(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_has_the_landmarks_a_screen_reader_needs(anonymous):
    for path in ["/", reverse("account_login"), reverse("account_signup")]:
        html = _page(anonymous, path)
        assert '<html lang="en-GB">' in html
        assert '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">' in html
        assert '<main class="nhsuk-main-wrapper" id="maincontent">' in html
        assert 'role="banner"' in html and 'role="contentinfo"' in html


def test_footer_shows_crisis_lines_and_contact_details_from_the_group_profile(anonymous):
    profile = GroupProfile.load()
    profile.name = "Lakeside Involvement Group"
    profile.contact_phone = "01234 567890"
    profile.contact_email = "hello@lakeside.example"
    profile.save()
    Signpost.objects.create(kind=Signpost.Kind.CRISIS, name="Lakeside crisis line", phone="0800 000 1111")

    html = _page(anonymous)

    assert "Lakeside crisis line" in html
    assert 'href="tel:08000001111"' in html
    assert "Samaritans" in html  # the national lines a new portal starts with
    assert "Contact Lakeside Involvement Group" in html
    assert 'href="mailto:hello@lakeside.example"' in html


def test_the_footer_says_when_messages_are_read_only_from_the_group_profile(anonymous):
    profile = GroupProfile.load()
    profile.contact_phone = "01234 567890"
    profile.contact_hours = ""
    profile.save()
    html = _page(anonymous)
    assert "working hours" not in html
    assert "not a crisis service" in html

    profile.contact_hours = "Tuesdays and Thursdays, 10am to 2pm"
    profile.save()
    assert "(Tuesdays and Thursdays, 10am to 2pm)" in _page(anonymous)


def test_editing_a_signpost_in_the_admin_shows_on_the_next_page(anonymous):
    assert "Samaritans" in _page(anonymous)
    Signpost.objects.filter(name="Samaritans").update(is_active=False)  # update() sends no signal…
    Signpost.objects.get(name="NHS 111").save()  # …but any save clears the cached footer
    assert "Samaritans" not in _page(anonymous)


def test_support_signposts_are_not_in_the_crisis_footer(anonymous):
    Signpost.objects.create(kind=Signpost.Kind.SUPPORT, name="After-meeting buddy")
    assert "After-meeting buddy" not in _page(anonymous)


def test_leave_this_page_quickly_is_on_every_page_and_goes_to_the_profile_site(anonymous, member_client):
    profile = GroupProfile.load()
    profile.quick_exit_url = "https://weather.example/today"
    profile.save()
    for client, path in [(anonymous, "/"), (anonymous, reverse("account_login")), (member_client, "/")]:
        html = _page(client, path)
        link = re.search(r'<a class="portal-quick-exit__button" href="([^"]+)"[^>]*data-quick-exit', html)
        assert link.group(1) == "https://weather.example/today"


def test_navigation_fits_the_role(anonymous, member, coordinator, commissioner):
    html = _page(anonymous)
    assert "Log in" in html and "Join the group" in html and "Admin" not in html

    client = Client()
    client.force_login(member)
    html = _page(client)
    assert "Log out" in html and "Admin</a>" not in html and "Log in</a>" not in html

    activate_totp(coordinator)
    client = Client()
    client.force_login(coordinator)
    html = _page(client)
    assert f'href="{reverse("admin:index")}"' in html

    activate_totp(commissioner)
    client = Client()
    client.force_login(commissioner)
    html = _page(client)
    assert f'href="{reverse("admin:index")}"' not in html
    assert "Two-step security" in html


def test_everyone_who_must_use_two_step_login_gets_the_two_step_security_link(member, coordinator, commissioner):
    from django.contrib.auth.models import Group

    from members.roles import FINANCE_APPROVERS, requires_mfa

    finance = UserFactory(email="finance@example.org", is_staff=True)
    finance.groups.add(Group.objects.get(name=FINANCE_APPROVERS))
    link = f'href="{reverse("mfa_index")}">Two-step security</a>'
    for user in (finance, coordinator, commissioner):
        assert requires_mfa(user)
        activate_totp(user)
        client = Client()
        client.force_login(user)
        assert link in _page(client), f"{user.email} must use two-step login but has no link to manage it"

    client = Client()
    client.force_login(member)
    assert "Two-step security" not in _page(client)


def test_content_security_policy_uses_a_nonce_and_no_unsafe_inline(anonymous):
    response = anonymous.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert len(inline_scripts) == 2
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)


def test_security_headers_are_sent(anonymous):
    response = anonymous.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def _logged_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def test_a_member_is_logged_out_after_31_minutes_without_a_request(member):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client = Client()
        client.force_login(member)
        assert _logged_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        assert not _logged_in(client)


def test_a_request_every_29_minutes_keeps_a_member_logged_in(member):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client = Client()
        client.force_login(member)
        for _ in range(4):  # two hours in all: longer than any fixed session length would allow
            clock.shift(datetime.timedelta(minutes=29))
            assert _logged_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        assert not _logged_in(client)


def test_unknown_page_is_a_calm_404_in_the_layout(anonymous):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Samaritans" in response.content.decode()


def test_home_page_queries_do_not_grow_with_members(anonymous, django_assert_max_num_queries):
    UserFactory.create_batch(3)
    with django_assert_max_num_queries(3):
        anonymous.get("/")
    UserFactory.create_batch(60)
    with django_assert_max_num_queries(3):
        anonymous.get("/")


def test_logged_in_home_page_queries_do_not_grow_with_members(member_client, django_assert_max_num_queries):
    UserFactory.create_batch(3)
    with django_assert_max_num_queries(10) as small:
        member_client.get("/")
    UserFactory.create_batch(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        member_client.get("/")
