"""The demo library is a realistic one: 30+ resources across topics and formats, some in review
with feedback and staff's responses, some due for review, translations and other formats; and
seeding it again changes nothing."""

from __future__ import annotations

import pytest
from django.db.models import Count

from library.demo import seed_library
from library.models import Format, Resource, ReviewFeedback, Source, Topic

pytestmark = pytest.mark.django_db


def test_the_demo_library_is_realistic(demo_group):
    resources = Resource.objects.all()
    assert resources.count() >= 30
    assert resources.exclude(current_version=None).count() >= 25
    assert set(resources.values_list("format", flat=True)) == set(Format.values)
    assert resources.exclude(language="en").count() >= 3
    assert resources.filter(original__isnull=False).count() >= 6
    assert Topic.objects.annotate(n=Count("resources")).filter(n=0).count() == 0
    assert resources.filter(status=Resource.Status.IN_REVIEW).count() == 2
    assert ReviewFeedback.objects.exclude(response="").exists() and ReviewFeedback.objects.filter(response="").exists()
    assert resources.filter(status=Resource.Status.DUE_FOR_REVIEW).exists()
    revised = resources.filter(versions__number=2).distinct()
    assert revised.exists()
    for resource in revised:  # a later version leaves the first publishing date as it was
        assert resource.first_published_at == resource.versions.get(number=1).published_at
    publishers = set(Source.objects.values_list("publisher", flat=True))
    assert {"NICE", "NHS.UK", "Maternal Mental Health Alliance", "Tommy's"} <= publishers


def test_seeding_again_changes_nothing(demo_group):
    before = Resource.objects.count()
    assert seed_library() == 0
    assert Resource.objects.count() == before
