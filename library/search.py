"""Browsing and searching the published library.

On PostgreSQL, words are matched with full-text search (``websearch`` syntax: quoted phrases,
``or``, ``-word``) against each published version's stored search vector (title weighted most,
then summary, then body; GIN-indexed), and results come in order of rank. On SQLite (``make run``)
every word must appear in the title, summary or body, and results come alphabetically.

Either way the filters (topic, audience, format, language) narrow the list, and the list costs
a fixed number of queries whatever the size of the library: the current version comes with
each row, and the topics of a page of rows in one more query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from .access import public_resources
from .models import Resource, Topic

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    q: str = ""
    topic: str = ""
    audience: str = ""
    format: str = ""
    language: str = ""

    @property
    def any(self) -> bool:
        return any((self.q, self.topic, self.audience, self.format, self.language))


def search_resources(filters: Filters) -> QuerySet[Resource]:
    """Published resources matching the filters, best match first when there are words."""
    resources = public_resources().prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "name"))
    )
    if filters.topic:
        resources = resources.filter(topics__slug=filters.topic)
    if filters.audience:
        resources = resources.filter(audience=filters.audience)
    if filters.format:
        resources = resources.filter(format=filters.format)
    if filters.language:
        resources = resources.filter(language=filters.language)
    words = " ".join(filters.q.split())[:MAX_QUERY_LENGTH]
    if not words:
        return resources.order_by("current_version__title", "pk")
    if connection.vendor == "postgresql":
        return ranked_search(resources, words)
    return word_by_word_search(resources, words)


def ranked_search(resources: QuerySet[Resource], words: str) -> QuerySet[Resource]:
    """PostgreSQL full-text search over the stored vector (title weighted above summary, summary
    above body), best match first."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(words, search_type="websearch", config="english")
    return (
        resources.filter(current_version__search_vector=query)
        .annotate(rank=SearchRank(F("current_version__search_vector"), query))
        .order_by("-rank", "current_version__title", "pk")
    )


def word_by_word_search(resources: QuerySet[Resource], words: str) -> QuerySet[Resource]:
    """The fallback where there is no full-text search (SQLite): every word must appear in the
    title, summary or body; alphabetical, since there is no rank."""
    for word in words.split():
        resources = resources.filter(
            Q(current_version__title__icontains=word)
            | Q(current_version__summary__icontains=word)
            | Q(current_version__body_text__icontains=word)
        )
    return resources.order_by("current_version__title", "pk")


def family_of(resource: Resource) -> QuerySet[Resource]:
    """The other formats and languages of the same resource that the public may read."""
    root = resource.family_root_id
    return (
        public_resources()
        .filter(Q(pk=root) | Q(original_id=root))
        .exclude(pk=resource.pk)
        .order_by("language", "format", "pk")
    )
