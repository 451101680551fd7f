"""The reading-age figure: UK reading age = Flesch-Kincaid grade + 5, from the words readers see,
shown to staff while editing and in the admin list, with a warning above the group's target."""

from __future__ import annotations

from decimal import Decimal

import pytest
import textstat
from django.urls import reverse

from common.sanitise import markdown_to_html, plain_text
from library.models import Format
from library.reading_age import reading_age_of_resource, reading_age_of_text, target_for
from library.tests.factories import group_profile, resource

pytestmark = pytest.mark.django_db

SIMPLE = " ".join(["We can help you. You can bring your baby. Tell us how you feel."] * 4)
HARD = (
    "Comprehensive multidisciplinary perinatal psychiatric assessment facilitates individualised pharmacological "
    "and psychotherapeutic intervention planning, incorporating contemporaneous safeguarding considerations and "
    "longitudinal developmental monitoring of the infant-parent relationship within integrated community provision. "
) * 2


def test_the_figure_is_the_flesch_kincaid_grade_plus_five():
    expected = Decimal(str(textstat.flesch_kincaid_grade(HARD))) + 5
    assert reading_age_of_text(HARD) == expected.quantize(Decimal("0.1"))
    assert reading_age_of_text(HARD) > 18
    assert Decimal(5) <= reading_age_of_text(SIMPLE) <= 8


def test_it_reads_the_rendered_words_not_the_markdown_or_html():
    body = "# Help\n\n- **We** can help you.\n- You can bring your [baby](https://example.org).\n\n" + SIMPLE
    expected = reading_age_of_text("Short summary.\n\n" + plain_text(markdown_to_html(body)))
    assert reading_age_of_resource(summary="Short summary.", body=body) == expected


def test_too_few_words_give_no_figure():
    assert reading_age_of_text("Call us.") is None
    assert resource(summary="", body="Call us.").reading_age is None


def test_saving_a_resource_works_the_figure_out():
    assert resource(summary="", body=SIMPLE).reading_age == reading_age_of_text(SIMPLE)


def test_targets_come_from_the_group_profile_with_one_for_easy_read():
    assert (target_for(Format.LEAFLET), target_for(Format.EASY_READ)) == (9, 7)
    group_profile(reading_age_target=11, easy_read_reading_age_target=6)
    assert (target_for(Format.LEAFLET), target_for(Format.EASY_READ)) == (11, 6)


def test_staff_see_a_warning_above_the_target_while_editing_and_in_the_list(coordinator_client):
    hard = resource(title="Hard to read", summary="", body=HARD)
    easy = resource(title="Easy to read", summary="", body=SIMPLE)

    listing = coordinator_client.get(reverse("admin:library_resource_changelist")).content.decode()
    editing_hard = coordinator_client.get(reverse("admin:library_resource_change", args=[hard.pk])).content.decode()
    editing_easy = coordinator_client.get(reverse("admin:library_resource_change", args=[easy.pk])).content.decode()

    assert f"{hard.reading_age} (above 9)" in listing
    assert f"Reading age {hard.reading_age}: above the group's target of 9." in editing_hard
    assert f"Reading age {easy.reading_age}: within the group's target of 9." in editing_easy


def test_an_easy_read_resource_is_held_to_its_own_target(coordinator_client):
    group_profile(easy_read_reading_age_target=6)
    body = " ".join(["Our team can help with worries after a baby is born. Talking to someone often helps."] * 4)
    item = resource(title="Easy Read", format=Format.EASY_READ, summary="", body=body)
    assert item.reading_age > 6
    page = coordinator_client.get(reverse("admin:library_resource_change", args=[item.pk])).content.decode()
    assert "above the group's target of 6" in page
