import pytest
from django.urls import reverse

from involvement.models import GroupProfile, Signpost

pytestmark = pytest.mark.django_db



def test_coordinator_edits_the_group_profile_and_the_footer_follows(coordinator_client, anonymous):
    url = reverse("admin:involvement_groupprofile_change", args=[GroupProfile.load().pk])
    assert coordinator_client.get(url).status_code == 200
    data = {
        "name": "Hillside Involvement Group",
        "short_name": "Hillside group",
        "service_name": "Hillside involvement",
        "about": "",
        "meeting_pattern": "",
        "what_to_expect": "",
        "contact_email": "team@hillside.example",
        "contact_phone": "",
        "contact_hours": "",
        "postal_address": "",
        "reminder_offset_days": "7,2",
        "debrief_delay_minutes": "90",
        "quick_exit_url": "www.bbc.co.uk/weather",
        "resource_review_months": "24",
        "reading_age_target": "9",
        "easy_read_reading_age_target": "7",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = GroupProfile.load()
    assert profile.quick_exit_url == "https://www.bbc.co.uk/weather"
    assert profile.reminder_offsets == [7, 2]
    html = anonymous.get("/").content.decode()
    assert "Contact Hillside Involvement Group" in html


def test_bad_reminder_offsets_get_a_message_by_the_field(coordinator_client):
    url = reverse("admin:involvement_groupprofile_change", args=[GroupProfile.load().pk])
    response = coordinator_client.post(
        url,
        {
            "name": "X",
            "short_name": "X",
            "service_name": "X",
            "reminder_offset_days": "a week",
            "debrief_delay_minutes": "60",
            "quick_exit_url": "https://example.org",
        },
    )
    assert response.status_code == 200
    assert "Enter whole numbers of days" in response.content.decode()


def test_coordinator_adds_a_local_crisis_line(coordinator_client, anonymous):
    response = coordinator_client.post(
        reverse("admin:involvement_signpost_add"),
        {
            "kind": "crisis",
            "name": "Hillside crisis team",
            "description": "",
            "phone": "0800 123 456",
            "text_message": "",
            "url": "",
            "order": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Signpost.objects.filter(name="Hillside crisis team").exists()
    assert "Hillside crisis team" in anonymous.get("/").content.decode()


def test_member_cannot_open_the_group_profile_admin(member_client):
    url = reverse("admin:involvement_groupprofile_change", args=[GroupProfile.load().pk])
    assert member_client.get(url, follow=True).status_code == 403
