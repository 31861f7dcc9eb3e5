"""Splitting a long list into pages, with the links GOV.UK pagination shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str
    current: bool


@dataclass(frozen=True)
class Paged:
    """One page of a list, the query string (without its page parameter) its links keep,
    the element id they land on (none: the top of the page), and the parameter naming the
    page (``page``, or another where one page holds two paged lists)."""

    page: Page[Any]
    query: str
    fragment: str = ""
    parameter: str = "page"

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to link, None where an ellipsis stands: the first, the last, and the
        pages either side of the current one (the GOV.UK pagination component's pattern)."""
        last = self.page.paginator.num_pages
        current = self.page.number
        shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers

    def href(self, number: int) -> str:
        asked = f"{self.parameter}={number}"
        link = f"?{self.query}&{asked}" if self.query else f"?{asked}"
        return f"{link}#{self.fragment}" if self.fragment else link

    @property
    def links(self) -> list[PageLink]:
        """The numbered links, with ellipses, as the template draws them."""
        return [PageLink(n, self.href(n) if n else "", n == self.page.number) for n in self.numbers]

    @property
    def previous_href(self) -> str:
        return self.href(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_href(self) -> str:
        return self.href(self.page.number + 1) if self.page.has_next() else ""


def paged(
    items: Sequence[Any] | QuerySet[Any],
    request: HttpRequest,
    per_page: int,
    fragment: str = "",
    parameter: str = "page",
) -> Paged:
    """The page of ``items`` the request asks for (``?page=N``; out of range gives the
    nearest page), keeping the request's other parameters in the links. ``fragment`` (an
    element id) makes the links land on the list, when it is not at the top of its page;
    ``parameter`` names the page instead of ``page``, for a second paged list on a page
    (each list's links keep the other's page)."""
    page = Paginator(items, per_page).get_page(request.GET.get(parameter))
    query = request.GET.copy()
    query.pop(parameter, None)
    return Paged(page, query.urlencode(), fragment, parameter)
