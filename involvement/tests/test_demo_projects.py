"""The demo projects and "you said, we did" items (part of ``seed_demo``): believable, spread over
the ladder and the last two years, shown correctly, and safe to load again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from involvement.models import ImpactItem, Project, ProjectMember, Quote, RungChange
from involvement.projects import quotes_with_consent
from members.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_group")]


def test_the_demo_has_projects_across_the_ladder_with_moves_over_two_years():
    projects = Project.objects.all()
    assert 4 <= projects.count() <= 6
    assert len(set(projects.values_list("rung_now", flat=True))) >= 3
    assert projects.filter(completed_on__isnull=False).exists()
    assert projects.filter(kind=Project.Kind.ONGOING).exists()
    today = timezone.localdate()
    moves = RungChange.objects.filter(rung_from__isnull=False)
    assert moves.filter(changed_on__gte=today - dt.timedelta(days=365)).exists()
    assert moves.filter(changed_on__lt=today - dt.timedelta(days=365)).exists()
    for project in projects:
        assert project.rung_changes.last().rung_to == project.rung_now, project
    assert Project.objects.filter(meetings__isnull=False).exists()
    assert Project.objects.filter(resources__isnull=False).exists()
    assert Project.objects.filter(surveys__isnull=False).exists()


def test_some_members_are_named_by_the_name_they_chose_and_one_quote_has_no_consent():
    assert ProjectMember.objects.filter(named=True).exclude(credited_as="").exists()
    assert ProjectMember.objects.filter(named=False).exists()
    assert 0 < quotes_with_consent().count() < Quote.objects.count()


def test_the_demo_has_items_of_every_status_and_source_over_eighteen_months():
    items = ImpactItem.objects.all()
    assert 12 <= items.count() <= 20
    assert set(items.values_list("status", flat=True)) == set(ImpactItem.Status.values)
    sources = set(items.values_list("source", flat=True))
    assert {"meeting", "survey", "review"} <= sources
    assert items.filter(is_public=True).count() >= 4
    oldest = min(items.values_list("raised_on", flat=True))
    assert timezone.localdate() - oldest <= dt.timedelta(days=550)
    assert not items.filter(status="not_possible", why_not_possible="").exists()


def test_the_demo_member_sees_the_projects_and_never_the_words_given_without_consent():
    client = Client()
    client.force_login(User.objects.get(email="member@demo.example"))
    refused = Quote.objects.exclude(pk__in=quotes_with_consent().values("pk")).get()

    page = client.get(reverse("impact:project", args=[refused.project_id])).content.decode()

    assert refused.text not in page
    assert "What members said" in page
    assert client.get(reverse("impact:list")).status_code == 200


def test_loading_the_demo_again_adds_no_projects_items_or_words():
    before = (Project.objects.count(), RungChange.objects.count(), ImpactItem.objects.count(), Quote.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    after = (Project.objects.count(), RungChange.objects.count(), ImpactItem.objects.count(), Quote.objects.count())
    assert before == after
