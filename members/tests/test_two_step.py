import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from members.tests.factories import DEFAULT_PASSWORD
from members.tests.totp import TEST_TOTP_SECRET, activate_totp, current_code

pytestmark = pytest.mark.django_db

EVERY_KIND_OF_PAGE = ["/", "/admin/", "/admin/members/user/", "/accounts/email/", "/accounts/password/change/"]


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_coordinator_without_two_step_is_sent_to_set_it_up_from_every_page(coordinator, path):
    response = _logged_in(coordinator).get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("path", ["/", "/accounts/email/"])
def test_commissioner_without_two_step_is_sent_to_set_it_up(commissioner, path):
    response = _logged_in(commissioner).get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_set_up_page_itself_opens_for_a_coordinator_without_two_step(coordinator):
    client = _logged_in(coordinator)
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    # allauth may ask for the password again first; either way it is not a redirect loop.
    assert response.status_code == 200
    final = response.redirect_chain[-1][0] if response.redirect_chain else reverse("mfa_activate_totp")
    assert final.startswith(("/accounts/2fa/", "/accounts/reauthenticate/"))


def test_member_is_not_asked_for_two_step(member_client):
    response = member_client.get("/")
    assert response.status_code == 200
    response = member_client.get(reverse("account_email"))
    assert response.status_code == 200


def test_coordinator_with_two_step_logs_in_through_allauth_and_reaches_the_admin(coordinator):
    activate_totp(coordinator)
    client = Client()

    # The admin's own login page hands over to allauth's.
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": coordinator.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Run the group" in response.content


def test_wrong_two_step_code_keeps_the_coordinator_out(coordinator):
    activate_totp(coordinator)
    client = Client()
    client.post(reverse("account_login"), {"login": coordinator.email, "password": DEFAULT_PASSWORD})
    wrong = "000000" if current_code() != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_member_cannot_open_the_admin(member_client):
    response = member_client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert b"You cannot open this page" in response.content


def test_totp_secret_is_stored_encrypted(coordinator):
    activate_totp(coordinator)
    stored = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP).data["secret"]
    assert TEST_TOTP_SECRET not in stored
    from allauth.mfa.utils import decrypt

    assert decrypt(stored) == TEST_TOTP_SECRET


def test_staff_role_groups_exist_after_migrate():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Coordinators", "Commissioners"}
    coordinators = Group.objects.get(name="Coordinators")
    assert coordinators.permissions.filter(codename="change_groupprofile").exists()
    assert coordinators.permissions.filter(codename="view_user").exists()
