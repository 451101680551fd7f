"""Paginating lists for the NHS.UK pagination component (templates/includes/pagination.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

PER_PAGE = 10


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for the "…" between page numbers
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    previous_url: str
    next_url: str
    links: list[PageLink]


def paginate(request, queryset, param: str = "page", per_page: int = PER_PAGE) -> tuple[Page, Pagination | None]:
    """One page of a list (a bad page number shows the nearest real page, never an error).

    Returns the page and the links to draw, or None when everything fits on one page. The
    page number travels in `param`, so two lists on one page keep their own places.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    if page.paginator.num_pages <= 1:
        return page, None

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    links = [
        PageLink(None) if number == Paginator.ELLIPSIS else PageLink(number, url(number), number == page.number)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return page, Pagination(
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        links=links,
    )
