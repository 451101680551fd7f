"""The public library: only published resources, search and filters, pages, and a bounded
number of queries whatever the size of the library."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from library import services
from library.access import public_resources
from library.models import Audience, Format, Language, Resource, Topic
from library.search import Filters, search_resources, word_by_word_search
from library.tests.factories import TopicFactory, publish, published_resource, resource

pytestmark = pytest.mark.django_db

HOME = reverse("library:home")


def titles(response) -> list[str]:
    return [item.current_version.title for item in response.context["page"].object_list]


def test_it_lists_only_published_resources(anonymous):
    published_resource(title="Published leaflet")
    resource(title="A draft nobody may see yet")
    resource(title="An idea", status=Resource.Status.IDEA)
    archived = published_resource(title="An archived leaflet")
    services.move_resource(resource=archived, to=Resource.Status.ARCHIVED)

    response = anonymous.get(HOME)

    assert response.status_code == 200
    assert titles(response) == ["Published leaflet"]
    assert b"A draft nobody may see yet" not in response.content
    assert b"An archived leaflet" not in response.content


def test_it_filters_by_topic_audience_format_and_language(anonymous):
    loss = TopicFactory(name="Loss in pregnancy", slug="loss")
    match = published_resource(
        title="After loss, in Polish",
        format=Format.EASY_READ,
        language=Language.POLISH,
        audience=Audience.PARTNERS_FAMILY,
        topics=[loss],
    )
    published_resource(
        title="After loss, in English", format=Format.EASY_READ, audience=Audience.PARTNERS_FAMILY, topics=[loss]
    )
    published_resource(title="Something else", format=Format.LEAFLET, language=Language.POLISH)

    response = anonymous.get(
        HOME, {"topic": "loss", "format": "easy_read", "language": "pl", "audience": "partners_family"}
    )

    assert titles(response) == [match.current_version.title]


def test_an_unknown_filter_in_a_shared_link_is_ignored_not_an_error(anonymous):
    published_resource(title="Still listed")
    response = anonymous.get(HOME, {"format": "hologram", "topic": "<script>", "page": "banana"})
    assert response.status_code == 200
    assert titles(response) == ["Still listed"]


def test_search_matches_title_summary_and_body(anonymous):
    published_resource(title="Sleep with a new baby", summary="Why rest matters.", body="Plain words. " * 10)
    published_resource(title="Medicine questions", summary="Ask about tablets when breastfeeding.", body="x " * 5)
    published_resource(title="Partners", summary="For partners.", body="Share the night feeds if you can. " * 3)
    published_resource(title="Unrelated", summary="Nothing here.", body="Nothing here either.")

    assert titles(anonymous.get(HOME, {"q": "sleep"})) == ["Sleep with a new baby"]
    assert titles(anonymous.get(HOME, {"q": "breastfeeding"})) == ["Medicine questions"]
    assert titles(anonymous.get(HOME, {"q": "night feeds"})) == ["Partners"]
    nothing = anonymous.get(HOME, {"q": "zebra"})
    assert titles(nothing) == []
    assert b"Nothing matched your search" in nothing.content


def test_search_never_finds_words_only_in_a_draft(anonymous):
    item = published_resource(title="Bonding", body="Bonding can take time. " * 5)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    item.refresh_from_db()
    item.body += "\n\nA secret new paragraph about hedgehogs."
    services.save_resource(resource=item)

    assert titles(anonymous.get(HOME, {"q": "hedgehogs"})) == []
    assert titles(anonymous.get(HOME, {"q": "bonding"})) == ["Bonding"]


def test_the_fallback_search_needs_every_word_somewhere():
    # The search SQLite uses; called directly so it is checked on PostgreSQL too.
    published_resource(title="Sleep and mood", summary="Rest helps.", body="words " * 5)
    published_resource(title="Sleep", summary="Only sleep.", body="words " * 5)

    found = [item.current_version.title for item in word_by_word_search(public_resources(), "sleep mood")]

    assert found == ["Sleep and mood"]


@pytest.mark.postgres
def test_on_postgres_a_title_match_ranks_above_a_body_match():
    published_resource(title="Talking therapies", summary="What we offer.", body="Sessions last an hour. " * 5)
    published_resource(
        title="Your first appointment",
        summary="What happens on the day.",
        body="We may talk about therapy options, among many other things. " * 5,
    )
    published_resource(title="Unrelated", summary="Nothing.", body="Nothing at all. " * 5)

    found = [item.current_version.title for item in search_resources(Filters(q="therapy"))]

    # Stemming finds "therapies" for "therapy"; the title outranks the body.
    assert found == ["Talking therapies", "Your first appointment"]


@pytest.mark.postgres
def test_on_postgres_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'library_resourceversion' AND indexdef ILIKE '%gin%'"
        )
        rows = cursor.fetchall()
    assert rows and "search_vector" in rows[0][0]


def test_the_list_is_paginated(anonymous):
    for number in range(12):
        published_resource(title=f"Resource {number:02d}")

    first = anonymous.get(HOME)
    second = anonymous.get(HOME, {"page": 2})

    assert len(first.context["page"].object_list) == 10
    assert titles(second) == ["Resource 10", "Resource 11"]
    assert b'aria-label="Pages of resources"' in first.content


def _library_of(size: int, topics: list[Topic]) -> None:
    for number in range(size):
        item = resource(title=f"Leaflet {number} about sleep", topics=topics)
        publish(item)


@pytest.mark.parametrize("query", [{}, {"q": "sleep"}, {"q": "sleep", "topic": "t0", "format": "leaflet"}])
def test_the_library_page_costs_the_same_queries_at_two_sizes(anonymous, django_assert_max_num_queries, query):
    topics = [TopicFactory(slug=f"t{n}", name=f"Topic {n}") for n in range(3)]
    _library_of(3, topics)
    anonymous.get(HOME, query)  # warm caches (group profile, content types)
    with django_assert_max_num_queries(6) as small:
        anonymous.get(HOME, query)
    _library_of(25, topics)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = anonymous.get(HOME, query)
    assert len(response.context["page"].object_list) == 10
