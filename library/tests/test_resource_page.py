"""A published resource's page: its words, sources, files, other formats and languages, review
dates and credits; drafts are not found; the printable A4 PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from library import services
from library.models import Format, Language, Resource, Source
from library.tests.factories import credit, publish, published_resource, resource, reviewer
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db


def page_of(item: Resource) -> str:
    return reverse("library:resource", args=[item.pk])


def test_it_shows_the_summary_body_sources_and_review_dates(anonymous):
    item = resource(title="After a difficult birth", summary="What can help after a frightening birth.")
    Source.objects.create(
        resource=item,
        title="What is birth trauma?",
        publisher="Birth Trauma Association",
        url="https://www.birthtraumaassociation.org.uk/",
    )
    Source.objects.create(resource=item, title="NICE guideline CG192", publisher="NICE")
    publish(item)
    version = item.current_version

    response = anonymous.get(page_of(item))

    text = response.content.decode()
    assert response.status_code == 200
    assert "What can help after a frightening birth." in text
    assert "<h2>What it is</h2>" in text  # the Markdown body, rendered
    assert 'href="https://www.birthtraumaassociation.org.uk/"' in text
    assert "NICE guideline CG192 (NICE)" in text
    assert "Next review due" in text
    assert f"{version.review_due_on:%-d %B %Y}" in text
    assert "Staff of the service" in text  # nobody credited yet
    assert item.produced_by in text


def test_a_draft_an_idea_and_an_archived_resource_are_not_found(anonymous, member_client):
    draft = resource(title="Draft")
    idea = resource(title="Idea", status=Resource.Status.IDEA)
    archived = published_resource(title="Old")
    services.move_resource(resource=archived, to=Resource.Status.ARCHIVED)

    for item in (draft, idea, archived):
        assert anonymous.get(page_of(item)).status_code == 404
        assert member_client.get(page_of(item)).status_code == 404
        assert anonymous.get(reverse("library:pdf", args=[item.pk])).status_code == 404


def test_the_credit_counts_everyone_and_names_only_those_who_agreed(anonymous):
    item = resource(title="Sleep and your mood")
    named = reviewer(name="Grace Obi", email="grace@example.org")
    unnamed = reviewer(name="Priya Sandhu", email="priya@example.org")
    credit(item, named, named=True, credited_as="Grace")
    credit(item, unnamed)
    publish(item)

    text = anonymous.get(page_of(item)).content.decode()

    assert "2 members of the group" in text
    assert "including Grace" in text
    assert "Priya" not in text
    assert "Grace Obi" not in text  # the name she chose, never her account's name


def test_the_page_and_the_pdf_give_the_same_credit_line(anonymous):
    item = resource(title="Sleep and your mood")
    credit(item, reviewer(email="grace@example.org"), named=True, credited_as="Grace")
    credit(item, reviewer(email="amina@example.org"), named=True, credited_as="Amina F.")
    credit(item, reviewer(email="priya@example.org"))
    publish(item)
    line = "3 members of the group, including Amina F. and Grace"

    page = anonymous.get(page_of(item)).content.decode()
    pdf = PdfReader(io.BytesIO(anonymous.get(reverse("library:pdf", args=[item.pk])).content))

    assert line in page
    assert line in " ".join("\n".join(p.extract_text() for p in pdf.pages).split())


def test_other_formats_and_languages_of_the_same_resource_are_linked(anonymous):
    leaflet = published_resource(title="Feeling low after having a baby")
    easy = published_resource(title="Feeling low (Easy Read)", format=Format.EASY_READ, original=leaflet)
    polish = published_resource(title="Przygnębienie po urodzeniu dziecka", language=Language.POLISH, original=leaflet)
    resource(title="The BSL version, still a draft", language=Language.BSL, original=leaflet)

    from_leaflet = Page(anonymous.get(page_of(leaflet)).content.decode())
    from_easy = anonymous.get(page_of(easy)).content.decode()

    links = {link["attrs"]["href"] for link in from_leaflet.all("a")}
    assert {page_of(easy), page_of(polish)} <= links
    assert from_leaflet.all("a", hreflang="pl")
    assert "still a draft" not in from_leaflet.html
    assert page_of(leaflet) in from_easy and page_of(polish) in from_easy


def test_a_resource_with_its_own_other_formats_cannot_become_a_version_of_another():
    from library.admin.resources import ResourceForm

    leaflet = resource(title="Feeling low after having a baby")
    resource(title="Feeling low (Easy Read)", format=Format.EASY_READ, original=leaflet)
    guide = resource(title="A longer guide")
    fields = ["title", "summary", "body", "format", "language", "audience", "produced_by", "why_needed"]
    data = {name: getattr(leaflet, name) for name in fields}

    form = ResourceForm(data={**data, "original": guide.pk}, instance=leaflet)

    assert not form.is_valid()
    assert "cannot be a version of another" in form.errors["original"][0]
    assert ResourceForm(data={**data, "original": ""}, instance=leaflet).is_valid()


def test_revising_a_published_resource_keeps_the_published_words_public(anonymous):
    item = published_resource(title="First appointment", body="The published words. " * 10)
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    item.refresh_from_db()
    item.title = "First appointment (new title in progress)"
    item.body = "Half-written new words. " * 10
    services.save_resource(resource=item)

    text = anonymous.get(page_of(item)).content.decode()

    assert "The published words." in text
    assert "Half-written" not in text and "new title in progress" not in text


def test_a_right_to_left_translation_is_marked_for_the_browser(anonymous):
    item = published_resource(title="اداسی", summary="بہت سے والدین اداس محسوس کرتے ہیں۔", language=Language.URDU)
    page = Page(anonymous.get(page_of(item)).content.decode())
    assert page.all("h1", dir="rtl", lang="ur")


def test_the_pdf_is_a4_tagged_and_carries_the_review_date(anonymous):
    item = published_resource(title="Worry and anxiety in pregnancy")
    version = item.current_version

    response = anonymous.get(reverse("library:pdf", args=[item.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Worry and anxiety in pregnancy" in text
    assert f"{version.review_due_on:%-d %B %Y}" in text
    assert reader.metadata.title == "Worry and anxiety in pregnancy"


def test_the_page_prints_cleanly(anonymous):
    item = published_resource()
    page = Page(anonymous.get(page_of(item)).content.decode())
    # The feedback form and the links only useful on screen are left off the printout.
    feedback = page.all("section", id="feedback")[0]
    assert "nhsuk-u-display-none-print" in feedback["attrs"]["class"]


def test_the_resource_page_costs_the_same_queries_at_two_sizes(anonymous, django_assert_max_num_queries):
    item = published_resource(title="Main")
    for number in range(2):
        published_resource(title=f"Version {number}", original=item, format=Format.EASY_READ)
        Source.objects.create(resource=item, title=f"Source {number}")
        credit(item, reviewer(email=f"r{number}@example.org", name=f"R {number}"), named=True, credited_as=f"R{number}")
    anonymous.get(page_of(item))
    with django_assert_max_num_queries(14) as small:
        anonymous.get(page_of(item))
    for number in range(2, 12):
        published_resource(title=f"Version {number}", original=item, format=Format.EASY_READ)
        Source.objects.create(resource=item, title=f"Source {number}")
        credit(item, reviewer(email=f"r{number}@example.org", name=f"R {number}"), named=True, credited_as=f"R{number}")
    services.move_resource(resource=item, to=Resource.Status.DRAFT)
    publish(item)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = anonymous.get(page_of(item))
    assert "including R0" in response.content.decode()
